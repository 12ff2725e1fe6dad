"""Reads of AI usage, budgets and the activity statistics, and of plans with the workspace's usage of
their limits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import QuerySet, Sum
from django.utils import timezone
from djstripe.models import Invoice as StripeInvoice
from djstripe.models import Subscription as StripeSubscription

from accounts.models import Invitation, Membership
from agent_platform.replica import read_replica
from agent_platform.tenancy import workspace_scope
from billing.models import ActivityDaily, BillingAccount, Plan, QuotaCounter, UsageDaily, UsageEvent, WorkspacePlan
from billing.statistics import BUCKETS, histogram_percentile
from billing.types import QuotaMetric

if TYPE_CHECKING:
    from accounts.models import Workspace

# Seconds. Billing deletes the entry when the plan, the metered usage, the agents or the seats change;
# what other apps count (the knowledge base's storage) shows up within this time.
PLAN_USAGE_TTL = 300

# How much of a counted limit a workspace uses now, by metric: the apps that own the counted things
# register functions here in their AppConfig.ready() (billing sits below them and cannot import them);
# a metric several apps hold (channels: Kommo in integrations, the API channel in conversations) is
# the sum of their counts.
USAGE_COUNTERS: dict[str, list[Callable[..., int]]] = {}


def usage_counter_register(metric: str, counter: Callable[..., int]) -> None:
    """`counter(workspace=…)` returns the workspace's current use of `metric` (its part of it)."""
    counters = USAGE_COUNTERS.setdefault(str(metric), [])
    if counter not in counters:
        counters.append(counter)


def usage_count(*, workspace: Workspace, metric: str) -> int | None:
    """The workspace's current use of a counted limit (None: nothing counts it)."""
    counters = USAGE_COUNTERS.get(str(metric))
    if not counters:
        return None
    with workspace_scope(workspace.pk):
        return sum(counter(workspace=workspace) for counter in counters)


def usage_event_list(*, agent_id: int | None = None) -> QuerySet[UsageEvent]:
    events = UsageEvent.objects.all()
    return events.filter(agent_id=agent_id) if agent_id is not None else events


def usage_statistics(
    *,
    workspace,
    date_from: dt.date,
    date_to: dt.date,
    group_by: tuple[str, ...] = ("date",),
    agent_id: int | None = None,
    provider: str | None = None,
    model_id: str | None = None,
) -> dict:
    """Calls, failures, tokens and cost between two days (inclusive), grouped by any of
    date / agent_id / provider+model_id, with the totals. Read from the replica when there is one."""
    rows = UsageDaily.objects.using(read_replica()).filter(workspace=workspace, date__gte=date_from, date__lte=date_to)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    if provider:
        rows = rows.filter(provider=provider)
    if model_id:
        rows = rows.filter(model_id=model_id)
    sums = {
        "calls": Sum("calls"),
        "failures": Sum("failures"),
        "input_tokens": Sum("input_tokens"),
        "output_tokens": Sum("output_tokens"),
        "cached_tokens": Sum("cached_tokens"),
        "cost": Sum("cost"),
    }
    fields = [f for f in ("date", "agent_id", "provider", "model_id") if f in group_by]
    grouped = list(rows.values(*fields).annotate(**sums).order_by(*fields)) if fields else []
    totals = rows.aggregate(**sums)
    totals = {
        key: value if value is not None else (Decimal(0) if key == "cost" else 0) for key, value in totals.items()
    }
    for row in [*grouped, totals]:
        row["total_tokens"] = row["input_tokens"] + row["output_tokens"]
    return {"rows": grouped, "totals": totals}


ACTIVITY_SUMS = (
    "conversations_started",
    "ai_replies",
    "approvals_approved",
    "approvals_rejected",
    "handoffs",
    "first_response_count",
    "first_response_seconds_sum",
    "trigger_fires",
    "chain_runs_started",
    "chain_runs_finished",
    "chain_runs_converted",
    "field_writes",
)


