"""A customer's message enters the platform: stored once however often it is delivered, and its
conversation's processing scheduled (now, or after the agent's response delay)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User, Workspace
from agent_platform.celery import enqueue_on_commit
from agents.selectors import agent_route
from billing.services import activity_record
from conversations.models import Conversation, Message, ScheduledAction
from conversations.services.hooks import automation_hooks
from conversations.services.messages import publish_conversation, publish_message
from conversations.services.mirror import message_mirror_enqueue


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
    metadata: dict | None = None,
) -> tuple[Message, bool]:
    """Store a customer's message once, however often it is delivered, and schedule its processing.

    Returns (message, created). A duplicate delivery returns the stored message and changes nothing.
    """
    existing = Message.objects.filter(channel=channel, external_id=external_message_id).first()
    if existing is not None:
        return existing, False
    conversation, started = Conversation.objects.select_for_update().get_or_create(
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
                metadata=metadata or {},
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
    automation_hooks().customer_wrote(conversation=conversation, message=message)
    _schedule_processing(conversation, started=started)
    message_mirror_enqueue(message)
    return message, True


def _schedule_processing(conversation: Conversation, *, started: bool = False) -> None:
    """Process now, or after the agent's response delay; a burst within the delay moves the one
    pending processing row later, so the burst gets one reply."""
    agent, _ = agent_route(
        channel=conversation.channel,
        pipeline_id=conversation.pipeline_id,
        stage_id=conversation.stage_id,
        assigned_agent_id=conversation.agent_id,
    )
    if started:  # statistics: a conversation counts for the agent that answers it
        activity_record(workspace_id=conversation.workspace_id, agent_id=agent and agent.pk, conversations_started=1)
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
