"""HTTP plumbing of the local Kommo: listeners, the request and response types, the PHP bracket
query parser and the hal+json / problem+json answer helpers.

Each listener is a stdlib `ThreadingHTTPServer` on 127.0.0.1 in a daemon thread; it turns every
HTTP request into a `Request`, hands it to a dispatch function and writes the `Response` back.
The hub (OAuth consent, Chats API, UI) and every account get a listener of their own, because the
host:port of a listener plays the role of a host name (`{subdomain}.kommo.com`, `amojo.kommo.com`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode

HAL_JSON = "application/hal+json"
PROBLEM_JSON = "application/problem+json"

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_DANGEROUS_KEYS = {"__proto__", "constructor", "prototype"}


@dataclass
class Request:
    method: str
    path: str
    raw_query: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    listener: str  # "hub" or "account"
    account: Any = None  # the FakeAccount whose listener got the request
    host: str = ""

    @property
    def query(self) -> dict[str, Any]:
        """The query string as nested dicts/lists, PHP bracket style (`filter[id][]=1`)."""
        return parse_brackets(parse_qsl(self.raw_query, keep_blank_values=True))

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        if not self.body.strip():
            raise ValueError("empty body")
        return json.loads(self.body)

    @property
    def bearer(self) -> str:
        value = self.header("authorization")
        return value[7:].strip() if value[:7].lower() == "bearer " else ""


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (scripted "slow")


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any  # decoded JSON, else the text
    account: Any
    listener: str
    at: float
    status: int = 0


def parse_brackets(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """`a[b][0]=1&a[b][]=2&c=3` -> {"a": {"b": ["1", "2"]}, "c": "3"}; objects whose keys are all
    indexes become lists. Keys like `__proto__` are dropped, as PHP-bracket parsers must."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        match = _KEY.match(key)
        segments = [match.group(1), *_SEGMENT.findall(match.group(2))] if match else [key]
        if any(segment in _DANGEROUS_KEYS for segment in segments):
            continue
        node = root
        for depth, segment in enumerate(segments):
            last = depth == len(segments) - 1
            if segment == "":
                segment = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[segment] = value
            else:
                child = node.get(segment)
                if not isinstance(child, dict):
                    child = {}
                    node[segment] = child
                node = child
    return _listify(root)


def _listify(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    items = {k: _listify(v) for k, v in value.items()}
    if items and all(k.isdigit() for k in items):
        return [items[k] for k in sorted(items, key=int)]
    return items


def php_form(data: dict[str, Any]) -> str:
    """Encode nested dicts/lists as an x-www-form-urlencoded body with PHP bracket keys, the way
    Kommo's webhooks are (`leads[add][0][id]=1`): booleans as 1/0, None as an empty value."""
    pairs: list[tuple[str, str]] = []

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}[{key}]" if prefix else str(key), item)
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                walk(f"{prefix}[{index}]", item)
        elif isinstance(value, bool):
            pairs.append((prefix, "1" if value else "0"))
        elif value is None:
            pairs.append((prefix, ""))
        else:
            pairs.append((prefix, str(value)))

    walk("", data)
    return urlencode(pairs)


# -- answers ------------------------------------------------------------------------------------


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def hal(data: Any, status: int = 200) -> Response:
    return Response(status, _json_bytes(data), HAL_JSON)


def plain_json(data: Any, status: int = 200) -> Response:
    return Response(status, _json_bytes(data), "application/json")


def no_content() -> Response:
    return Response(204)


def html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode(), "text/html; charset=utf-8")


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", None, {"Location": location})


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem(status: int, detail: str, **extra: Any) -> Response:
    """A Kommo problem+json error: {"title","type":"https://httpstatus.es/N","status","detail"}."""
    body = {**extra, "title": _TITLES.get(status, "Error"), "type": f"https://httpstatus.es/{status}"}
    body.update(status=status, detail=detail)
    return Response(status, _json_bytes(body), PROBLEM_JSON)


def validation_problem(errors_by_request: dict[str, list[dict[str, str]]]) -> Response:
    """The 400 with `validation-errors` (KOMMO.md A2): one group per request_id."""
    groups = [{"request_id": rid, "errors": errors} for rid, errors in errors_by_request.items()]
    return problem(400, "Request validation failed", **{"validation-errors": groups})


def error(code: str, path: str, detail: str) -> dict[str, str]:
    return {"code": code, "path": path, "detail": detail}


# -- listeners ----------------------------------------------------------------------------------


class Listener:
    """One HTTP listener (a "host") calling `dispatch(request) -> Response`."""

    def __init__(self, name: str, dispatch: Callable[[Request], Response], *, host: str, port: int, account=None):
        self.name = name
        self.account = account
        listener = self

        class Handler(_Handler):
            owner = listener

        self.dispatch = dispatch
        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"fake-kommo-{name}", daemon=True
        )
        self.thread.start()

    @property
    def host_port(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{host}:{port}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    owner: Listener
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path, _, raw_query = self.path.partition("?")
        request = Request(
            method=self.command,
            path=path,
            raw_query=raw_query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            listener="hub" if self.owner.account is None else "account",
            account=self.owner.account,
            host=self.headers.get("Host", ""),
        )
        try:
            response = self.owner.dispatch(request)
        except Exception as exc:  # a bug in the fake: answer 500 like a server, keep serving
            response = problem(500, f"fake Kommo error: {type(exc).__name__}: {exc}")
        if response.delay:
            threading.Event().wait(response.delay)
        try:
            self.send_response(response.status)
            if response.content_type:
                self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a "slow" failure did its job)
            self.close_connection = True

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle
