"""What analysis found in releases: topic matches, figures, milestones, and the digest's
look-ups over them (what was stated before a period)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from monitor.domain import Analysis, Figure, Milestone, ProcessedEntry, TopicMatch
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic

_RELEASES = Release.__table__


_ANALYSIS_TABLES = (ReleaseTopic.__table__, FigureRow.__table__, MilestoneRow.__table__)


_DELETE_ANALYSIS = tuple(delete(t).where(t.c.release_id == bindparam("p_rid")) for t in _ANALYSIS_TABLES)


def _delete_analysis(session: Session, release_id: int) -> None:
    for stmt in _DELETE_ANALYSIS:
        session.execute(stmt, {"p_rid": release_id})


def _store_analysis(session: Session, pairs: Sequence[tuple[int, ProcessedEntry]]) -> None:
    topics, figures, milestones = [], [], []
    for rid, e in pairs:
        a = e.analysis
        topics += [dict(release_id=rid, topic_id=t.topic_id, score=t.score, reasons=list(t.reasons)) for t in a.topics]
        figures += [_figure_values(rid, i, f) for i, f in enumerate(a.figures)]
        milestones += [_milestone_values(rid, i, m) for i, m in enumerate(a.milestones)]
    if topics:
        session.execute(insert(ReleaseTopic.__table__), topics)
    if figures:
        session.execute(insert(FigureRow.__table__), _with_release_columns(session, figures))
    if milestones:
        session.execute(insert(MilestoneRow.__table__), milestones)


def _with_release_columns(session: Session, figures: list[dict[str, object]]) -> list[dict[str, object]]:
    """Figures with their release's feed and times copied on (the digest's indexed look-back)."""
    of = {r.id: r for r in session.execute(
        select(_RELEASES.c.id, _RELEASES.c.feed_id, _RELEASES.c.placed_at, _RELEASES.c.first_seen_at)
        .where(_RELEASES.c.id.in_({f["release_id"] for f in figures})))}
    return [dict(f, feed_id=(r := of[f["release_id"]]).feed_id, stated_at=r.placed_at or r.first_seen_at,
                 first_seen_at=r.first_seen_at) for f in figures]


def store_analysis(session: Session, release_id: int, entry: ProcessedEntry) -> None:
    """Replace a stored release's topics, figures and milestones (used by `topics rematch`)."""
    _delete_analysis(session, release_id)
    _store_analysis(session, [(release_id, entry)])
    session.execute(update(Release.__table__).where(Release.__table__.c.id == release_id)
                    .values(analysis_note=entry.analysis_note))


def measure_key(f: Figure) -> str:
    """kind|unit family|what|period: the digest's novelty key. "What" is the figure's canonical
    measure ("m:trade/cn-kz") when extraction knows it, else its normalised subject, so every
    release that states one measure for one period shares the key whatever its wording."""
    from monitor.analysis.extract import (
        figure_key,  # lazily: a poll without topic matches never needs it
    )

    kind, family, subject, period = figure_key(f)
    what = f"m:{f.measure}" if f.measure else subject
    return "|".join("" if part is None else str(part) for part in (kind, family, what, period))


def event_key(m: Milestone) -> str:
    words = [w for w in "".join(c.lower() if c.isalnum() else " " for c in m.event).split() if len(w) > 3]
    return f"{m.year}|{' '.join(sorted(set(words))[:12])}"


def _figure_values(release_id: int, position: int, f: Figure) -> dict[str, object]:
    return dict(release_id=release_id, position=position, kind=f.kind, value=f.value, unit=f.unit, text=f.text,
                sentence=f.sentence, subject=f.subject, period=f.period, qualifier=f.qualifier,
                measure=f.measure, measure_key=measure_key(f))


def _milestone_values(release_id: int, position: int, m: Milestone) -> dict[str, object]:
    return dict(release_id=release_id, position=position, year=m.year, date=m.date, event=m.event,
                sentence=m.sentence, status=m.status, event_key=event_key(m))


def figures_of(session: Session, release_ids: Sequence[int]) -> list[FigureRow]:
    if not release_ids:
        return []
    return list(session.scalars(select(FigureRow).where(FigureRow.release_id.in_(list(release_ids)))
                                .order_by(FigureRow.release_id, FigureRow.position)))


def milestones_of(session: Session, release_ids: Sequence[int]) -> list[MilestoneRow]:
    if not release_ids:
        return []
    return list(session.scalars(select(MilestoneRow).where(MilestoneRow.release_id.in_(list(release_ids)))
                                .order_by(MilestoneRow.release_id, MilestoneRow.position)))


_IN_CHUNK = 500  # keys per IN list: far below every backend's limit on bound parameters


