"""The local Kommo's account webhooks (KOMMO.md A3): form-urlencoded PHP-bracket bodies like the
captured samples, which events go where, the 2 s timeout, the disable rule and retries."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import requests

from integrations.kommo.fakes import FakeKommo
from integrations.kommo.fakes.receiver import HookReceiver

CLIENT_ID = "client-webhook-tests"
SAMPLES = Path(__file__).resolve().parent / "samples"  # the captured Kommo bodies, kept with the tests


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


def parse_php_form(body: bytes) -> dict:
    """A tiny PHP-bracket parser, independent of the fake's own: `a[b][0][c]=1` -> {"a": {"b": {"0": {"c": "1"}}}}."""
    root: dict = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        head, _, rest = key.partition("[")
        parts = [head, *re.findall(r"([^\[\]]*)\]", "[" + rest)] if rest else [head]
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


@pytest.fixture
def hooks():
    with HookReceiver() as receiver:
        yield receiver


@pytest.fixture
def kommo():
    with FakeKommo(rate_limit_rps=None, webhook_disable_after=3, webhook_timeout=0.3) as fake:
        fake.account = fake.add_account(subdomain="acme", name="Acme")
        fake.add_integration(fake.account, client_id=CLIENT_ID, client_secret="s", redirect_uri="http://app/cb")
        fake.token = fake.long_lived_token(fake.account, CLIENT_ID)
        yield fake


def api(kommo, method, path, **kwargs):
    return requests.request(
        method,
        f"{kommo.account.base_url}{path}",
        headers={"Authorization": f"Bearer {kommo.token}"},
        timeout=5,
        **kwargs,
    )


def subscribe(kommo, destination, settings):
    answer = api(kommo, "POST", "/api/v4/webhooks", json={"destination": destination, "settings": settings})
    assert answer.status_code == 201, answer.text


def test_the_parser_reads_the_real_samples():
    body = (SAMPLES / "webhook-leads-status-01.txt").read_bytes().strip()
    parsed = parse_php_form(body)
    assert parsed["leads"]["status"]["0"]["custom_fields"]["0"]["values"]["0"]["value"] == "some text"
    assert parsed["account"]["subdomain"] == "test000002"


def test_lead_webhooks_are_form_encoded_like_the_captured_samples(kommo, hooks):
    subscribe(kommo, f"{hooks.url}/kommo/t1", ["add_lead", "status_lead"])
    source = next(f for f in kommo.account.custom_fields["leads"].values() if f["name"] == "Source")
    comment = next(f for f in kommo.account.custom_fields["leads"].values() if f["name"] == "Budget comment")
    created = api(
        kommo,
        "POST",
        "/api/v4/leads",
        json=[
            {
                "name": "From the site",
                "price": 1000,
                "custom_fields_values": [
                    {"field_id": comment["id"], "values": [{"value": "some text"}]},
                    {"field_id": source["id"], "values": [{"enum_id": source["enums"][0]["id"]}]},
                ],
            }
        ],
    ).json()
    lead_id = created["_embedded"]["leads"][0]["id"]
    old_status = kommo.account.leads[lead_id]["status_id"]
    api(kommo, "PATCH", f"/api/v4/leads/{lead_id}", json={"status_id": 142})
    assert kommo.wait_for_webhooks()
    assert len(hooks.received) == 2
    add, status = hooks.received
    assert add.method == "POST" and add.path == "/kommo/t1"
    assert add.headers["content-type"] == "application/x-www-form-urlencoded"
    assert add.headers["user-agent"] == "amoCRM-WebHook-client/1.0"
    assert b"leads%5Badd%5D%5B0%5D%5Bid%5D=" in add.body  # brackets percent-encoded, as in the samples
    item = parse_php_form(add.body)["leads"]["add"]["0"]
    assert item["id"] == str(lead_id) and item["name"] == "From the site" and item["price"] == "1000"
    assert {"status_id", "pipeline_id", "responsible_user_id", "date_create", "last_modified", "account_id"} <= set(
        item
    )
    fields = item["custom_fields"]
    assert fields["0"] == {"id": str(comment["id"]), "name": "Budget comment", "values": {"0": {"value": "some text"}}}
    assert fields["1"]["values"]["0"] == {"value": source["enums"][0]["value"], "enum": str(source["enums"][0]["id"])}
    account = parse_php_form(add.body)["account"]
    assert account == {
        "subdomain": "acme",
        "id": str(kommo.account.id),
        "_links": {"self": kommo.account.base_url},
    }
    moved = parse_php_form(status.body)["leads"]["status"]["0"]
    assert moved["status_id"] == "142" and moved["old_status_id"] == str(old_status)


