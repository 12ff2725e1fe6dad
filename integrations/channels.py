"""The channels customers write on, and the contract of a channel adapter: how a reply leaves the
platform.

Plain data both ways, so the caller (conversations) calls down and an adapter never calls up: it
receives an `OutgoingMessage`, delivers it, and returns a `Delivery` or raises `ChannelSendError`
(retryable or not). Adapters declare what their channel can carry in `Capabilities`. Which adapter
serves which channel is decided in one place, `conversations.channels.adapter_for`; the adapters of
our own channels (playground, API) live there too, and the Kommo ones in `integrations.kommo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.db import models

from agent_platform.errors import DomainError


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook Messenger"
    VIBER = "viber", "Viber"
    EMAIL = "email", "Email"
    WEB_CHAT = "web_chat", "Web chat"
    API = "api", "API"
    PLAYGROUND = "playground", "Playground"


@dataclass(frozen=True)
class Capabilities:
    max_text_length: int = 4096
    attachments: bool = False


@dataclass(frozen=True)
class OutgoingMessage:
    workspace_id: int
    conversation_id: int
    message_id: int
    external_chat_id: str
    text: str
    author: str
    attachments: tuple = ()


@dataclass(frozen=True)
class Delivery:
    external_id: str = ""


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
