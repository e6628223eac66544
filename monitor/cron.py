"""Cron expressions: checked when the config loads, in crontab's meaning, for APScheduler.

Why not hand the text to APScheduler as it is: APScheduler 3 numbers weekdays from Monday = 0,
while every crontab (and every user) means Sunday = 0 (and 7). `0 7 * * 1-5` would then run
Tuesday to Saturday. So the day-of-week field is read as crontab reads it and rewritten with
day names, which both agree on; the other fields follow APScheduler's own rules, so whatever
passes here also runs there (the tests check both agree). Checking here also keeps the
scheduler's import (tens of milliseconds) out of every one-off command.
"""

from __future__ import annotations

import re

FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7))
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab order: Sunday is 0 (and 7)
# APScheduler's weekday names in its own order (Monday first); a name means the same day in both.
_APS_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_ALL = re.compile(r"\*(?:/(\d+))?$")
_RANGE = re.compile(r"(\d+)(?:-(\d+))?(?:/(\d+))?$")
_NAMES = re.compile(r"([a-z]+)(?:-([a-z]+))?$", re.IGNORECASE)


class CronError(ValueError):
    """The expression is not a 5-field crontab line; the message says which field and why."""


def normalize_cron(expr: str) -> str:
    """The expression with its day-of-week field in day names, or CronError naming the field."""
    fields = expr.split()
    if len(fields) != 5:
        raise CronError(f"needs 5 fields (minute hour day-of-month month day-of-week), got {len(fields)}")
    for text, (name, low, high) in zip(fields[:4], FIELDS[:4], strict=False):
        for part in re.split(r" *, *", text):
            _check_part(part, name, low, high)
    return " ".join(fields[:4] + [_weekdays(fields[4])])


def _check_part(part: str, name: str, low: int, high: int) -> None:
    """One comma-separated piece of a field, by APScheduler's rules (also its step limits)."""
    if name == "day of month" and part.lower() == "last":
        return
    if m := _ALL.match(part):
        step = int(m.group(1)) if m.group(1) else None
        _check_step(step, high - low, name)
        return
    if m := _RANGE.match(part):
        first = int(m.group(1))
        step = int(m.group(3)) if m.group(3) else None
        last = int(m.group(2)) if m.group(2) else (first if step is None else None)
        _check_range(first, last, step, name, low, high)
        return
    if name == "month" and (m := _NAMES.match(part)):
        first = _month(m.group(1))
        last = _month(m.group(2)) if m.group(2) else first
        _check_range(first, last, None, name, low, high)
        return
    raise CronError(f"{name}: cannot read {part!r} (use *, */N, N, N-M or N-M/S)")


def _check_step(step: int | None, span: int, name: str) -> None:
    if step == 0:
        raise CronError(f"{name}: a step must be at least 1")
    if step and step > span:
        raise CronError(f"{name}: step {step} is larger than the field's range ({span})")


def _check_range(first: int, last: int | None, step: int | None, name: str, low: int, high: int) -> None:
    if step == 0:
        raise CronError(f"{name}: a step must be at least 1")
    if last is not None and first > last:
        raise CronError(f"{name}: range {first}-{last} runs backwards")
    if first < low:
        raise CronError(f"{name}: {first} is below {low}")
    if last is not None and last > high:
        raise CronError(f"{name}: {last} is above {high}")
    _check_step(step, (last or high) - first, name)


def _month(word: str) -> int:
    try:
        return MONTHS.index(word.lower()) + 1
    except ValueError:
        raise CronError(f"month: unknown month {word!r} (jan … dec)") from None


def _weekdays(text: str) -> str:
    """Crontab's day-of-week field as the set of days it means, written with names."""
    days: set[int] = set()
    for part in re.split(r" *, *", text):
        days |= _weekday_part(part)
    if len(days) == 7:
        return "*"
    return ",".join(DAYS[d] for d in sorted(days, key=lambda d: _APS_DAYS.index(DAYS[d])))


def _weekday_part(part: str) -> set[int]:
    name = "day of week"
    if m := _ALL.match(part):
        step = int(m.group(1)) if m.group(1) else 1
        _check_step(step, 6, name)
        return set(range(0, 7, step))
    if m := _RANGE.match(part):
        first = int(m.group(1))
        step = int(m.group(3)) if m.group(3) else 1
        last = int(m.group(2)) if m.group(2) else (first if not m.group(3) else 7)
        _check_range(first, last, step if m.group(3) else None, name, 0, 7)
        return {d % 7 for d in range(first, last + 1, step)}
    if m := _NAMES.match(part):
        first = _day(m.group(1))
        last = _day(m.group(2)) if m.group(2) else first
        if first > last:
            raise CronError(f"{name}: range {part} runs backwards (weeks start on sun)")
        return set(range(first, last + 1))
    raise CronError(f"{name}: cannot read {part!r} (use *, N, N-M, mon-fri; 0 and 7 are Sunday)")


def _day(word: str) -> int:
    try:
        return DAYS.index(word.lower())
    except ValueError:
        raise CronError(f"day of week: unknown day {word!r} (sun … sat)") from None
