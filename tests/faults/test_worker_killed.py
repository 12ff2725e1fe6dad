"""Fault: the Celery worker is SIGKILLed while it answers customer messages (the model is slow, so
replies are mid-generation), and a new worker starts. Recovery runs as in production: the beat's
stuck-work sweep once the replies are stale (time moved on by backdating the rows: the sweep's
thresholds are minutes), then Redis redelivers the killed worker's unacknowledged tasks (its
visibility timeout passed). Every customer message must end answered exactly once — one reply
delivered to the customer's webhook per chat — or visibly failed with a retry that then answers
once; none lost."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.faults.conftest import (
    FINAL_IN,
    ai_replies,
    all_final,
    message_states,
    redeliver_unacknowledged,
    retry_failed_replies,
    settle,
)
from tests.faults.processes import WebServer, Worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

CHATS = 8


def test_a_killed_worker_loses_no_message_and_sends_no_reply_twice(
    api_workspace, workspace, owner, fake_model, sink, env_for, broker, redis_server, tmp_path
):
    web = WebServer(env_for(), tmp_path / "web.log").start()
    worker = Worker(env_for(), tmp_path / "worker.log", broker).start("first")
    try:
        fake_model.slow_seconds = 3.0
        fake_model.fail("slow", times=None)
        headers = {"Authorization": f"Api-Key {api_workspace}"}
        for n in range(CHATS):
            body = {"external_chat_id": f"chat-{n}", "external_message_id": f"m-{n}", "text": "Do you deliver?"}
            response = requests.post(f"{web.url}/api/channels/api/messages", json=body, headers=headers, timeout=10)
            assert response.status_code == 201, response.text
        # Kill the worker while replies are being generated (4 threads: 4 in flight, 4 reserved).
        wait_until(lambda: sum(m.status == "processing" for m in ai_replies(workspace)) >= 4, 20, "4 replies in flight")
        worker.kill()
        at_kill = Counter(m.status for m in ai_replies(workspace))
        fake_model.reset()  # the model answers at once from now on

        worker = Worker(env_for(), tmp_path / "worker.log", broker).start("second")
        # Beat's sweep, 20 minutes later: stale replies fail visibly, lost processing runs again.
        with workspace_scope(workspace.pk):
            Message.objects.update(updated_at=timezone.now() - timedelta(minutes=20))
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        wait_until(lambda: sink.per_chat() and all_final(workspace), 30, "every message final after the sweep")
        after_sweep = Counter(m.status for m in ai_replies(workspace))
        # An hour after the kill, Redis hands the killed worker's unacknowledged tasks out again.
        redeliver_unacknowledged(redis_server.url(1))
        settle(workspace)
        # The operator retries every failed reply, as the conversation page offers.
        retry_failed_replies(web.url, owner, workspace)
        settle(workspace)
        states = message_states(workspace)
        deliveries = sink.per_chat()
        print(
            f"\n[faults] worker SIGKILL: {CHATS} chats; replies at kill {dict(at_kill)}; after sweep "
            f"{dict(after_sweep)}; final {dict(Counter(s for _, s, _ in states['ai']))}; webhook deliveries "
            f"per chat {sorted(deliveries.values())}; lost {sum(s not in FINAL_IN for _, s in states['in'])}"
        )
        assert [status for _, status in states["in"]] == ["answered"] * CHATS, states
        assert deliveries == Counter({f"chat-{n}": 1 for n in range(CHATS)}), deliveries
    finally:
        worker.stop()
        web.stop()
