"""Replies held for approval: a reviewer approves (optionally edited) or rejects; the agent's
approval timeout sends the reply or hands the conversation to a human."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import audit_record, notify
from agent_platform import realtime
from billing.services import activity_record
from conversations.exceptions import MessageStateConflict
from conversations.models import Conversation, Message, ScheduledAction, UnansweredQuestion
from conversations.services.delivery import message_send_enqueue
from conversations.services.handoff import conversation_handoff
from conversations.services.messages import message_set_status, publish_conversation
from conversations.services.unanswered import unanswered_record


def reply_hold_for_approval(*, reply: Message, timeout_minutes: int | None) -> None:
    """Called by the processor inside its transaction."""
    conversation = reply.conversation
    message_set_status(reply, Message.Status.PENDING_APPROVAL)
    conversation.status = Conversation.Status.WAITING_APPROVAL
    conversation.save(update_fields=["status", "updated_at"])
    if timeout_minutes:
        ScheduledAction.objects.create(
            workspace_id=reply.workspace_id,
            conversation=conversation,
            message=reply,
            kind=ScheduledAction.Kind.APPROVAL_TIMEOUT,
            due_at=timezone.now() + timedelta(minutes=timeout_minutes),
        )
    notify(
        workspace=conversation.workspace,
        kind="approval_requested",
        title="An AI reply waits for approval",
        body=reply.text[:300],
        payload={"conversation": conversation.pk, "message": reply.pk},
        roles=["member", "admin", "owner"],
    )
    realtime.publish(reply.workspace_id, "approval.requested", {"conversation": conversation.pk, "message": reply.pk})
    publish_conversation(conversation)


def _claim_pending(message: Message) -> Message:
    claimed = Message.objects.filter(pk=message.pk, status=Message.Status.PENDING_APPROVAL).update(
        status=Message.Status.PROCESSING
    )
    if not claimed:
        message.refresh_from_db()
        raise MessageStateConflict(f"This reply is {message.get_status_display().lower()}, not waiting for approval.")
    message.refresh_from_db()
    return message


def _approval_settled(message: Message) -> None:
    conversation = message.conversation
    ScheduledAction.objects.filter(
        message=message, kind=ScheduledAction.Kind.APPROVAL_TIMEOUT, status=ScheduledAction.Status.PENDING
    ).update(status=ScheduledAction.Status.CANCELLED, finished_at=timezone.now())
    still_waiting = Message.objects.filter(conversation=conversation, status=Message.Status.PENDING_APPROVAL).exists()
    if conversation.status == Conversation.Status.WAITING_APPROVAL and not still_waiting:
        conversation.status = Conversation.Status.OPEN
        conversation.save(update_fields=["status", "updated_at"])
    publish_conversation(conversation)


@transaction.atomic
def reply_approve(*, message: Message, user: User | None, text: str | None = None) -> Message:
    message = _claim_pending(message)
    fields: dict[str, Any] = {"reviewed_by": user}
    if text is not None and text.strip() and text != message.text:
        fields.update(original_text=message.text, text=text)
    message_set_status(message, Message.Status.QUEUED, **fields)
    audit_record(
        action="reply.approved",
        actor=user,
        workspace=message.conversation.workspace,
        target=message,
        metadata={"edited": "original_text" in fields},
    )
    _approval_settled(message)
    activity_record(workspace_id=message.workspace_id, agent_id=message.conversation.agent_id, approvals_approved=1)
    message_send_enqueue(message)
    return message


@transaction.atomic
def reply_reject(*, message: Message, user: User | None, reason: str = "") -> Message:
    message = _claim_pending(message)
    message_set_status(message, Message.Status.REJECTED, reason or "Rejected by a reviewer", reviewed_by=user)
    audit_record(
        action="reply.rejected",
        actor=user,
        workspace=message.conversation.workspace,
        target=message,
        metadata={"reason": reason},
    )
    _approval_settled(message)
    activity_record(workspace_id=message.workspace_id, agent_id=message.conversation.agent_id, approvals_rejected=1)
    turn = list(Message.objects.filter(pk__in=message.answers).order_by("source_timestamp", "id"))
    unanswered_record(conversation=message.conversation, messages=turn, reason=UnansweredQuestion.Reason.REJECTED)
    return message


@transaction.atomic
def reply_approval_timeout(*, message: Message) -> Message | None:
    """The agent's approval timeout passed: send the reply, or hand the conversation to a human."""
    try:
        message = _claim_pending(message)
    except MessageStateConflict:
        return None  # settled by a person in the meantime
    agent = message.conversation.agent
    if agent is not None and agent.approval_timeout_action == agent.ApprovalTimeoutAction.SEND:
        message_set_status(message, Message.Status.QUEUED, "Sent automatically: approval timed out")
        _approval_settled(message)
        message_send_enqueue(message)
        return message
    message_set_status(message, Message.Status.REJECTED, "Approval timed out; handed to a human")
    _approval_settled(message)
    conversation_handoff(conversation=message.conversation, user=None, reason="approval timed out")
    notify(
        workspace=message.conversation.workspace,
        kind="conversation_handed_off",
        title="A conversation needs a person",
        body="An AI reply was not approved in time.",
        payload={"conversation": message.conversation_id, "message": message.pk},
    )
    return message