def test_a_customer_message_emits_contact_lead_talk_and_message_events(kommo, hooks):
    subscribe(kommo, f"{hooks.url}/all", ["add_contact", "add_lead", "add_talk", "update_talk", "add_message"])
    subscribe(kommo, f"{hooks.url}/messages-only", ["add_message"])
    sent = kommo.customer_writes(
        kommo.account, origin="whatsapp", text="Hi, price?", name="Ana", phone="+5511999990000"
    )
    assert kommo.wait_for_webhooks()
    everything = [parse_php_form(r.body) for r in hooks.received if r.path == "/all"]
    roots = [next(k for k in body if k != "account") for body in everything]
    assert roots == ["contacts", "leads", "talk", "message"]
    assert everything[0]["contacts"]["add"]["0"]["id"] == str(sent["contact_id"])
    assert everything[1]["leads"]["add"]["0"]["id"] == str(sent["lead_id"])
    talk = everything[2]["talk"]["add"]["0"]
    assert (talk["talk_id"], talk["chat_id"], talk["entity_id"]) == (
        str(sent["talk_id"]),
        sent["chat_id"],
        str(sent["lead_id"]),
    )
    message = everything[3]["message"]["add"]["0"]
    assert {
        "id": message["id"],
        "chat_id": message["chat_id"],
        "talk_id": message["talk_id"],
        "contact_id": message["contact_id"],
        "text": message["text"],
        "element_type": message["element_type"],
        "element_id": message["element_id"],
        "entity_type": message["entity_type"],
        "entity_id": message["entity_id"],
        "type": message["type"],
        "origin": message["origin"],
    } == {
        "id": sent["message_id"],
        "chat_id": sent["chat_id"],
        "talk_id": str(sent["talk_id"]),
        "contact_id": str(sent["contact_id"]),
        "text": "Hi, price?",
        "element_type": "2",
        "element_id": str(sent["lead_id"]),
        "entity_type": "lead",
        "entity_id": str(sent["lead_id"]),
        "type": "incoming",
        "origin": "whatsapp",
    }
    assert message["author"]["type"] == "external" and message["author"]["name"] == "Ana"
    assert message["created_at"].isdigit()
    only = [r for r in hooks.received if r.path == "/messages-only"]
    assert len(only) == 1

    # The same customer writes again: same contact, lead, chat and talk; no new contact or lead events.
    again = kommo.customer_writes(
        kommo.account, origin="whatsapp", text="Hello?", name="Ana", phone="+55 11 99999-0000"
    )
    assert (again["lead_id"], again["contact_id"], again["chat_id"], again["talk_id"]) == (
        sent["lead_id"],
        sent["contact_id"],
        sent["chat_id"],
        sent["talk_id"],
    )
    kommo.manager_writes(kommo.account, sent["lead_id"], text="I'll help you")
    assert kommo.wait_for_webhooks()
    latest = [parse_php_form(r.body) for r in hooks.received if r.path == "/all"][4:]
    assert [next(k for k in body if k != "account") for body in latest] == ["talk", "message", "talk", "message"]
    outgoing = latest[-1]["message"]["add"]["0"]
    assert outgoing["type"] == "outgoing" and outgoing["text"] == "I'll help you"
    assert outgoing["author"]["type"] == "user" and outgoing["author"]["id"] == str(kommo.account.admin["id"])
    assert [m["type"] for m in kommo.account.messages] == ["incoming", "incoming", "outgoing"]


def test_a_hook_is_disabled_after_more_than_n_invalid_answers(kommo, hooks):
    hooks.status = 500
    subscribe(kommo, f"{hooks.url}/broken", ["add_lead"])
    for index in range(3):
        api(kommo, "POST", "/api/v4/leads", json=[{"name": f"L{index}"}])
    assert kommo.wait_for_webhooks()
    assert api(kommo, "GET", "/api/v4/webhooks").json()["_embedded"]["webhooks"][0]["disabled"] is False
    api(kommo, "POST", "/api/v4/leads", json=[{"name": "the fourth"}])  # the 4th invalid answer: more than 3
    assert kommo.wait_for_webhooks()
    listed = api(kommo, "GET", "/api/v4/webhooks").json()["_embedded"]["webhooks"]
    assert listed[0]["disabled"] is True
    api(kommo, "POST", "/api/v4/leads", json=[{"name": "not sent"}])
    assert kommo.wait_for_webhooks()
    assert len(hooks.received) == 4
    assert [d.valid for d in kommo.account.deliveries] == [False] * 4
    # Registering the destination again turns it back on.
    hooks.status = 200
    subscribe(kommo, f"{hooks.url}/broken", ["add_lead"])
    api(kommo, "POST", "/api/v4/leads", json=[{"name": "sent again"}])
    assert kommo.wait_for_webhooks()
    assert len(hooks.received) == 5


