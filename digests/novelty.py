"""What is new about a figure: new, changed, a conflict between sources, or already known.

Pure: a Ledger holds, per measure and per feed, the latest statement made before the one
being judged (releases first seen before the period, then the period's releases in
publication order). Keeping it apart from the store lets the rules be tested on values.

Rules for a figure whose measure has a subject (what it measures is known):
- nobody stated the measure before → new;
- the latest statement has the same value → known (a repeat or a copy);
- the same feed stated another value before → changed (the source revised itself);
  (a copy of a story speaks for the story's first feed, so carrying a wire's figure does not
  make a second source);
- the same feed stated this value and another feed disagrees → known (an old disagreement);
- another feed stated another value → conflict when the figure states its period or the other
  statement is in this digest's period (same measure, same period, two sources), else changed.
A figure without a subject cannot be compared with other values: it is new unless a figure of
the same kind, unit and value was stated before (whatever it was said to measure).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from digests.model import Source
from monitor.domain import PriorFigure

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")
_CALENDAR = re.compile(r"^(\d{4})(?:-(h[12]|q[1-4]|\d{2})(?:-(\d{2}))?)?$")


def is_actual(period: str) -> bool:
    """A period of what happened, not a goal ("target 2030") or a running total ("since 2023")."""
    return bool(period) and not period.startswith(("target", "since"))


@lru_cache(maxsize=1 << 14)  # a month's digest asks it of the same few periods a hundred thousand times
def period_order(period: str) -> tuple[str, tuple[int, ...]] | None:
    """(shape, position) of a normalised period: periods of one shape compare in time.

    "2023" and "2024" are years; "2023-h1" halves; "2023-05" months; "2022-01..2022-10" and
    "2023-01..2023-10" the same stretch of different years (year-to-date figures), so a chart
    or an "up from" never sets a half year against a whole one. None for targets, "since …"
    and periods without a year."""
    p = period.strip().lower()
    if not is_actual(p):
        return None
    if ".." in p:
        a, _, b = p.partition("..")
        ma, mb = _CALENDAR.match(a), _CALENDAR.match(b)
        if ma and mb:
            return (f"{_drop_year(a)}..{_drop_year(b)}:{int(mb.group(1)) - int(ma.group(1))}",
                    _position(ma) + _position(mb))
        return None
    m = _CALENDAR.match(p)
    if m:
        return (_drop_year(p), _position(m))
    y = _YEAR.search(p)
    return (_YEAR.sub("yyyy", p), (int(y.group(0)),)) if y else None


def _drop_year(p: str) -> str:
    return "yyyy" + p[4:]


def _position(m: re.Match[str]) -> tuple[int, ...]:
    part = m.group(2) or ""
    sub = int(part[1:]) if part[:1] in ("h", "q") else int(part or 0)
    return (int(m.group(1)), sub, int(m.group(3) or 0))


@lru_cache(maxsize=1 << 16)
def _subject_of(key: str) -> str:
    """Statement.subject_of, remembered: a month's digest asks it of the same keys hundreds of
    thousands of times."""
    parts = key.split("|")
    return parts[2] if len(parts) >= 4 else ""


@dataclass(frozen=True, slots=True)
class Statement:
    key: str  # measure key: kind|unit family|subject|period
    value: float
    unit: str | None
    text: str
    source: Source
    release_id: int
    in_period: bool  # stated by a release of the digest's period
    origin: str = ""  # whose statement it is: the feed of the story's first release (a copy speaks for it)

    @property
    def speaker(self) -> str:
        return self.origin or self.source.feed

    @staticmethod
    def subject_of(key: str) -> str:
        """The normalised subject part of a measure key ("" when the figure has none)."""
        return _subject_of(key)

    @property
    def scoped(self) -> bool:
        """The measure has a subject, so two values of it can be compared."""
        return self.subject_of(self.key) != ""

    @property
    def number(self) -> tuple[str, str | None, float]:
        """(kind, unit, value): the number as stated, whatever it measures."""
        return (self.key.split("|", 1)[0], self.unit, round(self.value, 9))

    @property
    def dated(self) -> bool:
        return not self.key.endswith("|")

    @property
    def series(self) -> str:
        return self.key.rsplit("|", 1)[0]

    @property
    def period(self) -> str:
        return self.key.rsplit("|", 1)[-1]


def prior_statement(r: PriorFigure) -> Statement:
    """A figure the store holds from before what is judged (before a digest's period, or
    before a release an alert rule reads), as the ledger weighs it: stated outside the period,
    by its own feed. Digests and alerts read stored figures through this one function, so the
    two never disagree about what was known."""
    return Statement(r.measure_key, r.value, r.unit, r.text,
                     Source(r.feed, r.title, r.url, r.published_at, r.first_seen_at), r.release_id, False)


@dataclass(frozen=True, slots=True)
class Verdict:
    status: str  # new, changed, conflict, known
    earlier: Statement | None = None


def measure_status(verdicts: Iterable[str]) -> str:
    """What a digest says of one measure and period, from the verdicts of the period's
    statements of it: a conflict when sources disagree, else changed when a source revised
    itself, else new, else known. The figures table and every story's key figures read this
    one decision, so a figure never has two statuses in one digest."""
    found = set(verdicts)
    return next((s for s in ("conflict", "changed", "new") if s in found), "known")


def same_value(a: Statement, b: Statement) -> bool:
    return a.unit == b.unit and abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)


class Ledger:
    """The latest statement of every (measure, feed), in the order statements were added."""

    def __init__(self, prior: Iterable[Statement] = (), known_numbers: Iterable[tuple[str, str | None, float]] = ()) -> None:
        self._latest: dict[str, dict[str, Statement]] = defaultdict(dict)
        self._top: dict[str, tuple[int, Statement]] = {}  # measure → its latest statement, and its order
        self._numbers: set[tuple[str, str | None, float]] = set(known_numbers)
        self._series: dict[str, set[str]] = defaultdict(set)
        self._seq = 0
        self._low = 0  # below every order given so far: add_earlier counts down from here
        self.add(prior)

    def add(self, statements: Iterable[Statement]) -> None:
        for s in statements:
            self._seq += 1
            self._latest[s.key][s.speaker] = s
            self._series[s.series].add(s.key)
            self._top[s.key] = (self._seq, s)
            self._numbers.add(s.number)

    def add_known(self, numbers: Iterable[tuple[str, str | None, float]]) -> None:
        """Numbers stated before, whatever they measured (for figures without a subject)."""
        self._numbers.update(numbers)

    def add_earlier(self, statements: Iterable[Statement]) -> None:
        """Statements, oldest first, made before every statement the ledger holds of their
        measure: a look-back loaded after the fact (another source's word, another period of a
        series). They never hide a later statement, and a (measure, speaker) the ledger holds is
        kept, being that speaker's later word."""
        batch = [s for s in statements if s.speaker not in self._latest.get(s.key, {})]
        self._low -= len(batch)
        for order, s in enumerate(batch, self._low):
            self._latest[s.key][s.speaker] = s
            self._series[s.series].add(s.key)
            if s.key not in self._top or self._top[s.key][0] < order:
                self._top[s.key] = (order, s)
            self._numbers.add(s.number)

    def judge(self, s: Statement) -> Verdict:
        if not s.scoped:
            return Verdict("known" if s.number in self._numbers else "new")
        by_feed = self._latest.get(s.key)
        if not by_feed:
            return Verdict("new")
        latest = self._top[s.key][1]
        if same_value(latest, s):
            return Verdict("known")
        mine = by_feed.get(s.speaker)
        if mine is not None:
            return Verdict("known") if same_value(mine, s) else Verdict("changed", mine)
        if s.dated or latest.in_period:
            return Verdict("conflict", latest)
        return Verdict("changed", latest)

    def history(self, series: str) -> dict[str, Statement]:
        """Period → the latest statement of that period, for one series (measure without period)."""
        return {key.rsplit("|", 1)[-1]: self._top[key][1] for key in self._series.get(series, ())}

    def statements(self, key: str) -> list[Statement]:
        """Each source's latest statement of this measure and period."""
        return list(self._latest.get(key, {}).values())

    def stated_by(self, key: str, feed: str) -> Statement | None:
        """The latest statement of this measure and period by one source, if it made one."""
        return self._latest.get(key, {}).get(feed)

    def disputed(self, key: str) -> bool:
        """Sources' latest statements of this measure disagree."""
        values = list(self._latest.get(key, {}).values())
        return any(not same_value(values[0], v) for v in values[1:])


class EventLedger:
    """Milestones: an event key is new the first time it is stated, known after that."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        self._known = set(known)

    def seen(self, key: str) -> bool:
        return key in self._known

    def add(self, key: str) -> None:
        self._known.add(key)
