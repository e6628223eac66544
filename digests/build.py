"""Build a Digest from the store: the releases a topic gained in a period, grouped into
stories, with each figure judged new, changed, conflicting or known against everything
stated earlier about the same measure (see digests.novelty), one table row per measure and
period, the milestones, measure histories for charts, and the Highlights that open it.

A release belongs to the period of its publication time (ListedRelease.placed_at). "Earlier" is:
releases published before the period, then, inside the period, releases published before.
So a digest regenerated later calls nothing of an earlier period new, and a release that
arrives late lands in its own period (and is listed under "Arrived late" where it arrived).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from digests.highlights import pick_highlights
from digests.model import (
    Digest,
    EarlierValue,
    FeedHealth,
    FigureLine,
    LateRelease,
    MilestoneLine,
    Period,
    Series,
    SeriesPoint,
    Source,
    Story,
    stories_in_full,
)
from digests.novelty import (
    EventLedger,
    Ledger,
    Statement,
    Verdict,
    is_actual,
    measure_status,
    period_order,
    prior_statement,
)
from digests.periods import period_for
from digests.vocabulary import Vocabulary
from monitor.analysis.text import story_sentences
from monitor.analysis.topics import Topic
from monitor.domain import ListedRelease, PriorFigure, StoredFigure, StoredMilestone
from storage.port import Transaction

SUMMARY_SENTENCES = 2
KEY_FIGURES_PER_STORY = 6
MAX_CHARTS = 4
MIN_CHART_POINTS = 3
_MIN_CHART_BATCH = 2  # series whose whole histories are loaded together, at least
_STATUS_ORDER = {"conflict": 0, "changed": 1, "new": 2, "known": 3}


def build_digest(tx: Transaction, topic: Topic, period: Period, *, measures: Sequence[Any] | None = None) -> Digest:
    """The digest of `topic` for `period`. `measures` is the topic's measure vocabulary
    (MeasureDef-like: id, label, key); by default the topic's own, if it has one."""
    vocabulary = Vocabulary(measures if measures is not None else getattr(topic, "measures", ()))
    health = tuple(FeedHealth(f.name, f.failures, f.last_error) for f in tx.feeds.failures(period.start, period.end))
    late = tuple(LateRelease(_source(r), period_for(period.kind, _local_day(r, period), period.timezone).key)
                 for r in tx.releases.arrived_late(topic.id, period.start, period.end))
    near = tx.analysis.near_miss_count(topic.id, period.start, period.end)
    releases = sorted(tx.releases.of_topic(topic.id, period.start, period.end), key=_when)
    if not releases:
        return Digest(topic_id=topic.id, topic_title=topic.title, period=period, health=health, late=late,
                      near_misses=near)
    story_of = {r.id: r.story_id or r.id for r in releases}

    members = _story_members(tx, topic.id, releases, story_of)
    figs = tx.analysis.figures_of([r.id for r in releases])
    origin = {sid: rs[0].feed for sid, rs in members.items()}
    look_back = LookBack(tx, topic.id, period, {r.feed: r.feed_id for rs in members.values() for r in rs})
    look_back.before_judging(figs, {r.id: origin[story_of[r.id]] for r in releases})
    lines = _judge_figures(releases, figs, story_of, origin, look_back.ledger, vocabulary)
    milestones = _milestones(tx, topic.id, releases, period)

    order = list(dict.fromkeys(story_of[r.id] for r in releases))
    statuses = _measure_statuses(line for sid in order for line in lines.get(sid, []))
    stories = [_story(members[sid], [_as_decided(line, statuses) for line in lines.get(sid, [])], period)
               for sid in order]
    full = stories_in_full(stories)  # only a story shown in full shows its summary
    texts = tx.releases.texts(members[order[i]][0].id for i in full)
    for i in full:
        stories[i] = replace(stories[i], summary=summarise(texts[members[order[i]][0].id]))
    table = _one_row_per_measure((line for sid in order for line in lines.get(sid, [])), statuses)
    table = _with_previous_periods(table, look_back)
    series = _series(table, look_back)
    return Digest(topic_id=topic.id, topic_title=topic.title, period=period, stories=tuple(stories),
                  figures=tuple(table), milestones=tuple(milestones), health=health, releases=len(releases),
                  series=tuple(series), highlights=tuple(pick_highlights(table, milestones, stories)), late=late,
                  near_misses=near)


