"""The local Kommo's Salesbot (KOMMO.md A5): bots/run → widget_request (signed JWT) → continue →
the bot's outgoing message on the lead and an outgoing message[add]; the continue's limits."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import pytest
import requests

from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver

CLIENT_ID = "client-salesbot-tests"
SECRET = "salesbot-integration-secret"
DATA = {"lead_id": "{{lead.id}}", "contact_id": "{{contact.id}}", "chat_id": "{{chat.id}}", "talk_id": "{{talk.id}}"}


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


def verify_hs512(token: str, secret: str) -> dict:
    """Check an HS512 JWT the way the official PHP library checks a bot's token (independent of the
    fake's helper)."""
    header, payload, signature = token.split(".")
    expected = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha512).digest()
    assert hmac.compare_digest(base64.urlsafe_b64encode(expected).rstrip(b"=").decode(), signature)
    assert json.loads(base64.urlsafe_b64decode(header + "==="))["alg"] == "HS512"
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


@pytest.fixture
def widget():
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def hooks():
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def kommo(widget, hooks):
    with FakeKommo(rate_limit_rps=None) as fake:
        account = fake.add_account(subdomain="acme", name="Acme")
        fake.add_integration(account, client_id=CLIENT_ID, client_secret=SECRET, redirect_uri="http://app/cb")
        fake.account = account
        fake.token = fake.long_lived_token(account, CLIENT_ID)
        fake.bot_id = fake.add_salesbot(
            account, name="AI replies", widget_request_url=f"{widget.url}/salesbot", data=DATA, client_id=CLIENT_ID
        )
        fake.add_webhook(account, f"{hooks.url}/kommo", ["add_message"])
        yield fake


def post(kommo, path, body, token=None):
    return requests.post(
        path if path.startswith("http") else f"{kommo.account.base_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {token or kommo.token}"},
        timeout=5,
    )


def run_bot(kommo, widget, lead_id):
    before = len(widget.received)  # counted first: the widget request may arrive before the 202 does
    answer = post(kommo, "/api/v4/bots/run", [{"bot_id": kommo.bot_id, "entity_id": lead_id, "entity_type": "leads"}])
    assert answer.status_code == 202
    assert widget.wait_for(before + 1)
    return widget.received[-1]


def test_run_widget_request_continue_sends_the_answer(kommo, widget, hooks):
    sent = kommo.customer_writes(
        kommo.account, origin="whatsapp", text="Hi, price?", name="Ana", phone="+5511999990000"
    )
    request = run_bot(kommo, widget, sent["lead_id"])
    assert request.method == "POST" and request.path == "/salesbot"
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert set(body) == {"token", "data", "return_url"}
    assert body["data"] == {
        "lead_id": str(sent["lead_id"]),
        "contact_id": str(sent["contact_id"]),
        "chat_id": sent["chat_id"],
        "talk_id": str(sent["talk_id"]),
    }
    claims = verify_hs512(body["token"], SECRET)
    assert claims["iss"] == kommo.account.base_url and claims["aud"] == "http://127.0.0.1"
    assert claims["account_id"] == kommo.account.id and claims["client_uuid"] == CLIENT_ID
    assert (claims["entity_type"], claims["entity_id"], claims["bot_type"]) == (2, sent["lead_id"], "salesbot")
    assert claims["exp"] > claims["iat"]
    assert body["return_url"].startswith(f"{kommo.account.base_url}/api/v4/salesbot/{kommo.bot_id}/continue/")

    answer = post(
        kommo, body["return_url"], {"data": {"status": "success", "answer": "A long answer from the model " * 5}}
    )
    assert answer.status_code == 200
    bot_messages = [m for m in kommo.account.messages if m["author"]["type"] == "bot"]
    assert len(bot_messages) == 1
    assert bot_messages[0]["text"] == "A long answer from the model " * 5
    assert bot_messages[0]["lead_id"] == sent["lead_id"] and bot_messages[0]["type"] == "outgoing"
    assert kommo.wait_for_webhooks()
    outgoing = [r.form()["message"]["add"][0] for r in hooks.received][-1]
    assert outgoing["type"] == "outgoing" and outgoing["author"]["type"] == "bot"
    assert outgoing["entity_id"] == str(sent["lead_id"]) and outgoing["talk_id"] == str(sent["talk_id"])
    # A continue_id works once.
    assert post(kommo, body["return_url"], {"data": {"answer": "again"}}).status_code == 404


