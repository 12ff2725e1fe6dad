"""The entry points Kommo calls, before any work: the workspace comes only from the URL's secret (or a
signature one connection's secret verifies); everything else is refused the same way, and what is
accepted is stored once."""

import json
import time
from urllib.parse import quote

import jwt
import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from rest_framework.test import APIClient

from agent_platform.tenancy import workspace_scope
from integrations.kommo.models import KommoIntegration, KommoWebhookDelivery, SalesbotDispatch
from integrations.kommo.services.connection import revoke_signature
from integrations.kommo.services.salesbot import salesbot_continue
from tests.integrations.kommo.factories import KommoIntegrationFactory

pytestmark = pytest.mark.django_db

MESSAGE = (
    "message[add][0][id]=msg-1&message[add][0][chat_id]=chat-1&message[add][0][text]=Hola"
    "&message[add][0][type]=incoming&message[add][0][entity_type]=lead&message[add][0][entity_id]=42"
    "&message[add][0][origin]=whatsapp&account[id]={account}&account[subdomain]=acme"
)


@pytest.fixture
def integration(workspace):
    return KommoIntegrationFactory(workspace=workspace)


def post(url, body, content_type="application/x-www-form-urlencoded"):
    return APIClient().generic("POST", url, body, content_type=content_type)


def body_for(integration, account=None):
    return MESSAGE.format(account=account or integration.account_id)


def deliveries(integration):
    with workspace_scope(integration.workspace_id):
        return KommoWebhookDelivery.objects.count()


# The view stores from a pool thread, on a connection of its own: the rows must be committed. A new
# delivery wakes the drain, which the session's worker (when running) may take: it must be idle
# before the flush.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
class WebhookTests:
    def test_a_delivery_is_stored_once(self, integration):
        url = f"/api/webhooks/kommo/{integration.webhook_secret}/message"
        first = post(url, body_for(integration))
        second = post(url, body_for(integration))  # Kommo delivers again: nothing changes
        assert (first.status_code, first.json()) == (200, {"ok": True, "duplicate": False, "events": 1})
        assert (second.status_code, second.json()["duplicate"]) == (200, True)
        assert deliveries(integration) == 1

    def test_unknown_secret_and_foreign_account_look_alike(self, integration):
        foreign = post(f"/api/webhooks/kommo/{integration.webhook_secret}", body_for(integration, account=1))
        unknown = post(f"/api/webhooks/kommo/{'x' * 43}", body_for(integration))
        assert foreign.status_code == unknown.status_code == 404
        assert foreign.json()["code"] == unknown.json()["code"] == "not_found"
        assert foreign.json()["detail"] == unknown.json()["detail"]
        assert deliveries(integration) == 0

    def test_another_workspaces_secret_reaches_only_that_workspace(self, integration, other_workspace):
        other = KommoIntegrationFactory(workspace=other_workspace, account_id=integration.account_id + 1)
        post(f"/api/webhooks/kommo/{other.webhook_secret}", body_for(other))
        assert (deliveries(integration), deliveries(other)) == (0, 1)

    def test_damaged_and_oversized_bodies_are_clean_errors(self, integration, settings):
        url = f"/api/webhooks/kommo/{integration.webhook_secret}"
        damaged = post(url, "leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&leads%5Bstatus%5D%5B0%5D%5B&account%5Bid%5D=1")
        assert (damaged.status_code, damaged.json()["code"]) == (400, "kommo_webhook_invalid")
        settings.KOMMO_WEBHOOK_MAX_BYTES = 100
        large = post(url, body_for(integration) + "&pad=" + "x" * 200)
        assert (large.status_code, large.json()["code"]) == (413, "kommo_webhook_too_large")
        assert deliveries(integration) == 0

    def test_only_post_is_taken(self, integration):
        answer = APIClient().get(f"/api/webhooks/kommo/{integration.webhook_secret}")
        assert (answer.status_code, answer["Content-Type"]) == (405, "application/problem+json")
        assert answer.json()["code"] == "method_not_allowed"

    def test_a_disconnected_integration_takes_nothing(self, integration):
        with workspace_scope(integration.workspace_id):
            KommoIntegration.objects.filter(pk=integration.pk).update(status=KommoIntegration.Status.DISCONNECTED)
        assert post(f"/api/webhooks/kommo/{integration.webhook_secret}", body_for(integration)).status_code == 404