def summarise(text: str, n: int = SUMMARY_SENTENCES) -> str:
    """The first `n` sentences of a release, without its dateline ("ASTANA, July 12 --")."""
    sentences = [s.text for s in story_sentences(text)]
    picked = [s for s in sentences if len(s) > 25][:n]
    summary = " ".join(picked or sentences[:n])
    return summary if len(summary) <= 600 else summary[:597].rsplit(" ", 1)[0] + "…"


# ------------------------------------------------------------------ figures

class LookBack:
    """What the topic's releases placed before the period stated, put into a Ledger only as
    far as the digest reads it. Judging a figure needs, per measure, the latest statement
    and the speaker's own latest one; "up from" the previous period's latest statement and its
    source's own; a chart a few series' whole histories, every source's word. So the cost
    follows what the period states, not how often the store stated it before."""

    def __init__(self, tx: Transaction, topic_id: str, period: Period, feed_ids: dict[str, int]) -> None:
        self.ledger = Ledger()
        self._tx, self._topic, self._before, self._feed_ids = tx, topic_id, period.start, feed_ids
        self._series: set[str] = set()  # series whose every measure's latest statement is in
        self._pairs: set[tuple[str, str]] = set()  # (measure, feed) whose latest statement is in
        self._whole: set[str] = set()  # series with every feed's latest statement of every measure in

    def before_judging(self, figs: Sequence[StoredFigure], speaker: dict[int, str]) -> None:
        """For the period's figures (`speaker`: release id → the feed its figures speak for):
        the latest statement of each measure, each speaker's own, and whether each number
        without a subject was stated."""
        scoped = [f for f in figs if Statement.subject_of(f.measure_key)]
        self._load_latest(self._tx.analysis.latest(self._topic, self._before,
                                                   measure_keys=[f.measure_key for f in scoped]))
        self.of_feeds([(f.measure_key, speaker[f.release_id]) for f in scoped])
        unscoped = [(f.kind, f.unit, f.value) for f in figs if not Statement.subject_of(f.measure_key)]
        self.ledger.add_known(self._tx.analysis.values_stated_before(self._topic, unscoped, self._before))

    def series(self, series: Iterable[str]) -> None:
        """The latest statement of every measure (every period) of these series."""
        wanted = [s for s in dict.fromkeys(series) if s not in self._series]
        if wanted:
            self._series.update(wanted)
            self._load_latest(self._tx.analysis.latest(self._topic, self._before, series_keys=wanted))

    def of_feeds(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Each (measure, feed name)'s latest statement by that feed."""
        wanted = [p for p in dict.fromkeys(pairs) if p not in self._pairs and p[1] in self._feed_ids]
        if wanted:
            self._pairs.update(wanted)
            self.ledger.add_earlier(map(prior_statement, self._tx.analysis.latest_of_feeds(
                self._topic, self._before, [(key, self._feed_ids[feed]) for key, feed in wanted])))

    def whole(self, series: Sequence[str]) -> None:
        """Every feed's latest statement of every measure of these series."""
        wanted = [s for s in dict.fromkeys(series) if s not in self._whole]
        if wanted:
            self._whole.update(wanted)
            rows = self._tx.analysis.latest_by_feed(self._topic, self._before, series_keys=wanted)
            self._feed_ids.update((r.feed, r.feed_id) for r in rows)
            self.ledger.add_earlier(map(prior_statement, rows))

    def _load_latest(self, rows: Sequence[PriorFigure]) -> None:
        self._feed_ids.update((r.feed, r.feed_id) for r in rows)
        self._pairs.update((r.measure_key, r.feed) for r in rows)
        self.ledger.add_earlier(map(prior_statement, rows))


def _judge_figures(releases: Sequence[ListedRelease], figs: Sequence[StoredFigure], story_of: dict[int, int],
                   origin: dict[int, str], ledger: Ledger, vocabulary: Vocabulary) -> dict[int, list[FigureLine]]:
    """Story id → its figures, one line per number however many copies state it.

    Inside a story the same number is the same figure when both statements measure the
    same thing or one of them does not say what it measures (copies extract differently)."""
    by_release: dict[int, list[StoredFigure]] = defaultdict(list)
    for f in figs:
        by_release[f.release_id].append(f)
    seen: dict[tuple[int, str, str | None, float], set[str]] = defaultdict(set)
    out: dict[int, list[FigureLine]] = defaultdict(list)
    for r in releases:  # in publication order: an earlier release of the period counts as earlier
        source, speaks_for = _source(r), origin[story_of[r.id]]
        stated = [(f, Statement(f.measure_key, f.value, f.unit, f.text, source, f.release_id, True, speaks_for))
                  for f in by_release.get(r.id, [])]
        verdicts = [ledger.judge(s) for _, s in stated]  # all against what came before this release
        kept: list[Statement] = []
        own: set[str] = set()  # measures this release stated: a later value of one is cited, not its word
        for (f, s), v in zip(stated, verdicts, strict=True):
            cited = s.scoped and s.key in own
            own.add(s.key)
            subjects = seen[(story_of[r.id], *s.number)]
            if subjects and (not s.scoped or "" in subjects or s.key in subjects):
                continue
            subjects.add(s.key if s.scoped else "")
            line = _line(f, s, v, vocabulary)
            # "$43.8 billion, above the $41 billion estimate": the story lists the estimate as
            # cited, not as a change of its own
            out[story_of[r.id]].append(replace(line, status="cited") if cited else line)
            if not cited:
                kept.append(s)
        ledger.add(kept)  # a copy's repeat is not a statement of its own, nor is a cited value
    return out


def _line(f: StoredFigure, s: Statement, v: Verdict, vocabulary: Vocabulary) -> FigureLine:
    earlier = None
    if v.earlier is not None:
        earlier = _earlier(v.earlier)
    label, rank = vocabulary.describe(f.measure, f.subject, s.dated)
    return FigureLine(f.kind, f.value, f.unit, f.text, f.subject, f.period, f.sentence, v.status, s.source,
                      earlier, f.qualifier, f.measure_key, label=label, rank=rank)


def _earlier(s: Statement, period: str | None = None) -> EarlierValue:
    return EarlierValue(s.value, s.unit, s.text, s.source, period)


def _measure_statuses(lines: Iterable[FigureLine]) -> dict[str, str]:
    """Measure key -> what the digest says of that measure and period (novelty.measure_status),
    for the figures that say what they measure; a figure without a subject keeps its own verdict."""
    verdicts: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if Statement.subject_of(line.measure_key) and line.status != "cited":
            verdicts[line.measure_key].append(line.status)
    return {key: measure_status(v) for key, v in verdicts.items()}


def _as_decided(line: FigureLine, statuses: dict[str, str]) -> FigureLine:
    """A story's figure with the status the digest decided for its measure and period (a
    cited value stays cited)."""
    if line.status == "cited":
        return line
    status = statuses.get(line.measure_key, line.status)
    return line if status == line.status else replace(line, status=status)


def _one_row_per_measure(lines: Iterable[FigureLine], statuses: dict[str, str]) -> list[FigureLine]:
    """The figures table: one row per measure and period that the period brought news about,
    every copy and every source folded in, with the status `statuses` decided for it.

    A conflict row shows one source's value (its own revision when it made one, with the value
    it revised) and every other source's value beside it; a change row the latest revision;
    a new row the first statement."""
    groups: dict[str, list[FigureLine]] = {}
    for i, line in enumerate(lines):
        if line.status == "cited":
            continue  # not the release's word on its measure
        key = line.measure_key if Statement.subject_of(line.measure_key) else f"#{i}"  # no subject: not comparable
        groups.setdefault(key, []).append(line)
    rows = []
    for key, group in groups.items():
        status = statuses.get(key) or group[0].status
        if status == "known":
            continue
        changed = [g for g in group if g.status == "changed"]
        if status == "conflict":
            main = replace(changed[-1] if changed else group[0], status="conflict")
        elif status == "changed":
            main = changed[-1]
        else:
            main = next(g for g in group if g.status == "new")
        if main.status == "conflict" and not changed:
            main = replace(main, earlier=None)
        others: dict[tuple[str, float], EarlierValue] = {}
        for g in group:
            if g.source.feed != main.source.feed and g.value != main.value:
                others.setdefault((g.source.feed, g.value), _line_value(g))
            if g.status == "conflict" and g.earlier is not None:
                others.setdefault((g.earlier.source.feed, g.earlier.value), g.earlier)
        others = {k: v for k, v in others.items() if k[0] != main.source.feed}
        carriers = len({g.source.feed for g in group if g.value == main.value})
        rows.append(replace(main, others=tuple(others.values()) if main.status == "conflict" else (),
                            carriers=carriers))
    return sorted(rows, key=lambda f: (f.rank, _STATUS_ORDER[f.status]))


def _line_value(f: FigureLine) -> EarlierValue:
    return EarlierValue(f.value, f.unit, f.text, f.source)


def _with_previous_periods(table: list[FigureLine], look_back: LookBack) -> list[FigureLine]:
    """A new period of a known measure is read against the latest earlier period of the same
    kind ("2024: $43.8 bn, up from $41 bn in 2023"); targets only against targets."""
    wanted = [f for f in table if f.status in ("new", "conflict") and Statement.subject_of(f.measure_key) and f.period]
    if not wanted:
        return table
    ledger = look_back.ledger
    look_back.series([f.series for f in wanted])
    chosen: dict[int, str] = {}
    for f in wanted:
        mine = f.measure_key.rpartition("|")[2]
        here = period_order(mine)
        if here is None:
            continue
        earlier = [(order, p) for p in ledger.history(f.series)
                   if (order := period_order(p)) is not None and order[0] == here[0] and order < here]
        if earlier:
            chosen[id(f)] = max(earlier)[1]
    # the same source's own statement of that period, when it made one: one consistent series
    look_back.of_feeds([(f"{f.series}|{chosen[id(f)]}", f.source.feed) for f in wanted if id(f) in chosen])
    previous = {}
    for f in wanted:
        if id(f) in chosen:
            p = chosen[id(f)]
            s = ledger.stated_by(f"{f.series}|{p}", f.source.feed) or ledger.history(f.series)[p]
            previous[id(f)] = _earlier(s, p)
    return [replace(f, previous=previous[id(f)]) if id(f) in previous else f for f in table]


def _series(table: Iterable[FigureLine], look_back: LookBack) -> list[Series]:
    """Histories of one measure's actual values with at least three periods of one kind
    ("2022", "2023", "2024"; never a target or another measure), for the first rows of the
    table, the whole histories loaded a few series at a time, only as far as charts are drawn."""
    ledger = look_back.ledger
    first: dict[str, FigureLine] = {}
    for line in table:
        mine = line.measure_key.rpartition("|")[2]
        if Statement.subject_of(line.measure_key) and is_actual(mine) and period_order(mine) is not None:
            first.setdefault(line.series, line)
    candidates = list(first.items())
    out: list[Series] = []
    loaded = 0
    for i, (series, line) in enumerate(candidates):
        if len(out) >= MAX_CHARTS:
            break
        if i >= loaded:  # as many as charts are still missing (most candidates make one), two at least
            loaded = i + max(MAX_CHARTS - len(out), _MIN_CHART_BATCH)
            look_back.whole([s for s, _ in candidates[i:loaded]])
        shape = period_order(line.measure_key.rpartition("|")[2])[0]  # type: ignore[index]
        history = {p: s for p, s in ledger.history(series).items()
                   if (order := period_order(p)) is not None and order[0] == shape and is_actual(p)}
        # where sources differ, the line follows the source that states most of the history
        speakers = Counter(s.speaker for p in history for s in ledger.statements(f"{series}|{p}"))
        primary = min(speakers, key=lambda k: (-speakers[k], k)) if speakers else ""
        points = sorted((period_order(p), p, ledger.stated_by(f"{series}|{p}", primary) or s)
                        for p, s in history.items())
        if len(points) >= MIN_CHART_POINTS:
            out.append(Series(line.kind, line.label or line.subject or "", line.unit,
                              tuple(SeriesPoint(p, s.value, s.source, ledger.disputed(f"{series}|{p}"))
                                    for _, p, s in points)))
    return out


# ------------------------------------------------------------------ milestones and stories

def _milestones(tx: Transaction, topic_id: str, releases: Sequence[ListedRelease], period: Period) -> list[MilestoneLine]:
    ms = tx.analysis.milestones_of([r.id for r in releases])
    events = EventLedger(tx.analysis.earlier_milestone_keys(topic_id, [m.event_key for m in ms], period.start))
    by_release: dict[int, list[StoredMilestone]] = defaultdict(list)
    for m in ms:
        by_release[m.release_id].append(m)
    out: dict[str, MilestoneLine] = {}  # event key → its first statement in the period
    for r in releases:
        for m in by_release.get(r.id, []):
            if m.event_key not in out:
                out[m.event_key] = MilestoneLine(m.year, m.date, m.event, m.sentence, m.status,
                                                 events.seen(m.event_key), _source(r))
        for m in by_release.get(r.id, []):
            events.add(m.event_key)
    return sorted(out.values(), key=lambda m: (m.date, m.event))


def _story_members(tx: Transaction, topic_id: str, releases: Sequence[ListedRelease],
                   story_of: dict[int, int]) -> dict[int, list[ListedRelease]]:
    """Story id → every release of the topic in it, earlier periods included, oldest first."""
    members: dict[int, dict[int, ListedRelease]] = defaultdict(dict)
    for r in tx.releases.of_stories([r.story_id for r in releases if r.story_id], topic_id):
        members[r.story_id or r.id][r.id] = r
    for r in releases:
        members[story_of[r.id]][r.id] = r
    return {sid: sorted(rs.values(), key=_when) for sid, rs in members.items()}


def _story(members: Sequence[ListedRelease], figures: Sequence[FigureLine], period: Period) -> Story:
    """A story without its summary (only the stories shown in full get one)."""
    lead = members[0]
    return Story(lead=_source(lead), summary="", also=tuple(_source(m) for m in members[1:]),
                 figures=tuple(figures[:KEY_FIGURES_PER_STORY]), revised=any(m.revision > 1 for m in members),
                 followup=_placed(lead) < period.start,
                 unanalysed=tuple((m.feed, m.analysis_note) for m in members if m.analysis_note))


def _placed(r: ListedRelease):  # type: ignore[no-untyped-def]
    return r.placed_at or r.first_seen_at


def _when(r: ListedRelease):  # type: ignore[no-untyped-def]
    return (_placed(r), r.id)


def _local_day(r: ListedRelease, period: Period):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return _placed(r).astimezone(ZoneInfo(period.timezone)).date()


def _source(r: ListedRelease) -> Source:
    return Source(feed=r.feed, title=r.title, url=r.url, published_at=r.published_at,
                  first_seen_at=r.first_seen_at)
