"""The local Kommo's REST API v4 (KOMMO.md A2) over HTTP: hal+json, 204 on empty, paging through
`_links.next`, limits, batch PATCH, `validation-errors`, filters, the 429 rate limit, scripted failures."""

from __future__ import annotations

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
