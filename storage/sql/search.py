"""Full-text search over stored releases: SQLite FTS5 and PostgreSQL text search.

The index is the backend's own (migration 0007 makes it and its triggers, and fills it for
releases stored before): on SQLite an FTS5 table `release_search` over the release's title
and text (porter stemming, diacritics folded), on PostgreSQL a table `release_search` of one
`tsvector` per release (English stemming, the title weighted A and the first
SEARCHED_CHARS characters of the text B: a tsvector has a size limit) under a GIN index.
Triggers keep both current when a release is stored, revised or deleted; on SQLite a new
release waits in a queue and is indexed with the others of its poll in one go
(storage.sql.search_index), and a search indexes what waits before it reads.

Beside the index, each backend keeps what a search filters and groups on (feed, story, date)
in a narrow table, so neither touches the wide `releases` rows until the page is known.

A SearchExpr (monitor.app.query) becomes an FTS5 MATCH string in which every word is a
quoted string, or a tsquery built from phraseto_tsquery of bound values: a query's text is
never read as syntax by either backend. Ranking: BM25 with the title ten times the text on
SQLite, ts_rank (title weight 1.0, text 0.25) on PostgreSQL; so a title hit ranks above a
text hit. Copies of a story collapse to their best-ranked release, and the story's other
feeds come along as "also carried by".

Ranking costs time for every release ranked, so a search ranks at most RANK_WINDOW of the
matching releases (after the filters): all of them when fewer match, else the most recently
stored ones, and says so (SearchPage.capped): narrowing the search (more words, dates, a
topic or feed) reaches older releases. That keeps the first page within tens of
milliseconds whatever the store's size, where ranking every match of a common word costs
about a second at 100,000 releases.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    Integer,
    bindparam,
    case,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import array, distinct_on
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from monitor.domain import (
    AllOf,
    AnyOf,
    Carrier,
    Marked,
    ReleaseFilter,
    SearchExpr,
    SearchHit,
    SearchPage,
    Words,
)
from storage.sql.models import Feed, Release, ReleaseTopic, UTCDateTime, core_table
from storage.sql.search_index import index_waiting

SEARCH_TABLE = "release_search"
SEARCHED_CHARS = 100_000  # of a release's text, on PostgreSQL; migration 0007 has its own copy of the number
TEXT_SEARCH_CONFIG = "english"
OPEN, CLOSE = "\ue000", "\ue001"  # private-use marks around highlighted words, never shown
SNIPPET_WORDS = 32
SHORT_TEXT = 240  # characters: a text this short is its own snippet
TITLE_WEIGHT = 10.0  # FTS5 BM25 column weight of the title against 1.0 for the text
TS_WEIGHTS = "'{0.1, 0.2, 0.25, 1.0}'::float4[]"  # ts_rank weights of D, C, B (the text), A (the title)
RANK_WINDOW = 2000  # releases ranked at most, the most recently stored of those that match

_R = core_table(Release).c
_NOT_ONE_WORD = re.compile(r"[\W_]")


class SqlSearch:
    """storage.port.SearchStore on SQLAlchemy: SQLite FTS5 or PostgreSQL tsvector."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def releases(self, expr: SearchExpr, where: ReleaseFilter = ReleaseFilter(), *, limit: int = 20,
                 offset: int = 0) -> SearchPage:
        return search_releases(self._s, expr, where, limit=limit, offset=offset)

    def index_waiting(self) -> int:
        return index_waiting(self._s)


