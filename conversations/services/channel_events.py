"""What integrations report from the channels (registered in ConversationsConfig.ready()): a customer
wrote, a person of the business wrote in the CRM, a lead moved to another stage, a pending delivery
ended. Each handler runs in the reporting task's workspace scope."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Workspace
from conversations.models import Conversation, Message, ScheduledAction
from conversations.services.delivery import message_send_enqueue, message_sent
from conversations.services.hooks import automation_hooks
from conversations.services.ingest import ingest_message
from conversations.services.messages import message_set_status, publish_conversation, publish_message
from integrations.channels import ConversationLinked, DeliveryReport, InboundMessage, LeadMoved

DEFAULT_PAUSE_MINUTES = 60


def inbound_message(event: InboundMessage) -> Message:
    if event.direction == "out":
        return crm_human_message(event)
    message, _ = ingest_message(
        workspace=Workspace.objects.get(pk=event.workspace_id),
        channel=event.channel,
        external_chat_id=event.external_chat_id,
        external_message_id=event.external_message_id,
        text=event.text,
        sent_at=event.sent_at,
        customer_name=event.author_name,
        customer_handle=event.customer_handle,
        attachments=list(event.attachments),
        lead_id=event.lead_id,
        contact_id=event.contact_id,
        talk_id=event.talk_id,
        pipeline_id=event.pipeline_id,
        stage_id=event.stage_id,
    )
    return message


@transaction.atomic
def crm_human_message(event: InboundMessage) -> Message:
    """A person of the business wrote to the customer in the CRM: the message joins the thread (and
    the AI's context) and the AI pauses for the agent's takeover period, as for a reply from our inbox.
    Delivered more than once, it is stored once. When the CRM only recorded it (`deliver`: a chat of a
    channel of ours), we carry it to the customer."""
    existing = Message.objects.filter(channel=event.channel, external_id=event.external_message_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    sent_at = event.sent_at or now
    conversation, _ = Conversation.objects.select_for_update().get_or_create(
        channel=event.channel,
        external_chat_id=event.external_chat_id,
        defaults={"workspace_id": event.workspace_id, "external_lead_id": event.lead_id},
    )
    try:
        with transaction.atomic():
            message = Message.objects.create(
                workspace_id=event.workspace_id,
                conversation=conversation,
                channel=event.channel,
                direction=Message.Direction.OUT,
                author=Message.Author.HUMAN,
                text=event.text,
                attachments=list(event.attachments),
                external_id=event.external_message_id,
                source_timestamp=sent_at,
                status=Message.Status.QUEUED if event.deliver else Message.Status.SENT,
                status_reason=f"Written in the CRM by {event.author_name}"
                if event.author_name
                else "Written in the CRM",
                sent_at=None if event.deliver else sent_at,
            )
    except IntegrityError:  # a concurrent delivery of the same message won the race
        return Message.objects.get(channel=event.channel, external_id=event.external_message_id)
    pause_minutes = conversation.agent.human_reply_pause_minutes if conversation.agent_id else DEFAULT_PAUSE_MINUTES
    conversation.ai_paused_until = now + timedelta(minutes=pause_minutes)
    conversation.status = Conversation.Status.HUMAN
    if conversation.last_message_at is None or sent_at > conversation.last_message_at:
        conversation.last_message_at = sent_at
    conversation.save()
    ScheduledAction.objects.filter(
        conversation=conversation, kind=ScheduledAction.Kind.PROCESS, status=ScheduledAction.Status.PENDING
    ).update(status=ScheduledAction.Status.CANCELLED, finished_at=now)
    if event.deliver:
        message_send_enqueue(message)
    publish_message(message, "message.created")
    publish_conversation(conversation)
    automation_hooks().conversation_changed(conversation=conversation, change="human_took_over")
    return message


def conversation_linked(event: ConversationLinked) -> Conversation | None:
    """The conversation's chat became a lead in the CRM: it now knows its lead, contact and stage (its
    CRM fields reach the prompt, and the stage routes it to an agent)."""
    conversation = Conversation.objects.filter(channel=event.channel, external_chat_id=event.external_chat_id).first()
    if conversation is None:
        return None
    updates = {
        "external_lead_id": event.lead_id,
        "external_contact_id": event.contact_id,
        "external_talk_id": event.talk_id,
        "pipeline_id": event.pipeline_id,
        "stage_id": event.stage_id,
    }
    changed = [
        field for field, value in updates.items() if value not in ("", None) and getattr(conversation, field) != value
    ]
    if changed:
        for field in changed:
            setattr(conversation, field, updates[field])
        conversation.save(update_fields=[*changed, "updated_at"])
        publish_conversation(conversation)
    return conversation


def lead_moved(event: LeadMoved) -> int:
    """The lead's conversations now route by its new pipeline stage."""
    conversations = list(Conversation.objects.filter(external_lead_id=event.lead_id))
    for conversation in conversations:
        if (conversation.pipeline_id, conversation.stage_id) == (event.pipeline_id, event.stage_id):
            continue
        conversation.pipeline_id, conversation.stage_id = event.pipeline_id, event.stage_id
        conversation.save(update_fields=["pipeline_id", "stage_id", "updated_at"])
        publish_conversation(conversation)
        automation_hooks().conversation_changed(conversation=conversation, change="stage_changed")
    return len(conversations)


@transaction.atomic
def delivery_report(event: DeliveryReport) -> Message | None:
    """A delivery left pending by its channel ended: sent, or failed visibly (with a retry action)."""
    message = (
        Message.objects.select_for_update()
        .select_related("conversation")
        .filter(pk=event.message_id, status__in=[Message.Status.SENDING, Message.Status.QUEUED])
        .first()
    )
    if message is None:
        return None  # already settled (a late or repeated report)
    if event.delivered:
        return message_sent(message, external_id=event.external_id)
    return message_set_status(
        message, Message.Status.FAILED, event.reason or "The channel did not deliver it", failure_stage="sending"
    )
