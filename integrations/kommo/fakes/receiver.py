"""`HookReceiver`: a tiny HTTP server standing in for *our* side in tests of the local Kommo — it
records what the fake sends (account webhooks, Salesbot widget requests, the revoke hook, Chats
API hooks, the OAuth redirect) and answers with a scripted status, after an optional delay.

    with HookReceiver(status=200) as hooks:
        kommo.add_webhook(account, hooks.url + "/kommo", ["add_message"])
        ...
        assert hooks.wait_for(1)
        hooks.received[0].form()   # the body parsed back from PHP bracket notation
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from integrations.kommo.fakes.server import parse_brackets


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def form(self) -> dict[str, Any]:
        return parse_brackets(parse_qsl(self.body.decode(), keep_blank_values=True))


class HookReceiver:
    def __init__(
        self,
        *,
        status: int = 200,
        delay: float = 0.0,
        respond: Callable[[Received], tuple[int, bytes]] | None = None,
    ) -> None:
        self.status = status
        self.delay = delay
        self.respond = respond
        self.received: list[Received] = []
        self._changed = threading.Condition()
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> HookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                path, _, query = self.path.partition("?")
                item = Received(
                    self.command,
                    path,
                    dict(parse_qsl(query, keep_blank_values=True)),
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length) if length else b"",
                )
                with receiver._changed:
                    receiver.received.append(item)
                    receiver._changed.notify_all()
                if receiver.delay:
                    time.sleep(receiver.delay)
                status, body = receiver.respond(item) if receiver.respond else (receiver.status, b"ok")
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="hook-receiver", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> HookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the receiver first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def wait_for(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least `count` requests arrived."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True
