"""The Integrations API of Kommo: admins connect, sync, repair, configure and disconnect; members read;
a stranger (and another workspace) sees nothing; errors are problems with a stable code."""

from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from agent_platform.tenancy import workspace_scope
from integrations.kommo import services
from integrations.kommo.models import KommoIntegration
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BASE = "/api/integrations/kommo"


@pytest.fixture
def synced(connected):
    with workspace_scope(connected.workspace_id):
        services.sync_run(integration_id=connected.pk)
    return connected


class StatusTests:
    def test_not_connected(self, member):
        body = client_for(member).get(BASE).json()
        assert (body["connected"], body["status"]) == (False, "disconnected")

    def test_connected_status_shows_no_secret(self, synced, owner, member):
        owner_view = client_for(owner).get(BASE).json()
        assert owner_view["connected"] and owner_view["account"]["id"] == synced.account_id
        assert owner_view["sync"]["status"] == "ok" and owner_view["sync"]["result"]["pipelines"] == 2
        assert owner_view["setup"]["widget_request_url"].endswith("/api/webhooks/kommo/salesbot")
        member_view = client_for(member).get(BASE).json()
        assert "setup" not in member_view  # the URLs with the workspace's secret are for admins
        text = str(owner_view) + str(member_view)
        for secret in (synced.access_token, synced.refresh_token, settings.KOMMO_CLIENT_SECRET):
            assert secret not in text

    def test_synced_pipelines_fields_and_users(self, synced, member, account):
        client = client_for(member)
        pipelines = client.get(f"{BASE}/pipelines").json()
        assert {p["name"] for p in pipelines} == {"Sales", "Support"}
        sales = next(p for p in pipelines if p["name"] == "Sales")
        assert {"New inquiry", "Qualified", "Closed - won", "Closed - lost"} <= {s["name"] for s in sales["statuses"]}
        fields = client.get(f"{BASE}/fields", {"entity": "leads"}).json()
        assert {f["entity"] for f in fields} == {"leads"}
        source = next(f for f in fields if f["name"] == "Source")
        assert source["type"] == "select" and source["enums"][0]["value"] == "Website"
        assert len(client.get(f"{BASE}/users").json()) == len(account.users)
        assert client.get(f"{BASE}/fields", {"entity": "deals"}).status_code == 400


class ConnectTests:
    def test_oauth_answers_the_consent_url(self, owner, workspace):
        body = client_for(owner).post(f"{BASE}/connect", {"mode": "oauth"}, format="json").json()
        url = urlsplit(body["authorize_url"])
        assert body["authorize_url"].startswith(settings.KOMMO_OAUTH_URL)
        assert parse_qs(url.query) == {
            "client_id": [settings.KOMMO_CLIENT_ID],
            "state": [body["state"]],
            "mode": ["popup"],
        }

    def test_without_a_platform_integration_oauth_is_explained(self, owner, workspace, settings):
        settings.KOMMO_CLIENT_ID = ""
        response = client_for(owner).post(f"{BASE}/connect", {"mode": "oauth"}, format="json")
        assert (response.status_code, response.json()["code"]) == (409, "kommo_oauth_not_configured")

    def test_long_lived_token(self, owner, workspace, kommo, account):
        private = kommo.add_integration(
            account, client_id="pvt", client_secret="pvt-secret-0123456789", redirect_uri="x"
        )
        data = {
            "mode": "long_lived",
            "base_domain": account.base_domain,
            "access_token": kommo.long_lived_token(account, private.client_id),
            "client_id": private.client_id,
            "client_secret": private.client_secret,
        }
        response = client_for(owner).post(f"{BASE}/connect", data, format="json")
        assert response.status_code == 201 and response.json()["auth_kind"] == "long_lived"
        assert "access_token" not in str(response.json())

    def test_bad_input_gets_clear_problems(self, owner, workspace, kommo, account):
        client = client_for(owner)
        missing = client.post(f"{BASE}/connect", {"mode": "long_lived"}, format="json").json()
        assert missing["code"] == "validation_error" and set(missing["errors"]) == {
            "base_domain",
            "access_token",
            "client_id",
            "client_secret",
        }
        wrong_domain = {
            "mode": "long_lived",
            "base_domain": "metadata.internal:80",
            "access_token": "t",
            "client_id": "c",
            "client_secret": "s",
        }
        assert client.post(f"{BASE}/connect", wrong_domain, format="json").json()["code"] == "kommo_oauth_state_invalid"
        refused = {**wrong_domain, "base_domain": account.base_domain, "access_token": "not-a-token"}
        response = client.post(f"{BASE}/connect", refused, format="json")
        assert (response.status_code, response.json()["code"]) == (502, "kommo_auth_failed")

    def test_members_read_but_do_not_change(self, member, connected):
        client = client_for(member)
        assert client.get(BASE).status_code == 200
        assert client.post(f"{BASE}/connect", {"mode": "oauth"}, format="json").status_code == 403
        assert client.post(f"{BASE}/sync").status_code == 403
        assert client.patch(f"{BASE}/settings", {"salesbot_bot_id": 5}, format="json").status_code == 403
        assert client.delete(f"{BASE}/disconnect").status_code == 403


class ManageTests:
    def test_sync_settings_repair_and_disconnect(self, owner, connected, django_capture_on_commit_callbacks):
        client = client_for(owner)
        with mock.patch("agent_platform.celery.app.send_task") as send_task:
            with django_capture_on_commit_callbacks(execute=True):
                sync = client.post(f"{BASE}/sync")
            with django_capture_on_commit_callbacks(execute=True):
                client.post(f"{BASE}/sync")  # already running: not queued twice
        assert sync.status_code == 202 and sync.json()["sync"]["status"] == "running"
        assert [c.args[0] for c in send_task.call_args_list] == ["integrations.tasks.kommo_sync_task"]
        settings_answer = client.patch(f"{BASE}/settings", {"salesbot_bot_id": 51001}, format="json").json()
        assert settings_answer["salesbot_bot_id"] == 51001
        repaired = client.post(f"{BASE}/repair").json()
        assert repaired["webhook"]["registered"] is True and repaired["webhook"]["disabled"] is False
        assert client.delete(f"{BASE}/disconnect").status_code == 204
        assert client.get(BASE).json()["status"] == "disconnected"
        second = client.delete(f"{BASE}/disconnect")
        assert (second.status_code, second.json()["code"]) == (409, "kommo_not_connected")

    def test_sync_before_connecting_is_a_conflict(self, owner, workspace):
        response = client_for(owner).post(f"{BASE}/sync")
        assert (response.status_code, response.json()["code"]) == (409, "kommo_not_connected")


class TenancyTests:
    def test_a_stranger_and_another_workspace_see_nothing(self, synced, stranger, other_workspace, workspace):
        client = client_for(stranger)
        for url in (BASE, f"{BASE}/pipelines", f"{BASE}/fields", f"{BASE}/users"):
            assert client.get(url, HTTP_X_WORKSPACE=str(workspace.pk)).status_code == 404  # not a member here
        assert client.get(BASE).json()["status"] == "disconnected"  # their own workspace: nothing
        assert client.get(f"{BASE}/pipelines").json() == []
        with workspace_scope(other_workspace.pk):
            assert not KommoIntegration.objects.exists()
