"""Messages an automation writes to the customer (a trigger's "send a message", a chain's follow-up)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from conversations.exceptions import ConversationClosed
from conversations.models import Conversation, Message
from conversations.services.delivery import message_send_enqueue
from conversations.services.messages import publish_conversation, publish_message


@transaction.atomic
def automated_message_send(*, conversation: Conversation, text: str, origin: dict[str, Any]) -> Message:
    """Queue an outgoing message written by an automation, on the conversation's channel. It is the
    agent's voice (author AI) but not a reply: it answers no customer message, does not pause the AI
    and does not start the chains that start after a reply. `origin` says which automation wrote it
    (e.g. {"kind": "chain", "chain": 3, "run": 9, "step": 2}); the inbox shows it."""
    if conversation.status == Conversation.Status.CLOSED:
        raise ConversationClosed("The conversation is closed.")
    if not text.strip():
        raise ValueError("An automated message needs text.")
    now = timezone.now()
    message = Message.objects.create(
        workspace_id=conversation.workspace_id,
        conversation=conversation,
        channel=conversation.channel,
        direction=Message.Direction.OUT,
        author=Message.Author.AI,
        text=text,
        source_timestamp=now,
        status=Message.Status.QUEUED,
        metadata={"automation": origin},
        trace=[{"step": "automation", "ms": 0, **origin}],
    )
    conversation.last_message_at = now
    conversation.save(update_fields=["last_message_at", "updated_at"])
    publish_message(message, "message.created")
    publish_conversation(conversation)
    message_send_enqueue(message)
    return message
