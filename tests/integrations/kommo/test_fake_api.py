"""The local Kommo's REST API v4 (KOMMO.md A2) over HTTP: hal+json, 204 on empty, paging through
`_links.next`, limits, batch PATCH, `validation-errors`, filters, the 429 rate limit, scripted failures."""

from __future__ import annotations

import time

import pytest
import requests

from integrations.kommo.fakes import FakeKommo

CLIENT_ID = "client-api-tests"


@pytest.fixture(autouse=True)
def ai_models():
    """These tests need no database: this overrides the package conftest's seeding fixture."""


class Api:
    def __init__(self, kommo: FakeKommo, account, token: str) -> None:
        self.kommo, self.account = kommo, account
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def __call__(self, method: str, path: str, **kwargs) -> requests.Response:
        url = path if path.startswith("http") else f"{self.account.base_url}{path}"
        kwargs.setdefault("timeout", 5)
        return self.session.request(method, url, **kwargs)

    def field(self, entity: str, name: str) -> dict:
        return next(f for f in self.account.custom_fields[entity].values() if f["name"] == name)


@pytest.fixture
def api():
    with FakeKommo(rate_limit_rps=None) as kommo:
        account = kommo.add_account(subdomain="acme", name="Acme")
        kommo.add_integration(account, client_id=CLIENT_ID, client_secret="s", redirect_uri="http://app/cb")
        yield Api(kommo, account, kommo.long_lived_token(account, CLIENT_ID))


def create_leads(api: Api, count: int) -> list[int]:
    ids = []
    for start in range(0, count, 250):
        chunk = [{"name": f"Lead {i}", "price": i} for i in range(start, min(count, start + 250))]
        answer = api("POST", "/api/v4/leads", json=chunk)
        assert answer.status_code == 200, answer.text
        ids += [row["id"] for row in answer.json()["_embedded"]["leads"]]
    return ids


def test_an_empty_list_is_204_without_a_body(api):
    answer = api("GET", "/api/v4/leads")
    assert answer.status_code == 204
    assert answer.content == b""
    assert api("GET", "/api/v4/contacts").status_code == 204


def test_success_is_hal_json_and_a_missing_lead_a_404_problem(api):
    lead_id = create_leads(api, 1)[0]
    answer = api("GET", f"/api/v4/leads/{lead_id}")
    assert answer.headers["Content-Type"] == "application/hal+json"
    lead = answer.json()
    assert lead["id"] == lead_id
    assert lead["_links"]["self"]["href"] == f"{api.account.base_url}/api/v4/leads/{lead_id}"
    assert lead["pipeline_id"] == api.account.main_pipeline["id"]
    missing = api("GET", "/api/v4/leads/1")
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == "application/problem+json"
    assert missing.json()["type"] == "https://httpstatus.es/404"


def test_paging_follows_absolute_next_links_to_the_end(api):
    created = create_leads(api, 7)
    seen, url, pages = [], "/api/v4/leads?limit=3&with=contacts", 0
    while url:
        answer = api("GET", url)
        assert answer.status_code == 200
        body = answer.json()
        pages += 1
        assert body["_page"] == pages
        assert body["_links"]["self"]["href"].startswith(api.account.base_url)
        seen += [lead["id"] for lead in body["_embedded"]["leads"]]
        url = body["_links"].get("next", {}).get("href")
        if url:
            assert url.startswith(f"{api.account.base_url}/api/v4/leads?") and "with=contacts" in url
    assert pages == 3
    assert seen == created
    assert api("GET", "/api/v4/leads?limit=3&page=4").status_code == 204
    assert "prev" in api("GET", "/api/v4/leads?limit=3&page=2").json()["_links"]


def test_limit_above_250_is_a_400(api):
    answer = api("GET", "/api/v4/leads?limit=251")
    assert answer.status_code == 400
    body = answer.json()
    assert body["status"] == 400 and body["validation-errors"][0]["errors"][0]["path"] == "limit"
    assert api("GET", "/api/v4/leads?limit=250").status_code == 204


def test_batch_patch_of_more_than_50_is_a_400(api):
    ids = create_leads(api, 51)
    assert api("PATCH", "/api/v4/leads", json=[{"id": i, "price": 1} for i in ids]).status_code == 400
    ok = api("PATCH", "/api/v4/leads", json=[{"id": i, "price": 5} for i in ids[:50]])
    assert ok.status_code == 200
    assert [row["id"] for row in ok.json()["_embedded"]["leads"]] == ids[:50]
    assert all(api.account.leads[i]["price"] == 5 for i in ids[:50])


