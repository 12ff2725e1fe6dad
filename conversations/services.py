"""Writes to conversations and messages: ingest, human messages, approvals, handoff, sending, and
the scheduled actions beat claims. The AI pipeline itself is in `conversations.processor`."""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import IntegrityError, transaction
from django.db.models import BigIntegerField, Exists, F, Func, OuterRef
from django.utils import timezone

from accounts.models import User, Workspace
from accounts.services import audit_record, notify
from agent_platform import realtime
from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import workspace_scope
from agents.models import Channel
from conversations import channels
from conversations.exceptions import ConversationClosed, MessageNotRetryable, MessageStateConflict
from conversations.models import ApiChannelSettings, Conversation, Message, ScheduledAction

ADAPTERS: dict[str, type] = {Channel.PLAYGROUND: channels.PlaygroundAdapter, Channel.API: channels.ApiAdapter}
MAX_SEND_ATTEMPTS = 5


# --- realtime ------------------------------------------------------------------------------------


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
    realtime.publish(conversation.workspace_id, "conversation.updated", payload)
    realtime.publish(
        conversation.workspace_id, "conversation.updated", payload, kind="conversation", obj_id=conversation.pk
    )


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


# --- ingest --------------------------------------------------------------------------------------


@transaction.atomic
def ingest_message(
    *,
    workspace: Workspace,
    channel: str,
    external_chat_id: str,
    external_message_id: str,
    text: str,
    sent_at: datetime | None = None,
    customer_name: str = "",
    customer_handle: str = "",
    attachments: list | None = None,
    lead_id: str = "",
    contact_id: str = "",
    talk_id: str = "",
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    agent_id: int | None = None,
    created_by: User | None = None,
) -> tuple[Message, bool]:
    """Store a customer's message once, however often it is delivered, and schedule its processing.

    Returns (message, created). A duplicate delivery returns the stored message and changes nothing.
    """
    existing = Message.objects.filter(channel=channel, external_id=external_message_id).first()
    if existing is not None:
        return existing, False
    conversation, _ = Conversation.objects.select_for_update().get_or_create(
        channel=channel,
        external_chat_id=external_chat_id,
        defaults={
            "workspace": workspace,
            "customer_name": customer_name,
            "customer_handle": customer_handle,
            "agent_id": agent_id,
            "created_by": created_by,
        },
    )
    timestamp = sent_at or timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(
                workspace=workspace,
                conversation=conversation,
                channel=channel,
                direction=Message.Direction.IN,
                author=Message.Author.CUSTOMER,
                text=text,
                attachments=attachments or [],
                external_id=external_message_id,
                source_timestamp=timestamp,
                status=Message.Status.RECEIVED,
            )
    except IntegrityError:  # a concurrent delivery of the same message won the race
        return Message.objects.get(channel=channel, external_id=external_message_id), False

    updates = {
        "customer_name": customer_name,
        "customer_handle": customer_handle,
        "external_lead_id": lead_id,
        "external_contact_id": contact_id,
        "external_talk_id": talk_id,
        "pipeline_id": pipeline_id,
        "stage_id": stage_id,
    }
    changed = ["unread_count", "updated_at"]
    for field, value in updates.items():
        if value not in ("", None) and getattr(conversation, field) != value:
            setattr(conversation, field, value)
            changed.append(field)
    # Out-of-order deliveries: the conversation's clock only moves forward.
    if conversation.last_message_at is None or timestamp > conversation.last_message_at:
        conversation.last_message_at = timestamp
        changed.append("last_message_at")
    conversation.unread_count += 1  # the row is locked (FOR UPDATE above)
    if conversation.status == Conversation.Status.CLOSED:
        conversation.status = Conversation.Status.OPEN
        changed.append("status")
    conversation.save(update_fields=changed)
    publish_message(message, "message.created")
    publish_conversation(conversation)
    _schedule_processing(conversation)
    return message, True


def _schedule_processing(conversation: Conversation) -> None:
    """Process now, or after the agent's response delay; a burst within the delay moves the one
    pending processing row later, so the burst gets one reply."""
    from conversations.processor import agent_for

    agent, _ = agent_for(conversation)
    delay = 0
    if agent is not None and agent.response_delay_seconds:
        delay = agent.response_delay_seconds + random.randint(0, agent.response_delay_jitter_seconds)
    if delay == 0:
        enqueue_on_commit("conversations.tasks.conversation_process_task", conversation.workspace_id, conversation.pk)
        return
    due = timezone.now() + timedelta(seconds=delay)
    updated = ScheduledAction.objects.filter(
        conversation=conversation, kind=ScheduledAction.Kind.PROCESS, status=ScheduledAction.Status.PENDING
    ).update(due_at=due)
    if not updated:
        ScheduledAction.objects.create(
            workspace_id=conversation.workspace_id,
            conversation=conversation,
            kind=ScheduledAction.Kind.PROCESS,
            due_at=due,
        )