class RevokeHookTests:
    def url(self, integration, signature):
        return (
            f"/api/webhooks/kommo/revoked?account_id={integration.account_id}"
            f"&client_uuid={integration.client_id}&signature={quote(signature)}"
        )

    def test_a_signed_notice_revokes_and_forgets_the_tokens(self, integration, owner):
        signature = revoke_signature(
            client_uuid=integration.client_id,
            account_id=str(integration.account_id),
            client_secret=integration.client_secret,
        )
        response = APIClient().get(self.url(integration, signature))
        assert (response.status_code, response.json()["revoked"]) == (200, 1)
        with workspace_scope(integration.workspace_id):
            integration.refresh_from_db()
        assert integration.status == KommoIntegration.Status.REVOKED
        assert (integration.access_token, integration.refresh_token) == ("", "")
        assert post(f"/api/webhooks/kommo/{integration.webhook_secret}", body_for(integration)).status_code == 404

    def test_a_bad_signature_is_refused_and_changes_nothing(self, integration):
        response = APIClient().get(self.url(integration, "0" * 64))
        assert (response.status_code, response.json()["code"]) == (403, "kommo_signature_invalid")
        with workspace_scope(integration.workspace_id):
            integration.refresh_from_db()
        assert integration.status == KommoIntegration.Status.CONNECTED and integration.access_token


