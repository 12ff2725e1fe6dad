"""The AI usage ledger and the money/token budget: every AI call recorded (with its daily aggregate),
the budget enforced before a call and its 80 %/100 % notices."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.services import notify
from agent_platform.tenancy import workspace_scope
from billing.exceptions import BudgetExceeded
from billing.models import (
    AIBudget,
    BudgetLimitKind,
    UsageDaily,
    UsageEvent,
)
from billing.types import UsageStatus

log = logging.getLogger(__name__)

BUDGET_WARNING_SHARE = Decimal("0.8")
UNKNOWN = object()  # "not read yet" (None means "the workspace has no budget")


def _month_start(day: dt.date | None = None) -> dt.date:
    return (day or timezone.localdate()).replace(day=1)


def _budget_get(*, workspace) -> AIBudget | None:
    return AIBudget.objects.filter(workspace=workspace).first()


def _budget_spent(*, workspace, budget: AIBudget, day: dt.date | None = None) -> Decimal:
    """What the workspace used this month, in the budget's unit (money or tokens)."""
    rows = UsageDaily.objects.filter(workspace=workspace, date__gte=_month_start(day))
    if budget.limit_kind == BudgetLimitKind.TOKENS:
        total = rows.aggregate(total=Coalesce(Sum(F("input_tokens") + F("output_tokens")), 0))["total"]
        return Decimal(total)
    return rows.aggregate(total=Coalesce(Sum("cost"), Decimal(0)))["total"]


def usage_record(
    *,
    workspace,
    purpose: str,
    provider: str,
    model_id: str,
    status: str,
    input_tokens: int = 0,
    output_tokens: int = 0,
    cached_tokens: int = 0,
    cost: Decimal = Decimal(0),
    latency_ms: int = 0,
    attempts: int = 1,
    error_code: str = "",
    request_id: str = "",
    agent_id: int | None = None,
    conversation_id: int | None = None,
    budget: AIBudget | object | None = UNKNOWN,
) -> UsageEvent:
    """Record one AI call (success or failure), add it to its daily aggregate, and notify when the
    month's budget crosses 80 % or 100 %. `budget`: the workspace's budget as the caller already
    read it (budget_enforce), to spare a query; looked up when not given."""
    with workspace_scope(workspace.pk), transaction.atomic():
        event = UsageEvent.objects.create(
            workspace=workspace,
            agent_id=agent_id,
            conversation_id=conversation_id,
            purpose=purpose,
            provider=provider,
            model_id=model_id,
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            cached_tokens=cached_tokens,
            cost=cost,
            latency_ms=latency_ms,
            attempts=attempts,
            status=status,
            error_code=error_code[:64],
            request_id=request_id[:200],
        )
        _daily_add(event)
    if status == UsageStatus.OK and (input_tokens or output_tokens or cost):
        budget_notify_thresholds(workspace=workspace, budget=budget)
    return event


def _daily_add(event: UsageEvent) -> None:
    # Raw SQL for an atomic upsert: concurrent calls on the same day/agent/model add to one row
    # without a lost update. It names workspace_id explicitly (the event's own workspace), and the
    # table is UsageDaily's (db_table usage_statistics).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO usage_statistics (workspace_id, date, agent_id, provider, model_id, calls, failures,
                                 input_tokens, output_tokens, cached_tokens, cost)
            VALUES (%s, %s, %s, %s, %s, 1, %s, %s, %s, %s, %s)
            ON CONFLICT (workspace_id, date, agent_id, provider, model_id) DO UPDATE SET
                calls = usage_statistics.calls + 1,
                failures = usage_statistics.failures + EXCLUDED.failures,
                input_tokens = usage_statistics.input_tokens + EXCLUDED.input_tokens,
                output_tokens = usage_statistics.output_tokens + EXCLUDED.output_tokens,
                cached_tokens = usage_statistics.cached_tokens + EXCLUDED.cached_tokens,
                cost = usage_statistics.cost + EXCLUDED.cost
            """,
            [
                event.workspace_id,
                timezone.localdate(event.created_at),
                event.agent_id,
                event.provider,
                event.model_id,
                0 if event.status == UsageStatus.OK else 1,
                event.input_tokens,
                event.output_tokens,
                event.cached_tokens,
                event.cost,
            ],
        )


def budget_set(*, workspace, monthly_limit: Decimal, limit_kind: str = BudgetLimitKind.MONEY, hard_stop: bool = True):
    """Create or change the workspace's monthly AI budget."""
    with workspace_scope(workspace.pk):
        budget, _ = AIBudget.objects.update_or_create(
            workspace=workspace,
            defaults={"monthly_limit": monthly_limit, "limit_kind": limit_kind, "hard_stop": hard_stop},
        )
    return budget


