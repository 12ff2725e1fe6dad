"""notify() and audit_record(): the two accounts services every domain app calls."""

import pytest
from django.test import RequestFactory

from accounts.models import AuditLog, Notification
from accounts.services import audit_record, notify
from agent_platform.request_context import client_ip, origin_of, request_origin
from agent_platform.tenancy import Role, workspace_scope

pytestmark = pytest.mark.django_db


def test_notify_defaults_to_admins_and_owners(workspace, owner, admin, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notify(workspace=workspace, kind="approval_requested", title="A reply waits", payload={"message": 5})
    assert {n.user_id for n in created} == {owner.pk, admin.pk}
    assert len(callbacks) == 2  # one realtime event per recipient, after commit
    with workspace_scope(workspace.pk):
        assert Notification.objects.filter(kind="approval_requested", read_at__isnull=True).count() == 2


def test_notify_by_role_or_by_user(workspace, owner, member):
    assert [n.user_id for n in notify(workspace=workspace, kind="k", title="t", roles=[Role.MEMBER])] == [member.pk]
    assert [n.user_id for n in notify(workspace=workspace, kind="k", title="t", users=[member, member])] == [member.pk]


def test_audit_record_keeps_actor_target_changes_and_origin(workspace, owner):
    request = RequestFactory().post("/", HTTP_USER_AGENT="pytest-agent", REMOTE_ADDR="203.0.113.9")
    with request_origin(origin_of(request)):  # what the middleware does for every request
        entry = audit_record(
            action="workspace.renamed",
            actor=owner,
            workspace=workspace,
            target=workspace,
            before={"name": "Acme", "slug": "acme"},
            after={"name": "Acme Inc", "slug": "acme"},
        )
    assert entry.changes == {"name": ["Acme", "Acme Inc"]}
    assert (entry.ip_address, entry.user_agent, entry.actor_email) == ("203.0.113.9", "pytest-agent", owner.email)
    assert entry.target_type == "accounts.workspace" and entry.target_id == str(workspace.pk)


def test_person_level_events_have_no_workspace(owner, other_workspace):
    audit_record(action="auth.login", actor=owner)
    with workspace_scope(other_workspace.pk):
        assert not AuditLog.objects.filter(action="auth.login").exists()
    assert AuditLog.objects.unscoped_across_workspaces().get(action="auth.login").workspace_id is None


def test_client_ip_trusts_x_forwarded_for_only_through_our_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"  # a spoofed header changes nothing
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # the address our proxy appended, not the forged one
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer hops than proxies: not trustworthy
