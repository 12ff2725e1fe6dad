"""The channels customers write on, and the contract of a channel adapter: how a reply leaves the
platform.

Plain data both ways, so the caller (conversations) calls down and an adapter never calls up: it
receives an `OutgoingMessage`, delivers it, and returns a `Delivery` or raises `ChannelSendError`
(retryable or not). Adapters declare what their channel can carry in `Capabilities`. Which adapter
serves which channel is decided in one place, `conversations.channels.adapter_for`; the adapters of
our own channels (playground, API) live there too, and the Kommo ones in `integrations.kommo`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

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
    # The CRM records the conversation belongs to (Kommo: lead, contact, talk), when it has them.
    lead_id: str = ""
    contact_id: str = ""
    talk_id: str = ""


@dataclass(frozen=True)
class Delivery:
    external_id: str = ""
    # The channel took the message but confirms later (Salesbot: the bot must ask for it first); the
    # adapter's integration then reports a DeliveryReport.
    pending: bool = False


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


# -- what happens on a channel, reported up ------------------------------------------------------
# Integrations learn things conversations must act on — a customer wrote, a person of the business
# wrote in the CRM, a lead moved, a delivery that was pending succeeded or failed. They report them
# as plain data to the handlers conversations registers from its AppConfig.ready(), so integrations
# still never imports conversations.


@dataclass(frozen=True)
class InboundMessage:
    """A message written on a channel: by the customer (`direction="in"`) or, in the CRM, by a person
    of the business (`"out"`: the AI pauses as when a teammate writes in our inbox)."""

    workspace_id: int
    channel: str
    external_chat_id: str
    external_message_id: str
    text: str
    direction: str = "in"
    sent_at: datetime | None = None
    author_name: str = ""
    customer_handle: str = ""
    attachments: tuple = ()
    lead_id: str = ""
    contact_id: str = ""
    talk_id: str = ""
    pipeline_id: int | None = None
    stage_id: int | None = None
    # The CRM only recorded the message (a manager wrote in a chat of a channel of ours): the platform
    # carries it to the customer through the conversation's adapter.
    deliver: bool = False


@dataclass(frozen=True)
class LeadMoved:
    """A CRM lead is now in this pipeline stage (conversations route by it)."""

    workspace_id: int
    lead_id: str
    pipeline_id: int | None
    stage_id: int | None


@dataclass(frozen=True)
class DeliveryReport:
    """How a delivery the adapter left pending (`Delivery(pending=True)`) ended."""

    workspace_id: int
    message_id: int
    delivered: bool
    external_id: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ConversationLinked:
    """A conversation of one of our channels now has CRM records (its mirrored chat became a lead)."""

    workspace_id: int
    channel: str
    external_chat_id: str
    lead_id: str
    contact_id: str = ""
    talk_id: str = ""
    pipeline_id: int | None = None
    stage_id: int | None = None


# -- mirrors: our own channels' conversations copied into a CRM's chat ----------------------------


@dataclass(frozen=True)
class MirroredMessage:
    """A message of a conversation on one of our channels (the API channel), to be copied into the
    CRM's chat so the business's people see the thread there and can answer it."""

    workspace_id: int
    channel: str
    external_chat_id: str
    message_id: int
    direction: str  # "in": the customer wrote; "out": the AI or a teammate
    author_name: str
    text: str
    sent_at: datetime
    external_message_id: str = ""
    customer_name: str = ""
    customer_handle: str = ""
    attachments: tuple = ()


class ChannelMirror(Protocol):
    def mirror(self, message: MirroredMessage) -> None:
        """Copy the message once (a repeat changes nothing); ChannelSendError when it may be retried."""


_handlers: dict[type, list[Callable[[Any], None]]] = {}


def on_channel_event(kind: type, handler: Callable[[Any], None]) -> None:
    """Register a handler of one kind of event (called from an AppConfig.ready())."""
    if handler not in _handlers.setdefault(kind, []):
        _handlers[kind].append(handler)


def channel_event(event: InboundMessage | LeadMoved | DeliveryReport | ConversationLinked) -> int:
    """Hand an event to its handlers (in the caller's workspace scope); returns how many took it."""
    handlers = _handlers.get(type(event), [])
    for handler in handlers:
        handler(event)
    return len(handlers)
