"""The local Kommo's REST API v4, part two: contacts and links, filters, configuration (pipelines,
custom fields, users, account), events, notes, tasks, talks, the webhooks API, admin-only methods,
the 429 rate limit and scripted failures."""

from __future__ import annotations

import time

import pytest
import requests

from integrations.kommo.fakes import FakeKommo
from tests.integrations.kommo.test_fake_api import CLIENT_ID, Api, api, create_leads

__all__ = ["api"]  # the fixture, shared with test_fake_api.py


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


def test_contacts_multitext_by_field_code_and_links(api):
    contact = api(
        "POST",
        "/api/v4/contacts",
        json=[
            {
                "first_name": "Ana",
                "last_name": "Silva",
                "custom_fields_values": [
                    {"field_code": "PHONE", "values": [{"value": "+5511999990000", "enum_code": "MOB"}]},
                    {"field_code": "EMAIL", "values": [{"value": "ana@example.com"}]},
                ],
            }
        ],
    ).json()["_embedded"]["contacts"][0]
    shown = api("GET", f"/api/v4/contacts/{contact['id']}").json()
    assert shown["name"] == "Ana Silva"
    phone = next(e for e in shown["custom_fields_values"] if e["field_code"] == "PHONE")
    assert phone["values"][0]["enum_code"] == "MOB" and phone["field_type"] == "multitext"
    assert (
        api(
            "POST",
            "/api/v4/contacts",
            json=[{"custom_fields_values": [{"field_code": "PHONE", "values": [{"value": "1", "enum_code": "NOPE"}]}]}],
        ).status_code
        == 400
    )
    lead_id = create_leads(api, 1)[0]
    linked = api(
        "POST", f"/api/v4/leads/{lead_id}/link", json=[{"to_entity_id": contact["id"], "to_entity_type": "contacts"}]
    )
    assert linked.status_code == 200
    links = api("GET", f"/api/v4/leads/{lead_id}/links").json()["_embedded"]["links"]
    assert links[0]["to_entity_id"] == contact["id"] and links[0]["metadata"]["is_main"] is True
    embedded = api("GET", f"/api/v4/leads/{lead_id}?with=contacts").json()["_embedded"]["contacts"]
    assert embedded[0]["id"] == contact["id"] and embedded[0]["is_main"] is True
    assert api("GET", "/api/v4/contacts?query=99999").json()["_embedded"]["contacts"][0]["id"] == contact["id"]


def test_filters_and_order(api):
    ids = create_leads(api, 5)
    by_id = api("GET", "/api/v4/leads", params=[("filter[id][]", ids[1]), ("filter[id][]", ids[3])]).json()
    assert [lead["id"] for lead in by_id["_embedded"]["leads"]] == [ids[1], ids[3]]
    indexed = api("GET", f"/api/v4/leads?filter[id][0]={ids[0]}").json()
    assert [lead["id"] for lead in indexed["_embedded"]["leads"]] == [ids[0]]
    second_pipeline = next(p for p in api.account.pipelines.values() if not p["is_main"])
    stage = second_pipeline["_embedded"]["statuses"][2]
    api("PATCH", f"/api/v4/leads/{ids[2]}", json={"pipeline_id": second_pipeline["id"], "status_id": stage["id"]})
    by_status = api(
        "GET",
        f"/api/v4/leads?filter[statuses][0][pipeline_id]={second_pipeline['id']}&filter[statuses][0][status_id]={stage['id']}",
    ).json()
    assert [lead["id"] for lead in by_status["_embedded"]["leads"]] == [ids[2]]
    desc = api("GET", "/api/v4/leads?order[id]=desc").json()["_embedded"]["leads"]
    assert [lead["id"] for lead in desc] == list(reversed(ids))
    assert [lead["id"] for lead in api("GET", "/api/v4/leads?query=Lead 4").json()["_embedded"]["leads"]] == [ids[4]]
    priced = api("GET", "/api/v4/leads?filter[price][from]=3").json()["_embedded"]["leads"]
    assert [lead["id"] for lead in priced] == ids[3:]


