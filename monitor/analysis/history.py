"""A measure's history: every statement of it, in the order of the periods they are about,
each marked with what it is against the others. Pure: statements in, marked lines out.

For one period (and unit) of one measure:
- the first statement a source makes is `first`, a later one with the same value `repeat`,
  with another value `revised` (the source changed its number; the earlier one is given);
- a statement by one source that another source already stated is `confirms`;
- two sources' statements *conflict* when their values differ while both are current
  (neither source had replaced its statement by then): each lists the other, so a dispute
  shows on both sides, and a revision that settles it ends it;
- copies of a story (another wire carrying the same release) are one statement, spoken by
  the story's first source, with the copies' feeds as `carriers`;
- a release that gives a second value for the same period ("$43.8 billion in 2024, above the
  $41 billion estimate") states the first and only `cited` the other: the cited value is
  neither the source's revision nor a conflict.
Statements without a period, or of another unit, are never compared.

Periods are those of the evaluation's format (`YYYY`, `YYYY-Hn`, `YYYY-Qn`, `YYYY-MM`,
`YYYY-MM-DD`, `A..B`, `since X`, `target X`); `span` turns one into the days it covers, for
ordering and for `--since/--until`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from monitor.domain import FigureStatement

_CALENDAR = re.compile(r"^(\d{4})(?:-(?:(H[12])|(Q[1-4])|(\d{2}))(?:-(\d{2}))?)?$", re.I)


@dataclass(frozen=True, slots=True)
class Other:
    """Another statement a line is read against: its value, who said it, when."""

    kind: str
    value: float
    unit: str | None
    text: str
    feed: str
    released_at: datetime


@dataclass(frozen=True, slots=True)
class Line:
    """One statement of the history, marked."""

    statement: FigureStatement
    status: str  # first, repeat, revised, confirms; "" when it cannot be compared (no period)
    revised_from: Other | None = None
    conflicts: tuple[Other, ...] = ()
    carriers: tuple[str, ...] = ()  # feeds that carried the same statement in a copy of the story
    cited_beside: Other | None = None  # a `cited` value: the release's own statement of the period


def span(period: str | None) -> tuple[date, date] | None:
    """The days a period covers, [first, after): None for no period or a bare `target`.
    `since X` covers X onwards (its end is open), `target X` the time of X."""
    if not period:
        return None
    p = period.strip()
    for prefix in ("target ", "since "):
        if p.lower().startswith(prefix):
            inner = span(p[len(prefix):])
            if inner and prefix == "since ":
                return (inner[0], date.max)
            return inner
    if ".." in p:
        a, _, b = p.partition("..")
        sa, sb = span(a), span(b)
        return (sa[0], sb[1]) if sa and sb and sa[0] < sb[0] else None
    m = _CALENDAR.match(p)
    if not m:
        return None
    try:
        year = int(m.group(1))
        if m.group(2):
            h = int(m.group(2)[1])
            return (date(year, 6 * h - 5, 1), _month_after(year, 6 * h))
        if m.group(3):
            q = int(m.group(3)[1])
            return (date(year, 3 * q - 2, 1), _month_after(year, 3 * q))
        if m.group(4):
            month = int(m.group(4))
            if m.group(5):
                first = date(year, month, int(m.group(5)))
                return (first, date.fromordinal(first.toordinal() + 1))
            return (date(year, month, 1), _month_after(year, month))
        return (date(year, 1, 1), date(year + 1, 1, 1))
    except ValueError:
        return None


def _month_after(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1)


def period_order(period: str | None) -> tuple[int, date, date, str]:
    """Sort key: dated periods by their days (actuals, then cumulative `since`, then targets),
    then the undated."""
    s = span(period)
    p = (period or "").lower()
    group = 3 if s is None else 2 if p.startswith("target") else 1 if p.startswith("since") else 0
    first, after = s or (date.max, date.max)
    return (group, first, after, p)


def within(st: FigureStatement, since: date | None, until: date | None) -> bool:
    """The statement is about a time in [since, until): its period overlaps it, or (without a
    period) its release is dated in it."""
    s = span(st.period)
    if s is None:
        day = st.released_at.date()
        s = (day, date.fromordinal(day.toordinal() + 1))
    return (since is None or s[1] > since) and (until is None or s[0] < until)


def mark(statements: Iterable[FigureStatement]) -> list[Line]:
    """The history of one measure, marked, ordered by period then by release."""
    merged = _merge_copies(sorted(statements, key=lambda s: (s.released_at, s.release_id, s.position)))
    by_period: dict[tuple[str, str | None], list[tuple[FigureStatement, tuple[str, ...]]]] = defaultdict(list)
    lines: list[Line] = []
    for st, carriers in merged:
        if st.period:
            by_period[(st.period, st.unit)].append((st, carriers))
        else:
            lines.append(Line(st, "", carriers=carriers))
    for group in by_period.values():
        lines += _mark_period(group)
    order = {p: period_order(p) for p in {ln.statement.period for ln in lines}}  # a few periods, many lines
    return sorted(lines, key=lambda ln: (order[ln.statement.period], ln.statement.released_at,
                                         ln.statement.release_id, ln.statement.position))


def _merge_copies(ordered: Sequence[FigureStatement]) -> list[tuple[FigureStatement, tuple[str, ...]]]:
    """One statement per (story, period, unit, value): the first, with the feeds of its copies."""
    kept: dict[tuple[int, str | None, str | None, float], int] = {}
    out: list[tuple[FigureStatement, list[str]]] = []
    for st in ordered:
        key = (st.story_id, st.period, st.unit, round(st.value, 9))
        if key in kept:
            carriers = out[kept[key]][1]
            if st.feed != out[kept[key]][0].feed and st.feed not in carriers:
                carriers.append(st.feed)
            continue
        kept[key] = len(out)
        out.append((st, []))
    return [(st, tuple(c)) for st, c in out]


def _mark_period(group: list[tuple[FigureStatement, tuple[str, ...]]]) -> list[Line]:
    """Statements of one period and unit, oldest first.

    A dispute among many sources makes nearly every statement conflict with the others, so
    the inner loops run once per pair that overlaps in time: each reads one plain row per
    statement (origin, value, tolerance, number, Other) rather than comparing objects, and
    an Other is made once per statement, shared by every line that lists it."""
    sts = [st for st, _c in group]
    origins = [st.origin for st in sts]
    values = [st.value for st in sts]
    tolerances = [1e-9 * max(abs(v), 1.0) for v in values]  # same_value's, relative to the larger value
    starts = [st.released_at for st in sts]
    # a release's first statement of the period is its own; another value in it is cited
    own: dict[int, int] = {}
    cited_beside: list[int | None] = [None] * len(sts)
    for i, st in enumerate(sts):
        j = own.setdefault(st.release_id, i)
        if j != i and abs(values[j] - values[i]) > max(tolerances[i], tolerances[j]):
            cited_beside[i] = j
    # each statement is current from its release until its speaker's next statement of the period
    until: list[datetime | None] = [None] * len(sts)
    last_by: dict[str, int] = {}
    for i, origin in enumerate(origins):
        if cited_beside[i] is not None:
            continue
        if origin in last_by:
            until[last_by[origin]] = starts[i]
        last_by[origin] = i
    others = [_other(st) for st in sts]
    numbers: dict[tuple[str, float], int] = {}  # a speaker's value is listed once: one number each
    keys = [numbers.setdefault((o, round(v, 9)), len(numbers)) for o, v in zip(origins, values, strict=True)]
    rows = list(zip(origins, values, tolerances, keys, others, strict=True))
    lines = []
    said: dict[str, int] = {}  # each speaker's latest statement before the one marked
    # each speaker's latest statement released at or before the one marked, oldest first (a
    # speaker's newer statement goes to the end)
    current: dict[str, int] = {}
    seen = 0
    for i, (st, carriers) in enumerate(group):
        beside = cited_beside[i]
        if beside is not None:
            lines.append(Line(st, "cited", carriers=carriers, cited_beside=others[beside]))
            continue
        origin, value, tolerance = origins[i], values[i], tolerances[i]
        # the group's unit is one: values are the same within same_value's tolerance
        mine = said.get(origin)
        if mine is not None:
            status = "repeat" if abs(values[mine] - value) <= max(tolerance, tolerances[mine]) else "revised"
        elif any(abs(values[j] - value) <= max(tolerance, tolerances[j]) for j in said.values()):
            status = "confirms"
        else:
            status = "first"
        # what overlaps this statement's time: each speaker's statement current when it was
        # released, and every one released while it is current (a window, not the whole group);
        # values differ when they are apart beyond same_value's tolerance
        start, ends = starts[i], until[i]
        after = bisect_right(starts, start)
        for j in range(seen, after):
            if cited_beside[j] is None:
                current.pop(origins[j], None)
                current[origins[j]] = j
        seen = after
        end = len(sts) if ends is None else bisect_left(starts, ends)
        conflicts = {}
        for j in current.values():
            o, v, tl, k, other = rows[j]
            if o != origin and (ends is None or starts[j] < ends):
                gap = abs(v - value)
                if gap > tolerance and gap > tl:
                    conflicts[k] = other  # current when this one was released: it lasts past that
        for j in range(after, end):  # released while this one is current, so they overlap
            o, v, tl, k, other = rows[j]
            if o != origin and cited_beside[j] is None:
                gap = abs(v - value)
                if gap > tolerance and gap > tl:
                    conflicts[k] = other
        lines.append(Line(st, status, others[mine] if status == "revised" and mine is not None else None,
                          tuple(conflicts.values()), carriers))
        said[origin] = i
    return lines


def same_value(a: FigureStatement, b: FigureStatement) -> bool:
    return a.unit == b.unit and abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)


def _other(st: FigureStatement) -> Other:
    return Other(st.kind, st.value, st.unit, st.text, st.origin, st.released_at)
