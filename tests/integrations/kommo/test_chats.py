"""The Chats API route against the local Kommo: the signed client, connecting the channel when the
route is chosen (and the clear errors when it cannot be), and the channel's signed hook."""

from __future__ import annotations

import json

import pytest

from agent_platform.tenancy import workspace_scope
from integrations.kommo.chats_client import ChatsClient, hook_signature
from integrations.kommo.exceptions import KommoForbidden
from integrations.kommo.models import KommoIntegration, KommoWebhookDelivery
from tests.conftest import client_for
from tests.integrations.kommo.factories import KommoIntegrationFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/api/integrations/kommo/settings"
STATUS = "/api/integrations/kommo"
CHANNEL_ID = "0c5f2a6e-7d1b-4c1e-9a77-3e2f1c0b9d10"
CHANNEL_SECRET = "chats-channel-secret-0123"
CHANNEL_CODE = "acme.site.chat"


@pytest.fixture
def channel(kommo, settings):
    settings.KOMMO_AMOJO_URL = kommo.url
    return kommo.add_chat_channel(
        CHANNEL_ID,
        CHANNEL_SECRET,
        f"{settings.PUBLIC_URL}/api/webhooks/kommo/chats/:scope_id",
        code=CHANNEL_CODE,
        client_id=settings.KOMMO_CLIENT_ID,
    )


def own_channel(secret=CHANNEL_SECRET):
    return {"reply_route": "chats_api", "chats_channel": {"channel_id": CHANNEL_ID, "secret": secret, "code": "x.y"}}


def test_the_client_signs_as_kommo_checks(kommo, account, channel):
    answer = ChatsClient(channel_id=CHANNEL_ID, secret=CHANNEL_SECRET).connect(account.amojo_id, title="AI")
    assert answer["scope_id"] == f"{CHANNEL_ID}_{account.amojo_id}"
    with pytest.raises(KommoForbidden) as refused:
        ChatsClient(channel_id=CHANNEL_ID, secret="not-the-secret").connect(account.amojo_id, title="AI")
    assert refused.value.extra["error_type"] == "SIGNATURE_INVALID"
    signed = next(r for r in kommo.requests if r.path.endswith("/connect"))
    assert signed.headers["content-md5"] and signed.headers["x-signature"]


def test_choosing_the_chats_route_connects_the_workspaces_channel(connected, account, channel, owner):
    response = client_for(owner).patch(SETTINGS, own_channel(), format="json")
    assert response.status_code == 200, response.json()
    chats = response.json()["chats"]
    assert chats["connected"] and chats["own_channel"] and chats["channel_id"] == CHANNEL_ID
    assert chats["scope_id"] == f"{CHANNEL_ID}_{account.amojo_id}" == channel.connected[account.amojo_id]
    assert chats["hook_url"].endswith("/api/webhooks/kommo/chats/:scope_id")
    assert response.json()["reply_route"] == "chats_api"
    assert CHANNEL_SECRET not in json.dumps(client_for(owner).get(STATUS).json())
    # The secret is write-only: saving again without it keeps it.
    again = client_for(owner).patch(
        SETTINGS, {"chats_channel": {"channel_id": CHANNEL_ID, "code": "x.y"}}, format="json"
    )
    assert again.status_code == 200 and again.json()["chats"]["connected"]


