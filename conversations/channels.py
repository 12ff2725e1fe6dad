"""Which adapter delivers a conversation's replies (the one place adapters are registered per
channel), and the adapters of the platform's own channels.

`playground` delivers over the websocket (the message is published on every state change); `api`
POSTs the reply, HMAC-signed, to the workspace's webhook URL (and it stays readable through our
API). The adapter contract (`OutgoingMessage` in, `Delivery` out, `ChannelSendError`) is
`integrations.channels`; the Kommo channels (WhatsApp, Telegram, … through Salesbot or the Chats
API) take their adapter from `integrations.kommo` in `ADAPTERS` below.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable

import requests

from conversations.models import ApiChannelSettings, Conversation
from integrations.channels import (
    Capabilities,
    Channel,
    ChannelAdapter,
    ChannelMirror,
    ChannelSendError,
    Delivery,
    NoChannelAdapter,
    OutgoingMessage,
)
from integrations.kommo.services import chats_mirror as kommo_chats_mirror
from integrations.kommo.services import reply_adapter as kommo_reply_adapter


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


def _api_adapter(conversation: Conversation) -> ChannelAdapter:
    settings_row = ApiChannelSettings.objects.first()
    return ApiAdapter(
        webhook_url=settings_row.webhook_url if settings_row else "",
        signing_secret=settings_row.signing_secret if settings_row else "",
    )


# The messengers customers reach the business on through Kommo: replies go back through Kommo
# (Salesbot, or the Chats API for a channel of our own; the integration's setting).
KOMMO_CHANNELS = (
    Channel.WHATSAPP,
    Channel.TELEGRAM,
    Channel.INSTAGRAM,
    Channel.FACEBOOK,
    Channel.VIBER,
    Channel.EMAIL,
    Channel.WEB_CHAT,
)

# channel → the adapter for one conversation on it. A channel missing here has no integration: its
# replies fail visibly with `channel_not_connected`.
ADAPTERS: dict[str, Callable[[Conversation], ChannelAdapter]] = {
    Channel.PLAYGROUND: lambda conversation: PlaygroundAdapter(),
    Channel.API: _api_adapter,
    **dict.fromkeys(KOMMO_CHANNELS, lambda conversation: kommo_reply_adapter()),
}


def adapter_for(conversation: Conversation) -> ChannelAdapter:
    factory = ADAPTERS.get(conversation.channel)
    if factory is None:
        raise NoChannelAdapter(
            f"No connected integration delivers to {conversation.channel}; connect Kommo.", retryable=False
        )
    return factory(conversation)


# channel → the mirror copying its conversations into the CRM's chats, or None when none is set up
# (the workspace's Kommo replies by the Chats API route: our API channel's chats appear in Kommo).
MIRRORS: dict[str, Callable[[], ChannelMirror | None]] = {
    Channel.API: kommo_chats_mirror,
}


def mirror_for(channel: str) -> ChannelMirror | None:
    factory = MIRRORS.get(channel)
    return factory() if factory is not None else None
