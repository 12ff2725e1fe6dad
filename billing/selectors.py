"""Reads of AI usage and budgets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet, Sum

from billing.models import UsageDaily, UsageEvent


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
