"""The Digest value: what a digest says, built from the store and rendered to Markdown.

Building (I/O) and rendering (pure) meet only here, so a renderer is tested on values
made by hand and the builder is tested without parsing Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # day, week, month
    key: str  # 2024-07-04, 2024-W27, 2024-07
    start: datetime  # aware, inclusive
    end: datetime  # aware, exclusive
    timezone: str
    label: str  # "Thursday 4 July 2024"


@dataclass(frozen=True, slots=True)
class Source:
    feed: str
    title: str
    url: str | None
    published_at: datetime | None
    first_seen_at: datetime

    @property
    def when(self) -> datetime:
        """When the source stated it: its publication time, or when prwatch first saw it."""
        return self.published_at or self.first_seen_at


@dataclass(frozen=True, slots=True)
class EarlierValue:
    value: float
    unit: str | None
    text: str
    source: Source
    period: str | None = None  # the period it was stated for, when that differs from the line's


@dataclass(frozen=True, slots=True)
class FigureLine:
    """One statement of a measure for a period, judged against what was stated before."""

    kind: str
    value: float
    unit: str | None
    text: str
    subject: str | None
    period: str | None
    sentence: str
    status: str  # "new", "changed", "conflict", "known", or "cited" (a value a release cites beside its own)
    source: Source
    earlier: EarlierValue | None = None  # the earlier (changed) or other source's (conflict) value
    qualifier: str | None = None
    measure_key: str = ""  # kind|unit family|measure or normalised subject|period (monitor.analysis.identity.measure_key)
    label: str = ""  # what it measures, for a column: the measure's label, else the subject
    rank: int = 2  # 0 a key measure, 1 a measure of the topic's vocabulary, 2 a dated subject, 3 minor
    previous: EarlierValue | None = None  # a new period of a known measure: the latest earlier period
    others: tuple[EarlierValue, ...] = ()  # other sources' values for this measure and period (a conflict)
    carriers: int = 1  # sources in the period that stated this value

    @property
    def series(self) -> str:
        """The measure without its period: one line of a history chart."""
        return self.measure_key.rpartition("|")[0]

    @property
    def comparison(self) -> EarlierValue | None:
        """The value this one is read against: the earlier or disputed one, else the previous period."""
        return self.earlier or self.previous


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    year: int
    date: str
    event: str
    sentence: str
    status: str  # "happened" or "announced"
    known: bool  # stated by an earlier release
    source: Source


@dataclass(frozen=True, slots=True)
class Story:
    lead: Source  # the earliest source
    summary: str  # its lead's opening; "" for a story the digest lists in one line (see stories_in_full)
    also: tuple[Source, ...] = ()
    figures: tuple[FigureLine, ...] = ()
    revised: bool = False
    followup: bool = False  # the lead was published before this period (an earlier digest has it)
    unanalysed: tuple[tuple[str, str], ...] = ()  # (feed, what was not analysed): its figures may be missing

    @property
    def weight(self) -> tuple[int, int]:
        """How big a story is: the wires carrying it, then the news in its figures."""
        return (1 + len({a.feed for a in self.also if a.feed != self.lead.feed}),
                sum(f.status not in ("known", "cited") for f in self.figures))


STORIES_IN_FULL = 20  # below this every story is in full; above, the biggest are


def stories_in_full(stories: Sequence[Story]) -> list[int]:
    """Which stories a digest shows in full (with their summary), in digest order: every one
    when there are few, else the biggest; the rest are one line each."""
    if len(stories) <= STORIES_IN_FULL:
        return list(range(len(stories)))
    ranked = sorted(range(len(stories)), key=lambda i: stories[i].weight, reverse=True)
    return sorted(ranked[:STORIES_IN_FULL])


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str
    value: float
    source: Source
    disputed: bool = False  # sources state different values for this period


@dataclass(frozen=True, slots=True)
class Series:
    """One measure's actual values across periods (e.g. two-way trade by year), oldest first."""

    kind: str
    subject: str
    unit: str | None
    points: tuple[SeriesPoint, ...]


@dataclass(frozen=True, slots=True)
class Highlight:
    """One line of the digest's opening: what moved, who disagrees, what was announced."""

    kind: str  # "moved", "changed", "new" (a key measure's first value), "conflict", "milestone", "story"
    figure: FigureLine | None = None
    milestone: MilestoneLine | None = None
    story: Story | None = None


@dataclass(frozen=True, slots=True)
class LateRelease:
    """A release first seen in this period that belongs to an earlier one (its digest was updated)."""

    source: Source
    period_key: str  # the period it belongs to, in this digest's kind


@dataclass(frozen=True, slots=True)
class FeedHealth:
    feed: str
    failures: int
    last_error: str


@dataclass(frozen=True, slots=True)
class Digest:
    topic_id: str
    topic_title: str
    period: Period
    stories: tuple[Story, ...] = ()
    figures: tuple[FigureLine, ...] = ()  # new, changed and conflicting figures of the period
    milestones: tuple[MilestoneLine, ...] = ()
    health: tuple[FeedHealth, ...] = ()
    releases: int = 0
    series: tuple[Series, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    late: tuple[LateRelease, ...] = ()
    near_misses: int = 0  # releases of the period that came close to the topic's threshold without matching

    @property
    def empty(self) -> bool:
        return not self.stories and not self.late

    @property
    def summary(self) -> str:
        """One plain line that says what happened (the header, index.md and the Atom feed)."""
        if not self.stories:
            return "No releases on this topic in this period." + (
                f" {_n(len(self.late), 'release')} of earlier periods arrived." if self.late else "")
        counts = {s: sum(f.status == s for f in self.figures) for s in ("new", "changed", "conflict")}
        new_ms = sum(not m.known for m in self.milestones)
        parts = [_n(self.releases, "release"), _n(len(self.stories), "story", "stories"),
                 _n(counts["new"], "new figure"), f"{counts['changed']} changed"]
        if counts["conflict"]:
            parts.append(_n(counts["conflict"], "conflict"))
        parts.append(_n(len(self.milestones), "milestone") + (f" ({new_ms} new)" if self.milestones else ""))
        if self.late:
            parts.append(_n(len(self.late), "release") + " of earlier periods arrived late")
        return ", ".join(parts) + "."


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
