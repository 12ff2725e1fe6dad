"""One error shape for every error: RFC 9457 problem+json with a stable code."""

import pytest
from rest_framework.throttling import UserRateThrottle

from agent_platform.tenancy import workspace_scope
from tests.conftest import client_for
from tests.sample.models import Note

pytestmark = pytest.mark.django_db

NOTES = "/api/sample/notes"
PROBLEM_KEYS = {"type", "title", "status", "detail", "code"}


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith(code)
    assert body["detail"]
    return body


def test_400_validation_error_lists_field_errors(owner_client, workspace):
    body = assert_problem(owner_client.post(NOTES, {"title": ""}, format="json"), 400, "validation_error")
    assert list(body["errors"]) == ["title"]
    assert body["detail"].startswith("title:")


def test_400_malformed_json(owner_client, workspace):
    response = owner_client.generic("POST", NOTES, "{not json", content_type="application/json")
    assert_problem(response, 400, "parse_error")


def test_401_without_token(db):
    body = assert_problem(client_for(None).get(NOTES), 401, "not_authenticated")
    assert body["title"] == "Unauthorized"


def test_401_with_a_bad_token(db):
    client = client_for(None)
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    assert_problem(client.get(NOTES), 401, "token_not_valid")


def test_403_role_forbidden(workspace, member_client):
    with workspace_scope(workspace.pk):
        note = Note.objects.create(title="x")
    assert_problem(member_client.delete(f"{NOTES}/{note.pk}"), 403, "role_forbidden")


def test_404_unknown_object(owner_client, workspace):
    assert_problem(owner_client.get(f"{NOTES}/999999"), 404, "not_found")


def test_404_unknown_api_url(owner_client):
    assert_problem(owner_client.get("/api/does-not-exist"), 404, "not_found")


@pytest.mark.parametrize("path", ["/api/agents/0.5", "/api/nothing-here", "/api/"])
def test_404_unknown_api_url_is_a_problem_with_debug_on_too(owner_client, settings, path):
    settings.DEBUG = True  # as `make run` sets it: Django would answer its HTML debug page
    response = owner_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_405_method_not_allowed(owner_client, workspace):
    assert_problem(owner_client.put(NOTES, {}, format="json"), 405, "method_not_allowed")


def test_409_domain_conflict(owner_client, workspace):
    with workspace_scope(workspace.pk):
        note = Note.objects.create(title="x")
    body = assert_problem(owner_client.post(f"{NOTES}/{note.pk}/conflict"), 409, "conflict")
    assert body["detail"] == "This note is locked."


def test_429_throttled_with_retry_after(owner_client, workspace, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min", "anon": "2/min"})
    for _ in range(2):
        assert owner_client.get(NOTES).status_code == 200
    response = owner_client.get(NOTES)
    body = assert_problem(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    assert body["retry_after"] == int(response["Retry-After"])


def test_500_is_a_problem_too(owner, workspace):
    client = client_for(owner)
    client.raise_request_exception = False
    body = assert_problem(client.get(f"{NOTES}/crash"), 500, "server_error")
    assert "boom" not in body["detail"]


def test_400_a_body_field_the_endpoint_does_not_know_is_named_not_dropped(owner_client, workspace):
    response = owner_client.post(NOTES, {"title": "Kept", "colour": "red"}, format="json")
    body = assert_problem(response, 400, "unknown_field")
    assert body["errors"] == {"colour": ["Unknown field: this endpoint does not accept it."]}
    assert "`colour`" in body["detail"]
    with workspace_scope(workspace.pk):
        assert not Note.objects.exists()  # refused whole, not created without the field


def test_a_read_only_field_sent_back_is_accepted(owner_client, workspace):
    created = owner_client.post(NOTES, {"title": "First"}, format="json").json()
    response = owner_client.put(f"{NOTES}/{created['id']}", {**created, "title": "Second"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Second"


def test_query_parameters_are_not_held_to_the_body_fields(owner_client, workspace):
    assert owner_client.get(f"{NOTES}?utm_source=mail").status_code == 200


@pytest.mark.parametrize("path", ["/api/integrations/kommo/sync", "/api/channels/api/settings", NOTES])
def test_options_describes_the_endpoint_instead_of_failing(owner_client, workspace, path):
    response = owner_client.options(path)
    assert response.status_code == 200, response.content  # schemathesis found 500s (seed 20261205)
    assert response.json()["schema"] == "/api/schema/" and "application/json" in response.json()["parses"]


@pytest.mark.parametrize("failure", ["redis", "database"])
def test_503_when_redis_or_postgres_is_out_of_reach(owner_client, workspace, monkeypatch, failure):
    """A dependency gone (tests/faults prove it with real processes) is a 503 that says when to come back."""
    import redis
    from django.db import OperationalError

    error = redis.exceptions.ConnectionError("refused") if failure == "redis" else OperationalError("server gone")

    def unreachable(self, request, view):
        raise error

    monkeypatch.setattr(UserRateThrottle, "allow_request", unreachable)
    response = owner_client.get(NOTES)
    body = assert_problem(response, 503, "service_unavailable")
    assert response["Retry-After"] == "5" and body["retry_after"] == 5


def test_a_value_the_database_cannot_hold_is_a_400_not_a_500(owner_client, workspace):
    # schemathesis found these (seed 20261205): a NUL in a filter, an order beyond 32 bits, a long name.
    response = owner_client.get("/api/knowledge/articles", {"tag": "a\x00b"})
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_value"
    category = owner_client.post("/api/knowledge/categories", {"name": "X", "order": -(2**60)}, format="json")
    assert category.status_code == 400 and list(category.json()["errors"]) == ["order"]
