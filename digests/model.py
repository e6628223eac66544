"""The Digest value: what a digest says, built from the store and rendered to Markdown.

Building (I/O) and rendering (pure) meet only here, so a renderer is tested on values
made by hand and the builder is tested without parsing Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    status: str  # "new", "changed", "known", "conflict"
    source: Source
    earlier: EarlierValue | None = None


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    year: int
    date: str
    event: str
    sentence: str
    status: str  # "happened" or "announced"
    known: bool  # stated by a release before this period
    source: Source


@dataclass(frozen=True, slots=True)
class Story:
    lead: Source  # the earliest source
    summary: str
    also: tuple[Source, ...] = ()
    figures: tuple[FigureLine, ...] = ()
    revised: bool = False


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
    figures: tuple[FigureLine, ...] = ()  # new and changed figures of the period
    milestones: tuple[MilestoneLine, ...] = ()
    health: tuple[FeedHealth, ...] = ()
    releases: int = 0

    @property
    def empty(self) -> bool:
        return not self.stories