# --- people in the conversation -----------------------------------------------------------------


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
    _enqueue_send(message)
    return message


@transaction.atomic
def conversation_handoff(*, conversation: Conversation, user: User | None, reason: str = "") -> Conversation:
    """A human takes the conversation over until they give it back."""
    conversation.status, conversation.ai_paused_until = Conversation.Status.HUMAN, None
    conversation.save(update_fields=["status", "ai_paused_until", "updated_at"])
    audit_record(
        action="conversation.handed_off",
        actor=user,
        workspace=conversation.workspace,
        target=conversation,
        metadata={"reason": reason},
    )
    publish_conversation(conversation)
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
    return conversation


@transaction.atomic
def conversation_mark_read(*, conversation: Conversation) -> Conversation:
    Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
    conversation.unread_count = 0
    publish_conversation(conversation)
    return conversation


# --- approvals -----------------------------------------------------------------------------------


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
    _enqueue_send(message)
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
        _enqueue_send(message)
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


# --- sending -------------------------------------------------------------------------------------


def _enqueue_send(message: Message) -> None:
    enqueue_on_commit("conversations.tasks.message_send_task", message.workspace_id, message.pk)


def adapter_for(conversation: Conversation) -> channels.ChannelAdapter:
    if conversation.channel == Channel.API:
        settings_row = ApiChannelSettings.objects.first()
        return channels.ApiAdapter(
            webhook_url=settings_row.webhook_url if settings_row else "",
            signing_secret=settings_row.signing_secret if settings_row else "",
        )
    adapter_class = ADAPTERS.get(conversation.channel)
    if adapter_class is None:
        raise channels.NoChannelAdapter(
            f"No connected integration delivers to {conversation.channel}; connect Kommo.", retryable=False
        )
    return adapter_class()


def message_send(*, message_id: int, final_attempt: bool = False) -> Message | None:
    """Deliver one queued outgoing message through its channel. Safe to re-run: only a queued (or
    interrupted sending) message is sent. Raises ChannelSendError when a retry may help."""
    claimed = Message.objects.filter(
        pk=message_id, status__in=[Message.Status.QUEUED, Message.Status.SENDING], direction=Message.Direction.OUT
    ).update(status=Message.Status.SENDING, send_attempts=F("send_attempts") + 1)
    if not claimed:
        return None
    message = Message.objects.select_related("conversation").get(pk=message_id)
    publish_message(message, "message.updated")  # now "sending"
    return _deliver(message, final_attempt=final_attempt)


def message_send_claimed(*, message: Message) -> Message:
    """Deliver a reply its own task has just committed as `sending` (that commit was the claim and
    counted the attempt), right away; a failure a retry may fix goes to the send task's backoff."""
    try:
        return _deliver(message, final_attempt=False)
    except channels.ChannelSendError:
        enqueue_on_commit("conversations.tasks.message_send_task", message.workspace_id, message.pk, countdown=2)
        return message


def _deliver(message: Message, *, final_attempt: bool) -> Message:
    conversation = message.conversation
    try:
        adapter = adapter_for(conversation)
        text = message.text[: adapter.capabilities.max_text_length]
        delivery = adapter.send(
            channels.OutgoingMessage(
                workspace_id=message.workspace_id,
                conversation_id=conversation.pk,
                message_id=message.pk,
                external_chat_id=conversation.external_chat_id,
                text=text,
                author=message.author,
                attachments=tuple(message.attachments),
            )
        )
    except channels.ChannelSendError as exc:
        if exc.retryable and not final_attempt and message.send_attempts < MAX_SEND_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
            raise
        message_set_status(message, Message.Status.FAILED, exc.detail, failure_stage="sending")
        return message
    with transaction.atomic():
        message_set_status(
            message,
            Message.Status.SENT,
            sent_at=timezone.now(),
            external_id=message.external_id or delivery.external_id,
        )
        if message.author == Message.Author.AI:
            Message.objects.filter(pk__in=message.answers, status=Message.Status.PROCESSING).update(
                status=Message.Status.ANSWERED
            )
            Conversation.objects.filter(pk=conversation.pk).update(
                ai_reply_count=F("ai_reply_count") + 1, last_message_at=timezone.now()
            )
            from automations.services import chains_on_reply

            chains_on_reply(workspace_id=message.workspace_id, conversation_id=conversation.pk, message_id=message.pk)
    return message


