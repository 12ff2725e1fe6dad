"""The ASGI server under concurrent load keeps its database connections bounded.

The ASGI server runs each request's sync code in a thread; with persistent per-thread connections
(CONN_MAX_AGE) every request left one open connection behind until PostgreSQL refused clients
("too many clients already", found by bench/ingest). The pool (DATABASE_POOL_MAX_SIZE) bounds them.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from agent_platform.tenancy import workspace_scope
from integrations.kommo.models import KommoWebhookDelivery
from tests.integrations.kommo.factories import KommoIntegrationFactory

pytestmark = pytest.mark.django_db(transaction=True)
REQUESTS, CONCURRENCY = 90, 30  # more concurrent requests than the pool has connections


def _backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def _readyz(url: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as exc:  # 503 while no worker heartbeat: the database was still asked
        return exc.code


def test_concurrent_requests_do_not_leak_database_connections(spa_server):
    before = _backends()
    limit = settings.DATABASE_POOL_MAX_SIZE or 10  # the default pool size when run with the pool off
    assert limit < CONCURRENCY
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        statuses = list(pool.map(lambda _: _readyz(spa_server), range(REQUESTS)))
    assert set(statuses) <= {200, 503}, statuses
    grown = _backends() - before
    assert grown <= limit, f"{grown} more connections after {REQUESTS} requests, {CONCURRENCY} at a time"


@pytest.mark.parametrize(
    "content_type",
    ["multipart/form-data; boundary=zz", "multipart/form-data", "multipart/form-data; boundary="],
)
def test_a_malformed_multipart_body_gets_the_problem_response_from_the_real_server(spa_server, content_type):
    # Daphne's HTTP layer (Twisted) parsed multipart bodies itself and answered a broken one with an
    # empty 400 before the application saw it; the web server hands every body to the application.
    body = b'--xx\r\nContent-Disposition: form-data; name="email"\r\n\r\nabc'
    request = urllib.request.Request(
        f"{spa_server}/api/auth/login", data=body, method="POST", headers={"Content-Type": content_type}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=20)
    assert refused.value.code == 400
    assert refused.value.headers["Content-Type"] == "application/problem+json"
    assert json.loads(refused.value.read())["code"] in ("parse_error", "validation_error")


@pytest.mark.usefixtures("celery_worker_process")  # new deliveries wake the drain: idle before the flush
def test_concurrent_kommo_webhooks_are_each_stored_once_with_bounded_connections(spa_server, workspace):
    # The account webhooks take the entry-point handler: an async view that stores from pool threads,
    # each with a connection of its own that must go back to the pool.
    integration = KommoIntegrationFactory(workspace=workspace)
    url = f"{spa_server}/api/webhooks/kommo/{integration.webhook_secret}/message"
    before = _backends()

    def deliver(n: int) -> tuple[int, str]:
        body = (
            f"message[add][0][id]=load-{n % 60}&message[add][0][chat_id]=chat-{n % 60}&message[add][0][text]=Hi"
            f"&message[add][0][entity_type]=contact&account[id]={integration.account_id}"
        ).encode()
        request = urllib.request.Request(url, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers["X-Request-ID"]

    with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
        answers = list(pool.map(deliver, range(REQUESTS)))
    assert {status for status, _ in answers} == {200} and all(request_id for _, request_id in answers)
    with workspace_scope(workspace.pk):
        assert KommoWebhookDelivery.objects.count() == 60  # 90 requests, 30 of them redeliveries
    grown = _backends() - before
    assert grown <= 2 * (settings.DATABASE_POOL_MAX_SIZE or 10), f"{grown} more connections after {REQUESTS} webhooks"
