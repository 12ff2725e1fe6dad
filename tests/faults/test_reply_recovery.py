"""Recovery without a person: an AI reply interrupted mid-generation — its worker SIGKILLed, or Redis
killed under it — comes back by itself within minutes and is delivered exactly once.

Each reply's worker holds its lease (a PostgreSQL session advisory lock, conversations.services.leases);
the beat's stuck-work sweep generates again a `processing` reply nobody holds once it is
REPLY_RECOVERY_SECONDS old (120 s in production, the sweep every 60 s; here 3 s and a sweep every
second, the real clock, no backdating). Then Redis hands the killed worker's unacknowledged tasks out
again (the 1 h visibility timeout, forced here): they must change nothing. No operator retries."""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter

import pytest
import requests
from kombu.exceptions import OperationalError

from tests.faults.conftest import ai_replies, message_states, redeliver_unacknowledged, settle
from tests.faults.processes import WebServer, Worker, broker_client, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

CHATS = 4  # = the worker's threads: every reply is mid-generation at the fault
RECOVERY_SECONDS = "3"


class Beat:
    """The beat's stuck-work sweep, every `every` seconds, through the broker (a client of its own)."""

    def __init__(self, redis_server, every: float = 1.0) -> None:
        self.client, self.every = broker_client(redis_server), every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            with contextlib.suppress(OperationalError, OSError):  # the broker is down: beat cannot send either
                self.client.send_task("conversations.tasks.stuck_work_recover_task")

    def __enter__(self) -> Beat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.client.close()


def _ingest_all(web, api_key) -> None:
    for n in range(CHATS):
        body = {"external_chat_id": f"chat-{n}", "external_message_id": f"m-{n}", "text": "Do you deliver?"}
        response = requests.post(
            f"{web.url}/api/channels/api/messages",
            json=body,
            headers={"Authorization": f"Api-Key {api_key}"},
            timeout=10,
        )
        assert response.status_code == 201, response.text


def _all_delivered(sink) -> bool:
    return len(sink.per_chat()) == CHATS


def _report(name: str, workspace, sink, seconds: float) -> tuple[dict, Counter]:
    states = message_states(workspace)
    replies = Counter(status for _, status, _ in states["ai"])
    print(
        f"\n[faults] {name}: {CHATS} replies mid-generation, answered {seconds:.1f} s after the fault with no "
        f"operator (REPLY_RECOVERY_SECONDS={RECOVERY_SECONDS}, sweep every 1 s); replies {dict(replies)}; "
        f"recoveries {sorted(m.metadata.get('recoveries', 0) for m in ai_replies(workspace))}; deliveries per chat "
        f"{sorted(sink.per_chat().values())}"
    )
    return states, sink.per_chat()


def _assert_exactly_once(states, deliveries) -> None:
    assert [status for _, status in states["in"]] == ["answered"] * CHATS, states
    assert [status for _, status, _ in states["ai"]] == ["sent"] * CHATS, states  # none failed, none superseded
    assert deliveries == Counter({f"chat-{n}": 1 for n in range(CHATS)}), deliveries


def test_a_killed_workers_replies_come_back_by_themselves_once(
    api_workspace, workspace, fake_model, sink, env_for, broker, redis_server, tmp_path
):
    env = env_for(REPLY_RECOVERY_SECONDS=RECOVERY_SECONDS)
    web = WebServer(env, tmp_path / "web.log").start()
    worker = Worker(env, tmp_path / "worker.log", broker).start("first")
    try:
        fake_model.slow_seconds = 3.0
        fake_model.fail("slow", times=None)
        _ingest_all(web, api_workspace)
        wait_until(
            lambda: sum(m.status == "processing" for m in ai_replies(workspace)) == CHATS, 20, "replies in flight"
        )
        worker.kill()
        killed_at = time.monotonic()
        fake_model.reset()
        worker = Worker(env, tmp_path / "worker.log", broker).start("second")
        with Beat(redis_server):
            wait_until(lambda: _all_delivered(sink), 60, "every chat answered without an operator", interval=0.2)
            recovered_in = time.monotonic() - killed_at
            settle(workspace)
        # An hour later Redis hands the killed worker's four tasks out again: nothing may change.
        redeliver_unacknowledged(redis_server.url(1))
        time.sleep(3)
        settle(workspace)
        states, deliveries = _report("worker SIGKILL", workspace, sink, recovered_in)
        _assert_exactly_once(states, deliveries)
        assert sorted(m.metadata.get("recoveries") for m in ai_replies(workspace)) == [1] * CHATS
    finally:
        worker.stop()
        web.stop()


@pytest.mark.parametrize("pool", ["threads", "prefork"])
def test_redis_killed_mid_generation_strands_no_reply(
    pool, api_workspace, workspace, fake_model, sink, env_for, broker, redis_server, tmp_path
):
    """With the prefork pool (production's), losing the broker cancels the running tasks
    (worker_cancel_long_running_tasks_on_connection_loss): their replies are regenerated by the sweep."""
    env = env_for(REPLY_RECOVERY_SECONDS=RECOVERY_SECONDS)
    web = WebServer(env, tmp_path / "web.log").start()
    worker = Worker(env, tmp_path / "worker.log", broker, pool=pool).start()
    try:
        fake_model.slow_seconds = 3.0
        fake_model.fail("slow", times=None)
        _ingest_all(web, api_workspace)
        wait_until(
            lambda: sum(m.status == "processing" for m in ai_replies(workspace)) == CHATS, 20, "replies in flight"
        )
        redis_server.stop()  # cache, broker and channel layer gone while the model writes
        killed_at = time.monotonic()
        time.sleep(5)
        delivered_while_down = len(sink.per_chat())
        redis_server.start()
        with Beat(redis_server):
            wait_until(lambda: _all_delivered(sink), 60, "every chat answered without an operator", interval=0.2)
            recovered_in = time.monotonic() - killed_at
            settle(workspace)
        time.sleep(2)  # a duplicate would arrive now
        states, deliveries = _report(
            f"redis killed mid-generation, {pool} pool ({delivered_while_down} delivered while it was down)",
            workspace,
            sink,
            recovered_in,
        )
        _assert_exactly_once(states, deliveries)
    finally:
        worker.stop()
        web.stop()
