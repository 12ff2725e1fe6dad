import pytest

from agent_platform import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_dependencies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert set(checks) == {"database", "redis", "broker"}
    assert all(check["ok"] for check in checks.values())
    assert checks["database"]["pgvector"]


def test_readyz_opens_a_pool_no_request_has_opened_yet(client, monkeypatch):
    """A fresh web process has a connection pool Django has not opened yet (it does so at the first
    query): readiness, often the first request a process gets, must not wait on it forever."""
    from django.db import connections

    connection = connections["default"]
    if connection.settings_dict["OPTIONS"].get("pool") is None:
        pytest.skip("the connection pool is off (DATABASE_POOL=0)")
    monkeypatch.setattr(type(connection), "_connection_pools", {})  # this process's pools, none created yet
    fresh = connection.pool
    assert fresh.closed
    try:
        response = client.get("/readyz")
        assert response.status_code == 200, response.content
        assert response.json()["checks"]["database"]["ok"] is True
        assert not fresh.closed
    finally:
        fresh.close()


def test_readyz_stays_ready_but_says_degraded_when_redis_is_unreachable(client, settings):
    """The API works without Redis (docs/reliability.md): failing the probe would take every web
    process out of the load balancer for an outage of a shared dependency."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is False
    assert "Connection" in body["checks"]["redis"]["error"]
    assert body["checks"]["broker"]["ok"] is False


def test_readyz_fails_without_the_database(client, monkeypatch):
    def unreachable() -> dict:
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "database", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_ready" and body["checks"]["database"]["ok"] is False


def test_responses_carry_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", HTTP_X_REQUEST_ID="bad id with spaces")["X-Request-ID"]
    assert generated != "bad id with spaces" and len(generated) == 32


def test_local_uploads_are_served(client, settings, tmp_path):
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "a.png").write_bytes(b"\x89PNG fake")
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/media/avatars/a.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert client.get("/media/../settings.py").status_code in (400, 404)  # never outside MEDIA_ROOT
    assert client.get("/media/avatars/missing.png").status_code == 404
