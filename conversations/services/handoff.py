"""People in the conversation: a teammate writes (the AI pauses), takes the conversation over,
gives it back, closes it, reads it."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import audit_record
from billing.services import activity_record
from conversations.exceptions import ConversationClosed
from conversations.models import Conversation, Message, ScheduledAction, UnansweredQuestion
from conversations.services.delivery import message_send_enqueue
from conversations.services.hooks import automation_hooks
from conversations.services.messages import publish_conversation, publish_message
from conversations.services.unanswered import unanswered_record_latest


@transaction.atomic
def human_message_send(*, conversation: Conversation, user: User, text: str) -> Message:
    """A person from the team writes: the message goes out through the channel and the AI pauses
    for the agent's takeover period (the message stays in the AI's context)."""
    if conversation.status == Conversation.Status.CLOSED:
        raise ConversationClosed("Reopen the conversation before writing to it.")
    now = timezone.now()
    message = Message.objects.create(
        workspace_id=conversation.workspace_id,
        conversation=conversation,
        channel=conversation.channel,
        direction=Message.Direction.OUT,
        author=Message.Author.HUMAN,
        author_user=user,
        text=text,
        source_timestamp=now,
        status=Message.Status.QUEUED,
    )
    pause_minutes = conversation.agent.human_reply_pause_minutes if conversation.agent_id else 60
    conversation.ai_paused_until = now + timedelta(minutes=pause_minutes)
    conversation.status = Conversation.Status.HUMAN
    conversation.last_message_at, conversation.unread_count = now, 0
    conversation.save()
    ScheduledAction.objects.filter(
        conversation=conversation, kind=ScheduledAction.Kind.PROCESS, status=ScheduledAction.Status.PENDING
    ).update(status=ScheduledAction.Status.CANCELLED, finished_at=now)
    publish_message(message, "message.created")
    publish_conversation(conversation)
    message_send_enqueue(message)
    automation_hooks().conversation_changed(conversation=conversation, change="human_took_over")
    return message


@transaction.atomic
def conversation_handoff(
    *, conversation: Conversation, user: User | None, reason: str = "", unanswered: bool = True
) -> Conversation:
    """A human takes the conversation over until they give it back. Unless `unanswered` is False (a
    handoff that says nothing about the knowledge base: the plan's quota), the customer's latest
    message is recorded as an unanswered question."""
    conversation.status, conversation.ai_paused_until = Conversation.Status.HUMAN, None
    conversation.save(update_fields=["status", "ai_paused_until", "updated_at"])
    audit_record(
        action="conversation.handed_off",
        actor=user,
        workspace=conversation.workspace,
        target=conversation,
        metadata={"reason": reason},
    )
    activity_record(workspace_id=conversation.workspace_id, agent_id=conversation.agent_id, handoffs=1)
    if unanswered:
        unanswered_record_latest(conversation=conversation, reason=UnansweredQuestion.Reason.HANDOFF)
    publish_conversation(conversation)
    automation_hooks().conversation_changed(conversation=conversation, change="human_took_over")
    return conversation


@transaction.atomic
def conversation_resume_ai(*, conversation: Conversation, user: User | None) -> Conversation:
    conversation.status, conversation.ai_paused_until = Conversation.Status.OPEN, None
    conversation.save(update_fields=["status", "ai_paused_until", "updated_at"])
    audit_record(action="conversation.ai_resumed", actor=user, workspace=conversation.workspace, target=conversation)
    publish_conversation(conversation)
    return conversation


@transaction.atomic
def conversation_close(*, conversation: Conversation, user: User | None) -> Conversation:
    conversation.status = Conversation.Status.CLOSED
    conversation.save(update_fields=["status", "updated_at"])
    ScheduledAction.objects.filter(conversation=conversation, status=ScheduledAction.Status.PENDING).update(
        status=ScheduledAction.Status.CANCELLED, finished_at=timezone.now()
    )
    audit_record(action="conversation.closed", actor=user, workspace=conversation.workspace, target=conversation)
    publish_conversation(conversation)
    automation_hooks().conversation_changed(conversation=conversation, change="closed")
    return conversation


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation) -> Conversation:
    Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
    conversation.unread_count = 0
    publish_conversation(conversation)
    return conversation


@transaction.atomic
def conversation_pause_ai(*, conversation: Conversation, minutes: int) -> Conversation:
    """An automation pauses the AI for `minutes`: the conversation is the team's until then (the
    processor resumes the AI once the pause ends, as after a person's reply)."""
    conversation.status = Conversation.Status.HUMAN
    conversation.ai_paused_until = timezone.now() + timedelta(minutes=minutes)
    conversation.save(update_fields=["status", "ai_paused_until", "updated_at"])
    publish_conversation(conversation)
    return conversation
