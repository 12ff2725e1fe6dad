"""Kommo's account webhooks straight from the ASGI server: the hottest entry point
(bench/kommo_webhooks; Kommo waits 2 s at most, and a burst of deliveries is the load that matters).

Django's request machinery — the ASGI handler's request object, signals, middleware, URL resolving
and asgiref's thread hop — cost about 2 ms of CPU per request on the bench host, most of a webhook's
server time (uvicorn itself: tens of µs). So the answer that matters at volume, a stored or
redelivered webhook's 200, is built here: read the body, run `services.delivery_receive` (the same
service, the same one SQL statement, committed before the answer) in a thread of this path's own
pool, send the JSON with the request id, log the access line. Everything else — another method, an
oversized or damaged body, an unknown secret, any failure — goes to the Django handler (`fallback`)
with the body replayed, so every error answer is the one the Django view gives.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connections

from agent_platform.errors import DomainError
from agent_platform.logs import request_id_var
from agent_platform.middleware import log_access, request_id_for
from integrations.kommo import services

log = logging.getLogger(__name__)

# The account webhooks' URL (integrations/api/hook_urls.py, under /api/).
PATH = re.compile(r"^/api/webhooks/kommo/(?P<secret>[A-Za-z0-9_-]{20,100})(?:/[a-z_-]{1,40})?$")


class WebhookApplication:
    """The ASGI application of the account webhooks' URL; `fallback` (Django's) answers all but a 200."""

    def __init__(self, fallback, *, threads: int | None = None) -> None:
        self.fallback = fallback
        self.threads = ThreadPoolExecutor(
            max_workers=threads or settings.KOMMO_WEBHOOK_THREADS, thread_name_prefix="kommo-webhook"
        )

    async def __call__(self, scope, receive, send) -> None:
        started = time.perf_counter()
        match = PATH.match(scope["path"])
        if scope["method"] != "POST" or match is None or _content_length(scope) > settings.KOMMO_WEBHOOK_MAX_BYTES:
            return await self.fallback(scope, receive, send)
        body, complete = await _read_body(receive, settings.KOMMO_WEBHOOK_MAX_BYTES)
        request_id = request_id_for(_header(scope, b"x-request-id"))
        stored = None
        if complete:
            context = contextvars.copy_context()
            context.run(request_id_var.set, request_id)  # for the service's log lines
            loop = asyncio.get_running_loop()
            stored = await loop.run_in_executor(self.threads, context.run, _store, match["secret"], body)
        if stored is None:
            return await self.fallback(scope, _replay(body, receive, complete), send)
        content = json.dumps(stored).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(content)).encode()),
            (b"x-request-id", request_id.encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": content})
        log_access("POST", scope["path"], 200, started)


def _store(secret: str, body: bytes) -> dict | None:
    """The 200's body, or None: the Django handler answers (a refusal, or a failure it reports)."""
    try:
        delivery, created = services.delivery_receive(secret=secret, body=body)
    except DomainError:
        return None
    except Exception:
        log.warning("Kommo webhook: the fast path failed, the Django handler answers", exc_info=True)
        return None
    finally:
        connections.close_all()  # the connection goes back to the pool
    return {"ok": True, "duplicate": not created, "events": delivery.events}


def _header(scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return ""


def _content_length(scope) -> int:
    try:
        return int(_header(scope, b"content-length") or 0)
    except ValueError:
        return 0


async def _read_body(receive, limit: int) -> tuple[bytes, bool]:
    """The request body and whether it is complete: reading stops past `limit` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"".join(chunks), False
        chunk = message.get("body", b"")
        chunks.append(chunk)
        size += len(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), True
        if size > limit:
            return b"".join(chunks), False


def _replay(body: bytes, receive, complete: bool):
    """`receive` as if nothing had been read: what was read first, then the rest."""
    pending = [{"type": "http.request", "body": body, "more_body": not complete}]

    async def replayed():
        return pending.pop() if pending else await receive()

    return replayed
