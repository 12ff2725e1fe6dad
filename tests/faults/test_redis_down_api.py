"""Fault: Redis (cache, broker, channel layer) is down and the customer's business goes on. The real
web server, on a private Redis that the test kills: authenticated reads and writes answer as usual
(rate limits fail open, the cache is read from PostgreSQL), /readyz says "degraded" but stays ready,
API-channel ingests are stored (their processing task cannot be queued: the sweep runs them once Redis
is back), and the login lockout still locks (counted in PostgreSQL). Afterwards every stored message
is answered exactly once."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from agents.models import Agent
from conversations.models import Message
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import access_token_for
from tests.faults.conftest import message_states, settle
from tests.faults.processes import WebServer, Worker, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

INGESTS_WHILE_DOWN = 10


def test_with_redis_down_the_api_keeps_working_and_loses_nothing(
    api_workspace, workspace, owner, sink, env_for, broker, redis_server, tmp_path, settings
):
    web = WebServer(env_for(), tmp_path / "web.log").start()
    worker = Worker(env_for(), tmp_path / "worker.log", broker).start()
    bearer = {"Authorization": f"Bearer {access_token_for(owner)}", "X-Workspace": str(workspace.pk)}
    key = {"Authorization": f"Api-Key {api_workspace}"}
    target, other = UserFactory(verified=True), UserFactory(verified=True)
    with workspace_scope(workspace.pk):
        agent = Agent.objects.get()
    calls: list[tuple[str, int, float]] = []

    def call(name: str, method: str, path: str, **kwargs) -> requests.Response:
        started = time.monotonic()
        response = requests.request(method, f"{web.url}{path}", timeout=15, **kwargs)
        calls.append((name, response.status_code, time.monotonic() - started))
        return response

    def ingest(n: int) -> requests.Response:
        body = {"external_chat_id": f"chat-{n}", "external_message_id": f"m-{n}", "text": "Do you deliver?"}
        return call("ingest", "POST", "/api/channels/api/messages", json=body, headers=key)

    try:
        assert ingest(0).status_code == 201
        settle(workspace)
        redis_server.stop()
        for n in range(1, INGESTS_WHILE_DOWN + 1):
            call("list agents", "GET", "/api/agents", headers=bearer)
            call("list conversations", "GET", "/api/conversations", headers=bearer)
            ingest(n)
        ready = call("readyz", "GET", "/readyz")  # degraded, not unready: the load balancer keeps the process
        renamed = call(
            "rename agent", "PATCH", f"/api/agents/{agent.pk}", json={"name": "Support desk"}, headers=bearer
        )
        failures = [
            call("wrong password", "POST", "/api/auth/login", json={"email": target.email, "password": "not it!!"})
            for _ in range(settings.LOGIN_FAILURE_LIMIT)
        ]
        locked = call("login, locked", "POST", "/api/auth/login", json={"email": target.email, "password": PASSWORD})
        signed_in = call("login", "POST", "/api/auth/login", json={"email": other.email, "password": PASSWORD})
        during = Counter((name, status) for name, status, _ in calls[1:])
        slowest = max(seconds for _, _, seconds in calls[1:])
        stored = message_states(workspace)["in"]
        redis_server.start()

        # The ingests' processing tasks were never queued: beat's sweep runs them (5 minutes later).
        with workspace_scope(workspace.pk):
            Message.objects.filter(direction="in", status="received").update(
                updated_at=timezone.now() - timedelta(minutes=6)
            )
        broker.send_task("conversations.tasks.stuck_work_recover_task")
        wait_until(lambda: len(sink.per_chat()) == INGESTS_WHILE_DOWN + 1, 60, "every stored message answered")
        settle(workspace)
        time.sleep(1)  # a duplicate would arrive now
        states = message_states(workspace)
        deliveries = sink.per_chat()
        print(
            f"\n[faults] redis down: answers {dict(sorted(during.items()))}; slowest {slowest:.2f} s; stored while "
            f"down {len(stored) - 1}/{INGESTS_WHILE_DOWN}; after: customer messages "
            f"{dict(Counter(s for _, s in states['in']))}, deliveries per chat {dict(Counter(deliveries.values()))}"
        )
        assert set(during) == {
            ("list agents", 200),
            ("list conversations", 200),
            ("ingest", 201),
            ("readyz", 200),
            ("rename agent", 200),
            ("wrong password", 401),
            ("login, locked", 429),
            ("login", 200),
        }, during
        assert ready.json()["status"] == "degraded" and ready.json()["checks"]["redis"]["ok"] is False
        assert renamed.json()["name"] == "Support desk"
        assert [f.json()["code"] for f in failures] == ["invalid_credentials"] * settings.LOGIN_FAILURE_LIMIT
        assert locked.json()["code"] == "login_locked" and int(locked.headers["Retry-After"]) > 0
        assert signed_in.json()["access"]
        assert slowest < 5, calls
        assert len(stored) == INGESTS_WHILE_DOWN + 1
        assert {s for _, s in states["in"]} == {"answered"}, states
        assert deliveries == Counter({f"chat-{n}": 1 for n in range(INGESTS_WHILE_DOWN + 1)}), deliveries
    finally:
        worker.stop()
        web.stop()
