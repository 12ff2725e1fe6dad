"""Running a chain's due steps (SPEC §4.3): beat claims due rows of every workspace (SKIP LOCKED), a
worker runs each — inside working hours, else it moves to the next window — and the message it sends
is recorded on the row in the transaction that marks the row done, so a step is sent exactly once: a
re-delivered task, a second beat or the sweep that re-queues a lost claim all find it done."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from agent_platform.celery import enqueue_on_commit
from automations.models import ChainRun, ChainRunStep, ChainStep, DueStatus
from automations.services.actions import ActionContext, actions_run
from automations.services.chains import _finish, step_due_at, step_schedule
from automations.services.context import conversation_variables, template_render
from automations.services.followup import followup_write
from billing.exceptions import QuotaLimitReached
from billing.services import quota_consume, quota_release
from billing.types import QuotaMetric
from conversations.exceptions import ConversationClosed
from conversations.services import automated_message_send

logger = logging.getLogger(__name__)

CLAIM_BATCH = 500


def chain_steps_claim(*, now: datetime | None = None, limit: int = CLAIM_BATCH) -> list[tuple[int, int]]:
    """Claim due run steps of every workspace (SELECT … FOR UPDATE SKIP LOCKED: concurrent claimers
    never take the same row) and return (workspace_id, row_id) pairs to run."""
    now = now or timezone.now()
    rows = ChainRunStep.objects.unscoped_across_workspaces()
    with transaction.atomic():
        due = list(
            rows.select_for_update(skip_locked=True)
            .filter(status=DueStatus.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("workspace_id", "pk")[:limit]
        )
        rows.filter(pk__in=[pk for _, pk in due]).update(status=DueStatus.CLAIMED, claimed_at=now)
    return due


def chain_steps_recover(*, now: datetime | None = None, claimed_minutes: int = 5) -> int:
    """A step claimed but never finished (its worker died, its task was lost) is pending again, to be
    claimed by the next beat. A step whose message exists is done: the message is what decides."""
    now = now or timezone.now()
    rows = ChainRunStep.objects.unscoped_across_workspaces()
    stuck = rows.filter(status=DueStatus.CLAIMED, claimed_at__lt=now - timedelta(minutes=claimed_minutes))
    done = stuck.filter(message__isnull=False).update(status=DueStatus.DONE, finished_at=now)
    released = stuck.filter(message__isnull=True).update(status=DueStatus.PENDING, claimed_at=None)
    if done or released:
        logger.warning("chain steps recovered", extra={"released": released, "done": done})
    return released


def chain_step_run(*, row_id: int, now: datetime | None = None) -> ChainRunStep | None:
    """Run one claimed step: outside the chain's hours it waits for the next window; else its message
    is sent and recorded, with the step's actions and the next step, in one transaction. An AI
    follow-up takes one AI reply from the plan's quota (used up: the step and its run fail with
    `quota_exceeded` and the reason) and is written first, outside any transaction (a model call may
    be slow)."""
    now = now or timezone.now()
    text = None
    row = ChainRunStep.objects.select_related("step").filter(pk=row_id, status=DueStatus.CLAIMED).first()
    if row is None:
        return None
    if row.step.kind == ChainStep.Kind.AI:
        with transaction.atomic():
            locked = _lock(row_id)
            if locked is None or not _still_due(locked, now):
                return locked
        # An AI follow-up is an AI reply for the plan, taken before generating like the processor's
        # (atomic: concurrent steps never pass the limit), given back if the model call fails.
        workspace = locked.run.conversation.workspace
        try:
            quota_consume(workspace=workspace, metric=QuotaMetric.AI_REPLIES)
        except QuotaLimitReached as exc:
            return _fail(row_id, now, f"{exc.code}: {exc.detail}")
        try:
            text = followup_write(conversation=locked.run.conversation, chain=locked.run.chain, step=locked.step)
        except Exception as exc:  # the step ends visibly whatever broke
            logger.exception("chain step not written", extra={"row": row_id})
            quota_release(workspace=workspace, metric=QuotaMetric.AI_REPLIES)
            return _fail(row_id, now, f"The message could not be written: {exc}")
    return _send(row_id, text, now)


def _lock(row_id: int) -> ChainRunStep | None:
    """The row, locked with its run, if it is still claimed and has sent nothing (else someone else
    ran it). The run's lock orders this against a stop (a customer's reply) on the same run."""
    row = (
        ChainRunStep.objects.select_for_update()
        .select_related("step")
        .filter(pk=row_id, status=DueStatus.CLAIMED, message__isnull=True)
        .first()
    )
    if row is not None:
        row.run = (
            ChainRun.objects.select_for_update(of=("self",))
            .select_related("chain__agent", "conversation__workspace", "conversation__agent")
            .get(pk=row.run_id)
        )
    return row


def _still_due(row: ChainRunStep, now: datetime) -> bool:
    """Whether the locked row goes out now; else it is ended (its run stopped; hours that never open)
    or moved to the next window (claimed late at night: a worker was down)."""
    run = row.run
    if run.status != ChainRun.Status.ACTIVE:
        _row_end(row, DueStatus.CANCELLED, now, error=f"The run is {run.status}")
        return False
    due_at = step_due_at(run.chain, run.conversation.workspace.time_zone, now)
    if due_at is None:
        _row_end(row, DueStatus.FAILED, now, error="The chain's working hours never open")
        _finish(run, ChainRun.Status.FAILED, "The chain's working hours never open")
        return False
    if due_at > now:
        row.status, row.due_at, row.claimed_at = DueStatus.PENDING, due_at, None
        row.save(update_fields=["status", "due_at", "claimed_at"])
        return False
    return True


def _send(row_id: int, text: str | None, now: datetime) -> ChainRunStep | None:
    with transaction.atomic():
        row = _lock(row_id)
        if row is None or not _still_due(row, now):
            return row
        run, step = row.run, row.step
        if text is None and step.kind == ChainStep.Kind.TEMPLATE:
            variables = conversation_variables(run.conversation, run.chain.agent or run.conversation.agent)
            text = template_render(step.template, variables)
        text = text or ""
        origin = {"kind": "chain", "chain": run.chain_id, "run": run.pk, "step": row.step_id}
        if text.strip():
            try:
                row.message = automated_message_send(conversation=run.conversation, text=text, origin=origin)
            except ConversationClosed:
                _row_end(row, DueStatus.CANCELLED, now, error="The conversation is closed")
                _finish(run, ChainRun.Status.STOPPED, "The conversation was closed")
                return row
        elif step.kind != ChainStep.Kind.ACTIONS_ONLY:
            _row_end(row, DueStatus.FAILED, now, error="The message came out empty")
            _finish(run, ChainRun.Status.FAILED, "A step's message came out empty")
            return row
        sent_at = timezone.now()
        steps = list(run.chain.steps.order_by("order", "id").prefetch_related("actions"))
        # The step's actions, in this transaction: a re-run finds the row done and runs none again.
        actions = [(a.kind, a.params) for each in steps if each.pk == step.pk for a in each.actions.all()]
        if actions:
            context = ActionContext(
                conversation=run.conversation, agent=run.chain.agent or run.conversation.agent, origin=origin
            )
            row.actions = actions_run(context, actions)
        _row_end(row, DueStatus.DONE, sent_at)
        if actions:
            run.refresh_from_db(fields=["status"])
        if run.status == ChainRun.Status.ACTIVE:  # an action may have stopped this very run
            _next(run, step, steps, sent_at)
    return row


def _next(run: ChainRun, step: ChainStep, steps: list[ChainStep], sent_at: datetime) -> None:
    """Schedule the step after `step` (of the chain's ordered `steps`), or complete the run."""
    position = next((i for i, each in enumerate(steps) if each.pk == step.pk), len(steps))
    following = steps[position + 1] if position + 1 < len(steps) else None
    if following is None:
        _finish(run, ChainRun.Status.COMPLETED, "Every step was sent")
        return
    if step_schedule(run, following, after=sent_at) is None:
        _finish(run, ChainRun.Status.FAILED, "The chain's working hours never open")
        return
    if following.delay_minutes == 0:  # due now: claimed at once, not at the next beat
        enqueue_on_commit("automations.tasks.chain_steps_claim_task")


def _fail(row_id: int, now: datetime, error: str) -> ChainRunStep | None:
    with transaction.atomic():
        row = _lock(row_id)
        if row is None:
            return None
        _row_end(row, DueStatus.FAILED, now, error=error)
        if row.run.status == ChainRun.Status.ACTIVE:
            _finish(row.run, ChainRun.Status.FAILED, error)
    return row


def _row_end(row: ChainRunStep, status: str, at: datetime, *, error: str = "") -> None:
    row.status, row.finished_at, row.error = status, at, error[:1000]
    row.save(update_fields=["status", "finished_at", "error", "message", "actions"])