def test_a_bad_enum_gives_kommos_validation_errors_shape(api):
    lead_id = create_leads(api, 1)[0]
    source = api.field("leads", "Source")
    answer = api(
        "PATCH",
        "/api/v4/leads",
        json=[{"id": lead_id, "custom_fields_values": [{"field_id": source["id"], "values": [{"enum_id": 1}]}]}],
    )
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert answer.json() == {
        "validation-errors": [
            {
                "request_id": "0",
                "errors": [
                    {
                        "code": "NotSupportedChoice",
                        "path": "custom_fields_values.0.values.0.enum_id",
                        "detail": "The value you selected is not a valid choice.",
                    }
                ],
            }
        ],
        "title": "Bad Request",
        "type": "https://httpstatus.es/400",
        "status": 400,
        "detail": "Request validation failed",
    }


def test_unknown_field_wrong_type_and_request_ids(api):
    numeric = api.field("leads", "Units")
    answer = api(
        "POST",
        "/api/v4/leads",
        json=[
            {"name": "ok"},
            {
                "name": "bad field",
                "request_id": "r-2",
                "custom_fields_values": [{"field_id": 999, "values": [{"value": "x"}]}],
            },
            {"name": "bad type", "custom_fields_values": [{"field_id": numeric["id"], "values": [{"value": "lots"}]}]},
        ],
    )
    assert answer.status_code == 400
    groups = {g["request_id"]: g["errors"] for g in answer.json()["validation-errors"]}
    assert groups["r-2"][0]["path"] == "custom_fields_values.0.field_id"
    assert groups["2"][0] == {
        "code": "InvalidType",
        "path": "custom_fields_values.0.values.0.value",
        "detail": "This value should be of type numeric.",
    }
    assert api.account.leads == {}  # nothing of a failed request is saved


def test_custom_fields_of_every_type_round_trip_and_null_clears(api):
    f = {
        name: api.field("leads", name)["id"]
        for name in (
            "Budget comment",
            "Units",
            "Urgent",
            "Source",
            "Interests",
            "Customer type",
            "Follow-up date",
            "Meeting at",
            "Landing page",
            "AI summary",
            "Quoted price",
            "Billing entity",
        )
    }
    interests = api.field("leads", "Interests")["enums"]
    values = [
        {"field_id": f["Budget comment"], "values": [{"value": "Budget 5k"}]},
        {"field_id": f["Units"], "values": [{"value": 12}]},
        {"field_id": f["Urgent"], "values": [{"value": True}]},
        {"field_id": f["Source"], "values": [{"value": "WhatsApp"}]},
        {"field_id": f["Interests"], "values": [{"enum_id": interests[0]["id"]}, {"enum_id": interests[2]["id"]}]},
        {"field_id": f["Customer type"], "values": [{"value": "VIP"}]},
        {"field_id": f["Follow-up date"], "values": [{"value": 1767225600}]},
        {"field_id": f["Meeting at"], "values": [{"value": "2026-01-01T10:00:00+00:00"}]},
        {"field_id": f["Landing page"], "values": [{"value": "https://example.com"}]},
        {"field_id": f["AI summary"], "values": [{"value": "Wants a quote"}]},
        {"field_id": f["Quoted price"], "values": [{"value": 1500}]},
        {"field_id": f["Billing entity"], "values": [{"value": {"name": "Acme LLC", "vat_id": "123"}}]},
    ]
    lead_id = api("POST", "/api/v4/leads", json=[{"name": "Typed", "custom_fields_values": values}]).json()[
        "_embedded"
    ]["leads"][0]["id"]
    stored = {e["field_id"]: e for e in api("GET", f"/api/v4/leads/{lead_id}").json()["custom_fields_values"]}
    assert stored[f["Source"]]["values"][0]["enum_id"] == api.field("leads", "Source")["enums"][1]["id"]
    assert [v["value"] for v in stored[f["Interests"]]["values"]] == [interests[0]["value"], interests[2]["value"]]
    assert stored[f["Urgent"]]["values"] == [{"value": True}]
    assert stored[f["Meeting at"]]["values"] == [{"value": 1767261600}]
    assert stored[f["Source"]]["field_type"] == "select"
    cleared = api(
        "PATCH", f"/api/v4/leads/{lead_id}", json={"custom_fields_values": [{"field_id": f["Source"], "values": None}]}
    )
    assert cleared.status_code == 200 and set(cleared.json()) >= {"id", "updated_at", "_links"}
    after = {e["field_id"] for e in api("GET", f"/api/v4/leads/{lead_id}").json()["custom_fields_values"]}
    assert f["Source"] not in after and f["Units"] in after


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
