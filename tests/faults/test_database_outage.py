"""Fault: PostgreSQL is unreachable for 10 s (tests/faults/proxy.py drops every connection of the
worker and the web server and refuses new ones) while the worker answers customer messages. During
the outage the web server answers fast with 503 problem+json — /readyz and the API alike, never a
hang or HTML. Afterwards recovery runs as in production (the beat's sweep once replies are stale,
Redis redelivering unacknowledged tasks, the operator retrying failed replies): every customer
message is answered exactly once, none lost."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.faults.conftest import ai_replies, message_states, redeliver_unacknowledged, retry_failed_replies, settle
from tests.faults.processes import WebServer, Worker, wait_until
from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.django_db(transaction=True)

CHATS = 8
OUTAGE_SECONDS = 10


def test_postgres_gone_for_ten_seconds_loses_nothing_and_the_server_says_503(
    api_workspace, workspace, owner, fake_model, sink, env_for, broker, redis_server, tmp_path
):
    db = settings.DATABASES["default"]
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    # A request waits DATABASE_POOL_TIMEOUT for a connection (10 s by default, riding out a short
    # restart) before its 503; 3 s here keeps the probes of the outage many.
    web = WebServer(env_for(port=proxy.port, DATABASE_POOL_TIMEOUT="3"), tmp_path / "web.log").start()
    worker = Worker(env_for(port=proxy.port), tmp_path / "worker.log", broker).start()
    headers = {"Authorization": f"Api-Key {api_workspace}"}

    def ingest(n: int) -> requests.Response:
        body = {"external_chat_id": f"chat-{n}", "external_message_id": f"m-{n}", "text": "Do you deliver?"}
        return requests.post(f"{web.url}/api/channels/api/messages", json=body, headers=headers, timeout=15)

    try:
        fake_model.slow_seconds = 2.0
        fake_model.fail("slow", times=None)
        for n in range(CHATS):
            assert ingest(n).status_code == 201
        wait_until(lambda: any(m.status == "processing" for m in ai_replies(workspace)), 20, "a reply in flight")
        proxy.cut()
        cut_at = time.monotonic()
        answers: list[tuple[str, int, str, str, float]] = []
        while time.monotonic() - cut_at < OUTAGE_SECONDS - 1:
            for path, call in (
                ("/readyz", lambda: requests.get(f"{web.url}/readyz", timeout=10)),
                ("ingest", lambda: ingest(CHATS)),
            ):
                started = time.monotonic()
                response = call()
                body = response.json() if "json" in response.headers.get("Content-Type", "") else {}
                answers.append(
                    (path, response.status_code, response.headers.get("Content-Type", ""), body.get("code", ""),
                     time.monotonic() - started)
                )  # fmt: skip
            time.sleep(0.5)
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - cut_at)))
        proxy.restore()
        fake_model.reset()
        restored_at = time.monotonic()
        # The client sends its refused message again, after each Retry-After, until the server is back.
        while (resent := ingest(CHATS)).status_code == 503 and time.monotonic() - restored_at < 30:
            time.sleep(min(int(resent.headers["Retry-After"]), 1))
        assert resent.status_code in (200, 201), resent.text
        back_after = time.monotonic() - restored_at
        # Beat's sweep, 20 minutes on; then Redis redelivers unacknowledged tasks; then the operator retries.
        time.sleep(3)  # the resent one is answered meanwhile
        with workspace_scope(workspace.pk):  # the stale rows only: no lock taken against the worker
            Message.objects.filter(Q(author="ai", status="processing") | Q(direction="in", status="received")).update(
                updated_at=timezone.now() - timedelta(minutes=20)
            )
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        settle(workspace, timeout=30)
        redeliver_unacknowledged(redis_server.url(1))
        settle(workspace)
        retried = retry_failed_replies(web.url, owner, workspace)
        settle(workspace)
        states = message_states(workspace)
        deliveries = sink.per_chat()
        statuses = Counter((path, status, code) for path, status, _, code, _ in answers)
        print(
            f"\n[faults] postgres cut {OUTAGE_SECONDS} s: answers during the outage {dict(statuses)}, slowest "
            f"{max(a[4] for a in answers):.2f} s; connections refused {proxy.refused}; an ingest accepted again "
            f"{back_after:.1f} s after PostgreSQL returned; failed replies retried "
            f"{retried}; final replies {dict(Counter(s for _, s, _ in states['ai']))}; customer messages "
            f"{dict(Counter(s for _, s in states['in']))}; deliveries per chat {dict(Counter(deliveries.values()))}"
        )
        for path, status, content_type, code, seconds in answers:
            assert status == 503 and content_type == "application/problem+json", (path, status, content_type)
            assert code in {"not_ready", "service_unavailable"} and seconds < 3 + 2, (path, code, seconds)
        assert {s for _, s in states["in"]} == {"answered"} and len(states["in"]) == CHATS + 1, states
        assert deliveries == Counter({f"chat-{n}": 1 for n in range(CHATS + 1)}), deliveries
    finally:
        worker.stop()
        web.stop()
        proxy.close()
