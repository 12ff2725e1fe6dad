"""Connecting to the local Kommo over real HTTP: OAuth with a state bound to the workspace and an
admin, the webhooks registered and the first sync, tokens encrypted at rest and refreshed exactly
once under concurrent calls, a long-lived token, disconnect, and 204/paging through the client."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from agent_platform.tenancy import workspace_scope
from integrations.kommo import services
from integrations.kommo.exceptions import KommoAuthFailed, OAuthStateInvalid
from integrations.kommo.models import KommoField, KommoIntegration, KommoPipeline, KommoUser
from integrations.kommo.services.tokens import client_for
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.integrations.kommo.conftest import eventually, oauth_connect

pytestmark = pytest.mark.django_db


def as_task(integration, service, **kwargs):
    """Call a service the way its task does: in the integration's workspace scope."""
    with workspace_scope(integration.workspace_id):
        return service(**kwargs)


def fresh(integration):
    with workspace_scope(integration.workspace_id):
        return KommoIntegration.objects.get(pk=integration.pk)


class OAuthTests:
    def test_the_callback_connects_the_account_the_referer_names(self, connected, account):
        assert connected.status == KommoIntegration.Status.CONNECTED
        assert (connected.account_id, connected.base_domain, connected.amojo_id) == (
            account.id,
            account.base_domain,
            account.amojo_id,
        )
        assert connected.access_token and connected.refresh_token and connected.access_expires_at
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT access_token, refresh_token, webhook_secret FROM integrations_kommointegration WHERE id = %s",
                [connected.pk],
            )
            stored = cursor.fetchone()
        assert all(value.startswith("fernet:") for value in stored)  # encrypted at rest
        assert connected.access_token not in "".join(stored)

    def test_a_state_is_good_once_and_only_for_an_admin(self, kommo, account, workspace, owner, member):
        state = services.oauth_authorize(workspace=workspace, user=owner)["state"]
        services.oauth_callback(
            code=kommo.issue_code(account, settings.KOMMO_CLIENT_ID), referer=account.base_domain, state=state
        )
        with pytest.raises(OAuthStateInvalid):  # replayed
            services.oauth_callback(
                code=kommo.issue_code(account, settings.KOMMO_CLIENT_ID), referer=account.base_domain, state=state
            )
        with pytest.raises(OAuthStateInvalid):  # a member may not connect
            oauth_connect(kommo, account, workspace, member)
        with pytest.raises(OAuthStateInvalid):  # forged
            services.oauth_callback(code="x", referer=account.base_domain, state="forged:state")

    @pytest.mark.parametrize("referer", ["127.0.0.2:80", "evil.example.com", "kommo.com.evil.example", "a b", ""])
    def test_a_referer_that_is_not_a_kommo_account_is_never_called(self, kommo, account, workspace, owner, referer):
        state = services.oauth_authorize(workspace=workspace, user=owner)["state"]
        before = len(kommo.requests)
        with pytest.raises(OAuthStateInvalid):
            services.oauth_callback(code="x", referer=referer, state=state)
        assert len(kommo.requests) == before

    def test_setup_registers_the_webhooks_and_syncs(self, connected, account, kommo, settings):
        as_task(connected, services.connection_setup, integration_id=connected.pk)
        (hook,) = account.webhooks
        assert hook["destination"] == f"{settings.PUBLIC_URL}/api/webhooks/kommo/{connected.webhook_secret}"
        assert {"add_message", "status_lead", "update_lead", "add_contact"} <= set(hook["settings"])
        integration = fresh(connected)
        assert (integration.sync_status, integration.sync_progress) == ("ok", 100)
        with workspace_scope(connected.workspace_id):
            assert KommoPipeline.objects.count() == len(account.pipelines) == integration.sync_result["pipelines"]
            stages = sum(len(p["_embedded"]["statuses"]) for p in account.pipelines.values())
            assert integration.sync_result["stages"] == stages
            assert KommoField.objects.filter(entity="leads").count() == len(account.custom_fields["leads"])
            assert KommoUser.objects.count() == len(account.users)
            select = KommoField.objects.get(entity="leads", name="Source")
            assert [e["value"] for e in select.enums] == ["Website", "WhatsApp", "Instagram", "Referral"]

    def test_something_deleted_in_kommo_stays_marked(self, connected, account):
        as_task(connected, services.sync_run, integration_id=connected.pk)
        support = next(p for p in account.pipelines.values() if p["name"] == "Support")
        del account.pipelines[support["id"]]
        as_task(connected, services.sync_run, integration_id=connected.pk)
        with workspace_scope(connected.workspace_id):
            assert KommoPipeline.objects.get(kommo_id=support["id"]).deleted_in_kommo


