"""The local Kommo's Chats API (KOMMO.md A4): signed requests accepted, badly signed ones refused,
connect → scope_id, a client message becoming a lead, the signed v2 hook to the channel."""

from __future__ import annotations

import hashlib
import hmac
import json
from email.utils import formatdate

import pytest
import requests

from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver

CHANNEL_ID = "f90ba33d-c9d9-44da-b76c-c349b0ecbe41"
CHANNEL_SECRET = "channel-secret-5678"
CLIENT_ID = "client-chats-tests"


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


def signed(method: str, path: str, payload=None, *, secret=CHANNEL_SECRET, date=None, md5=None):
    """The headers and body of a Chats API call, computed as KOMMO.md A4 says."""
    body = json.dumps(payload, separators=(",", ":")).encode() if payload is not None else b""
    checksum = md5 or hashlib.md5(body).hexdigest()  # noqa: S324 (the protocol's checksum)
    date = date or formatdate(usegmt=True)
    text = "\n".join([method, checksum, "application/json", date, path])
    return body, {
        "Date": date,
        "Content-Type": "application/json",
        "Content-MD5": checksum,
        "X-Signature": hmac.new(secret.encode(), text.encode(), hashlib.sha1).hexdigest(),
    }


def call(kommo, method, path, payload=None, **kwargs):
    body, headers = signed(method, path, payload, **kwargs)
    return requests.request(method, f"{kommo.url}{path}", data=body, headers=headers, timeout=5)


@pytest.fixture
def channel_hooks():
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def kommo(channel_hooks):
    with FakeKommo(rate_limit_rps=None) as fake:
        fake.account = fake.add_account(subdomain="acme", name="Acme")
        fake.add_integration(fake.account, client_id=CLIENT_ID, client_secret="s", redirect_uri="http://app/cb")
        fake.add_chat_channel(
            CHANNEL_ID, CHANNEL_SECRET, f"{channel_hooks.url}/kommo/chats/:scope_id", client_id=CLIENT_ID
        )
        yield fake


