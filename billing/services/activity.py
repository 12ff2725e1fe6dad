"""The activity statistics: one upsert per event into the workspace-local day's counters (what the
dashboard reads; no request scans messages)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import connection

from agent_platform import realtime
from billing.models import (
    ActivityDaily,
)
from billing.statistics import BUCKETS, bucket_of

log = logging.getLogger(__name__)
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
    sum and the histogram. Runs in the caller's transaction, so a rolled-back event is not counted;
    `statistics.updated` tells the workspace's sockets after the commit."""
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
    # The dashboard's cards refetch (after the commit: a rolled-back event changed nothing).
    realtime.publish(workspace_id, "statistics.updated", {"counters": sorted(increments)})
