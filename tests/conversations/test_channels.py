"""The generic API channel posts replies to the workspace's webhook, signed."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conversations.channels import ApiAdapter, webhook_signature
from integrations.channels import ChannelSendError, OutgoingMessage


@pytest.fixture
def receiver():
    received, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            status = answers.pop(0) if answers else 200
            self.send_response(status)
            self.send_header("X-Message-Id", "ext-1")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received, answers
    server.shutdown()


MESSAGE = OutgoingMessage(
    workspace_id=1, conversation_id=2, message_id=3, external_chat_id="c", text="Привет", author="ai"
)


def test_reply_is_posted_with_a_verifiable_signature(receiver):
    url, received, _ = receiver
    delivery = ApiAdapter(webhook_url=url, signing_secret="s3cret").send(MESSAGE)
    headers, body = received[0]
    assert delivery.external_id == "ext-1"
    assert json.loads(body)["message"]["text"] == "Привет"
    expected = webhook_signature("s3cret", headers["X-Timestamp"], body)
    assert headers["X-Signature"] == f"sha256={expected}"
    assert headers["Idempotency-Key"] == "message-3"


def test_server_errors_are_retryable_and_refusals_are_not(receiver):
    url, _, answers = receiver
    answers.extend([503, 400])
    adapter = ApiAdapter(webhook_url=url, signing_secret="s")
    with pytest.raises(ChannelSendError) as server_error:
        adapter.send(MESSAGE)
    assert server_error.value.retryable
    with pytest.raises(ChannelSendError) as refusal:
        adapter.send(MESSAGE)
    assert not refusal.value.retryable
    with pytest.raises(ChannelSendError) as unreachable:
        ApiAdapter(webhook_url="http://127.0.0.1:9/hook", signing_secret="s").send(MESSAGE)
    assert unreachable.value.retryable
