"""What reaches us from the Chats API channel: the hook Kommo POSTs when a manager writes in one of
the channel's chats (KOMMO.md A4), and the account webhooks that tell which lead a mirrored chat
became.

The hook is sent once and never retried, and Kommo waits 5 s for a 200: it is verified (hex
HMAC-SHA1 of the body with the channel's secret), stored and queued before we answer, so an answered
hook is never lost — like every stored delivery it is processed by the drain (`inbox`), which beat
also runs every few seconds. The scope in the URL names the connection; the signature proves it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime
from typing import Any

from django.db import transaction

from integrations.channels import ConversationLinked, InboundMessage, channel_event
from integrations.kommo.chats_client import hook_signature
from integrations.kommo.exceptions import SignatureInvalid, WebhookBodyInvalid
from integrations.kommo.models import KommoChat, KommoChatMessage, KommoIntegration, KommoWebhookDelivery
from integrations.kommo.selectors import chats_channel
from integrations.kommo.services.chats import FROM_KOMMO_PREFIX
from integrations.kommo.services.crm import entity_get
from integrations.kommo.services.inbox import drain_wake

log = logging.getLogger(__name__)


class ChatNotMirroredYet(Exception):
    """Kommo's webhook about a chat of ours came before the answer that told us the chat's id."""


def chats_hook_receive(
    *, integration: KommoIntegration, body: bytes, signature: str
) -> tuple[KommoWebhookDelivery, bool]:
    """Verify and store one hook (in the integration's workspace scope) and queue its processing.
    (delivery, created): the same body twice is one delivery."""
    _, secret, _ = chats_channel(integration)
    if not secret or not hmac.compare_digest(hook_signature(secret, body), signature.strip().lower()):
        raise SignatureInvalid("The X-Signature of the Chats API hook does not match its body.")
    payload = _parsed(body)
    digest = hashlib.sha256(body).hexdigest()
    delivery, created = KommoWebhookDelivery.objects.get_or_create(
        digest=digest,
        defaults={
            "workspace_id": integration.workspace_id,
            "kind": "chats",
            "body": body.decode("utf-8"),
            "events": 1 if payload else 0,
        },
    )
    if created:
        transaction.on_commit(drain_wake)
    return delivery, created


def _parsed(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise WebhookBodyInvalid("A Chats API hook body is JSON.") from None
    message = payload.get("message") if isinstance(payload, dict) else None
    if not isinstance(message, dict):
        raise WebhookBodyInvalid("A Chats API hook has a `message`.")
    inner = message.get("message")
    conversation = message.get("conversation")
    if not isinstance(inner, dict) or not isinstance(conversation, dict) or not inner.get("id"):
        raise WebhookBodyInvalid("The hook's message needs `message.id` and `conversation`.")
    return payload


def chats_hook_process(integration: KommoIntegration, delivery: KommoWebhookDelivery) -> None:
    """A manager wrote in a mirrored chat: the message joins our conversation (the AI pauses as for a
    teammate's reply) and goes on to the customer; recorded so it is never copied back."""
    message = _parsed(delivery.body.encode())["message"]
    conversation, inner = message["conversation"], message["message"]
    kommo_message_id = str(inner["id"])
    if KommoChatMessage.objects.filter(kommo_message_id=kommo_message_id).exists():
        return  # ours (sent by the mirror) or already taken
    chat = (
        KommoChat.objects.filter(conversation_key=str(conversation.get("client_id") or "")).first()
        or KommoChat.objects.filter(kommo_chat_id=str(conversation.get("id") or "-")).first()
    )
    if chat is None:
        raise LookupError(f"No mirrored chat {conversation.get('client_id') or conversation.get('id')!r}")
    KommoChatMessage.objects.create(
        workspace_id=chat.workspace_id,
        chat=chat,
        kommo_message_id=kommo_message_id,
        direction=KommoChatMessage.Direction.FROM_KOMMO,
    )
    media = str(inner.get("media") or "")
    sender = message.get("sender") if isinstance(message.get("sender"), dict) else {}
    channel_event(
        InboundMessage(
            workspace_id=chat.workspace_id,
            channel=chat.channel,
            external_chat_id=chat.external_chat_id,
            external_message_id=f"{FROM_KOMMO_PREFIX}{kommo_message_id}",
            text=str(inner.get("text") or ""),
            direction="out",
            deliver=True,
            sent_at=_timestamp(message.get("timestamp")),
            author_name=str(sender.get("name") or ""),
            attachments=({"type": str(inner.get("type") or "file"), "url": media, "name": inner.get("file_name", "")},)
            if media
            else (),
            lead_id=chat.lead_id,
            contact_id=chat.contact_id,
            talk_id=chat.talk_id,
        )
    )


def chats_link(
    integration: KommoIntegration, *, kommo_chat_id: str, lead_id: str, contact_id: str, talk_id: str
) -> None:
    """Kommo's webhook named the lead, contact and talk of a mirrored chat: our conversation gets them
    (its CRM fields reach the prompt, its stage routes it). Raises ChatNotMirroredYet when the chat's
    id has not come back to us yet (the caller tries again shortly)."""
    chat = KommoChat.objects.filter(kommo_chat_id=kommo_chat_id).first() if kommo_chat_id else None
    if chat is None:
        raise ChatNotMirroredYet(kommo_chat_id)
    if (chat.lead_id, chat.contact_id, chat.talk_id) == (lead_id, contact_id, talk_id) or not lead_id:
        return
    chat.lead_id, chat.contact_id, chat.talk_id = lead_id, contact_id or chat.contact_id, talk_id or chat.talk_id
    chat.save(update_fields=["lead_id", "contact_id", "talk_id", "updated_at"])
    pipeline_id = stage_id = None
    if lead_id.isdigit():
        lead, _ = entity_get(integration, entity="leads", kommo_id=int(lead_id))
        if lead is not None:
            pipeline_id, stage_id = lead.data.get("pipeline_id"), lead.data.get("status_id")
    channel_event(
        ConversationLinked(
            workspace_id=chat.workspace_id,
            channel=chat.channel,
            external_chat_id=chat.external_chat_id,
            lead_id=lead_id,
            contact_id=chat.contact_id,
            talk_id=chat.talk_id,
            pipeline_id=pipeline_id,
            stage_id=stage_id,
        )
    )


def is_own_channel_chat(integration: KommoIntegration, *, origin: str, kommo_chat_id: str) -> bool:
    """Whether an account webhook's chat message belongs to our Chats API channel (never ingested as
    a messenger's chat: its conversation is ours already)."""
    _, _, code = chats_channel(integration)
    if code and origin == code:
        return True
    return bool(kommo_chat_id) and KommoChat.objects.filter(kommo_chat_id=kommo_chat_id).exists()


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
