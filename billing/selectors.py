"""Reads of AI usage, budgets and the activity statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum
from django.utils import timezone

from billing.models import ActivityDaily, UsageDaily, UsageEvent
from billing.statistics import BUCKETS, histogram_percentile, histogram_sum


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
    date / agent_id / provider+model_id, with the totals."""
    rows = UsageDaily.objects.filter(workspace=workspace, date__gte=date_from, date__lte=date_to)
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


def _figures(day: dict) -> dict:
    histogram = day["histogram"]
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
        "first_response_median_seconds": histogram_percentile(histogram, 0.5),
        "first_response_p90_seconds": histogram_percentile(histogram, 0.9),
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


def _empty_day() -> dict:
    day: dict = dict.fromkeys(ACTIVITY_SUMS, 0)
    day.update(input_tokens=0, output_tokens=0, cost=Decimal(0), histogram=[0] * BUCKETS)
    return day


def _add(into: dict, day: dict) -> None:
    for name in (*ACTIVITY_SUMS, "input_tokens", "output_tokens", "cost"):
        into[name] += day[name]
    into["histogram"] = histogram_sum([into["histogram"], day["histogram"]])


def dashboard_statistics(*, workspace, date_from: dt.date, date_to: dt.date, agent_id: int | None = None) -> dict:
    """The dashboard's figures over [date_from, date_to] (workspace-local days, inclusive) and over the
    as long period just before it, with one row per day of the period for the charts. Reads only the
    daily aggregates (ActivityDaily, UsageDaily): two indexed queries whatever the message count."""
    length = (date_to - date_from).days + 1
    previous_from = date_from - dt.timedelta(days=length)
    days = {previous_from + dt.timedelta(days=n): _empty_day() for n in range(2 * length)}
    activity = ActivityDaily.objects.filter(workspace=workspace, date__gte=previous_from, date__lte=date_to)
    usage = UsageDaily.objects.filter(workspace=workspace, date__gte=previous_from, date__lte=date_to)
    if agent_id is not None:
        activity, usage = activity.filter(agent_id=agent_id), usage.filter(agent_id=agent_id)
    for row in activity.values("date", "first_response_histogram", *ACTIVITY_SUMS):
        day = days[row["date"]]
        for name in ACTIVITY_SUMS:
            day[name] += row[name]
        day["histogram"] = histogram_sum([day["histogram"], row["first_response_histogram"]])
    sums = usage.values("date").annotate(i=Sum("input_tokens"), o=Sum("output_tokens"), c=Sum("cost")).order_by()
    for row in sums:
        day = days[row["date"]]
        day.update(input_tokens=row["i"], output_tokens=row["o"], cost=row["c"])
    current, previous = _empty_day(), _empty_day()
    for date, day in days.items():
        _add(current if date >= date_from else previous, day)
    series = [{"date": date, **_figures(day)} for date, day in days.items() if date >= date_from]
    return {
        "date_from": date_from,
        "date_to": date_to,
        "previous_from": previous_from,
        "previous_to": date_from - dt.timedelta(days=1),
        "current": _figures(current),
        "previous": _figures(previous),
        "series": series,
    }