def budget_enforce(*, workspace) -> AIBudget | None:
    """Before an AI call: raise BudgetExceeded when the month's budget is used up and hard_stop is
    on. Returns the budget it read (None when the workspace has none)."""
    with workspace_scope(workspace.pk):
        budget = _budget_get(workspace=workspace)
        if budget is None or not budget.hard_stop:
            return budget
        spent = _budget_spent(workspace=workspace, budget=budget)
        if spent < budget.monthly_limit:
            return budget
        _notify_once(budget, field="exhausted_month", share=spent / budget.monthly_limit if budget.monthly_limit else 1)
    raise BudgetExceeded(
        f"This month's AI budget ({_amount(budget.monthly_limit, budget)}) is used up; AI generation is stopped "
        "until next month or until the budget is raised.",
        limit=str(budget.monthly_limit),
        limit_kind=budget.limit_kind,
        spent=str(spent),
    )


def budget_notify_thresholds(*, workspace, budget: AIBudget | object | None = UNKNOWN) -> None:
    """After an AI call: one notification per month at 80 %, one at 100 %."""
    with workspace_scope(workspace.pk):
        if budget is UNKNOWN:
            budget = _budget_get(workspace=workspace)
        if budget is None or budget.monthly_limit <= 0:
            return
        share = _budget_spent(workspace=workspace, budget=budget) / budget.monthly_limit
        if share >= 1:
            _notify_once(budget, field="exhausted_month", share=share)
        elif share >= BUDGET_WARNING_SHARE:
            _notify_once(budget, field="warned_month", share=share)


def _amount(value: Decimal, budget: AIBudget) -> str:
    if budget.limit_kind == BudgetLimitKind.TOKENS:
        return f"{int(value):,} tokens"
    return f"${value.quantize(Decimal('0.01'))}"


def _notify_once(budget: AIBudget, *, field: str, share: Decimal) -> None:
    month = _month_start()
    # Claim the month's notification with a conditional UPDATE, so concurrent calls send it once.
    claimed = AIBudget.objects.filter(pk=budget.pk).exclude(**{field: month}).update(**{field: month})
    if not claimed:
        return
    percent = int(share * 100)
    limit = _amount(budget.monthly_limit, budget)
    if field == "warned_month":
        kind, title = "ai_budget_warning", f"AI budget {percent}% used"
        body = f"This workspace has used {percent}% of its monthly AI budget of {limit}."
    else:
        kind, title = "ai_budget_exhausted", "AI budget used up"
        body = f"This workspace has used its monthly AI budget of {limit}. " + (
            "AI generation is stopped until next month or until the budget is raised."
            if budget.hard_stop
            else "AI generation continues (the budget is set not to stop it)."
        )
    log.warning("ai budget threshold", extra={"workspace_id": budget.workspace_id, "kind": kind, "percent": percent})
    notify(workspace=budget.workspace, kind=kind, title=title, body=body, payload={"percent": percent, "limit": limit})


# --- Plans and quotas ---------------------------------------------------------------------------
