""" "Customer silent for N minutes" (SPEC §4.2): a trigger whose condition tests customer.silent_minutes
gt/gte N gets a `TriggerTimer` per conversation, (re)set to N minutes after each customer message.
Beat claims the due timers (SELECT … FOR UPDATE SKIP LOCKED), so nothing scans every conversation;
a timer is consumed when it runs, so a trigger fires at most once per silence."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from automations.models import DueStatus, Trigger, TriggerTimer
from automations.services.evaluation import conversation_facts, trigger_evaluate
from automations.services.triggers import silence_minutes
from conversations.selectors import conversation_recent_messages

if TYPE_CHECKING:
    from conversations.models import Conversation, Message

LOST_AFTER = timedelta(minutes=10)  # a timer claimed this long ago whose run never started was lost


def silence_timers_set(*, conversation: Conversation, now: datetime | None = None) -> int:
    """The customer wrote: every active silence trigger of the conversation's agent (all of them while
    no agent answers it yet; the agent is checked again when the timer runs) is due N minutes from now."""
    now = now or timezone.now()
    triggers = Trigger.objects.filter(is_active=True)
    if conversation.agent_id:
        triggers = triggers.filter(Q(agent=None) | Q(agent_id=conversation.agent_id))
    count = 0
    for trigger in triggers:
        minutes = silence_minutes(trigger.condition)
        if minutes is None:
            continue
        due = now + timedelta(minutes=minutes)
        pending = TriggerTimer.objects.filter(trigger=trigger, conversation=conversation, status=DueStatus.PENDING)
        if not pending.update(due_at=due):
            try:
                with transaction.atomic():
                    TriggerTimer.objects.create(
                        workspace_id=conversation.workspace_id, trigger=trigger, conversation=conversation, due_at=due
                    )
            except IntegrityError:  # another message of the burst made it first: move it
                pending.update(due_at=due)
        count += 1
    return count


def silence_timers_claim(*, now: datetime, limit: int = 200) -> list[tuple[int, int]]:
    """Claim due timers of every workspace (SKIP LOCKED: concurrent claimers never take the same row)
    and return (workspace_id, timer_id) pairs to run. `now` is a parameter: tests set the clock."""
    rows = TriggerTimer.objects.unscoped_across_workspaces()
    rows.filter(status=DueStatus.CLAIMED, due_at__lt=now - LOST_AFTER).update(status=DueStatus.PENDING)
    with transaction.atomic():
        due = list(
            rows.select_for_update(skip_locked=True)
            .filter(status=DueStatus.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("workspace_id", "pk")[:limit]
        )
        rows.filter(pk__in=[pk for _, pk in due]).update(status=DueStatus.CLAIMED)
    return due


def silence_timer_run(*, timer_id: int, now: datetime | None = None) -> str:
    """Run one claimed timer once: consume it, then evaluate its trigger with event "silence".
    Returns the log's outcome, or why nothing was evaluated."""
    now = now or timezone.now()
    if not TriggerTimer.objects.filter(pk=timer_id, status=DueStatus.CLAIMED).update(
        status=DueStatus.DONE, finished_at=now
    ):
        return "not claimed"
    timer = TriggerTimer.objects.select_related("trigger", "conversation__workspace", "conversation__agent").get(
        pk=timer_id
    )
    trigger, conversation = timer.trigger, timer.conversation
    if not trigger.is_active or silence_minutes(trigger.condition) is None:
        return "trigger off"
    if trigger.agent_id and trigger.agent_id != conversation.agent_id:
        return "another agent's trigger"
    if conversation.status == "closed":
        return "conversation closed"
    last = _last_customer_message(conversation)
    if last is None:
        return "no customer message"
    facts = conversation_facts(
        workspace=conversation.workspace,
        conversation=conversation,
        text=last.text,
        now=now,
        silent_since=last.source_timestamp,
    )
    entry = trigger_evaluate(trigger, conversation, conversation.agent, facts, event="silence", message=last, now=now)
    return entry.outcome


def _last_customer_message(conversation: Conversation) -> Message | None:
    messages, _ = conversation_recent_messages(conversation=conversation, limit=30)
    return next((m for m in reversed(messages) if m.direction == "in"), None)