def test_without_a_channel_the_route_is_refused_clearly_and_nothing_changes(connected, owner, settings):
    settings.KOMMO_CHATS_CHANNEL_ID = ""
    response = client_for(owner).patch(SETTINGS, {"reply_route": "chats_api"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "kommo_chats_not_configured"
    assert response["Content-Type"].startswith("application/problem+json")
    assert client_for(owner).get(STATUS).json()["reply_route"] == "salesbot"


def test_a_channel_kommo_refuses_is_not_saved(connected, channel, owner, workspace):
    response = client_for(owner).patch(SETTINGS, own_channel(secret="wrong-secret"), format="json")
    assert response.status_code == 502 and response.json()["code"] == "kommo_forbidden"
    with workspace_scope(workspace.pk):
        integration = KommoIntegration.objects.get()
    assert (integration.reply_route, integration.chats_channel_id, integration.chats_scope_id) == ("salesbot", "", "")


def test_an_own_channel_needs_its_code_and_secret(connected, channel, owner):
    no_code = client_for(owner).patch(
        SETTINGS, {"chats_channel": {"channel_id": CHANNEL_ID, "secret": "s"}}, format="json"
    )
    assert no_code.status_code == 400 and no_code.json()["code"] == "validation_error"
    no_secret = client_for(owner).patch(
        SETTINGS, {"chats_channel": {"channel_id": CHANNEL_ID, "code": "x"}}, format="json"
    )
    assert no_secret.status_code == 400 and "chats_channel" in no_secret.json()["errors"]


def test_members_cannot_change_the_route(connected, channel, member):
    assert client_for(member).patch(SETTINGS, own_channel(), format="json").status_code == 403


# -- the hook ------------------------------------------------------------------------------------


@pytest.fixture
def chats_connected(connected, channel, owner):
    assert client_for(owner).patch(SETTINGS, own_channel(), format="json").status_code == 200
    return connected


def hook_body(message_id="m-1", conversation="ap-x"):
    return json.dumps(
        {
            "account_id": "amojo",
            "time": 1700000000,
            "message": {
                "receiver": {"id": "client", "client_id": "ap-client-1"},
                "sender": {"id": "user-amojo", "name": "Maria"},
                "conversation": {"id": "kommo-chat", "client_id": conversation},
                "timestamp": 1700000000,
                "message": {"id": message_id, "type": "text", "text": "Hello from Kommo"},
            },
        }
    ).encode()


def post_hook(client, scope_id, body, signature):
    return client.generic(
        "POST",
        f"/api/webhooks/kommo/chats/{scope_id}",
        body,
        content_type="application/json",
        HTTP_X_SIGNATURE=signature,
    )


def test_the_hook_is_verified_stored_once_and_queued(client, chats_connected, account, workspace):
    scope_id = f"{CHANNEL_ID}_{account.amojo_id}"
    body = hook_body()
    first = post_hook(client, scope_id, body, hook_signature(CHANNEL_SECRET, body))
    assert first.status_code == 200 and first.json()["duplicate"] is False
    again = post_hook(client, scope_id, body, hook_signature(CHANNEL_SECRET, body))
    assert again.status_code == 200 and again.json()["duplicate"] is True
    with workspace_scope(workspace.pk):
        stored = KommoWebhookDelivery.objects.get()
    assert (stored.kind, stored.status) == ("chats", "received")


def test_a_badly_signed_unknown_or_damaged_hook_is_refused(client, chats_connected, account, workspace):
    scope_id = f"{CHANNEL_ID}_{account.amojo_id}"
    body = hook_body()
    forged = post_hook(client, scope_id, body, hook_signature("another-secret", body))
    assert forged.status_code == 403 and forged.json()["code"] == "kommo_signature_invalid"
    unknown = post_hook(client, "someone-else_scope", body, hook_signature(CHANNEL_SECRET, body))
    assert unknown.status_code == 404
    damaged = b'{"message": {"message": {}}}'
    bad = post_hook(client, scope_id, damaged, hook_signature(CHANNEL_SECRET, damaged))
    assert bad.status_code == 400 and bad.json()["code"] == "kommo_webhook_invalid"
    not_json = b"\xff\xfe{"
    assert post_hook(client, scope_id, not_json, hook_signature(CHANNEL_SECRET, not_json)).status_code == 400
    with workspace_scope(workspace.pk):
        assert not KommoWebhookDelivery.objects.exists()


def test_another_workspaces_channel_cannot_post_into_ours(client, chats_connected, account, other_workspace):
    """Each connection's hook is verified with its own channel's secret: another workspace's channel
    (however it is set up) signs nothing that our scope accepts, and its rows stay its own."""
    other = KommoIntegrationFactory(
        workspace=other_workspace,
        reply_route="chats_api",
        chats_channel_id="their-channel",
        chats_secret="their-channel-secret",
        chats_channel_code="their.code",
        chats_scope_id="their-channel_their-amojo",
    )
    body = hook_body()
    ours = f"{CHANNEL_ID}_{account.amojo_id}"
    assert post_hook(client, ours, body, hook_signature("their-channel-secret", body)).status_code == 403
    theirs = post_hook(client, other.chats_scope_id, body, hook_signature("their-channel-secret", body))
    assert theirs.status_code == 200
    with workspace_scope(other_workspace.pk):
        assert KommoWebhookDelivery.objects.get().kind == "chats"
    with workspace_scope(chats_connected.workspace_id):
        assert not KommoWebhookDelivery.objects.exists()


# -- Kommo's Chats API failing (the local Kommo's fault switch) -----------------------------------


def test_a_chats_api_429_or_5xx_is_retryable_and_the_retried_copy_is_sent_once(chats_connected, kommo, workspace):
    from django.utils import timezone

    from integrations.channels import ChannelSendError, MirroredMessage
    from integrations.kommo.services.chats import chats_mirror

    before = len(kommo.requests)  # the channel's connect
    kommo.fail("429", path_prefix="/v2/origin/custom/", retry_after=2)
    kommo.fail("503", path_prefix="/v2/origin/custom/")
    kommo.fail("500")  # a rule for the REST API only: the Chats API is not touched by it
    message = MirroredMessage(
        workspace_id=workspace.pk,
        channel="api",
        external_chat_id="site-chat-1",
        message_id=4242,
        direction="in",
        author_name="Ana",
        text="Hello?",
        sent_at=timezone.now(),
        customer_name="Ana",
    )
    with workspace_scope(workspace.pk):
        for status in (429, 503):
            with pytest.raises(ChannelSendError) as failed:
                chats_mirror().mirror(message)
            assert failed.value.retryable and str(status) in failed.value.detail
        chats_mirror().mirror(message)
        chats_mirror().mirror(message)  # a repeated task: copied already
    chats = [r for r in kommo.requests[before:] if r.path.startswith("/v2/origin/custom/")]
    assert [r.status for r in chats[:2]] == [429, 503]  # the first two calls refused (the chat's creation)
    assert all(r.status == 200 for r in chats[2:])
    sends = [r for r in chats if r.path.count("/") == 4]
    assert [r.status for r in sends] == [200]  # the message itself sent once
    assert kommo.rule_count() == 1  # the REST rule is still waiting
