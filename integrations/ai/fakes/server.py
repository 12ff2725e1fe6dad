"""A local HTTP server speaking the wire formats of OpenAI (chat completions, embeddings), Gemini
(generateContent, embedContent, batchEmbedContents) and Anthropic (messages), for the tests and the
offline demo. The real SDKs are pointed at it through their base URL.

    with FakeAIServer() as fake:
        fake.fail("429", times=2, retry_after=1)   # the next two calls answer 429 + Retry-After: 1
        client = openai.OpenAI(api_key="sk-test", base_url=fake.openai_base_url)

Failures (`fail(kind, times=1, model=None, retry_after=None)`): "429", "500", "503", "400", "401",
"slow" (answers after `slow_seconds`, for client timeouts), "malformed" (200 with a broken JSON
body). `times=None` keeps failing; `model=` fails only calls to that model. Replies: `reply_text`,
`reply_json` (else a value is made up from the request's JSON schema), `usage` (input, output,
cached tokens; else counted as words). Every request is kept in `requests`.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_GEMINI_PATH = re.compile(r"^/v1(?:beta|alpha)?/models/(?P<model>[^:/]+):(?P<method>\w+)$")


@dataclass
class FailureRule:
    kind: str
    times: int | None = 1
    model: str | None = None
    retry_after: float | None = None


@dataclass
class RecordedRequest:
    provider: str
    path: str
    model: str
    headers: dict[str, str]
    body: Any
    at: float = field(default_factory=time.monotonic)


class FakeAIServer:
    def __init__(self) -> None:
        self.reply_text = "This is a reply from the fake AI server."
        self.reply_json: Any = None
        self.usage: tuple[int, int, int] | None = None
        self.slow_seconds = 3.0
        self.valid_keys: set[str] | None = None  # None: any non-empty key is accepted
        self.requests: list[RecordedRequest] = []
        self._rules: list[FailureRule] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> FakeAIServer:
        fake = self

        class Handler(_Handler):
            server_state = fake

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-ai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the fake first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return self.url

    @property
    def gemini_base_url(self) -> str:
        return self.url

    # -- scripting ------------------------------------------------------------------------------
    def fail(self, kind: str, *, times: int | None = 1, model: str | None = None, retry_after: float | None = None):
        with self._lock:
            self._rules.append(FailureRule(kind=kind, times=times, model=model, retry_after=retry_after))

    def reset(self) -> None:
        with self._lock:
            self._rules.clear()
            self.requests.clear()
        self.reply_text = "This is a reply from the fake AI server."
        self.reply_json = None
        self.usage = None
        self.valid_keys = None

    def _take_failure(self, model: str) -> FailureRule | None:
        with self._lock:
            for rule in self._rules:
                if rule.model in (None, model):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            self._rules.remove(rule)
                    return rule
        return None

    def calls(self, provider: str | None = None, model: str | None = None) -> list[RecordedRequest]:
        return [r for r in self.requests if provider in (None, r.provider) and model in (None, r.model)]


def _words(value: Any) -> int:
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, dict):
        return sum(_words(v) for k, v in value.items() if k in ("content", "text", "parts", "system", "contents"))
    if isinstance(value, list):
        return sum(_words(v) for v in value)
    return 0


def _example_for(schema: dict[str, Any] | None) -> Any:
    """A value that satisfies a (simple) JSON schema."""
    schema = schema or {}
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if kind == "object":
        return {name: _example_for(sub) for name, sub in (schema.get("properties") or {}).items()}
    if kind == "array":
        return [_example_for(schema.get("items"))]
    return {"string": "example", "integer": 1, "number": 1.5, "boolean": True, "null": None}.get(kind, "example")


def _vector(text: str, dimensions: int) -> list[float]:
    """A deterministic unit-length vector for a text."""
    values: list[float] = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend((byte - 127.5) / 127.5 for byte in digest)
        counter += 1
    values = values[:dimensions]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [round(v / norm, 6) for v in values]


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # -- plumbing -------------------------------------------------------------------------------
    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a "slow" failure did its job)
            self.close_connection = True

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send(400, {"error": {"message": "body is not JSON"}})
            return
        path = self.path.split("?", 1)[0]
        if path.endswith("/chat/completions"):
            self._dispatch("openai", body.get("model", ""), body, self._openai_chat)
        elif path.endswith("/embeddings"):
            self._dispatch("openai", body.get("model", ""), body, self._openai_embeddings)
        elif path.endswith("/v1/messages"):
            self._dispatch("anthropic", body.get("model", ""), body, self._anthropic_messages)
        elif match := _GEMINI_PATH.match(path):
            handler = {
                "generateContent": self._gemini_generate,
                "embedContent": self._gemini_embed,
                "batchEmbedContents": self._gemini_batch_embed,
            }.get(match["method"])
            if handler is None:
                self._send(404, {"error": {"code": 404, "message": "unknown method", "status": "NOT_FOUND"}})
                return
            self._dispatch("gemini", match["model"], body, handler)
        else:
            self._send(404, {"error": {"message": f"no route {path}"}})

    def _api_key(self, provider: str) -> str:
        if provider == "openai":
            return self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if provider == "anthropic":  # x-api-key, or a bearer token (recent SDKs send the key that way)
            return self.headers.get("x-api-key", "") or self.headers.get("Authorization", "").removeprefix("Bearer ")
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        from_query = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("key", "")
        return self.headers.get("x-goog-api-key", "") or from_query

    def _dispatch(self, provider: str, model: str, body: Any, handler) -> None:
        state = self.server_state
        state.requests.append(
            RecordedRequest(provider=provider, path=self.path, model=model, headers=dict(self.headers), body=body)
        )
        key = self._api_key(provider)
        if not key or (state.valid_keys is not None and key not in state.valid_keys):
            self._error(provider, 401, "invalid api key")
            return
        rule = state._take_failure(model)
        if rule is not None:
            if rule.kind == "slow":
                time.sleep(state.slow_seconds)
            elif rule.kind == "malformed":
                self._send(200, None, raw=b'{"id": "broken", "choices": [')
                return
            else:
                status = int(rule.kind)
                headers = {"Retry-After": f"{rule.retry_after:g}"} if rule.retry_after is not None else {}
                self._error(provider, status, f"simulated {status}", headers)
                return
        handler(model, body)

    def _error(self, provider: str, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        if provider == "anthropic":
            kind = {401: "authentication_error", 429: "rate_limit_error", 400: "invalid_request_error"}.get(
                status, "api_error"
            )
            body: dict[str, Any] = {"type": "error", "error": {"type": kind, "message": message}}
        elif provider == "gemini":
            names = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}
            body = {"error": {"code": status, "message": message, "status": names.get(status, "UNAVAILABLE")}}
        else:
            body = {"error": {"message": message, "type": "fake_error", "code": str(status)}}
        self._send(status, body, headers)

    def _usage(self, prompt: Any, reply: str) -> tuple[int, int, int]:
        if self.server_state.usage is not None:
            return self.server_state.usage
        return max(1, _words(prompt)), max(1, len(reply.split())), 0

    def _reply(self, schema: dict[str, Any] | None) -> tuple[str, Any]:
        state = self.server_state
        if schema is None:
            return state.reply_text, None
        value = state.reply_json if state.reply_json is not None else _example_for(schema)
        return json.dumps(value, ensure_ascii=False), value

    # -- OpenAI ---------------------------------------------------------------------------------
    def _openai_chat(self, model: str, body: dict[str, Any]) -> None:
        response_format = body.get("response_format") or {}
        schema = (response_format.get("json_schema") or {}).get("schema") if response_format else None
        if response_format.get("type") == "json_object":
            schema = {"type": "object"}
        text, _ = self._reply(schema)
        input_tokens, output_tokens, cached = self._usage(body.get("messages"), text)
        request_id = f"req_{len(self.server_state.requests)}"
        self._send(
            200,
            {
                "id": f"chatcmpl-{len(self.server_state.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {
                    "prompt_tokens": input_tokens,
                    "completion_tokens": output_tokens,
                    "total_tokens": input_tokens + output_tokens,
                    "prompt_tokens_details": {"cached_tokens": cached},
                },
            },
            {"x-request-id": request_id},
        )

    def _openai_embeddings(self, model: str, body: dict[str, Any]) -> None:
        inputs = body.get("input")
        inputs = [inputs] if isinstance(inputs, str) else list(inputs or [])
        dimensions = int(body.get("dimensions") or 1536)
        tokens = sum(len(str(text).split()) for text in inputs)
        self._send(
            200,
            {
                "object": "list",
                "model": model,
                "data": [
                    {"object": "embedding", "index": i, "embedding": _vector(str(text), dimensions)}
                    for i, text in enumerate(inputs)
                ],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            },
        )

    # -- Anthropic ------------------------------------------------------------------------------
    def _anthropic_messages(self, model: str, body: dict[str, Any]) -> None:
        tools = body.get("tools") or []
        forced = (body.get("tool_choice") or {}).get("name")
        tool = next((t for t in tools if t.get("name") == forced), None)
        if tool is not None:
            _, value = self._reply(tool.get("input_schema") or {"type": "object"})
            content = [{"type": "tool_use", "id": "toolu_fake", "name": tool["name"], "input": value}]
            text, stop_reason = json.dumps(value), "tool_use"
        else:
            text, _ = self._reply(None)
            content, stop_reason = [{"type": "text", "text": text}], "end_turn"
        input_tokens, output_tokens, cached = self._usage([body.get("system") or "", body.get("messages")], text)
        self._send(
            200,
            {
                "id": f"msg_{len(self.server_state.requests)}",
                "type": "message",
                "role": "assistant",
                "model": model,
                "content": content,
                "stop_reason": stop_reason,
                "stop_sequence": None,
                "usage": {
                    "input_tokens": input_tokens - cached,
                    "output_tokens": output_tokens,
                    "cache_read_input_tokens": cached,
                    "cache_creation_input_tokens": 0,
                },
            },
            {"request-id": f"req_anthropic_{len(self.server_state.requests)}"},
        )

    # -- Gemini ---------------------------------------------------------------------------------
    def _gemini_generate(self, model: str, body: dict[str, Any]) -> None:
        config = body.get("generationConfig") or {}
        schema = config.get("responseJsonSchema") or config.get("responseSchema")
        if schema is None and config.get("responseMimeType") == "application/json":
            schema = {"type": "object"}
        text, _ = self._reply(schema)
        input_tokens, output_tokens, cached = self._usage(
            [body.get("systemInstruction") or {}, body.get("contents")], text
        )
        self._send(
            200,
            {
                "candidates": [
                    {"content": {"role": "model", "parts": [{"text": text}]}, "finishReason": "STOP", "index": 0}
                ],
                "usageMetadata": {
                    "promptTokenCount": input_tokens,
                    "candidatesTokenCount": output_tokens,
                    "totalTokenCount": input_tokens + output_tokens,
                    "cachedContentTokenCount": cached,
                },
                "modelVersion": model,
                "responseId": f"gemini-{len(self.server_state.requests)}",
            },
        )

    @staticmethod
    def _gemini_text(content: dict[str, Any]) -> str:
        return " ".join(part.get("text", "") for part in (content or {}).get("parts", []))

    def _gemini_embed(self, model: str, body: dict[str, Any]) -> None:
        dimensions = int(body.get("outputDimensionality") or 3072)
        self._send(200, {"embedding": {"values": _vector(self._gemini_text(body.get("content")), dimensions)}})

    def _gemini_batch_embed(self, model: str, body: dict[str, Any]) -> None:
        embeddings = []
        for item in body.get("requests", []):
            dimensions = int(item.get("outputDimensionality") or 3072)
            embeddings.append({"values": _vector(self._gemini_text(item.get("content")), dimensions)})
        self._send(200, {"embeddings": embeddings})
