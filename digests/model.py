"""The Digest value: what a digest says, built from the store and rendered to Markdown.

Building (I/O) and rendering (pure) meet only here, so a renderer is tested on values
made by hand and the builder is tested without parsing Markdown.
"""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class FigureLine:
    kind: str
    value: float
    unit: str | None
    text: str
    subject: str | None
    period: str | None
    sentence: str
    status: str  # "new", "changed", "conflict" or "known"
    source: Source
    earlier: EarlierValue | None = None  # the earlier (changed) or other source's (conflict) value
    qualifier: str | None = None
    measure_key: str = ""  # kind|unit family|subject|period, normalised (monitor.analysis.extract.figure_key)


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
    summary: str
    also: tuple[Source, ...] = ()
    figures: tuple[FigureLine, ...] = ()
    revised: bool = False
    followup: bool = False  # the lead was first seen before this period (an earlier digest has it)


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    period: str
    value: float
    source: Source
    disputed: bool = False  # sources state different values for this period


@dataclass(frozen=True, slots=True)
class Series:
    """One measure's history across periods (e.g. two-way trade by year), oldest first."""

    kind: str
    subject: str
    unit: str | None
    points: tuple[SeriesPoint, ...]


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

    @property
    def empty(self) -> bool:
        return not self.stories

    @property
    def summary(self) -> str:
        """One plain line that says what happened (the header, index.md and the Atom feed)."""
        if self.empty:
            return "No releases on this topic in this period."
        counts = {s: sum(f.status == s for f in self.figures) for s in ("new", "changed", "conflict")}
        new_ms = sum(not m.known for m in self.milestones)
        parts = [_n(self.releases, "release"), _n(len(self.stories), "story", "stories"),
                 _n(counts["new"], "new figure"), f"{counts['changed']} changed"]
        if counts["conflict"]:
            parts.append(_n(counts["conflict"], "conflict"))
        parts.append(_n(len(self.milestones), "milestone") + (f" ({new_ms} new)" if self.milestones else ""))
        return ", ".join(parts) + "."


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"
