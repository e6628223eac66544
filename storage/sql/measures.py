"""The figures of one measure across every source, and the measures the store knows.

`statements` reads every figure stating a measure (by its canonical key, indexed, or by
subject for figures stored before measure keys) with its release and feed, and the first
source of each story (a copy speaks for it), in one query: plain values for
monitor.analysis.history to mark. `known_measures` counts figures per measure.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased

from monitor.domain import FigureStatement, MeasureCount, ReleaseFilter
from storage.sql.models import Feed, FigureRow, Release, core_table
from storage.sql.search import filter_clauses, release_date


class SqlMeasures:
    """storage.port.MeasureStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def statements(self, *, measure: str | None = None, subjects: Collection[str] = (),
                   where: ReleaseFilter = ReleaseFilter()) -> list[FigureStatement]:
        return statements(self._s, measure=measure, subjects=subjects, where=where)

    def known(self, where: ReleaseFilter = ReleaseFilter()) -> list[MeasureCount]:
        return known_measures(self._s, where)

    def unmeasured(self, where: ReleaseFilter = ReleaseFilter()) -> int:
        return unmeasured(self._s, where)

    def subjects(self) -> list[str]:
        return subjects(self._s)


def statements(session: Session, *, measure: str | None = None, subjects: Collection[str] = (),
               where: ReleaseFilter = ReleaseFilter()) -> list[FigureStatement]:
    """Every figure stating `measure` (or with one of these exact `subjects`) among the
    releases `where` selects (by topic and feed: dates are the caller's, who reads them as
    periods), oldest release first."""
    if measure is not None:
        which = FigureRow.measure == measure
    elif subjects:
        which = FigureRow.subject.in_(sorted(subjects))
    else:
        return []
    rows = session.execute(
        select(FigureRow.release_id, FigureRow.position, FigureRow.kind, FigureRow.value, FigureRow.unit,
               FigureRow.text, FigureRow.subject, FigureRow.period, FigureRow.measure, FigureRow.qualifier,
               FigureRow.sentence, Release.story_id, Release.title, Release.url, release_date().label("at"),
               Release.revision, Feed.name.label("feed"), func.coalesce(_first_feed(), Feed.name).label("origin"))
        .join(Release, Release.id == FigureRow.release_id)
        .join(Feed, Feed.id == Release.feed_id)
        .where(which, *filter_clauses(where))
        .order_by(release_date(), FigureRow.release_id, FigureRow.position)).all()
    return [FigureStatement(r.release_id, r.position, r.story_id or r.release_id, r.feed, r.origin, r.title, r.url,
                            r.at, r.revision, r.kind, r.value, r.unit, r.text, r.subject, r.period, r.measure,
                            r.qualifier, r.sentence) for r in rows]


def _first_feed() -> Any:
    """The feed of the first release (by date, then id) of the story of the row's release,
    as a subquery per row: an indexed look-up by story (NULL for a release in no story)."""
    first = aliased(Release)
    first_feed = aliased(Feed)
    return (select(first_feed.name).join_from(first, first_feed, first_feed.id == first.feed_id)
            .where(first.story_id == Release.story_id)
            .order_by(func.coalesce(first.placed_at, first.first_seen_at), first.id)
            .limit(1).correlate(Release).scalar_subquery())


def known_measures(session: Session, where: ReleaseFilter = ReleaseFilter()) -> list[MeasureCount]:
    """Every measure key figures state, most stated first."""
    rows = session.execute(
        select(FigureRow.measure, func.count(), func.count(distinct(FigureRow.feed_id)),
               func.count(distinct(FigureRow.period)), func.min(FigureRow.stated_at), func.max(FigureRow.stated_at))
        .where(FigureRow.measure.is_not(None), *_release_filter(where))
        .group_by(FigureRow.measure)
        .order_by(func.count().desc(), FigureRow.measure)).all()
    return [MeasureCount(m, n, feeds, periods, first, last) for m, n, feeds, periods, first, last in rows
            if m is not None]


def unmeasured(session: Session, where: ReleaseFilter = ReleaseFilter()) -> int:
    """How many figures have no measure key (stored before measure keys existed)."""
    return session.scalar(select(func.count()).select_from(FigureRow)
                          .where(FigureRow.measure.is_(None), *_release_filter(where))) or 0


def subjects(session: Session) -> list[str]:
    """Every subject figures state, as written."""
    return list(session.scalars(select(FigureRow.subject).where(FigureRow.subject.is_not(None)).distinct()))


def _release_filter(where: ReleaseFilter) -> list[Any]:
    """The filter on the release columns figures carry (feed, date), and its topic."""
    f = core_table(FigureRow).c
    return filter_clauses(where, f.release_id, f.feed_id, f.stated_at)