def agent_has_statistics(*, agent_id: int) -> bool:
    """Whether the (scoped) workspace has any statistics of the agent. Billing sits below agents, so
    it knows an agent only by the id its events carried."""
    activity = ActivityDaily.objects.filter(agent_id=agent_id)
    return activity.exists() or UsageDaily.objects.filter(agent_id=agent_id).exists()


def workspace_today(*, workspace) -> dt.date:
    """Today in the workspace's time zone (the statistics' days are the workspace's days)."""
    return timezone.localtime(timezone.now(), ZoneInfo(workspace.time_zone)).date()


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _figures(day: dict, histogram: list[int] | None) -> dict:
    """A period's figures (with its histogram) or a day's (None: no percentiles per day)."""
    decided = day["approvals_approved"] + day["approvals_rejected"]
    responses = day["first_response_count"]
    return {
        "conversations": day["conversations_started"],
        "ai_replies": day["ai_replies"],
        "approvals_approved": day["approvals_approved"],
        "approvals_rejected": day["approvals_rejected"],
        "approval_rate": _ratio(day["approvals_approved"], decided),
        "handoffs": day["handoffs"],
        "handoff_rate": _ratio(day["handoffs"], day["conversations_started"]),
        "first_responses": responses,
        "first_response_mean_seconds": round(day["first_response_seconds_sum"] / responses, 1) if responses else None,
        "first_response_median_seconds": histogram_percentile(histogram, 0.5) if histogram else None,
        "first_response_p90_seconds": histogram_percentile(histogram, 0.9) if histogram else None,
        "input_tokens": day["input_tokens"],
        "output_tokens": day["output_tokens"],
        "total_tokens": day["input_tokens"] + day["output_tokens"],
        "cost": day["cost"],
        "trigger_fires": day["trigger_fires"],
        "chain_runs_started": day["chain_runs_started"],
        "chain_runs_finished": day["chain_runs_finished"],
        "chain_runs_converted": day["chain_runs_converted"],
        "chain_conversion_rate": _ratio(day["chain_runs_converted"], day["chain_runs_finished"]),
        "field_writes": day["field_writes"],
    }


SUMMED = (*ACTIVITY_SUMS, "input_tokens", "output_tokens", "cost")


def _empty_day() -> dict:
    day: dict = dict.fromkeys(SUMMED, 0)
    day["cost"] = Decimal(0)
    return day


