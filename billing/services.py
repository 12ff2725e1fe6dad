"""AI usage ledger and budgets: every AI call is recorded here, the daily aggregates (table 23) are
kept up to date incrementally, and the monthly budget is enforced. Plans and quotas: the plan a
workspace is on, and the one place plan limits are checked and consumed (quota_consume, quota_check).

The AI budget (money or tokens the workspace chose) and the plan's quotas (what the plan includes)
are separate: either may stop a reply."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Workspace
from accounts.services import notify
from agent_platform.tenancy import workspace_scope
from billing.exceptions import BudgetExceeded, QuotaLimitReached
from billing.models import (
    ActivityDaily,
    AIBudget,
    BudgetLimitKind,
    OveragePolicy,
    Plan,
    QuotaCounter,
    UsageDaily,
    UsageEvent,
    WorkspacePlan,
)
from billing.selectors import plan_current, plan_usage_cache_key, quota_period_start, seats_taken
from billing.statistics import BUCKETS, bucket_of
from billing.types import QuotaMetric, UsageStatus

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


ACTIVITY_COUNTERS = frozenset(
    f.name
    for f in ActivityDaily._meta.fields
    if f.name not in {"id", "workspace", "date", "agent_id"} and not f.name.startswith("first_response")
)


def activity_record(
    *,
    workspace_id: int,
    agent_id: int | None = None,
    at: dt.datetime | None = None,
    first_response_seconds: float | None = None,
    **increments: int,
) -> None:
    """Add to the day's activity counters (ActivityDaily) of the workspace and agent: e.g.
    `activity_record(workspace_id=…, agent_id=…, ai_replies=1)`. The day is `at` (default: now) in
    the workspace's time zone. `first_response_seconds` adds one first response to the count, the
    sum and the histogram. Runs in the caller's transaction, so a rolled-back event is not counted."""
    unknown = set(increments) - ACTIVITY_COUNTERS
    if unknown:
        raise ValueError(f"Unknown activity counters: {sorted(unknown)}")
    increments = {name: value for name, value in increments.items() if value}
    if first_response_seconds is not None:
        increments["first_response_count"] = 1
    if not increments:
        return
    columns = sorted(increments)
    histogram = [0] * BUCKETS
    updates = [f"{name} = activity_statistics.{name} + EXCLUDED.{name}" for name in columns]
    if first_response_seconds is not None:
        bucket = bucket_of(first_response_seconds)
        histogram[bucket] = 1
        columns.append("first_response_seconds_sum")
        updates.append(
            "first_response_seconds_sum = activity_statistics.first_response_seconds_sum"
            " + EXCLUDED.first_response_seconds_sum"
        )
        # Arrays are 1-based in SQL; every row is created with all its buckets, so the element exists.
        updates.append(
            f"first_response_histogram[{bucket + 1}] = activity_statistics.first_response_histogram[{bucket + 1}] + 1"
        )
    values = [increments[name] for name in columns if name in increments]
    if first_response_seconds is not None:
        values.append(max(float(first_response_seconds), 0.0))
    # Raw SQL for one atomic upsert (concurrent events add to one row without a lost update). The
    # workspace is named explicitly, and its own time zone gives the day in the same statement.
    placeholders = ", ".join(["%s"] * len(values))
    params = [at, agent_id, *values, histogram, workspace_id]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO activity_statistics
                (workspace_id, date, agent_id, {", ".join(columns)}, first_response_histogram)
            SELECT w.id, (COALESCE(%s::timestamptz, now()) AT TIME ZONE w.time_zone)::date, %s, {placeholders}, %s
            FROM accounts_workspace w WHERE w.id = %s
            ON CONFLICT (workspace_id, date, agent_id) DO UPDATE SET {", ".join(updates)}
            """,  # noqa: S608 (column names come from the model's fields, values are parameters)
            params,
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

QUOTA_WARNING_PERCENT = 80


def plan_usage_invalidate(*, workspace_id: int) -> None:
    """Drop the cached plan-and-usage read (after the plan or any usage changed)."""
    cache.delete(plan_usage_cache_key(workspace_id))


def plan_usage_changed(workspace_id: int) -> None:
    """Something the plan-and-usage read shows changed in this transaction (an agent was deleted…)."""
    # Now, for reads later in this transaction, and again after the commit: a concurrent read in
    # between may have cached what was true before it.
    plan_usage_invalidate(workspace_id=workspace_id)
    transaction.on_commit(lambda: plan_usage_invalidate(workspace_id=workspace_id))


def plan_save(*, plan: Plan) -> Plan:
    """Save a plan's limits or price (the admin): every workspace's cached read shows the change at once."""
    with transaction.atomic():
        plan.save()
    keys = [plan_usage_cache_key(pk) for pk in Workspace.objects.values_list("pk", flat=True)]
    cache.delete_many(keys)
    return plan


def workspace_plan_set(*, workspace: Workspace, plan: Plan) -> WorkspacePlan:
    """Put the workspace on a plan (today the admin; later Stripe's subscription webhooks)."""
    with workspace_scope(workspace.pk), transaction.atomic():
        row, _ = WorkspacePlan.objects.update_or_create(workspace=workspace, defaults={"plan": plan})
        plan_usage_changed(workspace.pk)
    return row


def workspace_plan_ensure(*, workspace: Workspace, code: str) -> None:
    """Put a workspace that has no plan of its own on the plan `code` (the offline demo's setup)."""
    with workspace_scope(workspace.pk):
        if not WorkspacePlan.objects.filter(workspace=workspace).exists():
            workspace_plan_set(workspace=workspace, plan=Plan.objects.get(code=code))


def quota_consume(*, workspace: Workspace, metric: str = QuotaMetric.AI_REPLIES, amount: int = 1) -> int:
    """Take `amount` of a metered limit for this period, or raise QuotaLimitReached: the check and
    the increment are one statement, so concurrent workers never take more than the limit (plans
    that allow overage always take it). Returns the period's use after this call."""
    plan = plan_current(workspace=workspace)
    limit = getattr(plan, metric)
    period = quota_period_start()
    blocking = limit is not None and plan.overage_policy == OveragePolicy.BLOCK
    # Raw SQL: an upsert whose UPDATE only happens while the sum stays within the limit. The row is
    # the workspace's own (workspace_id named explicitly); RETURNING gives the new total or no row.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO billing_quotacounter (workspace_id, metric, period_start, used, warned, exhausted)
            SELECT %(ws)s, %(metric)s, %(period)s, %(amount)s, false, false
            WHERE NOT %(blocking)s OR %(amount)s <= %(limit)s
            ON CONFLICT (workspace_id, metric, period_start) DO UPDATE
                SET used = billing_quotacounter.used + EXCLUDED.used
                WHERE NOT %(blocking)s OR billing_quotacounter.used + EXCLUDED.used <= %(limit)s
            RETURNING used
            """,
            {
                "ws": workspace.pk,
                "metric": metric,
                "period": period,
                "amount": amount,
                "blocking": blocking,
                "limit": limit if limit is not None else 0,
            },
        )
        row = cursor.fetchone()
    plan_usage_invalidate(workspace_id=workspace.pk)
    if row is None:
        _quota_notify_once(workspace, plan, metric, period, field="exhausted", used=limit or 0, limit=limit or 0)
        raise _limit_reached(plan, metric, limit or 0)
    used = row[0]
    if limit:
        if used >= limit:
            _quota_notify_once(workspace, plan, metric, period, field="exhausted", used=used, limit=limit)
        elif used * 100 >= limit * QUOTA_WARNING_PERCENT:
            _quota_notify_once(workspace, plan, metric, period, field="warned", used=used, limit=limit)
    return used


def quota_release(*, workspace: Workspace, metric: str = QuotaMetric.AI_REPLIES, amount: int = 1) -> None:
    """Give back what quota_consume took for work that did not happen (the AI call failed)."""
    with workspace_scope(workspace.pk):
        QuotaCounter.objects.filter(
            workspace=workspace, metric=metric, period_start=quota_period_start(), used__gte=amount
        ).update(used=F("used") - amount)
    plan_usage_invalidate(workspace_id=workspace.pk)


def quota_check(*, workspace: Workspace, metric: str, current: int) -> None:
    """Before creating one more of a counted thing (an agent, a seat): raise QuotaLimitReached when
    `current` already fills the plan's limit. Call it inside the creating transaction: it locks the
    workspace row, so two concurrent creations are checked one after the other."""
    Workspace.objects.select_for_update().filter(pk=workspace.pk).first()
    plan = plan_current(workspace=workspace)
    limit = getattr(plan, metric)
    plan_usage_changed(workspace.pk)
    if limit is not None and plan.overage_policy == OveragePolicy.BLOCK and current >= limit:
        raise _limit_reached(plan, metric, limit)


def seat_quota_check(*, workspace: Workspace, email: str = "") -> None:
    """Before an invitation: members plus open invitations must stay within the plan's seats (a new
    invitation to `email` replaces that address's open one, which holds no extra seat)."""
    quota_check(workspace=workspace, metric=QuotaMetric.SEATS, current=seats_taken(workspace=workspace, besides=email))


def _limit_reached(plan: Plan, metric: str, limit: int) -> QuotaLimitReached:
    label = QuotaMetric(metric).label
    return QuotaLimitReached(
        f"The {plan.name} plan includes {label.lower()}: {limit}. The limit is reached; a higher plan raises it.",
        metric=metric,
        limit=limit,
        plan=plan.code,
    )


def _quota_notify_once(
    workspace: Workspace, plan: Plan, metric: str, period: dt.date, *, field: str, used: int, limit: int
) -> None:
    # Claim the period's notice with a conditional UPDATE, so concurrent consumers send it once (the
    # row may not exist yet when even the first unit was refused).
    with workspace_scope(workspace.pk):
        QuotaCounter.objects.bulk_create(
            [QuotaCounter(workspace=workspace, metric=metric, period_start=period)], ignore_conflicts=True
        )
        claimed = QuotaCounter.objects.filter(
            workspace=workspace, metric=metric, period_start=period, **{field: False}
        ).update(**{field: True})
    if not claimed:
        return
    label = QuotaMetric(metric).label
    percent = int(used * 100 / limit) if limit else 100
    if field == "warned":
        kind, title = "quota_warning", f"{label}: {percent}% of the plan used"
        body = f"This workspace has used {used} of the {limit} {label.lower()} the {plan.name} plan includes."
    else:
        kind, title = "quota_exhausted", f"{label}: the plan's limit is reached"
        body = f"This workspace has used all {limit} {label.lower()} the {plan.name} plan includes. " + (
            "AI replies beyond it are billed as overage."
            if plan.overage_policy == OveragePolicy.ALLOW
            else "AI replies stop until the next period or a higher plan."
        )
    log.warning("quota threshold", extra={"workspace_id": workspace.pk, "kind": kind, "metric": metric})
    notify(
        workspace=workspace,
        kind=kind,
        title=title,
        body=body,
        payload={"metric": metric, "percent": percent, "used": used, "limit": limit, "plan": plan.code},
    )