def test_pipelines_statuses_custom_fields_users_and_account(api):
    pipelines = api("GET", "/api/v4/leads/pipelines").json()["_embedded"]["pipelines"]
    assert len(pipelines) == 2 and sum(p["is_main"] for p in pipelines) == 1
    for pipeline in pipelines:
        assert {142, 143} <= {s["id"] for s in pipeline["_embedded"]["statuses"]}
    main = next(p for p in pipelines if p["is_main"])
    assert api("GET", f"/api/v4/leads/pipelines/{main['id']}").json()["id"] == main["id"]
    statuses = api("GET", f"/api/v4/leads/pipelines/{main['id']}/statuses").json()["_embedded"]["statuses"]
    assert statuses == main["_embedded"]["statuses"]
    page = api("GET", "/api/v4/leads/custom_fields?limit=5").json()
    assert page["_total_items"] == len(api.account.custom_fields["leads"]) and "next" in page["_links"]
    types = set()
    url = "/api/v4/leads/custom_fields?limit=5"
    while url:
        body = api("GET", url).json()
        types |= {f["type"] for f in body["_embedded"]["custom_fields"]}
        url = body["_links"].get("next", {}).get("href")
    assert {
        "text",
        "numeric",
        "checkbox",
        "select",
        "multiselect",
        "radiobutton",
        "date",
        "date_time",
        "url",
        "textarea",
        "price",
        "birthday",
        "legal_entity",
    } <= types
    select = next(
        f
        for f in api("GET", "/api/v4/leads/custom_fields?limit=250").json()["_embedded"]["custom_fields"]
        if f["type"] == "select"
    )
    assert all({"id", "value", "sort"} <= set(e) for e in select["enums"])
    contact_fields = api("GET", "/api/v4/contacts/custom_fields").json()["_embedded"]["custom_fields"]
    phone = next(f for f in contact_fields if f["code"] == "PHONE")
    assert {e["value"] for e in phone["enums"]} >= {"WORK", "MOB"}
    assert api("GET", "/api/v4/companies/custom_fields").status_code == 200
    users = api("GET", "/api/v4/users").json()["_embedded"]["users"]
    assert len(users) == 2 and sum(u["rights"]["is_admin"] for u in users) == 1
    account = api("GET", "/api/v4/account?with=amojo_id,users_groups,task_types,datetime_settings").json()
    assert account["amojo_id"] == api.account.amojo_id and account["subdomain"] == "acme"
    assert "task_types" in account["_embedded"]


def test_status_changes_close_leads_and_land_in_events(api):
    lead_id = create_leads(api, 1)[0]
    assert api("PATCH", f"/api/v4/leads/{lead_id}", json={"status_id": 142}).status_code == 200
    assert api("GET", f"/api/v4/leads/{lead_id}").json()["closed_at"]
    events = api(
        "GET", f"/api/v4/events?filter[entity]=lead&filter[entity_id][]={lead_id}&filter[type]=lead_status_changed"
    ).json()
    event = events["_embedded"]["events"][0]
    assert event["value_after"] == [{"lead_status": {"id": 142, "pipeline_id": api.account.main_pipeline["id"]}}]
    assert api("GET", "/api/v4/events?limit=101").status_code == 400
    assert api("PATCH", f"/api/v4/leads/{lead_id}", json={"status_id": 1}).status_code == 400


