"""Status changes of messages, each published to the conversation's subscribers, and the realtime
payloads of messages and conversations (the shapes the SPA's live thread and inbox read)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from agent_platform import realtime
from conversations.models import Conversation, Message


def message_payload(message: Message) -> dict[str, Any]:
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "direction": message.direction,
        "author": message.author,
        "text": message.text,
        "status": message.status,
        "status_reason": message.status_reason,
        "answers": list(message.answers),
        "created_at": message.created_at.isoformat() if message.created_at else None,
    }


def publish_message(message: Message, event: str) -> None:
    payload = message_payload(message)
    realtime.publish(message.workspace_id, event, payload, kind="conversation", obj_id=message.conversation_id)


def publish_conversation(conversation: Conversation) -> None:
    payload = {
        "id": conversation.pk,
        "status": conversation.status,
        "unread_count": conversation.unread_count,
        "last_message_at": conversation.last_message_at.isoformat() if conversation.last_message_at else None,
        "ai_paused_until": conversation.ai_paused_until.isoformat() if conversation.ai_paused_until else None,
        "agent": conversation.agent_id,
    }
    # To the workspace's group only: every socket is in it, those watching the conversation too (a copy
    # to the conversation's group reached them twice: a third of a burst's frames, bench/websocket_fanout).
    realtime.publish(conversation.workspace_id, "conversation.updated", payload)


def message_set_status(message: Message, status: str, reason: str = "", **fields: Any) -> Message:
    message.status, message.status_reason = status, reason
    for name, value in fields.items():
        setattr(message, name, value)
    message.save(update_fields=["status", "status_reason", "updated_at", *fields])
    publish_message(message, "message.updated")
    return message


def messages_set_status(messages: list[Message], status: str, reason: str = "") -> None:
    """One UPDATE for several messages (a burst answered together), one event each."""
    now = timezone.now()
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(status=status, status_reason=reason, updated_at=now)
    for message in messages:
        message.status, message.status_reason, message.updated_at = status, reason, now
        publish_message(message, "message.updated")


def replies_supersede(*, conversation_id: int, message_ids: list[int]) -> None:
    """A failed AI reply's customer messages wait for its retry or the next processing run. When a run
    answers them, the failed reply loses its retry (it would answer them a second time) and becomes
    `skipped`, saying why. A worker killed mid-reply leads here: the stuck-work sweep fails the reply,
    then Redis redelivers the dead worker's processing task (tests/faults/test_worker_killed.py)."""
    failed = Message.objects.select_for_update().filter(
        conversation_id=conversation_id,
        author=Message.Author.AI,
        status=Message.Status.FAILED,
        failure_stage="processing",
        answers__overlap=message_ids,
    )
    for reply in failed:
        message_set_status(
            reply, Message.Status.SKIPPED, "Superseded: a later reply answers these messages.", failure_stage=""
        )
