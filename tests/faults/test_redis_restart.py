"""Fault: Redis (cache, broker, channel layer) is killed and restarted without persistence in the
middle of a burst of API-channel ingests sent to the real web server. Every ingest must be answered
either accepted or with a 503 problem+json (never a hang, never HTML, never a 500); the client sends the refused
ones again (same external id) once Redis is back; the beat's sweep runs the processing tasks the
restart lost; the operator retries the replies whose generation failed while Redis was gone. Every
accepted message is then answered exactly once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.faults.conftest import message_states, retry_failed_replies, settle
from tests.faults.processes import WebServer, Worker

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = 20, 20
DOWN_SECONDS = 5


def test_a_redis_restart_mid_burst_loses_no_accepted_message(
    api_workspace, workspace, owner, sink, env_for, broker, redis_server, tmp_path
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

        def send(n: int) -> None:
            nonlocal slowest
            started = time.monotonic()
            response = ingest(n)
            slowest = max(slowest, time.monotonic() - started)
            body = response.json() if response.headers.get("Content-Type", "").endswith("json") else {}
            outcomes[n] = (response.status_code, response.headers.get("Content-Type", ""), body.get("code", ""))

        for n in range(BEFORE):
            send(n)
        redis_server.stop()
        down_at = time.monotonic()
        while time.monotonic() - down_at < DOWN_SECONDS:  # the burst goes on, ~10 ingests a second
            send(len(outcomes))
            time.sleep(0.1)
        redis_server.start()
        down_for = time.monotonic() - down_at
        for _ in range(AFTER):
            send(len(outcomes))
        ingests = len(outcomes)
        refused = {n: outcome for n, outcome in outcomes.items() if outcome[0] != 201}
        for status, content_type, code in refused.values():
            assert (status, content_type, code) == (503, "application/problem+json", "service_unavailable"), refused
        # The client sends the refused ones again: each is accepted now, or was stored already (200).
        again = Counter(ingest(n).status_code for n in refused)
        assert set(again) <= {200, 201}, again
        # Beat's sweep, minutes later: customer messages whose processing task the restart lost run again;
        # 20 minutes later the next sweep fails the replies Redis's absence left `processing`.
        time.sleep(3)  # the resent ones are answered meanwhile (each in ~0.2 s)
        with workspace_scope(workspace.pk):  # rows no task works on: no lock taken against the worker
            Message.objects.filter(direction="in", status="received").update(
                updated_at=timezone.now() - timedelta(minutes=20)
            )
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        time.sleep(3)
        with workspace_scope(workspace.pk):
            Message.objects.filter(author="ai", status="processing").update(
                updated_at=timezone.now() - timedelta(minutes=20)
            )
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        settle(workspace, timeout=30)
        # Replies whose generation Redis's absence broke failed visibly: the operator retries them.
        interrupted = Counter(reason for _, status, reason in message_states(workspace)["ai"] if status == "failed")
        retry_failed_replies(web.url, owner, workspace)
        settle(workspace)
        time.sleep(1)  # a duplicate would arrive now
        states = message_states(workspace)
        deliveries = sink.per_chat()
        print(
            f"\n[faults] redis restart: {ingests} ingests, Redis down {down_for:.1f} s for {len(refused)}; answers "
            f"{dict(Counter(o[0] for o in outcomes.values()))} (codes {sorted({o[2] for o in refused.values()})}); "
            f"slowest answer {slowest:.2f} s; resent {dict(again)}; customer messages "
            f"{dict(Counter(s for _, s in states['in']))}; failed replies retried {dict(interrupted)}; "
            f"deliveries per chat {dict(Counter(deliveries.values()))}"
        )
        assert len(states["in"]) == ingests and {s for _, s in states["in"]} == {"answered"}, states
        assert deliveries == Counter({f"chat-{n}": 1 for n in range(ingests)}), deliveries
    finally:
        worker.stop()
        web.stop()