def _histograms(*, workspace_id: int, date_from, previous_from, date_to, agent_id: int | None) -> dict[bool, list]:
    """The first-response histograms of the period (True) and of the one before (False), summed by
    PostgreSQL element by element, so the rows' arrays never travel. Raw SQL: the ORM has no
    element-wise array sum; it names workspace_id (the request's workspace) explicitly."""
    # One aggregate pass, a sum per bucket (element access is O(1) on these small inline arrays;
    # unnesting them into rows is several times slower).
    agent_filter = "AND agent_id = %s" if agent_id is not None else ""
    buckets = ", ".join(f"sum(first_response_histogram[{n}])" for n in range(1, BUCKETS + 1))
    with connections[read_replica()].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT date >= %s AS current, {buckets}
            FROM activity_statistics
            WHERE workspace_id = %s AND date >= %s AND date <= %s AND first_response_count > 0 {agent_filter}
            GROUP BY 1
            """,  # noqa: S608 (fixed clauses; values are parameters)
            [date_from, workspace_id, previous_from, date_to, *([agent_id] if agent_id is not None else [])],
        )
        histograms = {True: [0] * BUCKETS, False: [0] * BUCKETS}
        for current, *counts in cursor.fetchall():
            histograms[current] = [int(count or 0) for count in counts]
    return histograms


def dashboard_statistics(*, workspace, date_from: dt.date, date_to: dt.date, agent_id: int | None = None) -> dict:
    """The dashboard's figures over [date_from, date_to] (workspace-local days, inclusive) and over the
    as long period just before it, with one row per day of the period for the charts. Reads only the
    daily aggregates (ActivityDaily, UsageDaily), summed by day in three indexed queries whatever the
    message count; from the replica when there is one (a few seconds behind is fine here)."""
    length = (date_to - date_from).days + 1
    previous_from = date_from - dt.timedelta(days=length)
    days = {previous_from + dt.timedelta(days=n): _empty_day() for n in range(2 * length)}
    activity = ActivityDaily.objects.using(read_replica()).filter(
        workspace=workspace, date__gte=previous_from, date__lte=date_to
    )
    usage = UsageDaily.objects.using(read_replica()).filter(
        workspace=workspace, date__gte=previous_from, date__lte=date_to
    )
    if agent_id is not None:
        activity, usage = activity.filter(agent_id=agent_id), usage.filter(agent_id=agent_id)
    sums = {name: Sum(name) for name in ACTIVITY_SUMS}
    for row in activity.values("date").annotate(**sums).order_by():
        days[row.pop("date")].update(row)
    usage_sums = {"input_tokens": Sum("input_tokens"), "output_tokens": Sum("output_tokens"), "cost": Sum("cost")}
    for row in usage.values("date").annotate(**usage_sums).order_by():
        days[row.pop("date")].update(row)
    current, previous = _empty_day(), _empty_day()
    for date, day in days.items():
        into = current if date >= date_from else previous
        for name in SUMMED:
            into[name] += day[name]
    histograms = _histograms(
        workspace_id=workspace.pk, date_from=date_from, previous_from=previous_from, date_to=date_to, agent_id=agent_id
    )
    return {
        "date_from": date_from,
        "date_to": date_to,
        "previous_from": previous_from,
        "previous_to": date_from - dt.timedelta(days=1),
        "current": _figures(current, histograms[True]),
        "previous": _figures(previous, histograms[False]),
        "series": [{"date": date, **_figures(day, None)} for date, day in days.items() if date >= date_from],
    }


def plan_list(*, public_only: bool = True) -> QuerySet[Plan]:
    plans = Plan.objects.all()
    return plans.filter(is_public=True) if public_only else plans


def plan_get(*, code: str) -> Plan:
    return Plan.objects.get(code=code)


def plan_default() -> Plan:
    """The plan of a workspace with no plan of its own: settings.BILLING_DEFAULT_PLAN when set (an
    install or test suite that is not about plans), else the plan marked default (Free)."""
    code = getattr(settings, "BILLING_DEFAULT_PLAN", "")
    plan = (Plan.objects.filter(code=code).first() if code else None) or Plan.objects.filter(is_default=True).first()
    plan = plan or Plan.objects.order_by("monthly_price", "id").first()
    if plan is None:
        raise Plan.DoesNotExist("No plan exists: the billing data migration creates them.")
    return plan


def plan_current(*, workspace: Workspace) -> Plan:
    """The workspace's plan: its WorkspacePlan row's, or the default plan when it has none."""
    with workspace_scope(workspace.pk):
        row = WorkspacePlan.objects.filter(workspace=workspace).select_related("plan").first()
    return row.plan if row else plan_default()


def quota_period_start(day: dt.date | None = None) -> dt.date:
    """Metered limits count per calendar month (the project's time zone, like the AI budget)."""
    return (day or timezone.localdate()).replace(day=1)


def _period_end(start: dt.date) -> dt.date:
    return (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def seats_taken(*, workspace: Workspace, besides: str = "") -> int:
    """Members plus open invitations (but the one to `besides`): what the plan's seat limit counts."""
    with workspace_scope(workspace.pk):
        invited = Invitation.objects.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())
        if besides:
            invited = invited.exclude(email__iexact=besides)
        invited = invited.count()
    return Membership.objects.filter(workspace=workspace).count() + invited


def plan_usage_cache_key(workspace_id: int) -> str:
    return f"billing:plan-usage:{workspace_id}:{quota_period_start().isoformat()}"


def plan_usage(*, workspace: Workspace) -> dict[str, Any]:
    """The workspace's plan and, for each limit, used / limit / percent in the current period: one
    cached read (billing's services delete the entry when the plan or any usage changes)."""
    key = plan_usage_cache_key(workspace.pk)
    cached = cache.get(key)
    if cached is not None:
        return cached
    value = _plan_usage_compute(workspace)
    cache.set(key, value, PLAN_USAGE_TTL)
    return value


def _plan_usage_compute(workspace: Workspace) -> dict[str, Any]:
    plan = plan_current(workspace=workspace)
    start = quota_period_start()
    with workspace_scope(workspace.pk):
        counters = dict(
            QuotaCounter.objects.filter(workspace=workspace, period_start=start).values_list("metric", "used")
        )
    limits = []
    for metric in QuotaMetric:
        if metric == QuotaMetric.AI_REPLIES:
            used: int | None = counters.get(metric.value, 0)
        elif metric == QuotaMetric.SEATS:
            used = seats_taken(workspace=workspace)
        else:
            used = usage_count(workspace=workspace, metric=metric.value)  # None: not metered
        limit = getattr(plan, metric.value)
        percent = None if used is None or not limit else round(used * 100 / limit, 1)
        if used is not None and limit == 0:
            percent = 100.0 if used else 0.0
        limits.append({"metric": metric.value, "name": metric.label, "used": used, "limit": limit, "percent": percent})
    return {"plan": plan, "period_start": start, "period_end": _period_end(start), "limits": limits}


def billing_account_get(*, workspace: Workspace) -> BillingAccount | None:
    """The workspace's Stripe side (customer, subscription status, grace period), if it has one."""
    with workspace_scope(workspace.pk):
        return BillingAccount.objects.filter(workspace=workspace).first()


def replies_paused(*, workspace: Workspace) -> BillingAccount | None:
    """The workspace's billing account when its AI replies are paused for an unpaid subscription."""
    with workspace_scope(workspace.pk):
        return BillingAccount.objects.filter(workspace=workspace, replies_paused_at__isnull=False).first()


def _stamp(value) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(value, dt.UTC) if value else None


def subscription_state(*, workspace: Workspace) -> dict:
    """The workspace's subscription as dj-stripe last synced it, with our grace-period state."""
    account = billing_account_get(workspace=workspace)
    data: dict[str, Any] = {}
    if account is not None and account.subscription_id:
        row = StripeSubscription.objects.filter(id=account.subscription_id).only("stripe_data").first()
        data = row.stripe_data if row is not None else {}
    item = ((data.get("items") or {}).get("data") or [{}])[0]
    return {
        "configured": bool(settings.STRIPE_SECRET_KEY),
        "plan": plan_current(workspace=workspace).code,
        "subscription_id": data.get("id") or None,
        "status": (account.subscription_status if account else "") or None,
        "current_period_end": _stamp(item.get("current_period_end") or data.get("current_period_end")),
        "cancel_at_period_end": bool(data.get("cancel_at_period_end")),
        "cancel_at": _stamp(data.get("cancel_at")),
        "payment_failed_at": account.payment_failed_at if account else None,
        "grace_until": account.grace_until if account else None,
        "replies_paused": bool(account and account.replies_paused_at),
    }


def invoice_list(*, workspace: Workspace) -> list[dict]:
    """The workspace's invoices from dj-stripe's synced copies, newest first, with their PDF links."""
    account = billing_account_get(workspace=workspace)
    if account is None or not account.stripe_customer_id:
        return []
    # Invoices of one second (a plan change right after checkout) by their number: the later, the newer.
    rows = StripeInvoice.objects.filter(customer_id=account.stripe_customer_id).order_by(
        "-created", "-stripe_data__number"
    )[:100]
    return [
        {
            "id": row.id,
            "number": row.stripe_data.get("number") or "",
            "status": row.stripe_data.get("status") or "",
            "total": Decimal(row.stripe_data.get("total") or 0) / 100,
            "amount_due": Decimal(row.stripe_data.get("amount_due") or 0) / 100,
            "currency": (row.stripe_data.get("currency") or "").upper(),
            "created": row.created,
            "billing_reason": row.stripe_data.get("billing_reason") or "",
            "invoice_pdf": row.stripe_data.get("invoice_pdf") or None,
            "hosted_invoice_url": row.stripe_data.get("hosted_invoice_url") or None,
        }
        for row in rows
    ]
