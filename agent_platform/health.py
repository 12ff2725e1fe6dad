"""Liveness (`/healthz`: the process answers), readiness (`/readyz`: its dependencies answer) and the
Prometheus scrape (`/metrics`, behind METRICS_TOKEN when one is set).

Readiness fails (503) only without PostgreSQL, which no request can do without. Redis and the broker
are reported (`"status": "degraded"`, each check's error) but the process stays ready: the API keeps
working without them (agent_platform.cache, accounts.lockout, docs/reliability.md), and a probe that
failed on a shared dependency would take every web process out of the load balancer at once."""

from __future__ import annotations

import time
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView
from kombu import Connection

from agent_platform.api.problems import PROBLEM_CONTENT_TYPE, problem_body, problem_response
from agent_platform.celery import HEARTBEAT_KEY

CHECK_TIMEOUT_SECONDS = 2


def _check_database() -> dict:
    query = "SELECT extversion FROM pg_extension WHERE extname = 'vector'"
    pool = getattr(connection, "pool", None)
    if pool is not None:
        # Not the pool's own wait (DATABASE_POOL_TIMEOUT, which lets a request ride out a short
        # restart): a probe answers within its timeout, also while PostgreSQL is gone.
        pool.open(wait=False)  # Django opens it at its first connection: a fresh process has not yet
        with pool.connection(timeout=CHECK_TIMEOUT_SECONDS) as conn:
            row = conn.execute(query).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(query)
            row = cursor.fetchone()
    return {"pgvector": row[0] if row else None}


def _check_redis() -> dict:
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
    )
    try:
        client.ping()
        beat = client.get(HEARTBEAT_KEY)
    finally:
        client.close()
    return {"worker_heartbeat_age_s": round(time.time() - float(beat), 1) if beat else None}


def _check_broker() -> dict:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=CHECK_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT_SECONDS)
    return {}


REQUIRED = ("database",)
CHECKS: dict[str, Callable[[], dict]] = {
    "database": _check_database,
    "redis": _check_redis,
    "broker": _check_broker,
}


def _run(check: Callable[[], dict]) -> dict:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as exc:  # a readiness probe reports every failure instead of raising
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {name: _run(check) for name, check in CHECKS.items()}
    if all(result["ok"] for result in checks.values()):
        return JsonResponse({"status": "ok", "checks": checks})
    if all(checks[name]["ok"] for name in REQUIRED):
        return JsonResponse({"status": "degraded", "checks": checks})
    failing = ", ".join(name for name, result in checks.items() if not result["ok"])
    body = problem_body(
        status=503,
        code="not_ready",
        detail=f"Not ready: {failing} unavailable.",
        instance=request.path,
        checks=checks,
    )
    return JsonResponse(body, status=503, content_type=PROBLEM_CONTENT_TYPE)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """django-prometheus's exposition. With METRICS_TOKEN set, Prometheus presents it as a bearer token
    (`authorization: {credentials: …}` in its scrape config) and anyone else gets a 401."""
    token = settings.METRICS_TOKEN
    if token and not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        response = problem_response(
            request, status=401, code="metrics_token_required", detail="The metrics need the scrape token."
        )
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return ExportToDjangoView(request)