@transaction.atomic
def message_retry(*, message: Message, user: User | None) -> Message:
    """A failed message tries again: a failed send is re-sent; a failed AI reply is generated anew."""
    if message.status != Message.Status.FAILED:
        raise MessageNotRetryable(f"Only failed messages can be retried; this one is {message.status}.")
    audit_record(
        action="message.retried",
        actor=user,
        workspace=message.conversation.workspace,
        target=message,
        metadata={"stage": message.failure_stage},
    )
    if message.failure_stage == "sending":
        message_set_status(message, Message.Status.QUEUED, failure_stage="", send_attempts=0)
        _enqueue_send(message)
        return message
    message_set_status(message, Message.Status.PROCESSING, "Retrying", failure_stage="")
    enqueue_on_commit("conversations.tasks.reply_generate_task", message.workspace_id, message.pk)
    return message


# --- scheduled actions ---------------------------------------------------------------------------


def scheduled_actions_claim(*, now: datetime | None = None, limit: int = 200) -> list[tuple[int, int]]:
    """Claim due rows of every workspace (SELECT … FOR UPDATE SKIP LOCKED, so concurrent beats or
    claimers never take the same row) and return (workspace_id, action_id) pairs to run."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            ScheduledAction.objects.unscoped_across_workspaces()
            .select_for_update(skip_locked=True)
            .filter(status=ScheduledAction.Status.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("workspace_id", "pk")[:limit]
        )
        ScheduledAction.objects.unscoped_across_workspaces().filter(pk__in=[pk for _, pk in due]).update(
            status=ScheduledAction.Status.CLAIMED
        )
    return due


def scheduled_action_run(*, action_id: int) -> None:
    """Run one claimed action, then mark it done. The actions themselves are idempotent."""
    from conversations.processor import conversation_process

    action = ScheduledAction.objects.filter(pk=action_id, status=ScheduledAction.Status.CLAIMED).first()
    if action is None:
        return
    if action.kind == ScheduledAction.Kind.PROCESS:
        ScheduledAction.objects.filter(pk=action.pk).update(
            status=ScheduledAction.Status.DONE, finished_at=timezone.now()
        )
        conversation_process(conversation_id=action.conversation_id)
    elif action.kind == ScheduledAction.Kind.APPROVAL_TIMEOUT:
        reply_approval_timeout(message=action.message)
        ScheduledAction.objects.filter(pk=action.pk).update(
            status=ScheduledAction.Status.DONE, finished_at=timezone.now()
        )


def api_channel_configure(*, workspace: Workspace, webhook_url: str, user: User | None) -> ApiChannelSettings:
    row = ApiChannelSettings.objects.first() or ApiChannelSettings(
        workspace=workspace, signing_secret=secrets.token_urlsafe(32)
    )
    row.webhook_url = webhook_url
    row.save()
    audit_record(
        action="api_channel.configured", actor=user, workspace=workspace, target=row, after={"webhook_url": webhook_url}
    )
    return row


@transaction.atomic
def playground_message(*, agent, user: User, text: str, conversation: Conversation | None = None) -> Message:
    """A message to an agent in the playground: no CRM, the agent is fixed by the conversation."""
    import uuid

    chat_id = conversation.external_chat_id if conversation else f"playground:{agent.pk}:{user.pk}:{uuid.uuid4().hex}"
    message, _ = ingest_message(
        workspace=agent.workspace,
        channel=Channel.PLAYGROUND,
        external_chat_id=chat_id,
        external_message_id=f"playground:{uuid.uuid4().hex}",
        text=text,
        customer_name=user.name or user.email,
        customer_handle=user.email,
        agent_id=agent.pk,
        created_by=user,
    )
    return message


def api_channel_rotate_secret(*, workspace: Workspace, user: User | None) -> ApiChannelSettings:
    row = ApiChannelSettings.objects.first() or ApiChannelSettings(workspace=workspace)
    row.signing_secret = secrets.token_urlsafe(32)
    row.save()
    audit_record(action="api_channel.secret_rotated", actor=user, workspace=workspace, target=row)
    return row


def stuck_work_recover(
    *, processing_minutes: int = 16, claimed_minutes: int = 5, sending_minutes: int = 5, received_minutes: int = 5
) -> dict[str, int]:
    """Beat, every minute: nothing stays in flight forever. An AI reply still `processing` long
    after the longest task could run (its worker died) fails visibly, with a retry action, and its customer
    messages wait again; a scheduled action claimed but never run is released to be claimed again;
    an outgoing message left queued or sending (its worker died between the commit and the send, or
    its send task was lost) goes to the send task again, which delivers it or fails it visibly; a
    customer message never picked up (its processing task was lost: the broker was down at
    enqueue, or restarted without persistence) gets its conversation processed again."""
    now = timezone.now()
    reprocessed = _unclaimed_messages_reprocess(older_than=now - timedelta(minutes=received_minutes), now=now)
    unsent = list(
        Message.objects.unscoped_across_workspaces()
        .filter(
            direction=Message.Direction.OUT,
            status__in=[Message.Status.QUEUED, Message.Status.SENDING],
            updated_at__lt=now - timedelta(minutes=sending_minutes),
        )
        .values_list("workspace_id", "pk")[:500]
    )
    # Touch the rows so the next sweep waits for this attempt instead of sending them again.
    Message.objects.unscoped_across_workspaces().filter(pk__in=[pk for _, pk in unsent]).update(updated_at=now)
    for workspace_id, message_id in unsent:
        enqueue_on_commit("conversations.tasks.message_send_task", workspace_id, message_id)
    released = (
        ScheduledAction.objects.unscoped_across_workspaces()
        .filter(status=ScheduledAction.Status.CLAIMED, due_at__lt=now - timedelta(minutes=claimed_minutes))
        .update(status=ScheduledAction.Status.PENDING)
    )
    stale = list(
        Message.objects.unscoped_across_workspaces()
        .filter(
            author=Message.Author.AI,
            status=Message.Status.PROCESSING,
            updated_at__lt=now - timedelta(minutes=processing_minutes),
        )
        .values_list("workspace_id", "pk")
    )
    for workspace_id, message_id in stale:
        with workspace_scope(workspace_id), transaction.atomic():
            reply = Message.objects.select_for_update().filter(pk=message_id, status=Message.Status.PROCESSING).first()
            if reply is None:
                continue
            message_set_status(
                reply, Message.Status.FAILED, "Processing was interrupted; retry it.", failure_stage="processing"
            )
            Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING).update(
                status=Message.Status.RECEIVED
            )
    return {
        "released_actions": released,
        "failed_replies": len(stale),
        "resent_messages": len(unsent),
        "reprocessed_conversations": reprocessed,
    }


def _unclaimed_messages_reprocess(*, older_than: datetime, now: datetime) -> int:
    """Conversations with customer messages still `received` that no reply ever claimed and no
    delayed processing waits for: their processing task was lost. The processor is idempotent
    (a conversation with nothing left to answer is a no-op), so a spare run costs little. Messages
    of a failed reply are not "unclaimed": they wait for that reply's retry, as `_fail` says."""
    claimed = Message.objects.unscoped_across_workspaces().filter(
        conversation=OuterRef("conversation"),
        answers__contains=Func(
            OuterRef("pk"), template="ARRAY[%(expressions)s]", output_field=ArrayField(BigIntegerField())
        ),
    )
    delayed = ScheduledAction.objects.unscoped_across_workspaces().filter(
        conversation=OuterRef("conversation"),
        kind=ScheduledAction.Kind.PROCESS,
        status__in=[ScheduledAction.Status.PENDING, ScheduledAction.Status.CLAIMED],
    )
    waiting = (
        Message.objects.unscoped_across_workspaces()
        .filter(direction=Message.Direction.IN, status=Message.Status.RECEIVED, updated_at__lt=older_than)
        .exclude(Exists(claimed))
        .exclude(Exists(delayed))
    )
    conversations = list(waiting.values_list("workspace_id", "conversation_id").distinct()[:500])
    # Touch the messages so the next sweep gives this run time to happen.
    waiting.filter(conversation_id__in=[pk for _, pk in conversations]).update(updated_at=now)
    for workspace_id, conversation_id in conversations:
        enqueue_on_commit("conversations.tasks.conversation_process_task", workspace_id, conversation_id)
    return len(conversations)