def search_releases(session: Session, expr: SearchExpr, where: ReleaseFilter = ReleaseFilter(), *,
                    limit: int = 20, offset: int = 0) -> SearchPage:
    """The stories whose releases match `expr` among those `where` selects, best first (the
    newest first among equals): `limit` of them after skipping `offset`. A story is shown by
    its best-matching release, the earliest of equals (the original before its copies)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        index_waiting(session)  # what a poll stored and has not indexed yet is found too
    match = _Fts5(expr) if sqlite else _TsQuery(expr)
    stories = match.stories(session, where, RANK_WINDOW, max(offset + limit, 1))  # one at least: the counts come with it
    page = [_Ranked(*r) for r in stories.best[offset:offset + limit]]
    capped = stories.ranked >= RANK_WINDOW
    if not page:
        return SearchPage((), False, capped=capped, only_common_words=not sqlite and match.ignored(session))
    ids = [r.id for r in page]
    marks = match.marks(session, ids)
    details, carriers = _releases(session, page)
    hits = []
    for r in page:
        d = details[r.id]
        title, snippet = marks.get(r.id, (d.title, ""))
        hits.append(SearchHit(
            release_id=d.id, story_id=d.story_id or d.id, feed=d.feed, title=marked(title), snippet=marked(snippet),
            url=d.url, published_at=d.published_at, first_seen_at=d.first_seen_at, revision=d.revision,
            score=float(r.score), also=carriers.get(d.id, ())))
    return SearchPage(tuple(hits), more=stories.found > offset + limit, capped=capped)


class _Ranked(NamedTuple):
    id: int
    story_id: int | None
    at: Any
    score: float


class _Stories(NamedTuple):
    """The first `first` stories of a search, best first, each by its best release (id, story
    id, date, score); how many stories and how many releases were ranked."""

    best: list[tuple[Any, ...]]
    found: int
    ranked: int


def _collapse(ranked: list[Any], first: int) -> _Stories:
    """Ranked releases (id, story, date, score) as stories: each by its best release (the
    earliest of equals, the original before its copies), the best story first (the newest
    among equals)."""
    best: dict[int, tuple[Any, ...]] = {}
    for r in sorted(ranked, key=lambda r: (-r[3], r[2], r[0])):  # the best first, the earliest of equals
        best.setdefault(r[1] or r[0], r)
    stories = sorted(best.values(), key=lambda r: (r[3], r[2], r[0]), reverse=True)
    return _Stories(stories[:first], len(stories), len(ranked))


def marked(text: str) -> Marked:
    """Text with OPEN/CLOSE marks as pieces, each highlighted or not (stray marks dropped)."""
    pieces: list[tuple[str, bool]] = []
    on = False
    buf: list[str] = []
    for c in text:
        if c in (OPEN, CLOSE):
            if buf:
                pieces.append(("".join(buf), on))
                buf = []
            on = c == OPEN
        else:
            buf.append(c)
    if buf:
        pieces.append(("".join(buf), on))
    return tuple(pieces)


def release_date() -> ColumnElement[Any]:
    """A release's date for filters and ordering: its place in the news calendar (when it was
    published, unless the feed gave no date or a future one: then when first seen)."""
    return func.coalesce(_R.placed_at, _R.first_seen_at)


def filter_clauses(where: ReleaseFilter, release_id: ColumnElement[Any] = _R.id,
                   feed_id: ColumnElement[Any] = _R.feed_id,
                   at: ColumnElement[Any] | None = None) -> list[ColumnElement[bool]]:
    """SQL conditions for a ReleaseFilter on these columns of a release's id, feed and date
    (by default those of `releases`; shared by search, history and export)."""
    at = release_date() if at is None else at
    out: list[ColumnElement[bool]] = []
    if where.topic:
        out.append(exists().where(ReleaseTopic.release_id == release_id, ReleaseTopic.topic_id == where.topic))
    if where.feeds:
        out.append(feed_id.in_(select(Feed.id).where(Feed.name.in_(list(where.feeds))).scalar_subquery()))
    if where.since is not None:
        out.append(at >= where.since)
    if where.until is not None:
        out.append(at < where.until)
    return out


def _releases(session: Session, page: Sequence[_Ranked]) -> tuple[dict[int, Any], dict[int, tuple[Carrier, ...]]]:
    """The hits' releases, and for each hit the earliest release of its story in every other
    feed: one query for both (the hits and every release of their stories, in date order)."""
    rows = session.execute(
        select(Release.id, Release.story_id, Feed.name.label("feed"), Release.title, Release.url,
               Release.published_at, Release.first_seen_at, Release.revision)
        .join(Feed, Feed.id == Release.feed_id)
        .where(or_(Release.id.in_([r.id for r in page]), Release.story_id.in_(sorted({r.story_id or r.id for r in page}))))
        .order_by(release_date(), Release.id)).all()
    hit_ids = {p.id for p in page}
    details = {r.id: r for r in rows if r.id in hit_ids}
    others = [r for r in rows if r.id not in details]
    carriers: dict[int, tuple[Carrier, ...]] = {}
    for hit in details.values():
        story = hit.story_id or hit.id
        seen = {hit.feed}
        also = []
        for r in others:
            if r.story_id == story and r.feed not in seen:
                seen.add(r.feed)
                also.append(Carrier(feed=r.feed, title=r.title, url=r.url, published_at=r.published_at))
        if also:
            carriers[hit.id] = tuple(also)
    return details, carriers


class _Fts5:
    """A SearchExpr as an FTS5 MATCH string over the `release_search` table."""

    fts = table(SEARCH_TABLE, column("rowid", Integer))
    facets = table(f"{SEARCH_TABLE}_facets", column("id", Integer), column("feed_id", Integer),
                   column("story_id", Integer), column("at", UTCDateTime()))

    def __init__(self, expr: SearchExpr) -> None:
        self.query = self.compile(expr)

    @classmethod
    def compile(cls, e: SearchExpr) -> str:
        if isinstance(e, Words):
            return '"' + e.text.replace('"', '""') + '"'
        if isinstance(e, AnyOf):
            return "(" + " OR ".join(cls.compile(p) for p in e.parts) + ")"
        text = "(" + " AND ".join(cls.compile(p) for p in e.parts) + ")"
        for x in e.excluded:
            text = f"({text} NOT {cls.compile(x)})"
        return text

    def _match(self) -> ColumnElement[bool]:
        return literal_column(SEARCH_TABLE).op("MATCH")(bindparam("fts_query", self.query))

    def ranked(self, session: Session, where: ReleaseFilter, window: int) -> list[Any]:
        """(id, story_id, at, score) of the newest `window` matches that pass `where`. FTS5
        reads its matches newest first and stops there (with dates, only those among the ids
        the dates hold: the facets' dates are indexed); then BM25 is computed for those only,
        in a scan of the matches between the oldest and the newest of them (`+rowid IN` keeps SQLite from
        running one MATCH per candidate; the ids go as one JSON array)."""
        f = self.facets.c
        rowid = self.fts.c.rowid
        within: list[ColumnElement[bool]] = []
        if where.since is not None or where.until is not None:
            lo, hi = session.execute(select(func.min(f.id), func.max(f.id)).where(
                *filter_clauses(ReleaseFilter(since=where.since, until=where.until), f.id, f.feed_id, f.at))).one()
            if lo is None:
                return []
            within = [rowid >= lo, rowid <= hi]
        rows = session.execute(
            select(f.id, f.story_id, type_coerce(f.at, NullType()).label("at"))
            .select_from(self.fts.join(self.facets, f.id == rowid))
            .where(self._match(), *within, *filter_clauses(where, f.id, f.feed_id, f.at))
            .order_by(rowid.desc()).limit(window)).all()
        if not rows:
            return []
        ids: Any = select(column("value")).select_from(func.json_each(bindparam("ids", json.dumps([r.id for r in rows]))))
        score = -func.bm25(literal_column(SEARCH_TABLE), TITLE_WEIGHT, 1.0)
        scores = dict(session.execute(
            select(rowid, score)
            .where(self._match(), rowid >= rows[-1].id, rowid <= rows[0].id,
                   literal_column(f"+{SEARCH_TABLE}.rowid").in_(ids))).all())
        return [(rid, story, at, scores.get(rid, 0.0)) for rid, story, at in rows]

    def stories(self, session: Session, where: ReleaseFilter, window: int, first: int) -> _Stories:
        return _collapse(self.ranked(session, where, window), first)

    def marks(self, session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        table_: ColumnElement[Any] = literal_column(SEARCH_TABLE)
        rows = session.execute(
            select(self.fts.c.rowid, func.highlight(table_, 0, OPEN, CLOSE),
                   func.snippet(table_, 1, OPEN, CLOSE, "…", SNIPPET_WORDS))
            .where(self._match(), self.fts.c.rowid >= min(ids),
                   literal_column(f"+{SEARCH_TABLE}.rowid").in_(list(ids))))
        return {rid: (title, snippet) for rid, title, snippet in rows}

    def ignored(self, session: Session) -> bool:
        return False


class _TsQuery:
    """A SearchExpr as a PostgreSQL tsquery over `release_search.document`."""

    index = table(SEARCH_TABLE, column("release_id", Integer), column("feed_id", Integer),
                  column("story_id", Integer), column("at", UTCDateTime()), column("document"))

    def __init__(self, expr: SearchExpr) -> None:
        self._n = 0
        self.query = self.compile(expr)
        # a phrase is tested on each document (the GIN index holds no word positions): the index
        # is asked for its words in any order instead, which it answers exactly
        self.found_by = self.compile(expr, phrases=False) if _has_phrase(expr) else None

    def compile(self, e: SearchExpr, *, phrases: bool = True) -> ColumnElement[Any]:
        """The tsquery of `e`; without `phrases`, one that every match of it matches too: a
        phrase's words in any order, and no exclusion of a phrase."""
        if isinstance(e, Words):
            self._n += 1
            to_tsquery = func.phraseto_tsquery if phrases else func.plainto_tsquery
            return to_tsquery(_config(), bindparam(f"ts_{self._n}", _words(e)))
        if isinstance(e, AnyOf):
            return _fold(func.tsquery_or, [self.compile(p, phrases=phrases) for p in e.parts])
        q = _fold(func.tsquery_and, [self.compile(p, phrases=phrases) for p in e.parts])
        for x in e.excluded:
            if phrases or not _has_phrase(x):
                q = func.tsquery_and(q, func.tsquery_not(self.compile(x)))
        return q

    def stories(self, session: Session, where: ReleaseFilter, window: int, first: int) -> _Stories:
        """The newest `window` matches that pass `where`, ranked after the cut (so only those
        documents are read whole), collapsed to stories as _collapse does, by the server: only
        the first `first` stories come back, with the number of stories and of ranked
        releases on each row, where fetching every ranked release cost more than ranking them."""
        c = self._candidates(where, window).c
        ranked = select(c.id, c.story_id, c.at, func.ts_rank(literal_column(TS_WEIGHTS), c.document, self.query)
                        .label("score")).cte("ranked")
        r = ranked.c
        # each story's best release, the earliest of equals
        best = (select(r.id, r.story_id, r.at, r.score).ext(distinct_on(func.coalesce(r.story_id, r.id)))
                .order_by(func.coalesce(r.story_id, r.id), r.score.desc(), r.at, r.id)).subquery("best")
        b = best.c
        rows = session.execute(
            select(b.id, b.story_id, type_coerce(b.at, NullType()), b.score, func.count().over(),
                   select(func.count()).select_from(ranked).scalar_subquery())
            .order_by(b.score.desc(), b.at.desc(), b.id.desc()).limit(first)).all()
        if not rows:
            return _Stories([], 0, 0)
        return _Stories([tuple(row[:4]) for row in rows], rows[0][4], rows[0][5])

    def _candidates(self, where: ReleaseFilter, window: int) -> Any:
        """The newest `window` matches that pass `where` (id, story_id, at, document).

        `+ 0`: not the primary key backwards, which reads each document whole to test it;
        the GIN index answers without reading them, then the newest are kept. For a phrase,
        the index's matches of its words are tested newest first until the window is full,
        each document read once for the test and the ranking (`ARRAY[document][1]` holds it
        read: the document itself would be read from its TOAST table by each)."""
        i = self.index.c
        filters = filter_clauses(where, i.release_id, i.feed_id, i.at)
        if self.found_by is None:
            return (select(i.release_id.label("id"), i.story_id, i.at, i.document)
                    .where(i.document.op("@@")(self.query), *filters)
                    .order_by((i.release_id + 0).desc()).limit(window)).subquery("candidates")
        newest = (select((i.release_id + 0).label("newest"), i.release_id.label("id"), i.story_id, i.at, i.document)
                  .where(i.document.op("@@")(self.found_by), *filters)
                  .order_by(literal_column("newest").desc())).subquery("matching")
        m = newest.c
        read = (select(m.newest, m.id, m.story_id, m.at, array([m.document])[1].label("document"))
                .order_by(m.newest.desc()).offset(0)).subquery("read")  # OFFSET 0: not merged into the query
        r = read.c
        return (select(r.id, r.story_id, r.at, r.document).where(r.document.op("@@")(self.query))
                .order_by(r.newest.desc()).limit(window)).subquery("candidates")

    def marks(self, session: Session, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        opts = f"StartSel={OPEN}, StopSel={CLOSE}"
        body = func.left(_R.text, SEARCHED_CHARS)
        whole = f"HighlightAll=true, {opts}"
        # a fragment around the words found; a short text whole (a fragment would stop at the hit)
        snippet = case((func.length(body) <= SHORT_TEXT, func.ts_headline(_config(), body, self.query, whole)),
                       else_=func.ts_headline(_config(), body, self.query,
                                              f"{opts}, MaxFragments=1, MaxWords={SNIPPET_WORDS}, MinWords=20"))
        rows = session.execute(
            select(_R.id, func.ts_headline(_config(), _R.title, self.query, whole), snippet,
                   func.left(body, 200).label("head"), func.right(body, 200).label("tail"))
            .where(_R.id.in_(list(ids))))
        return {rid: (title, _ellipses(snippet, head, tail)) for rid, title, snippet, head, tail in rows}

    def ignored(self, session: Session) -> bool:
        """Every word of the query is one PostgreSQL does not index (the, of, and, ...)."""
        return session.scalar(select(func.numnode(self.query))) == 0


def _words(e: Words) -> str:
    """A hyphen joins words into a phrase, as FTS5 reads it ("China-Kazakhstan")."""
    return e.text.replace("-", " ").replace("\u2013", " ").replace("\u2014", " ")


def _has_phrase(e: SearchExpr) -> bool:
    """Some words of `e` may be read as several (anything but letters and digits between them)."""
    if isinstance(e, Words):
        return _NOT_ONE_WORD.search(_words(e).strip()) is not None
    return any(_has_phrase(p) for p in e.parts) or isinstance(e, AllOf) and any(_has_phrase(x) for x in e.excluded)


def _config() -> ColumnElement[Any]:
    return literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig")


def _fold(op: Any, parts: list[ColumnElement[Any]]) -> ColumnElement[Any]:
    q = parts[0]
    for p in parts[1:]:
        q = op(q, p)
    return q


def _ellipses(snippet: str, head: str, tail: str) -> str:
    """ts_headline's fragment with "…" where it cuts the text, as FTS5's snippet has."""
    plain = snippet.replace(OPEN, "").replace(CLOSE, "").strip()
    if not plain:
        return snippet
    start = "" if head.lstrip().startswith(plain[:40]) else "…"
    end = "" if tail.rstrip().endswith(plain[-40:]) else "…"
    return f"{start}{snippet.strip()}{end}"

