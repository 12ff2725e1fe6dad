"""When a message may next go out under working hours (the chains' follow-ups and delayed replies):
at once when open, else the next window's start in the workspace's time zone — over nights,
weekends, holidays and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.selectors import working_hours_next_open

OFFICE = {day: [{"start": "09:00", "end": "18:00"}] for day in ("mon", "tue", "wed", "thu", "fri")}
BERLIN = "Europe/Berlin"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def next_open(at, schedule=OFFICE, zone=BERLIN, holidays=()):
    return working_hours_next_open(schedule=schedule, time_zone=zone, at=at, holidays=holidays)


@pytest.mark.parametrize(
    ("at", "expected", "why"),
    [
        (utc(2026, 12, 2, 10, 0), utc(2026, 12, 2, 10, 0), "Wednesday 11:00 in Berlin: open, at once"),
        (utc(2026, 12, 2, 20, 30), utc(2026, 12, 3, 8, 0), "Wednesday 21:30: Thursday 09:00 (UTC+1)"),
        (utc(2026, 12, 3, 5, 0), utc(2026, 12, 3, 8, 0), "Thursday 06:00: 09:00 the same day"),
        (utc(2026, 12, 4, 17, 0), utc(2026, 12, 7, 8, 0), "Friday 18:00 (closed at the end): Monday"),
        (utc(2026, 12, 5, 12, 0), utc(2026, 12, 7, 8, 0), "Saturday: Monday 09:00"),
    ],
)
def test_nights_and_weekends_are_skipped(at, expected, why):
    assert next_open(at) == expected, why


def test_holidays_are_skipped():
    christmas = ("2026-12-24", "2026-12-25")
    assert next_open(utc(2026, 12, 23, 18, 0), holidays=christmas) == utc(2026, 12, 28, 8, 0)
    # Within opening hours, but a holiday:
    assert next_open(utc(2026, 12, 24, 10, 0), holidays=christmas) == utc(2026, 12, 28, 8, 0)
    always = next_open(utc(2026, 12, 24, 10, 0), schedule={}, holidays=("2026-12-24",))
    assert always == utc(2026, 12, 24, 23, 0)  # no schedule: open all day, from midnight after the holiday


def test_daylight_saving_changes_keep_local_times():
    # Berlin goes to summer time on Sunday 29 March 2026: Monday 09:00 is 07:00 UTC, no longer 08:00.
    assert next_open(utc(2026, 3, 27, 18, 0)) == utc(2026, 3, 30, 7, 0)
    # … and back on Sunday 25 October: Monday 09:00 is 08:00 UTC again.
    assert next_open(utc(2026, 10, 23, 17, 0)) == utc(2026, 10, 26, 8, 0)
    # A window that starts inside the spring gap (02:30 does not exist that night) opens after it.
    night = {"sun": [{"start": "02:30", "end": "05:00"}]}
    assert next_open(utc(2026, 3, 28, 12, 0), schedule=night) == utc(2026, 3, 29, 1, 30)  # 03:30 summer time


def test_a_schedule_that_never_opens():
    assert next_open(utc(2026, 12, 2, 10, 0), schedule={"mon": []}) is None
