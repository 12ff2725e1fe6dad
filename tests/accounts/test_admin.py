"""The back office: every accounts model's changelist loads with a search and a filter."""

import pytest

from accounts.services import audit_record, notify
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("user", "?q=owner&is_active__exact=1"),
        ("workspace", "?q=acme"),
        ("membership", "?q=owner&role__exact=owner"),
        ("notification", "?q=hello&kind=k"),
        ("auditlog", "?q=agent&action=agent.updated"),
        ("invitation", "?q=guest"),
        ("apikey", "?q=shop&revoked_at__isempty=1"),
    ],
)
def test_changelists_search_and_filter(client, workspace, owner, path, query):
    staff = UserFactory(prefix="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    notify(workspace=workspace, kind="k", title="hello", users=[owner])
    audit_record(action="agent.updated", actor=owner, workspace=workspace)
    response = client.get(f"/admin/accounts/{path}/{query}")
    assert response.status_code == 200


def test_audit_log_is_read_only_in_the_admin(client, workspace, owner):
    staff = UserFactory(prefix="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    entry = audit_record(action="agent.updated", actor=owner, workspace=workspace)
    assert client.get("/admin/accounts/auditlog/add/").status_code == 403
    assert client.post(f"/admin/accounts/auditlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403


def test_api_keys_are_revoked_from_the_admin(client, workspace, owner):
    from accounts.models import ApiKey
    from accounts.services import api_key_authenticate, api_key_issue

    staff = UserFactory(prefix="staff", is_staff=True, is_superuser=True)
    client.force_login(staff)
    key, plaintext = api_key_issue(workspace=workspace, name="Shop", scopes=["channel_api"], actor=owner)
    page = client.get(f"/admin/accounts/apikey/{key.pk}/change/")
    assert page.status_code == 200 and key.secret_hash not in page.content.decode()
    response = client.post("/admin/accounts/apikey/", {"action": "revoke", "_selected_action": [key.pk]}, follow=True)
    assert response.status_code == 200
    assert ApiKey.all_workspaces.get(pk=key.pk).revoked_at is not None
    with pytest.raises(Exception, match="unknown, malformed or revoked"):
        api_key_authenticate(presented=plaintext)
