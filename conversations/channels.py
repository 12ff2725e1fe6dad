"""Channel adapters: how a reply leaves the platform.

An adapter sends one outgoing message and reports the delivery; it declares what its channel can
carry. `playground` delivers over the websocket (the message is published on every state change),
`api` POSTs the reply, HMAC-signed, to the workspace's webhook URL (and it stays readable through
our API). The Kommo channels (WhatsApp, Telegram, … through Salesbot or the Chats API) plug in here
with the Kommo integration.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Protocol

import requests

from agent_platform.errors import DomainError


@dataclass(frozen=True)
class Capabilities:
    max_text_length: int = 4096
    attachments: bool = False


@dataclass(frozen=True)
class Delivery:
    external_id: str = ""


@dataclass(frozen=True)
class OutgoingMessage:
    workspace_id: int
    conversation_id: int
    message_id: int
    external_chat_id: str
    text: str
    author: str
    attachments: tuple = ()


class ChannelSendError(DomainError):
    status, code, title = 502, "channel_send_failed", "The channel did not accept the message"

    def __init__(self, detail: str = "", *, retryable: bool = True, **extra):
        super().__init__(detail, **extra)
        self.retryable = retryable


class NoChannelAdapter(ChannelSendError):
    code, title = "channel_not_connected", "No integration delivers to this channel"


class ChannelAdapter(Protocol):
    capabilities: Capabilities

    def send(self, message: OutgoingMessage) -> Delivery: ...


class PlaygroundAdapter:
    """Nothing to deliver: the playground UI receives the message over its websocket."""

    capabilities = Capabilities(max_text_length=20000, attachments=True)

    def send(self, message: OutgoingMessage) -> Delivery:
        return Delivery(external_id=f"playground-{message.message_id}")


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`X-Signature: sha256=<hex>` over "<timestamp>.<body>", as receivers should verify it."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class ApiAdapter:
    """Replies go to the workspace's webhook, signed; without a webhook they are fetched from the API."""

    capabilities = Capabilities(max_text_length=20000, attachments=True)
    timeout_seconds = 10.0

    def __init__(self, webhook_url: str = "", signing_secret: str = "") -> None:
        self.webhook_url, self.signing_secret = webhook_url, signing_secret

    def send(self, message: OutgoingMessage) -> Delivery:
        if not self.webhook_url:
            return Delivery(external_id=f"api-{message.message_id}")
        body = json.dumps(
            {
                "event": "message.sent",
                "conversation": {"id": message.conversation_id, "external_chat_id": message.external_chat_id},
                "message": {
                    "id": message.message_id,
                    "text": message.text,
                    "author": message.author,
                    "attachments": list(message.attachments),
                },
            },
            ensure_ascii=False,
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-Timestamp": timestamp,
            "X-Signature": "sha256=" + webhook_signature(self.signing_secret, timestamp, body),
            "Idempotency-Key": f"message-{message.message_id}",
        }
        try:
            response = requests.post(self.webhook_url, data=body, headers=headers, timeout=self.timeout_seconds)
        except requests.RequestException as exc:
            raise ChannelSendError(f"Webhook unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500 or response.status_code == 429:
            raise ChannelSendError(f"Webhook answered {response.status_code}")
        if response.status_code >= 400:
            raise ChannelSendError(f"Webhook refused the message ({response.status_code})", retryable=False)
        return Delivery(external_id=response.headers.get("X-Message-Id", f"api-{message.message_id}"))
