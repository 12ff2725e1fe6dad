"""Conversations on our own channels copied into the CRM's chats (`conversations.channels.MIRRORS`):
the customer's messages as they arrive, ours once they are sent. In a task, after the commit, so the
customer is never kept waiting on the CRM; a failure the CRM may recover from is retried."""

from __future__ import annotations

from agent_platform.celery import enqueue_on_commit
from conversations.channels import MIRRORS, mirror_for
from conversations.models import Message
from integrations.channels import MirroredMessage


def message_mirror_enqueue(message: Message) -> None:
    """Queue the copy of a message when its channel is mirrored (one small read here spares every
    workspace without a mirror a trip through the broker per message)."""
    if message.channel in MIRRORS and mirror_for(message.channel) is not None:
        enqueue_on_commit("conversations.tasks.message_mirror_task", message.workspace_id, message.pk)


def message_mirror(*, message_id: int) -> bool:
    """Copy one message into the CRM's chat, when a mirror is set up. Raises ChannelSendError when a
    retry may help. Returns whether a mirror took it."""
    message = (
        Message.objects.select_related("conversation", "conversation__agent", "author_user")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return False
    mirror = mirror_for(message.channel)
    if mirror is None:
        return False
    conversation = message.conversation
    incoming = message.direction == Message.Direction.IN
    if not incoming and message.status != Message.Status.SENT:
        return False
    author = (message.author_user.name or message.author_user.email) if message.author_user else ""
    mirror.mirror(
        MirroredMessage(
            workspace_id=message.workspace_id,
            channel=message.channel,
            external_chat_id=conversation.external_chat_id,
            message_id=message.pk,
            direction="in" if incoming else "out",
            author_name=conversation.customer_name if incoming else (author or _author_label(message)),
            text=message.text,
            sent_at=message.source_timestamp if incoming else (message.sent_at or message.source_timestamp),
            external_message_id=message.external_id,
            customer_name=conversation.customer_name,
            customer_handle=conversation.customer_handle,
            attachments=tuple(message.attachments),
        )
    )
    return True


def _author_label(message: Message) -> str:
    if message.author == Message.Author.AI:
        return message.conversation.agent.name if message.conversation.agent_id else "AI agent"
    return "Team"
