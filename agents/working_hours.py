"""Working hours: `{"mon": [{"start": "09:00", "end": "18:00"}], …}` in the workspace's time zone.

An empty mapping means always open; a weekday that is absent is closed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _parse(value: object) -> time:
    if not isinstance(value, str) or len(value) != 5 or value[2] != ":":
        raise ValueError(f"{value!r} is not a HH:MM time")
    hours, minutes = int(value[:2]), int(value[3:])
    if hours == 24 and minutes == 0:
        return time.max
    return time(hours, minutes)


def working_hours_errors(schedule: object) -> list[str]:
    """Every problem with a schedule, as messages (empty when it is valid)."""
    if not isinstance(schedule, dict):
        return ["Working hours must be an object keyed by weekday (mon … sun)."]
    errors = []
    for day, windows in schedule.items():
        if day not in WEEKDAYS:
            errors.append(f"{day!r} is not a weekday; use one of {', '.join(WEEKDAYS)}.")
            continue
        if not isinstance(windows, list):
            errors.append(f"{day}: expected a list of {{start, end}} windows.")
            continue
        parsed = []
        for window in windows:
            try:
                start, end = _parse(window["start"]), _parse(window["end"])
            except (KeyError, TypeError, ValueError) as exc:
                errors.append(f"{day}: {exc if isinstance(exc, ValueError) else 'each window needs start and end'}.")
                continue
            if start >= end:
                errors.append(f"{day}: {window['start']}–{window['end']} ends before it starts.")
                continue
            parsed.append((start, end))
        parsed.sort()
        for (_, first_end), (second_start, _) in itertools.pairwise(parsed):
            if second_start < first_end:
                errors.append(f"{day}: windows overlap.")
                break
    return errors


def is_open(schedule: dict, time_zone: str, at: datetime) -> bool:
    if not schedule:
        return True
    local = at.astimezone(ZoneInfo(time_zone))
    now = local.time()
    return any(
        _parse(window["start"]) <= now < _parse(window["end"]) for window in schedule.get(WEEKDAYS[local.weekday()], [])
    )


def next_open(schedule: dict, time_zone: str, at: datetime, holidays: Iterable[str] = ()) -> datetime | None:
    """The first moment at or after `at` inside the schedule, in UTC: `at` itself when open, else the
    start of the next window, skipping holidays (local dates, "YYYY-MM-DD"). None when the schedule
    never opens. Local wall times are read in the zone: a window that starts in a DST gap (02:30 on
    the night clocks go forward) opens when that wall time would have been — never earlier."""
    zone = ZoneInfo(time_zone)
    closed_days = set(holidays)
    local = at.astimezone(zone)
    if local.date().isoformat() not in closed_days and is_open(schedule, time_zone, at):
        return at.astimezone(UTC)
    if not schedule:  # always open, but today is a holiday: tomorrow's start of day
        schedule = {day: [{"start": "00:00", "end": "24:00"}] for day in WEEKDAYS}
    for days_ahead in range(0, 7 + len(closed_days) + 1):
        day = local.date() + timedelta(days=days_ahead)
        if day.isoformat() in closed_days:
            continue
        starts = sorted(_parse(window["start"]) for window in schedule.get(WEEKDAYS[day.weekday()], []))
        for start in starts:
            opening = datetime.combine(day, start, tzinfo=zone)  # fold=0: a gap's wall time maps later
            if opening.astimezone(UTC) >= at.astimezone(UTC):
                return opening.astimezone(UTC)
    return None
