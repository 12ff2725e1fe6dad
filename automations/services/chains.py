"""The chain scheduler (SPEC §4.3): a run per conversation, its steps as due rows moved into the chain's
working hours, started by hand, by a trigger or by an event, stopped by its stop conditions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from agent_platform.celery import enqueue_on_commit
from agents.selectors import working_hours_next_open
from automations.models import Chain, ChainRun, ChainRunStep, ChainStep, DueStatus, Trigger
from billing.services import activity_record

if TYPE_CHECKING:
    from conversations.models import Conversation


def step_due_at(chain: Chain, time_zone: str, scheduled_for: datetime) -> datetime | None:
    """When a step whose delay ends at `scheduled_for` is sent: then, or the next moment inside the
    chain's working hours (holidays skipped); None when the hours never open."""
    return working_hours_next_open(
        schedule=chain.working_hours,
        time_zone=time_zone,
        at=scheduled_for,
        holidays=[day.isoformat() for day in chain.holidays],
    )


def step_schedule(run: ChainRun, step: ChainStep, *, after: datetime) -> ChainRunStep | None:
    """The run's row for `step`, due `step.delay_minutes` after `after`, inside working hours."""
    scheduled_for = after + timedelta(minutes=step.delay_minutes)
    due_at = step_due_at(run.chain, run.conversation.workspace.time_zone, scheduled_for)
    if due_at is None:
        return None
    return ChainRunStep.objects.create(
        workspace_id=run.workspace_id, run=run, step=step, scheduled_for=scheduled_for, due_at=due_at
    )


@transaction.atomic
def chain_start(
    *,
    chain: Chain,
    conversation: Conversation,
    started_by: str,
    user: User | None = None,
    trigger: Trigger | None = None,
) -> ChainRun | None:
    """Start `chain` on the conversation: a run whose first step is due after its delay. A chain
    already running there keeps its run (None is returned); a chain without steps does not start."""
    first = chain.steps.order_by("order", "id").first()
    if first is None or not chain.is_active:
        return None
    try:
        with transaction.atomic():
            run = ChainRun.objects.create(
                workspace_id=conversation.workspace_id,
                chain=chain,
                conversation=conversation,
                started_by=started_by,
                started_by_user=user,
                started_by_trigger=trigger,
            )
    except IntegrityError:  # one active run per chain and conversation
        return None
    activity_record(workspace_id=run.workspace_id, agent_id=conversation.agent_id, chain_runs_started=1)
    if step_schedule(run, first, after=run.started_at) is None:
        _finish(run, ChainRun.Status.FAILED, "The chain's working hours never open")
    elif first.delay_minutes == 0:  # due now: claimed at once, not at the next beat
        enqueue_on_commit("automations.tasks.chain_steps_claim_task")
    return run


@transaction.atomic
def chain_runs_stop(*, conversation: Conversation, reason: str, chain: Chain | None = None) -> int:
    """Stop the conversation's active runs (of one chain, or all): their pending steps are cancelled."""
    runs = ChainRun.objects.select_for_update().filter(conversation=conversation, status=ChainRun.Status.ACTIVE)
    if chain is not None:
        runs = runs.filter(chain=chain)
    stopped = 0
    for run in runs:
        _finish(run, ChainRun.Status.STOPPED, reason)
        stopped += 1
    return stopped


STOP_REASONS = {
    Chain.StopOn.CUSTOMER_REPLIED: "The customer replied",
    Chain.StopOn.STAGE_CHANGED: "The lead's stage changed",
    Chain.StopOn.HUMAN_TOOK_OVER: "A person took the conversation over",
    Chain.StopOn.TRIGGER_FIRED: "A trigger fired",
    Chain.StopOn.CONVERSATION_CLOSED: "The conversation was closed",
}


@transaction.atomic
def chains_stop_on(*, conversation: Conversation, event: str, detail: str = "") -> int:
    """Something happened on the conversation (`Chain.StopOn`): stop the active runs whose chain stops
    on it. Returns how many stopped."""
    runs = ChainRun.objects.select_for_update(of=("self",)).filter(
        conversation=conversation, status=ChainRun.Status.ACTIVE, chain__stop_on__contains=[event]
    )
    reason = STOP_REASONS.get(event, event) + (f": {detail}" if detail else "")
    stopped = 0
    for run in runs:
        _finish(run, ChainRun.Status.STOPPED, reason)
        stopped += 1
    return stopped


def _finish(run: ChainRun, status: str, reason: str) -> None:
    now = timezone.now()
    ChainRunStep.objects.filter(run=run, status=DueStatus.PENDING).update(status=DueStatus.CANCELLED, finished_at=now)
    run.status, run.stop_reason, run.finished_at = status, reason[:200], now
    run.save(update_fields=["status", "stop_reason", "finished_at"])
    converted = status == ChainRun.Status.COMPLETED or reason.startswith(STOP_REASONS[Chain.StopOn.CUSTOMER_REPLIED])
    activity_record(
        workspace_id=run.workspace_id,
        agent_id=run.conversation.agent_id,
        chain_runs_finished=1,
        chain_runs_converted=int(converted),
    )
