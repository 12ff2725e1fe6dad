"""Fault: Redis (cache, broker, channel layer) is killed and restarted without persistence in the
middle of a burst of API-channel ingests sent to the real web server. Every ingest must be answered
either accepted or with a 503 problem+json (never a hang, never HTML, never a 500); the client sends the refused
ones again (same external id) once Redis is back; the beat's sweep runs the processing tasks the
restart lost. Every accepted message is then answered exactly once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.faults.conftest import message_states
from tests.faults.processes import WebServer, Worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

INGESTS = 60
RESTART_AT = 20


def test_a_redis_restart_mid_burst_loses_no_accepted_message(
    api_workspace, workspace, sink, env_for, broker, redis_server, tmp_path
):
    web = WebServer(env_for(), tmp_path / "web.log").start()
    worker = Worker(env_for(), tmp_path / "worker.log", broker).start()
    headers = {"Authorization": f"Api-Key {api_workspace}"}

    def ingest(n: int) -> requests.Response:
        body = {"external_chat_id": f"chat-{n}", "external_message_id": f"m-{n}", "text": "Do you deliver?"}
        return requests.post(f"{web.url}/api/channels/api/messages", json=body, headers=headers, timeout=15)

    try:
        outcomes: dict[int, tuple[int, str, str]] = {}
        slowest = 0.0
        for n in range(INGESTS):
            if n == RESTART_AT:
                redis_server.stop()
                down_at = time.monotonic()
            if n == RESTART_AT + 10:
                redis_server.start()
                down_for = time.monotonic() - down_at
            started = time.monotonic()
            response = ingest(n)
            slowest = max(slowest, time.monotonic() - started)
            body = response.json() if response.headers.get("Content-Type", "").endswith("json") else {}
            outcomes[n] = (response.status_code, response.headers.get("Content-Type", ""), body.get("code", ""))
        refused = {n: outcome for n, outcome in outcomes.items() if outcome[0] != 201}
        for status, content_type, code in refused.values():
            assert (status, content_type, code) == (503, "application/problem+json", "service_unavailable"), refused
        # The client sends the refused ones again: each is accepted now, or was stored already (200).
        again = Counter(ingest(n).status_code for n in refused)
        assert set(again) <= {200, 201}, again
        # Beat's sweep, minutes later: customer messages whose processing task the restart lost run again.
        with workspace_scope(workspace.pk):
            Message.objects.update(updated_at=timezone.now() - timedelta(minutes=10))
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        wait_until(lambda: sum(sink.per_chat().values()) >= INGESTS, 40, f"{INGESTS} replies delivered")
        time.sleep(1)  # a duplicate would arrive now
        states = message_states(workspace)
        deliveries = sink.per_chat()
        print(
            f"\n[faults] redis restart: {INGESTS} ingests, Redis down {down_for:.1f} s for 10 of them; first answers "
            f"{dict(Counter(o[0] for o in outcomes.values()))} (codes {sorted({o[2] for o in refused.values()})}); "
            f"slowest answer {slowest:.2f} s; resent {dict(again)}; customer messages "
            f"{dict(Counter(s for _, s in states['in']))}; deliveries per chat {dict(Counter(deliveries.values()))}"
        )
        assert len(states["in"]) == INGESTS and {s for _, s in states["in"]} == {"answered"}, states
        assert deliveries == Counter({f"chat-{n}": 1 for n in range(INGESTS)}), deliveries
    finally:
        worker.stop()
        web.stop()
