"""What analysis found in releases: topic matches, near misses, figures, milestones, and the
digest's look-ups over them (what was stated before a period)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import JSON, Integer, Text, and_, bindparam, cast, column, delete, func, insert, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from monitor.domain import (
    Analysis,
    Figure,
    Milestone,
    NearMiss,
    NearMissRecord,
    PriorFigure,
    ProcessedEntry,
    StoredFigure,
    StoredMilestone,
    TopicMatch,
)
from storage.sql.models import (
    Feed,
    FigureRow,
    MilestoneRow,
    NearMissRow,
    Release,
    ReleaseTopic,
    core_table,
)
from storage.sql.search import release_date

_RELEASES = core_table(Release)
_FIGURES = core_table(FigureRow)
_F = _FIGURES.c
_FEEDS = core_table(Feed)
_TOPICS = core_table(ReleaseTopic)
_NEAR = core_table(NearMissRow)
_ANALYSIS_TABLES = (core_table(ReleaseTopic), core_table(FigureRow), core_table(MilestoneRow), _NEAR)
_DELETE_ANALYSIS = tuple(delete(t).where(t.c.release_id == bindparam("p_rid")) for t in _ANALYSIS_TABLES)
_STATED_ORDER = attrgetter("stated_at", "release_id", "position")
_IN_CHUNK = 500  # keys per IN list: far below every backend's limit on bound parameters


class SqlAnalysis:
    """storage.port.AnalysisStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def replace(self, release_id: int, entry: ProcessedEntry) -> None:
        delete_analysis(self._s, release_id)
        store_analysis(self._s, [(release_id, entry)])
        self._s.execute(update(_RELEASES).where(_RELEASES.c.id == release_id)
                        .values(analysis_note=entry.analysis_note))

    def of_release(self, release_id: int) -> Analysis:
        rt, fr, mr = core_table(ReleaseTopic).c, core_table(FigureRow).c, core_table(MilestoneRow).c
        topics = tuple(TopicMatch(r.topic_id, r.score, tuple(r.reasons or ())) for r in self._s.execute(
            select(rt.topic_id, rt.score, rt.reasons).where(rt.release_id == release_id)))
        figures = tuple(Figure(kind=r.kind, value=r.value, unit=r.unit, text=r.text, sentence=r.sentence,
                               subject=r.subject, period=r.period, measure=r.measure, qualifier=r.qualifier)
                        for r in self._s.execute(select(fr.kind, fr.value, fr.unit, fr.text, fr.sentence, fr.subject,
                                                        fr.period, fr.measure, fr.qualifier)
                                                 .where(fr.release_id == release_id).order_by(fr.position)))
        milestones = tuple(Milestone(year=r.year, date=r.date, event=r.event, sentence=r.sentence, status=r.status)
                           for r in self._s.execute(select(mr.year, mr.date, mr.event, mr.sentence, mr.status)
                                                    .where(mr.release_id == release_id).order_by(mr.position)))
        return Analysis(topics, figures, milestones, self.near_misses_of([release_id]).get(release_id, ()))

    def near_misses_of(self, release_ids: Sequence[int]) -> dict[int, tuple[NearMiss, ...]]:
        out: dict[int, list[NearMiss]] = {}
        ids = sorted(set(release_ids))
        for k in range(0, len(ids), _IN_CHUNK):
            for r in self._s.execute(select(_NEAR.c.release_id, _NEAR.c.topic_id, _NEAR.c.score, _NEAR.c.threshold,
                                            _NEAR.c.reasons).where(_NEAR.c.release_id.in_(ids[k:k + _IN_CHUNK]))
                                     .order_by(_NEAR.c.release_id, _NEAR.c.threshold - _NEAR.c.score, _NEAR.c.topic_id)):
                out.setdefault(r.release_id, []).append(NearMiss(r.topic_id, r.score, r.threshold, tuple(r.reasons or ())))
        return {rid: tuple(near) for rid, near in out.items()}

    def replace_near_misses(self, release_id: int, near: Sequence[NearMiss]) -> None:
        self._s.execute(delete(_NEAR).where(_NEAR.c.release_id == release_id))
        if near:
            self._s.execute(insert(_NEAR), _near_rows(release_id, near))

    def near_misses(self, *, topic_id: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[NearMissRecord]:
        """Newest first (by the release's place in the calendar), then the closest."""
        q = (select(_NEAR.c.release_id, _NEAR.c.topic_id, _NEAR.c.score, _NEAR.c.threshold, _NEAR.c.reasons,
                    Feed.name.label("feed"), Release.title, Release.url, Release.published_at,
                    release_date().label("placed"))
             .join(Release, Release.id == _NEAR.c.release_id).join(Feed, Feed.id == Release.feed_id)
             .where(*_near_scope(topic_id, since, until))
             .order_by(release_date().desc(), _NEAR.c.threshold - _NEAR.c.score, _NEAR.c.release_id.desc(),
                       _NEAR.c.topic_id))
        return [NearMissRecord(r.release_id, r.topic_id, r.score, r.threshold, tuple(r.reasons or ()), r.feed,
                               r.title, r.url, r.published_at, r.placed) for r in self._s.execute(q)]

    def near_miss_count(self, topic_id: str, start: datetime, end: datetime) -> int:
        return self._s.scalar(select(func.count()).select_from(_NEAR).join(Release, Release.id == _NEAR.c.release_id)
                              .where(*_near_scope(topic_id, start, end))) or 0

    def topic_scores(self, release_ids: Sequence[int]) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        if release_ids:
            for rid, topic, score in self._s.execute(
                    select(ReleaseTopic.release_id, ReleaseTopic.topic_id, ReleaseTopic.score)
                    .where(ReleaseTopic.release_id.in_(list(release_ids)))):
                out.setdefault(rid, {})[topic] = score
        return out

    def figures_of(self, release_ids: Sequence[int]) -> list[StoredFigure]:
        f = core_table(FigureRow).c
        cols = (f.release_id, f.position, f.kind, f.value, f.unit, f.text, f.sentence, f.subject, f.period,
                f.measure, f.qualifier, f.measure_key)
        return [StoredFigure(*r) for r in self._rows(select(*cols), f.release_id, release_ids,
                                                     (f.release_id, f.position))]

    def milestones_of(self, release_ids: Sequence[int]) -> list[StoredMilestone]:
        m = core_table(MilestoneRow).c
        cols = (m.release_id, m.position, m.year, m.date, m.event, m.sentence, m.status, m.event_key)
        return [StoredMilestone(*r) for r in self._rows(select(*cols), m.release_id, release_ids,
                                                        (m.release_id, m.position))]

    def _rows(self, query: Any, key: Any, ids: Sequence[int], order: tuple[Any, ...]) -> list[Any]:
        """Plain rows of `query` for these release ids (Core, no ORM objects: a month's digest
        reads tens of thousands), in `order`."""
        wanted = sorted(set(ids))
        rows: list[Any] = []
        for k in range(0, len(wanted), _IN_CHUNK):
            rows += self._s.execute(query.where(key.in_(wanted[k:k + _IN_CHUNK])))
        return sorted(rows, key=lambda r: tuple(getattr(r, c.name) for c in order))

    def latest_by_feed(self, topic_id: str, before: datetime, *, measure_keys: Iterable[str] = (),
                       series_keys: Iterable[str] = (), excluding: int | None = None) -> list[PriorFigure]:
        """One row per (measure, feed) however often it was repeated, and plain columns (no
        release text), so the cost follows the number of distinct measures asked for."""
        groups = [(_F.measure_key, sorted(set(measure_keys))), (_F.series_key, sorted(set(series_keys)))]
        rows: dict[tuple[str, int], Any] = {}
        for col, keys in groups:
            for k in range(0, len(keys), _IN_CHUNK):
                which: ColumnElement[bool] = col.in_(keys[k:k + _IN_CHUNK])
                if excluding is not None:
                    which = and_(which, _F.release_id != excluding)
                for r in self._s.execute(_latest_by_feed(topic_id, which, before)):
                    rows[(r.measure_key, r.feed_id)] = r
        return _priors(rows.values())

    def latest(self, topic_id: str, before: datetime, *, measure_keys: Iterable[str] = (),
               series_keys: Iterable[str] = ()) -> list[PriorFigure]:
        """One row per measure, whichever feed stated it last: one probe per measure on
        ix_figures_key_time, stopping at the first figure of the topic, so the cost follows the
        number of measures asked for, not how often they were stated."""
        out: list[Any] = []
        keys = sorted(set(measure_keys))
        if keys:
            wanted = _wanted(self._s, [[k] for k in keys])
            out += self._s.execute(_latest_of(topic_id, before, wanted, (wanted.c.k,)))
        series = sorted(set(series_keys))
        if series:
            measures = _measures_of(self._s, series)
            out += self._s.execute(_latest_of(topic_id, before, measures, (measures.c.k,)))
        return _priors({r.measure_key: r for r in out}.values())

    def latest_of_feeds(self, topic_id: str, before: datetime, pairs: Iterable[tuple[str, int]]) -> list[PriorFigure]:
        """One row per (measure key, feed id) asked for that the feed stated: one probe each on
        ix_figures_latest."""
        wanted_pairs = sorted(set(pairs))
        if not wanted_pairs:
            return []
        wanted = _wanted(self._s, [[k, f] for k, f in wanted_pairs])
        return _priors(self._s.execute(_latest_of(topic_id, before, wanted, (wanted.c.k, wanted.c.f))))

    def values_stated_before(self, topic_id: str, numbers: Iterable[tuple[str, str | None, float]],
                             before: datetime) -> set[tuple[str, str | None, float]]:
        """Whatever the figure measured, values equal when rounded to 9 decimals (as the
        digest's ledger compares them). One indexed probe per number, stopping at a hit."""
        out = set()
        for kind, unit, value in sorted(set(numbers), key=repr):
            number = (kind, unit, round(value, 9))
            if number in out:
                continue
            probe = (select(FigureRow.value)
                     .where(FigureRow.kind == kind, FigureRow.unit.is_(None) if unit is None else FigureRow.unit == unit,
                            FigureRow.stated_at < before, _of_topic(topic_id, FigureRow.release_id)))
            lo, hi = number[2] - 1e-9, number[2] + 1e-9
            if self._s.scalar(probe.where(FigureRow.value == value).limit(1)) is not None or (lo < hi and any(
                    round(v, 9) == number[2]  # a value equal only when rounded: small values only, rare
                    for v in self._s.scalars(probe.where(FigureRow.value.between(lo, hi)).distinct()))):
                out.add(number)
        return out

    def earlier_milestone_keys(self, topic_id: str, keys: Sequence[str], before: datetime,
                               excluding: int | None = None) -> set[str]:
        """Which of these event keys the topic's releases placed before `before` (published
        earlier) stated: per key, one probe that stops at its first such milestone."""
        if not keys:
            return set()
        wanted = _wanted(self._s, [[k] for k in sorted(set(keys))])
        stated = (select(MilestoneRow.id).join(Release, Release.id == MilestoneRow.release_id)
                  .where(MilestoneRow.event_key == wanted.c.k, Release.placed_at < before,
                         _of_topic(topic_id, MilestoneRow.release_id)))
        if excluding is not None:
            stated = stated.where(MilestoneRow.release_id != excluding)
        return set(self._s.scalars(select(wanted.c.k).where(stated.correlate(wanted).exists())))


def delete_analysis(session: Session, release_id: int) -> None:
    for stmt in _DELETE_ANALYSIS:
        session.execute(stmt, {"p_rid": release_id})


def store_analysis(session: Session, pairs: Sequence[tuple[int, ProcessedEntry]]) -> None:
    """Insert the topics, near misses, figures and milestones of stored releases, in a few executemany."""
    topics: list[dict[str, object]] = []
    figures: list[dict[str, object]] = []
    milestones: list[dict[str, object]] = []
    for rid, e in pairs:
        a = e.analysis
        topics += [dict(release_id=rid, topic_id=t.topic_id, score=t.score, reasons=list(t.reasons)) for t in a.topics]
        figures += [dict(release_id=rid, position=i, kind=f.kind, value=f.value, unit=f.unit, text=f.text,
                         sentence=f.sentence, subject=f.subject, period=f.period, qualifier=f.qualifier,
                         measure=f.measure, measure_key=key)
                    for i, (f, key) in enumerate(zip(a.figures, e.measure_keys, strict=True))]
        milestones += [dict(release_id=rid, position=i, year=m.year, date=m.date, event=m.event,
                            sentence=m.sentence, status=m.status, event_key=key)
                       for i, (m, key) in enumerate(zip(a.milestones, e.event_keys, strict=True))]
    near = [row for rid, e in pairs for row in _near_rows(rid, e.analysis.near_misses)]
    if topics:
        session.execute(insert(core_table(ReleaseTopic)), topics)
    if near:
        session.execute(insert(_NEAR), near)
    if figures:
        session.execute(insert(core_table(FigureRow)), _with_release_columns(session, figures))
    if milestones:
        session.execute(insert(core_table(MilestoneRow)), milestones)


def _near_rows(release_id: int, near: Sequence[NearMiss]) -> list[dict[str, object]]:
    return [dict(release_id=release_id, topic_id=n.topic_id, score=n.score, threshold=n.threshold,
                 reasons=list(n.reasons)) for n in near]


def _near_scope(topic_id: str | None, since: datetime | None, until: datetime | None) -> list[ColumnElement[bool]]:
    """Near misses of a topic (any, when None) whose release is placed in [since, until)."""
    out: list[ColumnElement[bool]] = []
    if topic_id is not None:
        out.append(_NEAR.c.topic_id == topic_id)
    if since is not None:
        out.append(release_date() >= since)
    if until is not None:
        out.append(release_date() < until)
    return out


def _with_release_columns(session: Session, figures: list[dict[str, object]]) -> list[dict[str, object]]:
    """Figures with their release's feed and times copied on (the digest's indexed look-back)."""
    of = {r.id: r for r in session.execute(
        select(_RELEASES.c.id, _RELEASES.c.feed_id, _RELEASES.c.placed_at, _RELEASES.c.first_seen_at)
        .where(_RELEASES.c.id.in_({f["release_id"] for f in figures})))}
    return [dict(f, feed_id=(r := of[f["release_id"]]).feed_id, stated_at=r.placed_at or r.first_seen_at,
                 first_seen_at=r.first_seen_at) for f in figures]


def _latest_by_feed(topic_id: str, which: Any, before: datetime) -> Any:
    """The latest figure per (measure, feed) among `which`: ranked on the covering index
    ix_figures_latest (the release's feed and times are on the figure), then joined for the
    winners' details only."""
    ranked = (
        select(_F.id.label("fid"), func.row_number().over(
            partition_by=(_F.measure_key, _F.feed_id),
            order_by=(_F.stated_at.desc(), _F.release_id.desc(), _F.position)).label("rn"))  # its first: _latest_of
        .where(which, _F.stated_at < before, _of_topic(topic_id, _F.release_id))
    ).subquery()
    return _details().join(ranked, and_(ranked.c.fid == _F.id, ranked.c.rn == 1))


def _latest_of(topic_id: str, before: datetime, wanted: Any, match: tuple[Any, ...]) -> Any:
    """For each row of `wanted` (a measure key, and a feed id when `match` has two columns), the
    latest figure of the topic placed before `before`: a correlated probe with LIMIT 1 that
    walks the index on (measure key[, feed], stated_at, release id) backwards to the latest
    release, then that release's first figure of the measure (a later one is a value it
    cites, such as an earlier estimate: monitor.analysis.history)."""
    f = _FIGURES.alias("probed").c
    latest = (select(f.release_id)
              .where(*[c == w for c, w in zip((f.measure_key, f.feed_id), match, strict=False)],
                     f.stated_at < before, _of_topic(topic_id, f.release_id))
              .order_by(f.stated_at.desc(), f.release_id.desc())
              .limit(1).correlate(wanted).scalar_subquery())
    own = _FIGURES.alias("own").c
    probe = (select(own.id).where(own.release_id == latest, own.measure_key == match[0])
             .order_by(own.position).limit(1).correlate(wanted).scalar_subquery())
    return _details().where(_F.id.in_(select(probe).select_from(wanted)))


def _wanted(session: Session, rows: list[list[Any]]) -> Any:
    """The rows asked for ([measure key] or [measure key, feed id]) as a table (columns k, f)
    that a query drives its probes from: one JSON parameter (json_each on SQLite,
    json_array_elements on PostgreSQL), so the statement compiles once however many rows."""
    data = bindparam("wanted", json.dumps(rows), type_=Text)
    if session.get_bind().dialect.name == "sqlite":
        each = func.json_each(data).table_valued("value").alias("wanted_rows")
        parts = [func.json_extract(each.c.value, f"$[{i}]") for i in range(len(rows[0]))]
    else:
        each = func.json_array_elements(cast(data, JSON)).table_valued("value").alias("wanted_rows")
        parts = [func.json_extract_path_text(each.c.value, str(i)) for i in range(len(rows[0]))]
    cols = [parts[0].label("k")] + ([cast(parts[1], Integer).label("f")] if len(parts) > 1 else [])
    return select(*cols).select_from(each).subquery("wanted")


def _measures_of(session: Session, series: list[str]) -> Any:
    """The measure keys of these series, as a table (column k) a query drives its probes
    from. A skip scan down ix_figures_series_measure: per series, one probe for each next
    measure key, so the cost follows the number of measures, not of their statements. (A
    DISTINCT over the series' figures reads every statement, and SQLite's planner chose to
    scan the whole of ix_figures_key_time for it: 9.9 s at 3,000,000 figures, against
    0.02 s this way.)"""
    if session.get_bind().dialect.name == "sqlite":
        each = "SELECT value FROM json_each(:series)"
    else:
        each = "SELECT value FROM json_array_elements_text(CAST(:series AS json))"
    figures = core_table(FigureRow).name
    next_key = f"SELECT min(measure_key) FROM {figures} WHERE series_key = m.s AND measure_key > m.k"
    return (text(f"WITH RECURSIVE wanted_series(s) AS ({each}), "
                 f"m(s, k) AS (SELECT s, (SELECT min(measure_key) FROM {figures} WHERE series_key = wanted_series.s) "
                 f"FROM wanted_series UNION ALL SELECT m.s, ({next_key}) FROM m WHERE m.k IS NOT NULL) "
                 "SELECT k FROM m WHERE k IS NOT NULL")
            .bindparams(bindparam("series", json.dumps(series), type_=Text))
            .columns(column("k", Text)).subquery("wanted"))


def _details() -> Any:
    """A prior figure's value and source, to be narrowed to the chosen figures."""
    r = _RELEASES.c
    return (select(_F.measure_key, _F.value, _F.unit, _F.text, _F.release_id, _F.position, _F.feed_id, _F.stated_at,
                   _FEEDS.c.name.label("feed"), r.title, r.url, r.published_at, r.first_seen_at)
            .select_from(_FIGURES.join(_RELEASES, r.id == _F.release_id).join(_FEEDS, _FEEDS.c.id == _F.feed_id)))


def _priors(rows: Iterable[Any]) -> list[PriorFigure]:
    """PriorFigures oldest first (stated, then release, then position), as a ledger takes them."""
    return sorted((PriorFigure(*r) for r in rows), key=_STATED_ORDER)  # _details() has PriorFigure's columns, in order


def _of_topic(topic_id: str, release_id: Any) -> Any:
    return select(_TOPICS.c.release_id).where(_TOPICS.c.release_id == release_id,
                                              _TOPICS.c.topic_id == topic_id).exists()