def connect(kommo):
    answer = call(
        kommo,
        "POST",
        f"/v2/origin/custom/{CHANNEL_ID}/connect",
        {"account_id": kommo.account.amojo_id, "title": "AI Agent", "hook_api_version": "v2"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["scope_id"]


def test_connect_with_a_valid_signature_gives_the_scope_id(kommo):
    scope_id = connect(kommo)
    assert scope_id == f"{CHANNEL_ID}_{kommo.account.amojo_id}"


def test_badly_signed_requests_are_refused(kommo):
    path = f"/v2/origin/custom/{CHANNEL_ID}/connect"
    payload = {"account_id": kommo.account.amojo_id, "title": "x", "hook_api_version": "v2"}
    assert call(kommo, "POST", path, payload, secret="wrong-secret").status_code == 403
    assert call(kommo, "POST", path, payload, md5="0" * 32).status_code == 403
    assert call(kommo, "POST", path, payload, date=formatdate(timeval=0, usegmt=True)).status_code == 401
    body, headers = signed("POST", path, payload)
    tampered = body.replace(b"x", b"y")
    assert requests.post(f"{kommo.url}{path}", data=tampered, headers=headers, timeout=5).status_code == 403
    assert call(kommo, "POST", "/v2/origin/custom/unknown-channel/connect", payload).status_code == 404


def test_a_client_message_becomes_a_lead_and_the_manager_answer_is_hooked_once(kommo, channel_hooks):
    scope_id = connect(kommo)
    sent = call(
        kommo,
        "POST",
        f"/v2/origin/custom/{scope_id}",
        {
            "account_id": kommo.account.amojo_id,
            "event_type": "new_message",
            "payload": {
                "timestamp": 1596470808,
                "msec_timestamp": 1596470808000,
                "msgid": "msg-1",
                "conversation_id": "conv-1",
                "sender": {"id": "client-1", "name": "Ana", "profile": {"phone": "+5511999990000"}},
                "message": {"type": "text", "text": "Hello from my channel"},
                "silent": False,
            },
        },
    )
    assert sent.status_code == 200, sent.text
    new_message = sent.json()["new_message"]
    assert (new_message["ref_id"], new_message["conversation_id"], new_message["sender_id"]) == (
        "msg-1",
        "conv-1",
        "client-1",
    )  # the amoCRM chats reference: the answer names the chat and sender by the integration's ids
    chat = next(c for c in kommo.account.chats.values() if c.get("conversation_id") == "conv-1")
    assert new_message["msgid"] == next(m["id"] for m in kommo.account.messages if m["lead_id"] == chat["lead_id"])
    lead = kommo.account.leads[chat["lead_id"]]
    assert [m["text"] for m in kommo.account.messages if m["lead_id"] == lead["id"]] == ["Hello from my channel"]

    channel_hooks.status = 500  # sent once and never retried, whatever the answer
    message = kommo.manager_writes_in_channel(kommo.account, "conv-1", text="Hi Ana, how can I help?")
    assert message["hook_status"] == 500
    assert len(channel_hooks.received) == 1
    hook = channel_hooks.received[0]
    assert hook.path == f"/kommo/chats/{scope_id}"
    assert hook.headers["content-type"] == "application/json"
    expected = hmac.new(CHANNEL_SECRET.encode(), hook.body, hashlib.sha1).hexdigest()
    assert hmac.compare_digest(hook.headers["x-signature"], expected)
    body = hook.json()
    assert body["account_id"] == kommo.account.amojo_id
    assert body["message"]["message"]["text"] == "Hi Ana, how can I help?"
    assert body["message"]["conversation"]["client_id"] == "conv-1"
    assert body["message"]["receiver"]["client_id"] == "client-1"
    assert kommo.wait_for_webhooks()
    assert len(channel_hooks.received) == 1


def test_history_disconnect_and_revoke(kommo):
    scope_id = connect(kommo)
    payload = {
        "event_type": "new_message",
        "payload": {
            "conversation_id": "c-2",
            "msgid": "m",
            "sender": {"id": "u-2", "name": "Bo"},
            "message": {"type": "text", "text": "hey"},
        },
    }
    assert call(kommo, "POST", f"/v2/origin/custom/{scope_id}", payload).status_code == 200
    history = call(kommo, "GET", f"/v2/origin/custom/{scope_id}/chats/c-2/history")
    assert [m["message"]["text"] for m in history.json()["messages"]] == ["hey"]
    kommo.revoke(kommo.account, CLIENT_ID)  # disabling the integration disconnects its channel
    assert call(kommo, "POST", f"/v2/origin/custom/{scope_id}", payload).status_code == 403
    kommo.add_integration(kommo.account, client_id=CLIENT_ID, client_secret="s", redirect_uri="http://app/cb")
    assert connect(kommo) == scope_id
    disconnected = call(
        kommo, "DELETE", f"/v2/origin/custom/{CHANNEL_ID}/disconnect", {"account_id": kommo.account.amojo_id}
    )
    assert disconnected.status_code == 200
    assert call(kommo, "POST", f"/v2/origin/custom/{scope_id}", payload).status_code == 403


def test_a_chat_created_before_its_first_message_keeps_its_id(kommo):
    """The amoCRM chats reference: creating a chat answers its id (the existing one for a known
    conversation); the first message then lands in that chat."""
    scope_id = connect(kommo)
    user = {"id": "client-9", "name": "Rui"}
    body = {"account_id": kommo.account.amojo_id, "conversation_id": "conv-9", "user": user}
    created = call(kommo, "POST", f"/v2/origin/custom/{scope_id}/chats", body).json()
    again = call(kommo, "POST", f"/v2/origin/custom/{scope_id}/chats", body).json()
    assert created["id"] == again["id"] and created["user"]["client_id"] == "client-9"
    payload = {
        "timestamp": 1596470808,
        "msec_timestamp": 1596470808000,
        "msgid": "msg-9",
        "conversation_id": "conv-9",
        "sender": user,
        "message": {"type": "text", "text": "Olá"},
    }
    message = {"account_id": kommo.account.amojo_id, "event_type": "new_message", "payload": payload}
    assert call(kommo, "POST", f"/v2/origin/custom/{scope_id}", message).status_code == 200
    assert kommo.account.chats[created["id"]]["conversation_id"] == "conv-9"
