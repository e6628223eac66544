"""Stored releases, figures and milestones streamed for `prwatch export`.

Each is one SELECT read a batch of BATCH rows at a time: on PostgreSQL through psycopg's
server-side cursor, on SQLite by stepping the statement (`yield_per`), so neither the driver
nor the server hands over the whole result at once and memory stays flat at any store size. The
rows are joined with their release and feed in SQL and become monitor.domain tuples
directly, in the column order of the export. SqlStore.snapshot gives them a read-only
transaction that does not hold writers up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, func, select

from monitor.domain import ExportedFigure, ExportedMilestone, ExportedRelease, ReleaseFilter
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic, core_table
from storage.sql.search import filter_clauses, release_date

BATCH = 2000  # rows fetched at a time
_TOPIC_SEP = "\x1f"  # between a release's topic ids as SQL aggregates them (never in an id from TOML)

_R, _F, _FIG, _M, _T = (core_table(m).c for m in (Release, Feed, FigureRow, MilestoneRow, ReleaseTopic))
Row = TypeVar("Row")


class SqlExport:
    """storage.port.ExportStore on one connection in a read-only transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def releases(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedRelease]:
        topics = (select(func.aggregate_strings(_T.topic_id, _TOPIC_SEP)).where(_T.release_id == _R.id)
                  .correlate(core_table(Release)).scalar_subquery())
        stmt = (select(_R.id, _story(), _F.name, release_date(), _R.published_at, _R.first_seen_at, _R.title,
                       _R.url, topics, _R.revision, _R.analysis_note)
                .join_from(core_table(Release), core_table(Feed), _F.id == _R.feed_id)
                .where(*filter_clauses(where))
                .order_by(_R.id))

        def make(r: Any) -> ExportedRelease:
            names = tuple(sorted(r[8].split(_TOPIC_SEP))) if r[8] else ()
            return ExportedRelease(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], names, r[9], r[10])
        return self._stream(stmt, make)

    def figures(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedFigure]:
        stmt = (select(_FIG.release_id, _FIG.position, _story(), _F.name, _FIG.stated_at, _FIG.measure,
                       _FIG.subject, _FIG.period, _FIG.value, _FIG.unit, _FIG.kind, _FIG.qualifier, _FIG.text,
                       _FIG.measure_key, _R.url, _FIG.sentence)
                .join_from(core_table(FigureRow), core_table(Release), _R.id == _FIG.release_id)
                .join(core_table(Feed), _F.id == _FIG.feed_id)
                # the release's feed and date as the figure carries them: filtered without the release
                .where(*filter_clauses(where, _FIG.release_id, _FIG.feed_id, _FIG.stated_at))
                .order_by(_FIG.release_id, _FIG.position))
        return self._stream(stmt, ExportedFigure._make)

    def milestones(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedMilestone]:
        stmt = (select(_M.release_id, _M.position, _story(), _F.name, release_date(), _M.date, _M.year, _M.event,
                       _M.status, _M.event_key, _R.url, _M.sentence)
                .join_from(core_table(MilestoneRow), core_table(Release), _R.id == _M.release_id)
                .join(core_table(Feed), _F.id == _R.feed_id)
                .where(*filter_clauses(where))
                .order_by(_M.release_id, _M.position))
        return self._stream(stmt, ExportedMilestone._make)

    def _stream(self, stmt: Select[Any], make: Callable[[Any], Row]) -> Iterator[Row]:
        if self._conn.dialect.name == "postgresql":
            yield from self._stream_pg(stmt, make)
            return
        result = self._conn.execute(stmt.execution_options(yield_per=BATCH))
        try:
            for batch in result.partitions():
                yield from map(make, batch)
        finally:
            result.close()  # a reader that stops early (a closed pipe) ends the cursor too

    def _stream_pg(self, stmt: Select[Any], make: Callable[[Any], Row]) -> Iterator[Row]:
        """The rows through psycopg's own server-side cursor, each made by `make` straight from
        the driver's values: SQLAlchemy's rows and result processing cost a third of an
        export's time. The session's time zone is UTC for the transaction, so psycopg's
        datetimes are in UTC as UTCDateTime would give them; the bound values (ids, names,
        aware datetimes) need no processing by SQLAlchemy to reach psycopg."""
        self._conn.exec_driver_sql("SET LOCAL TimeZone = 'UTC'")
        compiled = stmt.compile(dialect=self._conn.dialect, compile_kwargs={"render_postcompile": True})
        driver: Any = self._conn.connection.driver_connection
        with driver.cursor(name="prwatch_export", row_factory=lambda _cursor: make) as cursor:
            cursor.execute(str(compiled), compiled.params)  # DECLARE: nothing read yet
            while batch := cursor.fetchmany(BATCH):
                yield from batch


def _story() -> Any:
    """A release's story: a release in no story yet is its own."""
    return func.coalesce(_R.story_id, _R.id)
