"""Realtime events: group names and the one helper that publishes to websocket subscribers.

Groups: `ws.<workspace>` (agents, notifications, conversation list), `ws.<workspace>.<kind>.<id>`
(e.g. a conversation's messages). Event types are `"<entity>.<event>"`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from asgiref.sync import async_to_sync
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


_loop: asyncio.AbstractEventLoop | None = None
_loop_pid: int | None = None
_loop_lock = threading.Lock()


def _publisher_loop() -> asyncio.AbstractEventLoop:
    """One event loop per process, kept running in a daemon thread, so the channel layer's Redis
    connections are reused across publishes (async_to_sync would open a new loop, and so new
    connections, every time). Re-created after a fork (Celery's prefork workers)."""
    global _loop, _loop_pid
    with _loop_lock:
        if _loop is None or _loop_pid != os.getpid():
            _loop, _loop_pid = asyncio.new_event_loop(), os.getpid()
            threading.Thread(target=_loop.run_forever, name="realtime-publisher", daemon=True).start()
        return _loop


def publish_now(group_name: str, event_type: str, payload: dict[str, Any]) -> None:
    """Send one event to a group. A realtime outage must never fail the work that caused the
    event: subscribers re-read state when they reconnect."""
    layer = get_channel_layer()
    if layer is None:
        return
    message = {"type": CONSUMER_HANDLER, "event": event_type, "payload": payload}
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # the usual case: called from sync code
            asyncio.run_coroutine_threadsafe(layer.group_send(group_name, message), _publisher_loop()).result(5)
        else:  # called from async code through sync_to_async's thread: keep asgiref's bridging
            async_to_sync(layer.group_send)(group_name, message)
    except Exception:
        logger.warning("realtime publish failed", extra={"group": group_name, "event": event_type}, exc_info=True)


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