class SalesbotEntryTests:
    def widget_request(self, token):
        body = {
            "token": token,
            "data": {"lead_id": "42"},
            "return_url": "https://acme.kommo.com/api/v4/salesbot/7/continue/9",
        }
        return post("/api/webhooks/kommo/salesbot", json.dumps(body), content_type="application/json")

    def test_only_a_token_signed_by_the_connections_secret_is_taken(
        self, integration, django_capture_on_commit_callbacks
    ):
        claims = {"account_id": integration.account_id, "exp": int(time.time()) + 60}
        forged = self.widget_request(jwt.encode(claims, "not-the-secret-of-this-integration-at-all", algorithm="HS512"))
        assert (forged.status_code, forged.json()["code"]) == (403, "kommo_signature_invalid")
        with django_capture_on_commit_callbacks() as queued:
            genuine = self.widget_request(jwt.encode(claims, integration.client_secret, algorithm="HS512"))
        assert (genuine.status_code, genuine.json()) == (200, {"ok": True, "reply": False})
        assert len(queued) == 1  # the continue (with no reply waiting: "no_reply")

    def test_two_bot_runs_on_one_lead_take_one_waiting_reply_each_oldest_first(
        self, integration, django_capture_on_commit_callbacks
    ):
        with workspace_scope(integration.workspace_id):
            first, second = (
                SalesbotDispatch.objects.create(
                    workspace_id=integration.workspace_id, message_id=n, lead_id=42, bot_id=7, text=f"reply {n}"
                )
                for n in (1, 2)
            )
        token = jwt.encode(
            {"account_id": integration.account_id, "exp": int(time.time()) + 60},
            integration.client_secret,
            algorithm="HS512",
        )

        def taken() -> dict[int, str]:
            with workspace_scope(integration.workspace_id):
                return dict(SalesbotDispatch.objects.values_list("pk", "continue_url"))

        with django_capture_on_commit_callbacks() as queued:
            assert self.widget_request(token).json()["reply"] is True
            assert taken()[first.pk] and not taken()[second.pk]  # the oldest first
            assert self.widget_request(token).json()["reply"] is True
            assert taken()[second.pk]  # not the first one again
            assert self.widget_request(token).json()["reply"] is False  # no reply waiting: no_reply
        assert len(queued) == 3
        with workspace_scope(integration.workspace_id):
            continued = SalesbotDispatch.objects.filter(pk=first.pk)
            continued.update(status=SalesbotDispatch.Status.CONTINUED)
            # A repeated continue task for a reply handed over already calls nothing and changes nothing.
            assert salesbot_continue(dispatch_id=first.pk, return_url=taken()[first.pk]).status == "continued"

    def test_a_token_shaped_as_kommo_signs_it_is_taken(self, integration, django_capture_on_commit_callbacks):
        """The official PHP library (AmoCRMOAuth::parseBotDisposableToken) checks a bot's token as HS512
        with the client secret and `aud` = scheme://host of the URL Kommo called (here: testserver)."""
        claims = {
            "iss": "https://acme.kommo.com",
            "aud": "http://testserver",
            "account_id": integration.account_id,
            "subdomain": "acme",
            "client_uuid": integration.client_id,
            "entity_type": 2,
            "entity_id": 42,
            "bot_type": "salesbot",
            "exp": int(time.time()) + 60,
        }
        with django_capture_on_commit_callbacks() as queued:
            taken = self.widget_request(jwt.encode(claims, integration.client_secret, algorithm="HS512"))
        assert (taken.status_code, taken.json()) == (200, {"ok": True, "reply": False})
        assert len(queued) == 1

    def test_a_token_naming_the_public_url_is_taken_behind_a_proxy(self, integration, settings):
        settings.PUBLIC_URL = "https://ai.example.com"
        claims = {"account_id": integration.account_id, "aud": "https://ai.example.com", "exp": int(time.time()) + 60}
        taken = self.widget_request(jwt.encode(claims, integration.client_secret, algorithm="HS512"))
        assert taken.status_code == 200

    def test_a_token_for_another_receiver_or_another_algorithm_is_refused(self, integration):
        claims = {"account_id": integration.account_id, "exp": int(time.time()) + 60}
        elsewhere = {**claims, "aud": "https://hooks.elsewhere.example"}
        secret = integration.client_secret
        assert self.widget_request(jwt.encode(elsewhere, secret, algorithm="HS512")).status_code == 403
        assert self.widget_request(jwt.encode(claims, secret, algorithm="HS256")).status_code == 403

    def test_an_expired_or_unsigned_token_is_refused(self, integration):
        expired = {"account_id": integration.account_id, "exp": int(time.time()) - 3600}
        assert self.widget_request(jwt.encode(expired, integration.client_secret, algorithm="HS512")).status_code == 403
        assert self.widget_request("not-a-jwt").status_code == 403
        assert post("/api/webhooks/kommo/salesbot", "{not json", content_type="application/json").status_code == 400


def asgi_request(method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, str], bytes]:
    """One request through the platform's ASGI application, as uvicorn hands it over."""
    from agent_platform.asgi import application

    async def run():
        headers = [(b"host", b"testserver"), (b"content-type", b"application/x-www-form-urlencoded")]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
            "client": ("127.0.0.1", 40000),
            "server": ("testserver", 80),
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "http.request", "body": body})
        start = await communicator.receive_output(10)
        content = await communicator.receive_output(10)
        await communicator.wait(10)
        return start, content

    start, content = async_to_sync(run)()
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, content["body"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker_process")
def test_the_asgi_application_serves_account_webhooks_with_the_entry_point_handler(integration):
    url = f"/api/webhooks/kommo/{integration.webhook_secret}/message"
    status, headers, body = asgi_request("POST", url, body_for(integration).encode())
    assert (status, json.loads(body)) == (200, {"ok": True, "duplicate": False, "events": 1})
    assert headers["x-request-id"] and "x-frame-options" not in headers  # its one middleware, not the stack
    assert deliveries(integration) == 1
    status, headers, body = asgi_request("POST", f"/api/webhooks/kommo/{'x' * 43}", body_for(integration).encode())
    assert (status, headers["content-type"], json.loads(body)["code"]) == (404, "application/problem+json", "not_found")
    status, headers, _ = asgi_request("GET", "/healthz")  # everything else: the whole middleware stack
    assert status == 200 and headers["x-frame-options"] == "DENY" and headers["x-request-id"]
