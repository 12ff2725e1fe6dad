"""Work that waits: due scheduled actions (a delayed reply's processing, an approval timeout) are
claimed by beat and run once each; the stuck-work sweeper makes sure nothing stays in flight
forever (DESIGN §4: long waits are rows, not broker countdowns)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import transaction
from django.db.models import BigIntegerField, Exists, Func, OuterRef
from django.utils import timezone

from agent_platform.celery import enqueue_on_commit
from agent_platform.tenancy import workspace_scope
from conversations.models import Message, ScheduledAction
from conversations.services.approvals import reply_approval_timeout
from conversations.services.delivery import MAX_SEND_ATTEMPTS
from conversations.services.leases import leases_alive
from conversations.services.messages import message_set_status
from conversations.services.processing import conversation_process
from conversations.services.unanswered import unanswered_cluster_recover

# How many times the sweep generates again a reply whose worker died before it fails visibly: a reply
# that kills its worker every time (a poison input) must not do so forever.
MAX_RECOVERIES = 2
INTERRUPTED = "Processing was interrupted; retry it."


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


def stuck_work_recover(
    *, processing_minutes: int = 16, claimed_minutes: int = 5, sending_minutes: int = 5, received_minutes: int = 5
) -> dict[str, int]:
    """Beat, every minute: nothing stays in flight forever. An AI reply still `processing` whose
    worker is gone (nobody holds its lease: the worker died, or its task ended without settling it)
    is generated again after REPLY_RECOVERY_SECONDS, at most MAX_RECOVERIES times, then fails
    visibly; one still `processing` long after the longest task could run (its worker hangs) fails
    visibly, with a retry action, and its customer messages wait again; a scheduled action claimed
    but never run is released to be claimed again; an outgoing message left queued or sending (its
    worker died between the commit and the send, or its send task was lost, or its channel never
    confirmed a pending delivery) goes to the send task again, which delivers it or fails it
    visibly — after MAX_SEND_ATTEMPTS it fails here; a customer message never picked up (its
    processing task was lost: the broker was down at enqueue, or restarted without persistence)
    gets its conversation processed again; an unanswered question never clustered is queued for
    clustering again."""
    now = timezone.now()
    regenerated, gave_up = _abandoned_replies_regenerate(
        older_than=now - timedelta(seconds=settings.REPLY_RECOVERY_SECONDS)
    )
    reprocessed = _unclaimed_messages_reprocess(older_than=now - timedelta(minutes=received_minutes), now=now)
    in_flight = Message.objects.unscoped_across_workspaces().filter(
        direction=Message.Direction.OUT,
        status__in=[Message.Status.QUEUED, Message.Status.SENDING],
        updated_at__lt=now - timedelta(minutes=sending_minutes),
    )
    exhausted = in_flight.filter(send_attempts__gte=MAX_SEND_ATTEMPTS).update(
        status=Message.Status.FAILED,
        status_reason=f"Not delivered after {MAX_SEND_ATTEMPTS} attempts; retry it.",
        failure_stage="sending",
        updated_at=now,
    )
    unsent = list(in_flight.values_list("workspace_id", "pk")[:500])
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
            _interrupted_fail(reply)
    return {
        "released_actions": released,
        "regenerated_replies": regenerated,
        "failed_replies": len(stale) + gave_up,
        "resent_messages": len(unsent),
        "failed_sends": exhausted,
        "reprocessed_conversations": reprocessed,
        "reclustered_questions": unanswered_cluster_recover(),
    }


def _abandoned_replies_regenerate(*, older_than: datetime) -> tuple[int, int]:
    """AI replies `processing` since before `older_than` that no live worker holds the lease of: each
    goes to a new generation task (which takes the lease, so a duplicate or the dead worker's
    redelivered task does nothing), or fails visibly after MAX_RECOVERIES. Returns (regenerated, failed)."""
    candidates = list(
        Message.objects.unscoped_across_workspaces()
        .filter(author=Message.Author.AI, status=Message.Status.PROCESSING, updated_at__lt=older_than)
        .values_list("workspace_id", "pk")[:500]
    )
    alive = leases_alive(pk for _, pk in candidates)
    outcomes = Counter(
        _abandoned_reply_regenerate(workspace_id, message_id, older_than=older_than)
        for workspace_id, message_id in candidates
        if message_id not in alive
    )
    return outcomes["regenerated"], outcomes["failed"]


def _abandoned_reply_regenerate(workspace_id: int, message_id: int, *, older_than: datetime) -> str | None:
    with workspace_scope(workspace_id), transaction.atomic():
        # Still stale under the row lock: a concurrent sweep (a backlog of them after an outage) that
        # regenerated it first has touched it, and must neither queue it again nor count a recovery.
        reply = (
            Message.objects.select_for_update()
            .filter(pk=message_id, status=Message.Status.PROCESSING, updated_at__lt=older_than)
            .first()
        )
        if reply is None:
            return None
        recoveries = int(reply.metadata.get("recoveries", 0))
        if recoveries >= MAX_RECOVERIES:
            _interrupted_fail(reply)
            return "failed"
        metadata = {**reply.metadata, "recoveries": recoveries + 1}
        message_set_status(reply, Message.Status.PROCESSING, "Interrupted: generating again", metadata=metadata)
        enqueue_on_commit("conversations.tasks.reply_generate_task", workspace_id, message_id)
        return "regenerated"


def _interrupted_fail(reply: Message) -> None:
    """The reply fails visibly, with a retry action; its customer messages wait for it again."""
    message_set_status(reply, Message.Status.FAILED, INTERRUPTED, failure_stage="processing")
    Message.objects.filter(pk__in=reply.answers, status=Message.Status.PROCESSING).update(
        status=Message.Status.RECEIVED
    )


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