class TokenTests:
    @pytest.mark.django_db(transaction=True)
    def test_concurrent_callers_cause_exactly_one_refresh(
        self, kommo, account, workspace, owner, celery_worker_process
    ):
        """Six threads here and the worker's first sync (another process) all find the token
        expired at once."""
        integration = oauth_connect(kommo, account, workspace, owner)
        kommo.expire_access_tokens(account)
        results, errors = [], []

        def call():
            try:
                with workspace_scope(workspace.pk):
                    results.append(client_for(fresh(integration)).account()["id"])
            except Exception as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=call) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        refreshes = [
            r
            for r in kommo.requests
            if r.path == "/oauth2/access_token"
            and isinstance(r.body, dict)
            and r.body.get("grant_type") == "refresh_token"
        ]
        assert errors == [] and results == [account.id] * 6
        assert len(refreshes) == 1  # single-use refresh tokens: a second refresh would have failed
        # The worker's sync ends well too (and before the test's database is flushed under it).
        done = (KommoIntegration.SyncStatus.OK, KommoIntegration.SyncStatus.FAILED)
        synced = eventually(lambda: fresh(integration).sync_status in done and fresh(integration), what="the sync")
        assert synced.sync_status == KommoIntegration.SyncStatus.OK, synced.sync_error
        assert synced.status == KommoIntegration.Status.CONNECTED

    def test_a_refused_refresh_turns_the_integration_to_error(self, connected, account, kommo):
        kommo.revoke(account, settings.KOMMO_CLIENT_ID)
        with workspace_scope(connected.workspace_id), pytest.raises(KommoAuthFailed):
            client_for(connected).account()
        assert fresh(connected).status in (KommoIntegration.Status.ERROR, KommoIntegration.Status.REVOKED)

    def test_a_long_lived_token_connects_a_private_integration(self, kommo, account, workspace, owner):
        private = kommo.add_integration(
            account, client_id="private-client", client_secret="private-secret-0123456789", redirect_uri="https://x"
        )
        token = kommo.long_lived_token(account, private.client_id)
        with workspace_scope(workspace.pk):
            integration = services.connect_long_lived(
                workspace=workspace,
                user=owner,
                base_domain=account.base_domain,
                access_token=token,
                client_id=private.client_id,
                client_secret=private.client_secret,
            )
            assert integration.auth_kind == "long_lived" and integration.account_id == account.id
            assert client_for(integration).account()["id"] == account.id
            with pytest.raises(KommoAuthFailed):  # a bad token is refused before anything is stored
                services.connect_long_lived(
                    workspace=workspace,
                    user=owner,
                    base_domain=account.base_domain,
                    access_token="not-a-token",
                    client_id=private.client_id,
                    client_secret=private.client_secret,
                )


class ClientTests:
    def test_an_empty_list_is_204_and_long_lists_page(self, connected, account, kommo):
        with workspace_scope(connected.workspace_id):
            client = client_for(connected)
            assert client.leads() == []  # 204, no body
            client.request("POST", "/api/v4/leads", json=[{"name": f"Lead {i}"} for i in range(40)])
            leads = client.leads(limit=15)
        assert len(leads) == 40 and len({lead["id"] for lead in leads}) == 40
        pages = [r for r in kommo.requests if r.path == "/api/v4/leads" and r.method == "GET"]
        assert len(pages) >= 3  # followed _links.next

    def test_validation_errors_keep_their_details(self, connected):
        from integrations.kommo.exceptions import KommoValidationFailed

        with workspace_scope(connected.workspace_id):
            client = client_for(connected)
            lead = client.request("POST", "/api/v4/leads", json=[{"name": "x"}])["_embedded"]["leads"][0]
            source = next(f for f in client.custom_fields("leads") if f["name"] == "Source")
            with pytest.raises(KommoValidationFailed) as caught:
                client.lead_update(
                    lead["id"], {"custom_fields_values": [{"field_id": source["id"], "values": [{"enum_id": 1}]}]}
                )
        assert caught.value.extra["validation_errors"][0]["errors"][0]["path"].startswith("custom_fields_values")


class DisconnectTests:
    def test_disconnect_unsubscribes_forgets_and_retires_the_url(self, connected, account, owner):
        as_task(connected, services.connection_setup, integration_id=connected.pk)
        assert account.webhooks
        with workspace_scope(connected.workspace_id):
            services.disconnect(integration=fresh(connected), user=owner)
        integration = fresh(connected)
        assert integration.status == KommoIntegration.Status.DISCONNECTED
        assert (integration.access_token, integration.refresh_token) == ("", "")
        assert not [hook for hook in account.webhooks if not hook.get("deleted")]


def test_an_admin_of_another_workspace_cannot_use_this_state(kommo, account, workspace, other_workspace, owner):
    """The state names the workspace and the user: someone else's consent cannot land here."""
    outsider = UserFactory(prefix="outsider")
    MembershipFactory(workspace=other_workspace, user=outsider, role="admin")
    state = services.oauth_authorize(workspace=workspace, user=outsider)["state"]
    with pytest.raises(OAuthStateInvalid):
        services.oauth_callback(
            code=kommo.issue_code(account, settings.KOMMO_CLIENT_ID), referer=account.base_domain, state=state
        )
