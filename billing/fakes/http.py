"""HTTP plumbing of the local Stripe: one stdlib ThreadingHTTPServer in a daemon thread, Stripe's
form encoding with bracket keys (`items[0][price]=price_…`), JSON answers and Stripe's error JSON."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, Any]
    form: dict[str, Any]
    headers: dict[str, str]  # lower-cased names

    def param(self, name: str, default: Any = None) -> Any:
        return self.form.get(name, self.query.get(name, default))


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


class StripeError(Exception):
    """Answered as Stripe's error JSON: {"error": {"type", "message", "code", "param"}}."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", code=None, param=None):
        super().__init__(message)
        self.status, self.message, self.type, self.code, self.param = status, message, type, code, param

    def response(self) -> Response:
        error = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
            error["doc_url"] = f"https://stripe.com/docs/error-codes/{self.code.replace('_', '-')}"
        if self.param:
            error["param"] = self.param
        return json_response({"error": error}, self.status)


def parse_brackets(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`items[0][price]=p&metadata[a]=1&expand[0]=x` -> {"items": [{"price": "p"}], "metadata": {"a": "1"},
    "expand": ["x"]}: objects whose keys are all indexes become lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        segments = [match.group(1), *_SEGMENT.findall(match.group(2))] if match else [key]
        node = root
        for depth, segment in enumerate(segments):
            if segment == "":
                segment = str(sum(1 for k in node if k.isdigit()))
            if depth == len(segments) - 1:
                node[segment] = value
            else:
                child = node.get(segment)
                if not isinstance(child, dict):
                    child = node[segment] = {}
                node = child
    return _listify(root)


def _listify(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    items = {k: _listify(v) for k, v in value.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, json.dumps(data).encode())


def html_response(text: str, status: int = 200) -> Response:
    return Response(status, text.encode(), "text/html; charset=utf-8")


def redirect(location: str) -> Response:
    return Response(303, b"", "text/plain", {"Location": location})


class Listener:
    def __init__(self, dispatch: Callable[[Request], Response], *, host: str, port: int):
        listener = self

        class Handler(_Handler):
            owner = listener

        self.dispatch = dispatch
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-stripe", daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: Listener
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, raw_query = self.path.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items()}
        form = {}
        if body and "json" not in headers.get("content-type", ""):
            form = parse_brackets(parse_qsl(body.decode(), keep_blank_values=True))
        request = Request(
            method=self.command,
            path=path,
            query=parse_brackets(parse_qsl(raw_query, keep_blank_values=True)),
            form=form,
            headers=headers,
        )
        try:
            response = self.owner.dispatch(request)
        except StripeError as exc:
            response = exc.response()
        except Exception as exc:  # a bug in the fake: answer like Stripe's 500, keep serving
            response = StripeError(500, f"fake Stripe error: {type(exc).__name__}: {exc}", type="api_error").response()
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Request-Id", "req_local")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_DELETE = _handle
