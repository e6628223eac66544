"""Cron expressions: crontab's meaning (Sunday is 0 and 7), checked at load, and whatever
passes runs under APScheduler with the same meaning."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest
from apscheduler.triggers.cron import CronTrigger

from monitor.cron import CronError, normalize_cron

START = datetime(2025, 6, 2, tzinfo=timezone.utc)  # a Monday


def next_fires(expr: str, n: int = 8) -> list[datetime]:
    trigger = CronTrigger.from_crontab(normalize_cron(expr), timezone="UTC")
    out, prev = [], None
    now = START
    for _ in range(n):
        t = trigger.get_next_fire_time(prev, now)
        out.append(t)
        prev, now = t, t
    return out


@pytest.mark.parametrize(("expr", "weekdays"), [
    ("0 7 * * 0", {6}),          # Sunday (Python: Monday = 0)
    ("0 7 * * 7", {6}),
    ("0 7 * * 1-5", {0, 1, 2, 3, 4}),
    ("0 7 * * mon-fri", {0, 1, 2, 3, 4}),
    ("0 7 * * sun,sat", {5, 6}),
    ("0 7 * * */2", {6, 1, 3, 5}),  # 0,2,4,6: Sunday, Tuesday, Thursday, Saturday
    ("0 7 * * 5-7", {4, 5, 6}),
])
def test_day_of_week_means_what_crontab_means(expr: str, weekdays: set[int]) -> None:
    assert {t.weekday() for t in next_fires(expr, 14)} == weekdays


@pytest.mark.parametrize("expr", [
    "99 7 * * *", "0 24 * * *", "0 7 0 * *", "0 7 32 * *", "0 7 * 13 *", "0 7 * 0 *", "0 7 * * 8",
    "*/0 * * * *", "*/60 * * * *", "5-2 * * * *", "0 7 * * fri-mon", "0 7 * foo *", "a b c d e",
    "0 7 * *", "0 7 * * * *", "", "0 7 * * mon/2",
])
def test_bad_expressions_are_refused_with_the_field_named(expr: str) -> None:
    with pytest.raises(CronError):
        normalize_cron(expr)


def test_whatever_passes_is_accepted_by_apscheduler_and_agrees_on_every_field() -> None:
    """Every combination of typical and edge pieces: accepted here means accepted by the
    scheduler, and refused here means the scheduler refuses it too (except the weekday field,
    whose numbers this module reads as crontab does)."""
    pieces = {
        0: ["0", "59", "60", "*", "*/15", "*/59", "*/60", "0-30/10", "5/20", "30-10", "0,30", "x"],
        1: ["0", "23", "24", "*/2", "9-17", "17-9"],
        2: ["1", "31", "0", "last", "1-15/7", "*/31"],
        3: ["1", "12", "13", "jan", "jan-jun", "jun-jan", "foo", "*/6"],
    }
    for parts in itertools.product(*pieces.values()):
        expr = " ".join(parts) + " *"
        try:
            normalize_cron(expr)
            ours = True
        except CronError:
            ours = False
        try:
            CronTrigger.from_crontab(expr, timezone="UTC")
            theirs = True
        except ValueError:
            theirs = False
        assert ours == theirs, expr
