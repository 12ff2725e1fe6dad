"""Kommo's form-encoded webhook bodies: every real captured sample parses into the right event; the
damaged ones, and hostile bodies, are a clean WebhookBodyInvalid (a 400), never a crash."""

from pathlib import Path

import pytest

from integrations.kommo.exceptions import WebhookBodyInvalid
from integrations.kommo.webhook_parser import MAX_DEPTH, MAX_PAIRS, parse_form, parse_webhook

FIXTURES = Path(__file__).resolve().parent / "samples"


def sample(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# (file, entity, action, id, account subdomain)
WELL_FORMED = [
    ("webhook-contacts-add-01.txt", "contacts", "add", "1112", "test000002"),
    ("webhook-contacts-add-02-company.txt", "companies", "add", "1110", "test000002"),
    ("webhook-contacts-delete-01-company.txt", "companies", "delete", "52379505", "test"),
    ("webhook-leads-add-01.txt", "leads", "add", "31926529", "test000002"),
    ("webhook-leads-delete-01.txt", "leads", "delete", "52379505", "test"),
    ("webhook-leads-responsible-01.txt", "leads", "responsible", "40337679", "test"),
    ("webhook-leads-status-01.txt", "leads", "status", "31926520", "test000002"),
    ("webhook-leads-update-01.txt", "leads", "update", "40334183", "test"),
    ("webhook-leads-update-02.txt", "leads", "update", "31926520", "test000002"),
]
DAMAGED = ["webhook-contacts-add-03.txt", "webhook-leads-status-02.txt"]


def test_the_fixtures_are_the_shared_samples():
    names = sorted(p.name for p in FIXTURES.glob("*.txt"))
    assert names == sorted([name for name, *_ in WELL_FORMED] + DAMAGED)


@pytest.mark.parametrize(("name", "entity", "action", "entity_id", "subdomain"), WELL_FORMED)
def test_every_sample_parses_into_its_event(name, entity, action, entity_id, subdomain):
    body = parse_webhook(sample(name))
    assert [(e.entity, e.action, e.entity_id) for e in body.events] == [(entity, action, entity_id)]
    assert body.account_subdomain == subdomain


def test_old_v2_custom_fields_and_oddities_are_read():
    lead = parse_webhook(sample("webhook-leads-status-01.txt")).events[0].data
    assert lead["status_id"] == "10216994" and lead["old_status_id"] == "10216995"  # after custom_fields
    assert lead["custom_fields"]["0"]["values"]["0"]["value"] == "some text"
    assert lead["custom_fields"]["0"]["name"] == "Some text field"
    update = parse_webhook(sample("webhook-leads-update-01.txt")).events[0].data
    assert update["name"] == "Forbidden phone number error" and update["price"] == ""  # literal spaces, empty


@pytest.mark.parametrize("name", DAMAGED)
def test_damaged_samples_are_refused_cleanly(name):
    with pytest.raises(WebhookBodyInvalid):
        parse_webhook(sample(name))


@pytest.mark.parametrize(
    "body",
    [
        "a[b]=1&a=2",  # a group, then a value
        "a=1&a[b]=2",  # a value, then a group
        "[x]=1",  # no name
        "a[b=1",  # unclosed bracket
        "a]b[=1",
        "a" + "[x]" * (MAX_DEPTH + 1) + "=1",  # too deep
        "&".join(f"k{i}=v" for i in range(MAX_PAIRS + 1)),  # too many fields
        "a" * 400 + "=1",  # a huge key
    ],
)
def test_hostile_bodies_are_refused(body):
    with pytest.raises(WebhookBodyInvalid):
        parse_form(body)


def test_prototype_style_keys_are_plain_data():
    parsed = parse_form(
        "leads[add][0][__proto__][polluted]=1&leads[add][0][constructor][prototype]=2&leads[add][0][id]=5"
    )
    assert parsed["leads"]["add"]["0"]["__proto__"] == {"polluted": "1"}
    assert not hasattr({}, "polluted")
    assert parse_webhook("leads[add][0][__proto__][x]=1&leads[add][0][id]=5").events[0].entity_id == "5"


def test_append_brackets_and_binary_noise():
    assert parse_form("tags[]=a&tags[]=b") == {"tags": {"0": "a", "1": "b"}}
    assert parse_form(b"name=%FF%FE&x=1")["x"] == "1"  # undecodable bytes are replaced, not fatal


def test_a_message_event_has_its_fields():
    body = (
        "message[add][0][id]=m1&message[add][0][chat_id]=c1&message[add][0][talk_id]=7&message[add][0][text]=Hi+there"
        "&message[add][0][type]=incoming&message[add][0][entity_type]=lead&message[add][0][entity_id]=42"
        "&message[add][0][author][name]=Ana&message[add][0][origin]=whatsapp&account[id]=99&account[subdomain]=acme"
    )
    parsed = parse_webhook(body)
    (event,) = parsed.events
    assert (event.entity, event.action, event.data["text"], event.data["author"]["name"]) == (
        "message",
        "add",
        "Hi there",
        "Ana",
    )
    assert (parsed.account_id, parsed.account_subdomain) == ("99", "acme")
