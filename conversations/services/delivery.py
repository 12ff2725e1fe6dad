"""Outgoing messages leave through their channel's adapter: claimed once, retried with backoff
while a retry may help, and ended visibly (`sent`, or `failed` with the reason and a retry action)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from accounts.services import audit_record
from agent_platform.celery import enqueue_on_commit
from billing.services import activity_record
from conversations.channels import adapter_for
from conversations.exceptions import MessageNotRetryable
from conversations.models import Conversation, Message
from conversations.services.hooks import automation_hooks
from conversations.services.messages import message_set_status, publish_message
from conversations.services.mirror import message_mirror_enqueue
from integrations.channels import ChannelSendError, OutgoingMessage

MAX_SEND_ATTEMPTS = 5


def message_send_enqueue(message: Message) -> None:
    enqueue_on_commit("conversations.tasks.message_send_task", message.workspace_id, message.pk)


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
    except ChannelSendError:
        enqueue_on_commit("conversations.tasks.message_send_task", message.workspace_id, message.pk, countdown=2)
        return message


def _deliver(message: Message, *, final_attempt: bool) -> Message:
    conversation = message.conversation
    try:
        adapter = adapter_for(conversation)
        text = message.text[: adapter.capabilities.max_text_length]
        delivery = adapter.send(
            OutgoingMessage(
                workspace_id=message.workspace_id,
                conversation_id=conversation.pk,
                message_id=message.pk,
                external_chat_id=conversation.external_chat_id,
                text=text,
                author=message.author,
                attachments=tuple(message.attachments),
                lead_id=conversation.external_lead_id,
                contact_id=conversation.external_contact_id,
                talk_id=conversation.external_talk_id,
            )
        )
    except ChannelSendError as exc:
        if exc.retryable and not final_attempt and message.send_attempts < MAX_SEND_ATTEMPTS:
            Message.objects.filter(pk=message.pk).update(status=Message.Status.QUEUED)
            raise
        message_set_status(message, Message.Status.FAILED, exc.detail, failure_stage="sending")
        return message
    if delivery.pending:  # the channel confirms later, with a DeliveryReport
        return message_set_status(
            message,
            Message.Status.SENDING,
            "Handed to the channel; waiting for its confirmation",
            external_id=message.external_id or delivery.external_id,
        )
    with transaction.atomic():
        return message_sent(message, external_id=delivery.external_id)


def message_sent(message: Message, *, external_id: str = "") -> Message:
    """The channel delivered the message: it is sent, and an AI reply settles what it answered."""
    message_set_status(
        message,
        Message.Status.SENT,
        sent_at=timezone.now(),
        external_id=message.external_id or external_id,
    )
    message_mirror_enqueue(message)
    _statistics_record(message)
    if message.author == Message.Author.AI:
        Message.objects.filter(pk__in=message.answers, status=Message.Status.PROCESSING).update(
            status=Message.Status.ANSWERED
        )
        Conversation.objects.filter(pk=message.conversation_id).update(
            ai_reply_count=F("ai_reply_count") + 1, last_message_at=timezone.now()
        )
        if not message.metadata.get("automation"):  # a follow-up is not a reply to start chains after
            automation_hooks().reply_sent(conversation=message.conversation, message=message)
    return message


def _statistics_record(message: Message) -> None:
    """Statistics: an AI reply was sent; and the conversation's first reply (AI or a person's, not an
    automation's), timed from its first customer message."""
    if message.author not in (Message.Author.AI, Message.Author.HUMAN) or message.metadata.get("automation"):
        return
    replies = Message.objects.filter(
        conversation_id=message.conversation_id,
        author__in=(Message.Author.AI, Message.Author.HUMAN),
        status=Message.Status.SENT,
    ).exclude(metadata__has_key="automation")
    first_in = Message.objects.filter(conversation_id=message.conversation_id, author=Message.Author.CUSTOMER)
    first_in_at = first_in.order_by("created_at").values_list("created_at", flat=True).first()
    first_response = None
    if first_in_at is not None and not replies.exclude(pk=message.pk).exists():
        first_response = (message.sent_at - first_in_at).total_seconds()
    activity_record(
        workspace_id=message.workspace_id,
        agent_id=message.conversation.agent_id,
        ai_replies=int(message.author == Message.Author.AI),
        first_response_seconds=first_response,
    )


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
        message_send_enqueue(message)
        return message
    # A person's retry gives the sweep's automatic recoveries back (services.scheduling.MAX_RECOVERIES).
    metadata = {key: value for key, value in message.metadata.items() if key != "recoveries"}
    message_set_status(message, Message.Status.PROCESSING, "Retrying", failure_stage="", metadata=metadata)
    # Its customer messages are claimed again: a processing run meanwhile must not answer them twice.
    Message.objects.filter(pk__in=message.answers, status=Message.Status.RECEIVED).update(
        status=Message.Status.PROCESSING, updated_at=timezone.now()
    )
    enqueue_on_commit("conversations.tasks.reply_generate_task", message.workspace_id, message.pk)
    return message
