"""Build a Digest from the store: the releases a topic gained in a period, grouped into
stories, with each figure judged new, changed, conflicting or known against everything
stated earlier (see digests.novelty), the milestones, and measure histories for charts.

"Earlier" is: releases first seen before the period, then, inside the period, releases
published before. So a digest regenerated the next day calls nothing of yesterday new.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session

from digests.model import (
    Digest,
    EarlierValue,
    FeedHealth,
    FigureLine,
    MilestoneLine,
    Period,
    Series,
    SeriesPoint,
    Source,
    Story,
)
from digests.novelty import EventLedger, Ledger, Statement, Verdict
from monitor.analysis.text import story_sentences
from monitor.analysis.topics import Topic
from storage.sql import queries as q
from storage.sql.models import FigureRow, MilestoneRow, Release

SUMMARY_SENTENCES = 2
KEY_FIGURES_PER_STORY = 6
MAX_CHARTS = 4
MIN_CHART_POINTS = 3
_CHART_BATCH = 8  # series whose histories are loaded together
_STATUS_ORDER = {"conflict": 0, "changed": 1, "new": 2}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


def build_digest(session: Session, topic: Topic, period: Period) -> Digest:
    health = tuple(FeedHealth(n, c, e) for n, c, e in q.feed_failures(session, period.start, period.end))
    releases = sorted(q.topic_releases(session, topic.id, period.start, period.end), key=_when)
    if not releases:
        return Digest(topic_id=topic.id, topic_title=topic.title, period=period, health=health)
    story_of = {r.id: r.story_id or r.id for r in releases}

    members = _story_members(session, topic.id, releases, story_of)
    figs = q.figures_of(session, [r.id for r in releases])
    ledger = _ledger(session, topic.id, figs, period)
    load_history = _history_loader(session, topic.id, figs, period, ledger)
    origin = {sid: rs[0].feed.name for sid, rs in members.items()}
    lines = _judge_figures(releases, figs, story_of, origin, ledger)
    milestones = _milestones(session, topic.id, releases, period)

    stories = [_story(members[sid], lines.get(sid, []), period) for sid in dict.fromkeys(story_of[r.id] for r in releases)]
    headline = sorted((line for sid in dict.fromkeys(story_of[r.id] for r in releases) for line in lines.get(sid, [])
                       if line.status != "known"), key=lambda f: _STATUS_ORDER[f.status])
    return Digest(topic_id=topic.id, topic_title=topic.title, period=period, stories=tuple(stories),
                  figures=tuple(headline), milestones=tuple(milestones), health=health, releases=len(releases),
                  series=tuple(_series(headline, ledger, load_history)))


def summarise(text: str, n: int = SUMMARY_SENTENCES) -> str:
    """The first `n` sentences of a release, without its dateline ("ASTANA, July 12 --")."""
    sentences = [s.text for s in story_sentences(text)]
    picked = [s for s in sentences if len(s) > 25][:n]
    summary = " ".join(picked or sentences[:n])
    return summary if len(summary) <= 600 else summary[:597].rsplit(" ", 1)[0] + "…"


# ------------------------------------------------------------------ figures

def _ledger(session: Session, topic_id: str, figs: Sequence[FigureRow], period: Period) -> Ledger:
    """What the topic's releases first seen before the period stated about the measures these
    figures state (and, for figures without a subject, whether their number was stated)."""
    scoped = [f.measure_key for f in figs if Statement.subject_of(f.measure_key)]
    prior = q.latest_figures_by_feed(session, topic_id, period.start, measure_keys=scoped)
    unscoped = [(f.kind, f.unit, f.value) for f in figs if not Statement.subject_of(f.measure_key)]
    known = q.values_stated_before(session, topic_id, unscoped, period.start)
    return Ledger(map(_prior, prior), known)


def _history_loader(session: Session, topic_id: str, figs: Sequence[FigureRow], period: Period,
                    ledger: Ledger) -> Callable[[Sequence[str]], None]:
    """Adds to the ledger what was stated before the period about the other measures of some
    series (the other periods of a history), so charts read whole histories. A measure the
    period states is in the ledger already, with the period's statements after its prior ones;
    the others have no statement of the period, so their prior ones can come last."""
    loaded = {f.measure_key for f in figs}

    def load(series: Sequence[str]) -> None:
        rows = [r for r in q.latest_figures_by_feed(session, topic_id, period.start, series_keys=series)
                if r.measure_key not in loaded]
        ledger.add(map(_prior, rows))
        loaded.update(r.measure_key for r in rows)
    return load


def _prior(r: Any) -> Statement:
    return Statement(r.measure_key, r.value, r.unit, r.text,
                     Source(r.feed, r.title, r.url, r.published_at, r.first_seen_at), r.release_id, False)


def _judge_figures(releases: Sequence[Release], figs: Sequence[FigureRow], story_of: dict[int, int],
                   origin: dict[int, str], ledger: Ledger) -> dict[int, list[FigureLine]]:
    """Story id → its figures, one line per number however many copies state it.

    Inside a story the same number is the same figure when both statements measure the
    same thing or one of them does not say what it measures (copies extract differently)."""
    by_release: dict[int, list[FigureRow]] = defaultdict(list)
    for f in figs:
        by_release[f.release_id].append(f)
    seen: dict[tuple[int, str, str | None, float], set[str]] = defaultdict(set)
    out: dict[int, list[FigureLine]] = defaultdict(list)
    for r in releases:  # in publication order: an earlier release of the period counts as earlier
        stated = [(f, _statement(f, r, True, origin[story_of[r.id]])) for f in by_release.get(r.id, [])]
        verdicts = [ledger.judge(s) for _, s in stated]  # all against what came before this release
        kept: list[Statement] = []
        for (f, s), v in zip(stated, verdicts, strict=True):
            subjects = seen[(story_of[r.id], *s.number)]
            if subjects and (not s.scoped or "" in subjects or s.key in subjects):
                continue
            subjects.add(s.key if s.scoped else "")
            out[story_of[r.id]].append(_line(f, s, v))
            kept.append(s)
        ledger.add(kept)  # a copy's repeat is not a statement of its own
    return out


def _statement(f: FigureRow, r: Release, in_period: bool, origin: str = "") -> Statement:
    return Statement(f.measure_key, f.value, f.unit, f.text, _source(r), f.release_id, in_period, origin)


def _line(f: FigureRow, s: Statement, v: Verdict) -> FigureLine:
    earlier = None
    if v.earlier is not None:
        earlier = EarlierValue(v.earlier.value, v.earlier.unit, v.earlier.text, v.earlier.source)
    return FigureLine(f.kind, f.value, f.unit, f.text, f.subject, f.period, f.sentence, v.status, s.source,
                      earlier, f.qualifier, f.measure_key)


def _series(headline: Iterable[FigureLine], ledger: Ledger, load: Callable[[Sequence[str]], None]) -> list[Series]:
    """Histories with at least three periods of the same shape ("2022", "2023", "2024"), of the
    series of the first headline figures (a series' first figure in the headline decides), the
    earlier periods loaded (by `load`) a few series at a time, only as far as charts are drawn."""
    first: dict[str, FigureLine] = {}
    for line in headline:
        if Statement.subject_of(line.measure_key):
            first.setdefault(line.measure_key.rpartition("|")[0], line)
    candidates = [(series, line, mine) for series, line in first.items()
                  if _YEAR.search(mine := line.measure_key.rpartition("|")[2])]
    out: list[Series] = []
    for i, (series, line, mine) in enumerate(candidates):
        if len(out) >= MAX_CHARTS:
            break
        if i % _CHART_BATCH == 0:
            load([series for series, _, _ in candidates[i:i + _CHART_BATCH]])
        shape = _YEAR.sub("YYYY", mine)
        points = sorted(((_year(p), p, s) for p, s in ledger.history(series).items()
                         if _YEAR.search(p) and _YEAR.sub("YYYY", p) == shape))
        if len(points) >= MIN_CHART_POINTS:
            out.append(Series(line.kind, line.subject or "", line.unit,
                              tuple(SeriesPoint(p, s.value, s.source, ledger.disputed(f"{series}|{p}"))
                                    for _, p, s in points)))
    return out


def _year(period: str) -> str:
    m = _YEAR.search(period)
    return m.group(0) if m else ""


# ------------------------------------------------------------------ milestones and stories

def _milestones(session: Session, topic_id: str, releases: Sequence[Release], period: Period) -> list[MilestoneLine]:
    ms = q.milestones_of(session, [r.id for r in releases])
    events = EventLedger(q.earlier_milestone_keys(session, topic_id, [m.event_key for m in ms], period.start))
    by_release: dict[int, list[MilestoneRow]] = defaultdict(list)
    for m in ms:
        by_release[m.release_id].append(m)
    out = []
    for r in releases:
        for m in by_release.get(r.id, []):
            if any(line_key == m.event_key for line_key, _ in out):
                continue
            out.append((m.event_key, MilestoneLine(m.year, m.date, m.event, m.sentence, m.status,
                                                   events.seen(m.event_key), _source(r))))
        for m in by_release.get(r.id, []):
            events.add(m.event_key)
    return sorted((line for _, line in out), key=lambda m: (m.date, m.event))


def _story_members(session: Session, topic_id: str, releases: Sequence[Release],
                   story_of: dict[int, int]) -> dict[int, list[Release]]:
    """Story id → every release of the topic in it, earlier periods included, oldest first."""
    members: dict[int, dict[int, Release]] = defaultdict(dict)
    for r in q.releases_of_stories(session, [r.story_id for r in releases if r.story_id], topic_id):
        members[r.story_id or r.id][r.id] = r
    for r in releases:
        members[story_of[r.id]][r.id] = r
    return {sid: sorted(rs.values(), key=_when) for sid, rs in members.items()}


def _story(members: Sequence[Release], figures: Sequence[FigureLine], period: Period) -> Story:
    lead = members[0]
    return Story(lead=_source(lead), summary=summarise(lead.text), also=tuple(_source(m) for m in members[1:]),
                 figures=tuple(figures[:KEY_FIGURES_PER_STORY]), revised=any(m.revision > 1 for m in members),
                 followup=lead.first_seen_at < period.start)


def _when(r: Release):  # type: ignore[no-untyped-def]
    return (r.published_at or r.first_seen_at, r.id)


def _source(r: Release) -> Source:
    return Source(feed=r.feed.name, title=r.title, url=r.url, published_at=r.published_at,
                  first_seen_at=r.first_seen_at)

