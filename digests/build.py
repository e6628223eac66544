"""Build a Digest from the store: the releases a topic gained in a period, grouped into
stories, with the figures that are new or changed against everything stored before."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from digests.model import Digest, EarlierValue, FeedHealth, FigureLine, MilestoneLine, Period, Source, Story
from monitor.text import split_sentences
from monitor.topics import Topic
from storage import queries as q
from storage.models import FigureRow, Release

SUMMARY_SENTENCES = 2
KEY_FIGURES_PER_STORY = 6


def build_digest(session: Session, topic: Topic, period: Period) -> Digest:
    rows = q.topic_releases(session, topic.id, period.start, period.end)
    releases = [r for r, _ in rows]
    by_story: dict[int, list[Release]] = defaultdict(list)
    for r in releases:
        by_story[r.story_id or r.id].append(r)

    figs = q.figures_of(session, [r.id for r in releases])
    figs_by_release: dict[int, list[FigureRow]] = defaultdict(list)
    for f in figs:
        figs_by_release[f.release_id].append(f)
    earlier = _latest_earlier(q.earlier_figures(session, topic.id, [f.measure_key for f in figs], period.start))
    release_by_id = {r.id: r for r in releases}
    lines = _figure_lines(figs, release_by_id, earlier)

    stories = []
    for members in by_story.values():
        members.sort(key=_when)
        lead = members[0]
        story_lines = _dedupe([line for m in members for line in lines.get(m.id, [])])
        stories.append(Story(
            lead=_source(lead),
            summary=summarise(lead.text),
            also=tuple(_source(m) for m in members[1:]),
            figures=tuple(story_lines[:KEY_FIGURES_PER_STORY]),
            revised=any(m.revision > 1 for m in members),
        ))
    stories.sort(key=lambda s: (s.lead.published_at or s.lead.first_seen_at, s.lead.title))

    period_figures = _dedupe([line for r in releases for line in lines.get(r.id, [])])
    headline_figures = tuple(f for f in period_figures if f.status in ("new", "changed", "conflict"))

    ms = q.milestones_of(session, [r.id for r in releases])
    known_events = q.earlier_milestone_keys(session, topic.id, [m.event_key for m in ms], period.start)
    seen: set[str] = set()
    milestones = []
    for m in sorted(ms, key=lambda m: (m.date, m.event)):
        if m.event_key in seen:
            continue
        seen.add(m.event_key)
        milestones.append(MilestoneLine(m.year, m.date, m.event, m.sentence, m.status, m.event_key in known_events,
                                        _source(release_by_id[m.release_id])))
    health = tuple(FeedHealth(n, c, e) for n, c, e in q.feed_failures(session, period.start, period.end))
    return Digest(topic_id=topic.id, topic_title=topic.title, period=period, stories=tuple(stories),
                  figures=headline_figures, milestones=tuple(milestones), health=health, releases=len(releases))


def summarise(text: str, n: int = SUMMARY_SENTENCES) -> str:
    """The first `n` sentences of a release, skipping a bare dateline."""
    sentences = [s.text for s in split_sentences(text)]
    picked = [s for s in sentences if len(s) > 25][:n]
    summary = " ".join(picked or sentences[:n])
    return summary if len(summary) <= 600 else summary[:597].rsplit(" ", 1)[0] + "…"


def _figure_lines(figs: Sequence[FigureRow], releases: dict[int, Release],
                  earlier: dict[str, tuple[FigureRow, Release]]) -> dict[int, list[FigureLine]]:
    # disagreement between sources inside the period is a conflict
    values_by_key: dict[str, set[tuple[float, str | None]]] = defaultdict(set)
    for f in figs:
        values_by_key[f.measure_key].add((round(f.value, 6), f.unit))
    out: dict[int, list[FigureLine]] = defaultdict(list)
    for f in figs:
        before = earlier.get(f.measure_key)
        prior = None
        if before is None:
            status = "new"
        elif _same(before[0].value, f.value) and before[0].unit == f.unit:
            status = "known"
        else:
            status = "changed"
            prior = EarlierValue(before[0].value, before[0].unit, before[0].text, _source(before[1]))
        if len(values_by_key[f.measure_key]) > 1 and f.subject:
            status = "conflict"
        out[f.release_id].append(FigureLine(f.kind, f.value, f.unit, f.text, f.subject, f.period, f.sentence,
                                            status, _source(releases[f.release_id]), prior))
    return out


def _latest_earlier(rows: Sequence[tuple[FigureRow, Release]]) -> dict[str, tuple[FigureRow, Release]]:
    latest: dict[str, tuple[FigureRow, Release]] = {}
    for f, r in rows:  # ordered by first_seen_at: the last one wins
        latest[f.measure_key] = (f, r)
    return latest


def _dedupe(lines: Sequence[FigureLine]) -> list[FigureLine]:
    """One line per figure: the same value for the same measure from several copies counts once."""
    seen: set[tuple] = set()
    out = []
    for line in lines:
        key = (line.kind, line.subject, line.period, round(line.value, 6), line.unit, line.text if not line.subject else "")
        if key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _when(r: Release):  # type: ignore[no-untyped-def]
    return (r.published_at or r.first_seen_at, r.id)


def _source(r: Release) -> Source:
    return Source(feed=r.feed.name, title=r.title, url=r.url, published_at=r.published_at,
                  first_seen_at=r.first_seen_at)