def test_notes_tasks_and_talks(api):
    lead_id = create_leads(api, 1)[0]
    note = api(
        "POST",
        "/api/v4/leads/notes",
        json=[{"entity_id": lead_id, "note_type": "common", "params": {"text": "AI summary"}}],
    )
    assert note.status_code == 200
    notes = api("GET", f"/api/v4/leads/{lead_id}/notes").json()["_embedded"]["notes"]
    assert notes[0]["params"] == {"text": "AI summary"} and notes[0]["note_type"] == "common"
    assert (
        api(
            "POST", "/api/v4/leads/notes", json=[{"entity_id": lead_id, "note_type": "bogus", "params": {}}]
        ).status_code
        == 400
    )
    task = api(
        "POST",
        "/api/v4/tasks",
        json=[{"text": "Call back", "complete_till": 1767225600, "entity_id": lead_id, "entity_type": "leads"}],
    )
    task_id = task.json()["_embedded"]["tasks"][0]["id"]
    api("PATCH", f"/api/v4/tasks/{task_id}", json={"is_completed": True, "result": {"text": "done"}})
    assert api("GET", f"/api/v4/tasks/{task_id}").json()["is_completed"] is True
    assert api("POST", "/api/v4/tasks", json=[{"text": "no deadline"}]).status_code == 400
    sent = api.kommo.customer_writes(api.account, origin="telegram", text="hi", name="Bo", phone="+15550001")
    talk = api("GET", f"/api/v4/talks/{sent['talk_id']}").json()
    assert (talk["talk_id"], talk["chat_id"], talk["entity_id"], talk["origin"]) == (
        sent["talk_id"],
        sent["chat_id"],
        sent["lead_id"],
        "telegram",
    )
    assert api("GET", "/api/v4/talks/999999").status_code == 404


def test_webhooks_api(api):
    assert api("GET", "/api/v4/webhooks").status_code == 204
    made = api(
        "POST",
        "/api/v4/webhooks",
        json={"destination": "https://hooks.example/kommo/t1", "settings": ["add_lead", "add_message"]},
    )
    assert made.status_code == 201
    assert made.json()["disabled"] is False and made.json()["settings"] == ["add_lead", "add_message"]
    assert api("POST", "/api/v4/webhooks", json={"destination": "https://x", "settings": ["nope"]}).status_code == 400
    listed = api("GET", "/api/v4/webhooks?filter[destination]=https://hooks.example/kommo/t1").json()["_embedded"][
        "webhooks"
    ]
    assert len(listed) == 1
    assert api("DELETE", "/api/v4/webhooks", json={"destination": "https://hooks.example/kommo/t1"}).status_code == 204
    assert api("GET", "/api/v4/webhooks").status_code == 204


def test_admin_only_methods_refuse_a_managers_token(api):
    manager = next(u for u in api.account.users.values() if not u["rights"]["is_admin"])
    token = api.kommo.long_lived_token(api.account, CLIENT_ID, user_id=manager["id"])
    answer = requests.post(
        f"{api.account.base_url}/api/v4/webhooks",
        json={"destination": "https://x.example", "settings": ["add_lead"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=5,
    )
    assert answer.status_code == 403
    assert answer.json()["type"] == "https://httpstatus.es/403"


def test_more_than_the_rate_in_one_second_is_a_429():
    with FakeKommo(rate_limit_rps=7) as kommo:
        account = kommo.add_account()
        kommo.add_integration(account, client_id=CLIENT_ID, client_secret="s", redirect_uri="http://app/cb")
        api = Api(kommo, account, kommo.long_lived_token(account, CLIENT_ID))
        started = time.monotonic()
        statuses = [api("GET", "/api/v4/account").status_code for _ in range(10)]
        if time.monotonic() - started < 1.0:  # all ten inside one second: the 8th and later are refused
            assert statuses[:7] == [200] * 7
            assert 429 in statuses[7:]
        refused = next(r for r in (api("GET", "/api/v4/account") for _ in range(10)) if r.status_code == 429)
        assert refused.text.lstrip().startswith("<html>")  # not JSON, as Kommo's nginx answers
        time.sleep(1.05)
        assert api("GET", "/api/v4/account").status_code == 200


def test_scripted_failures(api):
    api.kommo.fail("500", times=1, path_prefix="/api/v4/leads")
    assert api("GET", "/api/v4/account").status_code == 200
    assert api("GET", "/api/v4/leads").status_code == 500
    assert api("GET", "/api/v4/leads").status_code == 204
    api.kommo.fail("503", times=2)
    assert [api("GET", "/api/v4/account").status_code for _ in range(3)] == [503, 503, 200]
    api.kommo.fail("429")
    assert api("GET", "/api/v4/account").status_code == 429
    api.kommo.slow_seconds = 0.5
    api.kommo.fail("slow")
    with pytest.raises(requests.Timeout):
        api("GET", "/api/v4/account", timeout=0.2)
    assert {r.path for r in api.kommo.requests} >= {"/api/v4/account", "/api/v4/leads"}