def test_invalid_answers_older_than_two_hours_do_not_count(kommo, hooks):
    hooks.status = 404
    subscribe(kommo, f"{hooks.url}/gone", ["add_lead"])
    for index in range(3):
        api(kommo, "POST", "/api/v4/leads", json=[{"name": f"L{index}"}])
    assert kommo.wait_for_webhooks()
    kommo.advance(2 * 3600 + 1)
    api(kommo, "POST", "/api/v4/leads", json=[{"name": "later"}])
    assert kommo.wait_for_webhooks()
    assert kommo.account.webhooks[0]["disabled"] is False


def test_a_slow_answer_is_an_invalid_one(kommo, hooks):
    hooks.delay = 0.6  # the fake waits 0.3 s here (2 s by default)
    subscribe(kommo, f"{hooks.url}/slow", ["add_lead"])
    api(kommo, "POST", "/api/v4/leads", json=[{"name": "slow"}])
    assert kommo.wait_for_webhooks()
    delivery = kommo.account.deliveries[0]
    assert delivery.status is None and delivery.valid is False and "Timeout" in delivery.error


def test_retries_are_off_by_default_and_configurable(hooks):
    hooks.status = 503
    with FakeKommo(rate_limit_rps=None, webhook_retry_delays=(0.05, 0.05)) as kommo:
        account = kommo.add_account()
        kommo.add_webhook(account, f"{hooks.url}/retry", ["add_message"])
        kommo.customer_writes(account, text="hi", phone="+1555")
        assert kommo.wait_for_webhooks()
        assert [d.attempt for d in account.deliveries] == [1, 2, 3]
    hooks.received.clear()
    with FakeKommo(rate_limit_rps=None) as kommo:
        account = kommo.add_account()
        kommo.add_webhook(account, f"{hooks.url}/once", ["add_message"])
        kommo.customer_writes(account, text="hi", phone="+1555")
        assert kommo.wait_for_webhooks()
        assert len(hooks.received) == 1


def test_only_a_499_or_5xx_gets_the_fourth_and_fifth_attempt(hooks):
    """amoCRM's webhook page: attempts 2 and 3 follow any invalid answer, 4 and 5 only a 499 or 5xx."""
    delays = (0.05, 0.05, 0.05, 0.05)
    for status, attempts in ((404, [1, 2, 3]), (503, [1, 2, 3, 4, 5])):
        hooks.status = status
        with FakeKommo(rate_limit_rps=None, webhook_retry_delays=delays) as kommo:
            account = kommo.add_account()
            kommo.add_webhook(account, f"{hooks.url}/r{status}", ["add_message"])
            kommo.customer_writes(account, text="hi", phone="+1555")
            assert kommo.wait_for_webhooks()
            assert [d.attempt for d in account.deliveries] == attempts, status


def test_delete_and_note_events(kommo, hooks):
    subscribe(kommo, f"{hooks.url}/x", ["delete_lead", "note_lead", "responsible_lead"])
    lead_id = api(kommo, "POST", "/api/v4/leads", json=[{"name": "x"}]).json()["_embedded"]["leads"][0]["id"]
    manager = next(u for u in kommo.account.users.values() if not u["rights"]["is_admin"])
    api(kommo, "PATCH", f"/api/v4/leads/{lead_id}", json={"responsible_user_id": manager["id"]})
    api(kommo, "POST", f"/api/v4/leads/{lead_id}/notes", json=[{"note_type": "common", "params": {"text": "hello"}}])
    kommo.delete_lead(kommo.account, lead_id)
    assert kommo.wait_for_webhooks()
    bodies = [parse_php_form(r.body) for r in hooks.received]
    assert bodies[0]["leads"]["responsible"]["0"]["old_responsible_user_id"] == str(kommo.account.admin["id"])
    assert bodies[1]["leads"]["note"]["0"]["note"]["text"] == "hello"
    assert bodies[2]["leads"]["delete"]["0"] == {"id": str(lead_id), "type": "lead"}
