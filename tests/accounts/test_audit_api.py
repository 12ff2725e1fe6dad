"""GET /api/audit-log: admins of the workspace see its trail; nobody sees another workspace's."""

import pytest

from accounts.services import audit_record
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/audit-log"


@pytest.fixture
def entries(workspace, owner, other_workspace, stranger):
    audit_record(action="agent.updated", actor=owner, workspace=workspace, before={"a": 1}, after={"a": 2})
    audit_record(action="agent.updated", actor=stranger, workspace=other_workspace)
    audit_record(action="auth.login", actor=owner)  # a person's event: no workspace


class AuditLogApiTests:
    def test_admin_sees_this_workspaces_entries_only(self, admin, entries):
        body = client_for(admin).get(URL).json()
        actions = [(e["action"], e["actor_email"]) for e in body["results"]]
        assert ("agent.updated", "") not in actions
        assert all(e["actor_email"] != "" for e in body["results"])
        assert {a for a, _ in actions} == {"agent.updated", "workspace.created"}
        assert not any(e["actor_email"].startswith("other-owner") for e in body["results"])
        updated = next(e for e in body["results"] if e["action"] == "agent.updated")
        assert updated["changes"] == {"a": [1, 2]}

    def test_filter_by_action(self, owner, entries):
        body = client_for(owner).get(URL, {"action": "agent.updated"}).json()
        assert [e["action"] for e in body["results"]] == ["agent.updated"]

    def test_member_is_forbidden_and_stranger_not_found(self, member, stranger, workspace, entries):
        assert client_for(member).get(URL).status_code == 403
        assert client_for(stranger).get(URL, HTTP_X_WORKSPACE=str(workspace.pk)).status_code == 404

    def test_a_change_through_the_api_records_where_it_came_from(self, owner, workspace):
        """The request's origin reaches the audit log through the middleware, not through the
        services' arguments."""
        client = client_for(owner)
        created = client.post(
            "/api/agents",
            {"name": "Origin"},
            format="json",
            REMOTE_ADDR="198.51.100.23",
            HTTP_USER_AGENT="ops-script/1.0",
        )
        assert created.status_code == 201
        entry = next(e for e in client.get(URL, {"action": "agent.created"}).json()["results"])
        assert (entry["ip_address"], entry["user_agent"]) == ("198.51.100.23", "ops-script/1.0")