def test_show_handlers_are_sent_and_limited(kommo, widget):
    sent = kommo.customer_writes(kommo.account, text="Hi", phone="+15550002")
    return_url = run_bot(kommo, widget, sent["lead_id"]).json()["return_url"]
    too_long = post(
        kommo,
        return_url,
        {"data": {}, "execute_handlers": [{"handler": "show", "params": {"type": "text", "value": "x" * 81}}]},
    )
    assert too_long.status_code == 400
    error = too_long.json()["validation-errors"][0]["errors"][0]
    assert error["path"] == "execute_handlers.0.params.value"
    too_many = post(
        kommo,
        return_url,
        {"execute_handlers": [{"handler": "show", "params": {"type": "text", "value": "hi"}}] * 11},
    )
    assert too_many.status_code == 400
    ok = post(
        kommo,
        return_url,
        {
            "data": {"status": "success"},
            "execute_handlers": [
                {"handler": "show", "params": {"type": "text", "value": "x" * 80}},
                {"handler": "goto", "params": {"type": "question", "step": 2}},
            ],
        },
    )
    assert ok.status_code == 200  # the refused attempts did not use the continue_id up
    assert [m["text"] for m in kommo.account.messages if m["author"]["type"] == "bot"] == ["x" * 80]


def test_an_expired_or_unknown_continue_is_a_404(kommo, widget):
    sent = kommo.customer_writes(kommo.account, text="Hi", phone="+15550003")
    return_url = run_bot(kommo, widget, sent["lead_id"]).json()["return_url"]
    kommo.advance(kommo.continue_ttl + 1)
    expired = post(kommo, return_url, {"data": {"answer": "late"}})
    assert expired.status_code == 404
    assert "There is no continue record" in expired.json()["detail"]
    assert post(kommo, f"/api/v4/salesbot/{kommo.bot_id}/continue/1", {"data": {}}).status_code == 404


def test_continue_is_for_admins_only(kommo, widget):
    sent = kommo.customer_writes(kommo.account, text="Hi", phone="+15550004")
    return_url = run_bot(kommo, widget, sent["lead_id"]).json()["return_url"]
    manager = next(u for u in kommo.account.users.values() if not u["rights"]["is_admin"])
    manager_token = kommo.long_lived_token(kommo.account, CLIENT_ID, user_id=manager["id"])
    assert post(kommo, return_url, {"data": {"answer": "x"}}, token=manager_token).status_code == 403
    assert post(kommo, return_url, {"data": {"answer": "x"}}).status_code == 200


def test_other_launch_forms_and_errors(kommo, widget):
    sent = kommo.customer_writes(kommo.account, text="Hi", phone="+15550005")
    assert (
        post(
            kommo, f"/api/v4/bots/{kommo.bot_id}/run", {"entity_id": sent["lead_id"], "entity_type": "leads"}
        ).status_code
        == 202
    )
    assert (
        post(
            kommo, "/api/v2/salesbot/run", [{"bot_id": kommo.bot_id, "entity_id": sent["lead_id"], "entity_type": 2}]
        ).status_code
        == 202
    )
    assert widget.wait_for(2)
    assert (
        post(
            kommo, "/api/v4/bots/run", [{"bot_id": 1, "entity_id": sent["lead_id"], "entity_type": "leads"}]
        ).status_code
        == 400
    )
    assert (
        post(kommo, "/api/v4/bots/run", [{"bot_id": kommo.bot_id, "entity_id": 1, "entity_type": "leads"}]).status_code
        == 400
    )
    bots = requests.get(
        f"{kommo.account.base_url}/api/v4/bots", headers={"Authorization": f"Bearer {kommo.token}"}, timeout=5
    ).json()
    assert bots["_embedded"]["bots"][0]["id"] == kommo.bot_id


def test_a_failing_widget_url_is_recorded(kommo):
    bot_id = kommo.add_salesbot(
        kommo.account, name="broken", widget_request_url="http://127.0.0.1:9/nowhere", client_id=CLIENT_ID
    )
    sent = kommo.customer_writes(kommo.account, text="Hi", phone="+15550006")
    run = kommo.run_salesbot(kommo.account, bot_id, sent["lead_id"])
    assert kommo.wait_for_salesbot(kommo.account)
    assert run["status"] == "widget_failed" and run["widget_status"] is None
