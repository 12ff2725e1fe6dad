"""Working hours: `{"mon": [{"start": "09:00", "end": "18:00"}], …}` in the workspace's time zone.

An empty mapping means always open; a weekday that is absent is closed.
"""

from __future__ import annotations

import itertools
from datetime import datetime, time
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