def latest_figures_by_feed(session: Session, topic_id: str, before: datetime, *, measure_keys: Iterable[str] = (),
                           series_keys: Iterable[str] = (), excluding: int | None = None) -> list[Any]:
    """For these measures, and every measure of these series (a measure without its period),
    and every feed, the latest figure the topic's releases placed before `before` stated,
    oldest first.

    One row per (measure, feed) however often it was repeated, and plain columns (no release
    text, no ORM objects), so the cost follows the number of distinct measures asked for.
    `excluding` leaves one release out (an alert judges a release against the others)."""
    groups = [(FigureRow.measure_key, sorted(set(measure_keys))), (FigureRow.series_key, sorted(set(series_keys)))]
    rows: dict[tuple[str, int], Any] = {}
    for column, keys in groups:
        for k in range(0, len(keys), _IN_CHUNK):
            which = column.in_(keys[k:k + _IN_CHUNK])
            if excluding is not None:
                which = and_(which, FigureRow.release_id != excluding)
            for r in session.execute(_latest_by_feed(topic_id, which, before)):
                rows[(r.measure_key, r.feed_id)] = r
    return sorted(rows.values(), key=lambda r: (r.stated_at, r.release_id, r.position))


def _latest_by_feed(topic_id: str, which: Any, before: datetime) -> Any:
    """The latest figure per (measure, feed) among `which`: ranked on the covering index
    ix_figures_latest (the release's feed and times are on the figure), then joined for the
    winners' details only."""
    ranked = (
        select(FigureRow.id.label("fid"), func.row_number().over(
            partition_by=(FigureRow.measure_key, FigureRow.feed_id),
            order_by=(FigureRow.stated_at.desc(), FigureRow.release_id.desc(), FigureRow.position.desc())).label("rn"))
        .where(which, FigureRow.stated_at < before, _of_topic(topic_id, FigureRow.release_id))
    ).subquery()
    return (select(FigureRow.measure_key, FigureRow.value, FigureRow.unit, FigureRow.text, FigureRow.release_id,
                   FigureRow.position, FigureRow.feed_id, FigureRow.stated_at, Feed.name.label("feed"), Release.title,
                   Release.url, Release.published_at, Release.first_seen_at)
            .join(ranked, and_(ranked.c.fid == FigureRow.id, ranked.c.rn == 1))
            .join(Release, Release.id == FigureRow.release_id)
            .join(Feed, Feed.id == FigureRow.feed_id))


def _of_topic(topic_id: str, release_id: Any) -> Any:
    return select(ReleaseTopic.release_id).where(ReleaseTopic.release_id == release_id,
                                                 ReleaseTopic.topic_id == topic_id).exists()


def values_stated_before(session: Session, topic_id: str, numbers: Iterable[tuple[str, str | None, float]],
                         before: datetime) -> set[tuple[str, str | None, float]]:
    """Which of these (kind, unit, value) the topic's releases placed before `before`
    stated, whatever the figure measured, values equal when rounded to 9 decimals (as the
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
        if session.scalar(probe.where(FigureRow.value == value).limit(1)) is not None or (lo < hi and any(
                round(v, 9) == number[2]  # a value equal only when rounded: small values only, rare
                for v in session.scalars(probe.where(FigureRow.value.between(lo, hi)).distinct()))):
            out.add(number)
    return out


def earlier_milestone_keys(session: Session, topic_id: str, keys: Sequence[str], before: datetime,
                           excluding: int | None = None) -> set[str]:
    """Which of these event keys the topic's releases placed before `before` (published earlier)
    stated, leaving release `excluding` out (an alert judges a release against the others)."""
    if not keys:
        return set()
    q = (select(MilestoneRow.event_key).distinct()
         .join(Release, Release.id == MilestoneRow.release_id)
         .where(MilestoneRow.event_key.in_(sorted(set(keys))), Release.placed_at < before,
                _of_topic(topic_id, MilestoneRow.release_id)))
    if excluding is not None:
        q = q.where(MilestoneRow.release_id != excluding)
    return set(session.scalars(q))


def stored_analysis(session: Session, release_id: int) -> Analysis:
    """A stored release's topics, figures and milestones as values (what a revision replaces)."""
    rt, fr, mr = ReleaseTopic.__table__.c, FigureRow.__table__.c, MilestoneRow.__table__.c
    topics = tuple(TopicMatch(r.topic_id, r.score, tuple(r.reasons or ()))
                   for r in session.execute(select(rt.topic_id, rt.score, rt.reasons).where(rt.release_id == release_id)))
    figures = tuple(Figure(kind=r.kind, value=r.value, unit=r.unit, text=r.text, sentence=r.sentence,
                           subject=r.subject, period=r.period, measure=r.measure, qualifier=r.qualifier)
                    for r in session.execute(select(fr.kind, fr.value, fr.unit, fr.text, fr.sentence, fr.subject,
                                                    fr.period, fr.measure, fr.qualifier)
                                             .where(fr.release_id == release_id).order_by(fr.position)))
    milestones = tuple(Milestone(year=r.year, date=r.date, event=r.event, sentence=r.sentence, status=r.status)
                       for r in session.execute(select(mr.year, mr.date, mr.event, mr.sentence, mr.status)
                                                .where(mr.release_id == release_id).order_by(mr.position)))
    return Analysis(topics, figures, milestones)
