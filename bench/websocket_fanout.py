"""bench/websocket_fanout: 200 websocket subscribers on the platform's web server (uvicorn, two
workers, DEBUG off, the Redis channel layer) receiving a burst of conversation events published by
the real service path.

    .venv/bin/python bench/websocket_fanout.py [--sockets 200] [--workspaces 4] [--events 50]
                                               [--workers 2] [--connect-concurrency 20]

Each socket is one member of one of `workspaces` workspaces (the sockets spread evenly; the owner's
tab included) and connects the way the SPA does: `/ws/?workspace=<id>`, then a first message
`{"type": "auth", "token": <access JWT>}`, `connection.ready`, then `{"type": "subscribe",
"conversation": <id>}` for the workspace's open conversation (everyone watching the live thread).
Before the burst every socket sends a `ping` and times the `pong`: the server's bare round trip in
the same run, the baseline. Then the bench process writes `events` replies as a teammate
(`conversations.services.human_message_send`, round robin over the workspaces, back to back): each
commits a message and publishes `message.created` to the conversation's group and
`conversation.updated` to the workspace's and the conversation's (what the inbox and the thread
show). Latency is from the moment the service publishes `message.created` (after its commit,
`realtime.publish_now`) to the receipt on each socket (one clock: the same process). Prints delivery p50/p95/p99
and max, events lost (must be 0), duplicates (must be 0), connection errors and sockets closed
during the burst. The send tasks the messages enqueue are purged (no worker runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import threading
import time
import uuid

from _setup import asgi_server, percentile, prepare
from kommo_webhooks import cpu_model


def setup(sockets: int, workspaces: int) -> list[dict]:
    """`workspaces` workspaces, each with an open conversation and its share of the members (the
    owner first): [{workspace, conversation, owner, tokens: [...]}]."""
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.services import membership_add
    from agent_platform.tenancy import workspace_scope
    from conversations.models import Conversation
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    run = uuid.uuid4().hex[:8]
    spaces = []
    for w in range(workspaces):
        owner = UserFactory(email=f"fanout-{run}-{w}@example.com", password=None)
        workspace = WorkspaceFactory(name=f"Fan-out {run} {w}", owner=owner)
        with workspace_scope(workspace.pk):
            conversation = Conversation.objects.create(
                workspace=workspace, channel="api", external_chat_id=f"fanout-{run}", customer_name="Ana"
            )
        users = [owner]
        for n in range(sockets // workspaces + (1 if w < sockets % workspaces else 0) - 1):
            member = UserFactory(email=f"fanout-{run}-{w}-{n}@example.com", password=None)
            membership_add(workspace=workspace, user=member)
            users.append(member)
        tokens = [str(RefreshToken.for_user(user).access_token) for user in users]
        spaces.append({"workspace": workspace, "conversation": conversation, "owner": owner, "tokens": tokens})
    return spaces


class Subscriber:
    """One socket, as the SPA opens it; records what arrives and when."""

    def __init__(self, url: str, workspace_id: int, conversation_id: int, token: str) -> None:
        self.url, self.workspace_id, self.conversation_id, self.token = url, workspace_id, conversation_id, token
        self.created: list[tuple[int, float]] = []  # (message id, received at)
        self.updates = 0
        self.pong = asyncio.Event()
        self.closed_early = False
        self.socket = None

    async def open(self) -> None:
        from websockets.asyncio.client import connect

        self.socket = await connect(f"{self.url}/ws/?workspace={self.workspace_id}", open_timeout=30)
        await self.socket.send(json.dumps({"type": "auth", "token": self.token}))
        await self._expect("connection.ready")
        await self.socket.send(json.dumps({"type": "subscribe", "conversation": self.conversation_id}))
        await self._expect("subscribed")

    async def _expect(self, kind: str) -> None:
        frame = json.loads(await asyncio.wait_for(self.socket.recv(), 30))
        if frame.get("type") != kind:
            raise RuntimeError(f"expected {kind}, got {frame}")

    async def listen(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in self.socket:
                now = time.time()
                frame = json.loads(raw)
                if frame["type"] == "message.created":
                    self.created.append((frame["payload"]["id"], now))
                elif frame["type"] == "conversation.updated":
                    self.updates += 1
                elif frame["type"] == "pong":
                    self.pong.set()
        except ConnectionClosed:
            self.closed_early = True

    async def ping(self) -> float:
        self.pong.clear()
        begin = time.perf_counter()
        await self.socket.send(json.dumps({"type": "ping"}))
        await asyncio.wait_for(self.pong.wait(), 30)
        return (time.perf_counter() - begin) * 1000


def publish_burst(spaces: list[dict], events: int, published: dict, done: threading.Event) -> None:
    """The teammates' replies through the real service, round robin; the moment each message's
    `message.created` is published (after its commit: realtime.publish_now, timed here)."""
    from django.db import connection

    from agent_platform import realtime
    from agent_platform.tenancy import workspace_scope
    from conversations.services import human_message_send

    publish_now = realtime.publish_now
    workspace_of = {space["conversation"].pk: space["workspace"].pk for space in spaces}

    def timed(group_name: str, event_type: str, payload: dict) -> None:  # the moment the event is published
        if event_type == "message.created":
            published[payload["id"]] = (time.time(), workspace_of[payload["conversation"]])
        publish_now(group_name, event_type, payload)

    realtime.publish_now = timed
    try:
        for n in range(events):
            space = spaces[n % len(spaces)]
            with workspace_scope(space["workspace"].pk):
                space["conversation"].refresh_from_db()
                human_message_send(conversation=space["conversation"], user=space["owner"], text=f"burst {n}")
    finally:
        realtime.publish_now = publish_now
        connection.close()
        done.set()


async def measure(url: str, spaces: list[dict], events: int, concurrency: int) -> dict:
    subscribers = [
        Subscriber(url, space["workspace"].pk, space["conversation"].pk, token)
        for space in spaces
        for token in space["tokens"]
    ]
    gate = asyncio.Semaphore(concurrency)

    async def open_one(subscriber: Subscriber) -> str | None:
        async with gate:
            try:
                await subscriber.open()
            except Exception as error:
                subscriber.socket = None
                return f"{type(error).__name__}: {error}"
        return None

    started = time.monotonic()
    errors = [e for e in await asyncio.gather(*(open_one(s) for s in subscribers)) if e]
    connect_seconds = time.monotonic() - started
    live = [s for s in subscribers if s.socket is not None]
    listeners = [asyncio.create_task(s.listen()) for s in live]
    pings = list(await asyncio.gather(*(s.ping() for s in live)))

    published: dict[int, tuple[float, int]] = {}
    done = threading.Event()
    burst_started = time.time()
    threading.Thread(target=publish_burst, args=(spaces, events, published, done), daemon=True).start()
    while not done.is_set():
        await asyncio.sleep(0.05)
    burst_seconds = time.time() - burst_started
    expected = {s: {m for m, (_, ws) in published.items() if ws == s.workspace_id} for s in live}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(len({m for m, _ in s.created}) < len(expected[s]) for s in live):
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # late duplicates, if any
    for socket in (s.socket for s in live):
        await socket.close()
    await asyncio.gather(*listeners, return_exceptions=True)

    latencies, lost, duplicates, strangers = [], 0, 0, 0
    by_message: dict[int, list[float]] = {}
    for s in live:
        ids = [m for m, _ in s.created]
        lost += len(expected[s] - set(ids))
        duplicates += len(ids) - len(set(ids))
        strangers += len(set(ids) - expected[s])  # another workspace's message: a leak
        latencies += [(at - published[m][0]) * 1000 for m, at in s.created if m in published]
        for m, at in s.created:
            if m in published:
                by_message.setdefault(m, []).append((at - published[m][0]) * 1000)
    return {
        "sockets": len(subscribers),
        "connected": len(live),
        "errors": errors,
        "connect_seconds": connect_seconds,
        "closed_early": sum(s.closed_early for s in live),
        "pings": pings,
        "published": len(published),
        "burst_seconds": burst_seconds,
        "deliveries_expected": sum(len(e) for e in expected.values()),
        "latencies": latencies,
        "lost": lost,
        "duplicates": duplicates,
        "strangers": strangers,
        "updates": sum(s.updates for s in live),
        # The median delivery of the burst's first and last message: a backlog grows along the burst.
        "first_last": [percentile(by_message[m], 50) for m in sorted(by_message)[:: max(1, len(by_message) - 1)]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sockets", type=int, default=200)
    parser.add_argument("--workspaces", type=int, default=4)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn's worker processes")
    parser.add_argument("--connect-concurrency", type=int, default=20, help="handshakes in flight at once")
    args = parser.parse_args()
    prepare()

    from agent_platform import realtime
    from agent_platform.celery import app

    spaces = setup(args.sockets, args.workspaces)
    try:
        with asgi_server("uvicorn", args.workers) as url:
            result = asyncio.run(measure(url.replace("http", "ws", 1), spaces, args.events, args.connect_concurrency))
    finally:
        realtime.flush(5)
        app.control.purge()  # the send tasks the replies enqueued (no worker ran)
    report(args, result)


def report(args, r: dict) -> None:
    lat, pings = r["latencies"], r["pings"]
    print(f"host: {cpu_model()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", end="; ")
    print(f"uvicorn × {args.workers}")
    print(
        f"sockets: {r['connected']} of {r['sockets']} connected and subscribed in {r['connect_seconds']:.1f} s"
        f" ({args.workspaces} workspaces), connection errors {len(r['errors'])}, closed during the burst"
        f" {r['closed_early']}" + (f"; first error: {r['errors'][0]}" if r["errors"] else "")
    )
    print(f"baseline ping → pong: p50 {percentile(pings, 50):.1f} / p95 {percentile(pings, 95):.1f} ms")
    print(
        f"burst: {r['published']} messages in {r['burst_seconds']:.2f} s through human_message_send;"
        f" message.created deliveries {len(lat)} of {r['deliveries_expected']} expected"
        f" (+ {r['updates']} conversation.updated)"
    )
    if lat:
        print(
            f"delivery latency publish → receipt: p50 {percentile(lat, 50):.1f} / p95 {percentile(lat, 95):.1f}"
            f" / p99 {percentile(lat, 99):.1f} / max {max(lat):.1f} ms"
            f" (p95 / ping p95: {percentile(lat, 95) / percentile(pings, 95):.1f});"
            f" the burst's first message {r['first_last'][0]:.1f} ms, its last {r['first_last'][-1]:.1f} ms (p50)"
        )
    print(f"lost {r['lost']}, duplicates {r['duplicates']}, other workspaces' events {r['strangers']} (all must be 0)")


if __name__ == "__main__":
    main()
