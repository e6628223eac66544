"""The figures of one measure across every source, and the measures the store knows.

`statements` reads every figure stating a measure (by its canonical key, indexed, or by
subject for figures stored before measure keys) with its release and feed, and the first
source of each story (a copy speaks for it), in one query: plain values for
monitor.analysis.history to mark. `known_measures` counts figures per measure.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import distinct, func, select, text
from sqlalchemy.orm import Session

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


_F = core_table(FigureRow).c
_R = core_table(Release).c
_FEEDS = core_table(Feed)
_FIRST = core_table(Release).alias("first_of_story")
# the feed of the first release (by date, then id) of the story of the row's release, as a
# subquery per row: one probe of ix_releases_story_first (NULL for a release in no story);
# the feed's name is looked up here, in the feeds read once, where a probe of `feeds` for it
# on every row cost a sixth of the query at 1,400 statements on PostgreSQL
_FIRST_FEED_ID = (select(_FIRST.c.feed_id).where(_FIRST.c.story_id == _R.story_id)
                  .order_by(func.coalesce(_FIRST.c.placed_at, _FIRST.c.first_seen_at), _FIRST.c.id)
                  .limit(1).correlate(core_table(Release)).scalar_subquery())
# a FigureStatement's columns, in its order, with the feed id of its origin for the origin:
# plain rows (a measure stated by many feeds has thousands of statements, each built
# straight from its row)
_STATEMENTS = (select(_F.release_id, _F.position, func.coalesce(_R.story_id, _F.release_id), _FEEDS.c.name,
                      _FIRST_FEED_ID, _R.title, _R.url, release_date(), _R.revision, _F.kind,
                      _F.value, _F.unit, _F.text, _F.subject, _F.period, _F.measure, _F.qualifier, _F.sentence)
               .select_from(core_table(FigureRow).join(core_table(Release), _R.id == _F.release_id)
                            .join(_FEEDS, _FEEDS.c.id == _R.feed_id))
               .order_by(release_date(), _F.release_id, _F.position))
_FEED_NAMES = select(_FEEDS.c.id, _FEEDS.c.name)


def statements(session: Session, *, measure: str | None = None, subjects: Collection[str] = (),
               where: ReleaseFilter = ReleaseFilter()) -> list[FigureStatement]:
    """Every figure stating `measure` (or with one of these exact `subjects`) among the
    releases `where` selects (by topic and feed: dates are the caller's, who reads them as
    periods), oldest release first."""
    if measure is not None:
        which = _F.measure == measure
    elif subjects:
        which = _F.subject.in_(sorted(subjects))
    else:
        return []
    query: Any = _STATEMENTS.where(which, *filter_clauses(where))  # 18 columns: more than Row's typing spells out
    with _serial(session):
        rows = session.execute(query).all()  # one fetch, not one a row
    if not rows:
        return []
    names: dict[int, str] = dict(session.execute(_FEED_NAMES).all())
    # a release in no story speaks for itself
    return [FigureStatement(release, position, story, feed, feed if first is None else names[first], *rest)
            for release, position, story, feed, first, *rest in rows]


@contextmanager
def _serial(session: Session) -> Iterator[None]:
    """On PostgreSQL, the statements planned without parallel workers: the planner gives a
    measure's ~1,400 figures a worker, whose start costs more than it saves (24 against
    16 ms at 100,000 releases); the setting is the transaction's again afterwards."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    before = session.scalar(text("SELECT current_setting('max_parallel_workers_per_gather'), "
                                 "set_config('max_parallel_workers_per_gather', '0', true)"))
    try:
        yield
    finally:
        session.execute(text("SELECT set_config('max_parallel_workers_per_gather', :before, true)"),
                        {"before": before})


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
