"""Realtime events: group names and the one helper that publishes to websocket subscribers.

Groups: `ws.<workspace>` (agents, notifications, conversation list), `ws.<workspace>.<kind>.<id>`
(e.g. a conversation's messages). Event types are `"<entity>.<event>"`.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

CONSUMER_HANDLER = "realtime.event"  # → the consumer method `realtime_event`


def group(workspace_id: int, kind: str | None = None, obj_id: int | str | None = None) -> str:
    name = f"ws.{int(workspace_id)}"
    if kind is not None:
        name += f".{kind}.{obj_id}"
    if len(name) >= 100 or not name.isascii():
        raise ValueError(f"invalid group name {name!r}")
    return name


class _Publisher:
    """One event loop per process in a daemon thread, with one coroutine sending queued events in
    order. Callers only enqueue (no waiting on Redis in the request or task); the channel layer's
    Redis connections are reused across publishes (async_to_sync would open a new loop, and so new
    connections, every time). Re-created after a fork (Celery's prefork workers)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.queue: asyncio.Queue = asyncio.Queue()
        self.idle = threading.Event()
        self.idle.set()
        self.pending = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._run, name="realtime-publisher", daemon=True).start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._drain())

    async def _drain(self) -> None:
        while True:
            group_name, message = await self.queue.get()
            try:
                layer = get_channel_layer()
                if layer is not None:
                    await layer.group_send(group_name, message)
            except Exception:
                logger.warning(
                    "realtime publish failed", extra={"group": group_name, "event": message["event"]}, exc_info=True
                )
            finally:
                with self.lock:
                    self.pending -= 1
                    if not self.pending:
                        self.idle.set()

    def submit(self, group_name: str, message: dict[str, Any]) -> None:
        with self.lock:
            self.pending += 1
            self.idle.clear()
        self.loop.call_soon_threadsafe(self.queue.put_nowait, (group_name, message))


_publisher: _Publisher | None = None
_publisher_lock = threading.Lock()


def _current_publisher() -> _Publisher:
    global _publisher
    with _publisher_lock:
        if _publisher is None or _publisher.pid != os.getpid():
            _publisher = _Publisher()
        return _publisher


def _forget_after_fork() -> None:
    """A forked child (Celery's prefork pool) has none of the parent's threads: it starts its own
    publisher, and a lock held by a parent thread at the fork must not stay held in the child."""
    global _publisher, _publisher_lock
    _publisher, _publisher_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def flush(timeout: float = 5.0) -> bool:
    """Wait until every event published so far is sent (process exit, tests); False on timeout."""
    return _publisher is None or _publisher.pid != os.getpid() or _publisher.idle.wait(timeout)


atexit.register(flush, 2.0)


def publish_now(group_name: str, event_type: str, payload: dict[str, Any]) -> None:
    """Queue one event for a group; it is sent in order, in the background. A realtime outage
    must never fail (or slow) the work that caused the event: subscribers re-read state when they
    reconnect."""
    if get_channel_layer() is None:
        return
    _current_publisher().submit(group_name, {"type": CONSUMER_HANDLER, "event": event_type, "payload": payload})


# What a socket may subscribe to beyond its workspace: {"type": "subscribe", "<kind>": <id>}. Each
# app registers its kinds from its AppConfig.ready() with the check that an object of that kind
# exists in the active workspace scope (the consumer sets it), so the platform imports no app.
_subscription_checks: dict[str, Callable[[int], bool]] = {}


def subscription_kind_register(kind: str, visible: Callable[[int], bool]) -> None:
    group(0, kind, 0)  # the kind must make valid group names
    _subscription_checks[kind] = visible


def subscription_kinds() -> list[str]:
    return list(_subscription_checks)


def subscription_visible(kind: str, obj_id: int) -> bool:
    """Whether the socket may join this object's group; call inside the socket's workspace scope."""
    check = _subscription_checks.get(kind)
    return check is not None and check(obj_id)


def user_group(user_id: int) -> str:
    """Every open socket of one user, whatever its workspace: session control, never domain data."""
    return f"user.{int(user_id)}"


def sessions_revoked(user_id: int, generation: int) -> None:
    """After commit, tell the user's open sockets that sessions older than `generation` have ended
    (each closes with 4401; one holding a newer token reconnects)."""
    message = {"type": "session.revoked", "event": "session.revoked", "generation": generation}

    def send() -> None:
        if get_channel_layer() is not None:
            _current_publisher().submit(user_group(user_id), message)

    transaction.on_commit(send)


def session_ended(user_id: int, session_id: str) -> None:
    """After commit, tell the user's open sockets that one session has ended (a logout): the
    sockets opened with its tokens close with 4401, the user's other sessions stay."""
    message = {"type": "session.revoked", "event": "session.revoked", "session": session_id}

    def send() -> None:
        if get_channel_layer() is not None:
            _current_publisher().submit(user_group(user_id), message)

    transaction.on_commit(send)


def publish(
    workspace_id: int,
    event_type: str,
    payload: dict[str, Any],
    *,
    kind: str | None = None,
    obj_id: int | str | None = None,
) -> None:
    """Publish after the current transaction commits (immediately when there is none)."""
    group_name = group(workspace_id, kind, obj_id)
    transaction.on_commit(lambda: publish_now(group_name, event_type, payload))
