"""Every query prwatch runs: the rest of the code calls these and writes no SQL.

Writes for one feed happen in one transaction (the caller's session): releases, their
revisions, topics, figures, milestones, story keys and the feed's fetch state commit
together or not at all, so a crash never leaves half a feed stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from monitor.config import FeedSettings
from monitor.errors import PrwatchError
from monitor.ingest.process import TOMBSTONE, ProcessedEntry, ProcessedFeed
from monitor.analysis.stories import SAME_STORY, Signature, similarity
from monitor.domain import Figure, Milestone
from storage.sql.models import (
    DigestMark,
    DigestRow,
    Feed,
    FetchEvent,
    FigureRow,
    MilestoneRow,
    PollRun,
    Release,
    ReleaseRevision,
    ReleaseTopic,
    StoryKey,
    Tombstone,
    placed,
)


_RELEASES = Release.__table__
_R = _RELEASES.c
_FEEDS = Feed.__table__


@dataclass(frozen=True, slots=True)
class FeedJob:
    """A claimed feed: what a poll needs to fetch it, detached from any session."""

    id: int
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    error_count: int
    full_text: bool


@dataclass(frozen=True, slots=True)
class StoreCounts:
    new: int = 0
    revised: int = 0


# ------------------------------------------------------------------ feeds

SYNC_LOCK, DIGEST_LOCK = 7461234003, 7461234002  # PostgreSQL advisory lock keys (storage.sql.migrate has one)


def sync_config_feeds(session: Session, feeds: Sequence[FeedSettings], now: datetime) -> None:
    """Make the feeds table agree with config.toml. Config wins on a name conflict: a feed
    added by command under the same name takes the config's URL. Feeds removed from the
    config are disabled, not deleted, so their releases stay.

    Every poll calls this; when nothing differs it only reads. On PostgreSQL a change is made
    under a transaction-scoped advisory lock, so daemons starting together with a new config
    do not both insert the same feed."""
    if _config_feeds_in_sync(session, feeds):
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(SYNC_LOCK)))
    existing = {f.name: f for f in session.scalars(select(Feed).execution_options(populate_existing=True))}
    wanted = {f.name for f in feeds}
    for fs in feeds:
        row = existing.get(fs.name)
        if row is None:
            session.add(Feed(name=fs.name, url=fs.url, origin="config", full_text=fs.full_text, enabled=True,
                             error_count=0, created_at=now, tags=list(fs.tags) or None))
            continue
        if row.origin == "config" and row.url != fs.url and row.disabled_reason == "moved permanently":
            continue  # keep a URL a 301/308 taught us until the config itself changes it again
        if row.url != fs.url:
            row.url, row.etag, row.last_modified, row.body_hash = fs.url, None, None, None
            row.next_check_at = None
            if not row.enabled:  # disabled at its old URL (410 Gone): the new one gets a chance
                row.enabled, row.disabled_reason, row.error_count = True, None, 0
        row.origin, row.full_text, row.tags = "config", fs.full_text, list(fs.tags) or None
        if not row.enabled and row.disabled_reason == "removed from config.toml":
            row.enabled, row.disabled_reason = True, None
    for name, row in existing.items():
        if row.origin == "config" and name not in wanted and row.enabled:
            row.enabled, row.disabled_reason = False, "removed from config.toml"


def _config_feeds_in_sync(session: Session, feeds: Sequence[FeedSettings]) -> bool:
    rows = {r.name: r for r in session.execute(select(Feed.name, Feed.url, Feed.origin, Feed.full_text, Feed.enabled,
                                                      Feed.disabled_reason, Feed.tags))}
    wanted = {f.name for f in feeds}
    for fs in feeds:
        r = rows.get(fs.name)
        if r is None or r.origin != "config" or r.full_text != fs.full_text or (r.tags or []) != list(fs.tags):
            return False
        if r.url != fs.url and r.disabled_reason != "moved permanently":
            return False
        if not r.enabled and r.disabled_reason == "removed from config.toml":
            return False
    return not any(r.origin == "config" and r.enabled and name not in wanted for name, r in rows.items())


def add_feed(session: Session, name: str, url: str, full_text: bool, now: datetime,
             tags: Sequence[str] = ()) -> Feed:
    if session.scalar(select(Feed).where(Feed.name == name)) is not None:
        raise PrwatchError(f"a feed named {name!r} already exists")
    if session.scalar(select(Feed).where(Feed.url == url)) is not None:
        raise PrwatchError(f"{url} is already subscribed")
    feed = Feed(name=name, url=url, origin="command", full_text=full_text, enabled=True, error_count=0,
                created_at=now, tags=list(tags) or None)
    session.add(feed)
    session.flush()
    return feed


class NewFeed(NamedTuple):
    """A feed to subscribe by command or import (see add_feeds)."""

    name: str
    url: str
    full_text: bool = False
    tags: Sequence[str] = ()


def add_feeds(session: Session, feeds: Sequence[NewFeed], now: datetime) -> None:
    """Subscribe many feeds in one statement (an OPML import of 50,000 outlines); the caller
    has made names and URLs unique."""
    if feeds:
        session.execute(insert(Feed.__table__), [
            dict(name=f.name, url=f.url, origin="command", full_text=f.full_text, enabled=True, error_count=0,
                 created_at=now, tags=list(f.tags) or None) for f in feeds])


def remove_feed(session: Session, name: str) -> Feed | None:
    feed = session.scalar(select(Feed).where(Feed.name == name))
    if feed is not None:
        session.delete(feed)
    return feed


def list_feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.name)))


def claim_feeds(session: Session, worker: str, now: datetime, *, lease: timedelta, due_only: bool,
                names: Sequence[str] | None = None, limit: int | None = None) -> list[FeedJob]:
    """Claim feeds for this worker under a lease. On PostgreSQL rows are locked with SKIP
    LOCKED, so concurrent daemons never claim the same feed; an expired lease (its holder
    died) makes the feed claimable again."""
    q = select(Feed).where(Feed.enabled.is_(True),
                           or_(Feed.claim_expires_at.is_(None), Feed.claim_expires_at < now))
    if due_only:
        q = q.where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
    if names:
        q = q.where(Feed.name.in_(list(names)))
    q = q.order_by(Feed.next_check_at.is_not(None), Feed.next_check_at, Feed.id)
    if limit:
        q = q.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    rows = list(session.scalars(q))
    if rows:
        session.execute(update(Feed).where(Feed.id.in_([r.id for r in rows]))
                        .values(claimed_by=worker, claim_expires_at=now + lease))
    return [FeedJob(r.id, r.name, r.url, r.etag, r.last_modified, r.body_hash, r.error_count, r.full_text)
            for r in rows]


def release_claims(session: Session, worker: str) -> None:
    session.execute(update(Feed).where(Feed.claimed_by == worker).values(claimed_by=None, claim_expires_at=None))


def renew_claims(session: Session, worker: str, now: datetime, *, lease: timedelta) -> int:
    """Extend the lease of every feed `worker` holds (a live daemon's heartbeat); returns how many."""
    return session.execute(update(Feed).where(Feed.claimed_by == worker, Feed.claim_expires_at >= now)
                           .values(claim_expires_at=now + lease)).rowcount or 0


def release_dead_claims(session: Session, host: str | None = None,
                        alive: Callable[[int], bool] | None = None) -> list[str]:
    """Release the claims held by workers of this host whose process is gone (a daemon or a
    `prwatch fetch` killed mid-poll), instead of waiting for their leases to expire. Worker
    ids are "host:pid:nonce"; workers of other hosts are left to their leases. Returns the
    feed names."""
    host = host or worker_host()
    alive = alive or _pid_alive
    freed = []
    for feed_id, name, holder in session.execute(select(Feed.id, Feed.name, Feed.claimed_by)
                                                 .where(Feed.claimed_by.like(f"{host}:%"))):
        pid = holder[len(host) + 1:].split(":", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            session.execute(update(Feed).where(Feed.id == feed_id, Feed.claimed_by == holder)
                            .values(claimed_by=None, claim_expires_at=None))
            freed.append(name)
    return freed


_KNOWN_RELEASES = select(_R.guid, _R.content_hash, _R.source_hash).where(_R.feed_id == bindparam("feed"))
_KNOWN_TOMBSTONES = select(Tombstone.__table__.c.guid).where(Tombstone.__table__.c.feed_id == bindparam("feed"))


def known_entries(session: Session, feed_id: int) -> tuple[dict[str, str], dict[str, str]]:
    """What a feed's stored releases look like, for the worker that parses its new document:
    guid -> content hash (TOMBSTONE for purged identities), and source hash -> guid."""
    known: dict[str, str] = {}
    sources: dict[str, str] = {}
    for guid, digest, source in session.execute(_KNOWN_RELEASES, {"feed": feed_id}):
        known[guid] = digest
        if source is not None:
            sources[source] = guid
    for guid in session.scalars(_KNOWN_TOMBSTONES, {"feed": feed_id}):
        known[guid] = TOMBSTONE
    return known, sources


def worker_host() -> str:
    """The host part of worker ids: $PRWATCH_HOST, else the host name. Set it where several
    machines (or containers with their own process ids) share a host name."""
    import os
    import socket

    return os.environ.get("PRWATCH_HOST") or socket.gethostname()


def _pid_alive(pid: int) -> bool:
    import os

    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


# ------------------------------------------------------------------ poll results

_CURRENT_IDS = select(_R.guid, _R.id).where(_R.feed_id == bindparam("p_feed"),
                                            _R.guid.in_(bindparam("p_guids", expanding=True)))
_RESTAMP = update(_RELEASES).where(_R.feed_id == bindparam("p_feed"), _R.guid == bindparam("p_guid")) \
    .values(source_hash=bindparam("p_source"))


def save_feed_result(session: Session, job: FeedJob, processed: ProcessedFeed, now: datetime, *,
                     etag: str | None, last_modified: str | None, body_hash: str | None, status: str,
                     next_check_at: datetime, new_url: str | None = None) -> StoreCounts:
    """Store what a fetch brought and the feed's new state, in the caller's transaction."""
    current = dict(session.execute(_CURRENT_IDS, {"p_feed": job.id,
                                                  "p_guids": [e.draft.guid for e in processed.changed]}).all()) \
        if processed.changed else {}
    fresh = [e for e in processed.changed if e.draft.guid not in current]
    revised = [e for e in processed.changed if e.draft.guid in current]
    # a feed's first poll brings its history: digests file it under its past periods, not as news
    backfill = bool(fresh) and not current and session.scalar(_HAS_RELEASES, {"p_feed": job.id}) is None
    # Core inserts (no ORM bookkeeping): releases without analysis in one executemany,
    # those with topics (a minority) with RETURNING, for their ids
    plain: list[ProcessedEntry] = []
    rich: list[ProcessedEntry] = []
    for e in fresh:
        a = e.analysis
        (rich if a.topics or a.figures or a.milestones or e.signature else plain).append(e)
    if plain:
        session.execute(insert(_RELEASES), [_release_values(job.id, e, now, backfill) for e in plain])
    if rich:
        rows = session.execute(
            insert(_RELEASES).returning(_RELEASES.c.id, sort_by_parameter_order=True),
            [_release_values(job.id, e, now, backfill) for e in rich],
        ).scalars().all()
        _store_analysis(session, list(zip(rows, rich, strict=True)))
        _assign_stories(session, [(rid, e) for rid, e in zip(rows, rich, strict=True) if e.signature])
    for e in revised:
        rid = current[e.draft.guid]
        _revise(session, rid, e, now)
    if processed.restamped:
        session.execute(_RESTAMP, [{"p_feed": job.id, "p_guid": guid, "p_source": h}
                                   for guid, h in processed.restamped])
    _mark_success(session, job.id, now, etag=etag, last_modified=last_modified, body_hash=body_hash,
                  status=status, next_check_at=next_check_at, new_url=new_url, warning=processed.warning)
    return StoreCounts(new=len(fresh), revised=len(revised))


def save_not_modified(session: Session, job: FeedJob, now: datetime, *, status: str, next_check_at: datetime,
                      etag: str | None = None, last_modified: str | None = None, new_url: str | None = None) -> None:
    _mark_success(session, job.id, now, etag=etag or job.etag, last_modified=last_modified or job.last_modified,
                  body_hash=job.body_hash, status=status, next_check_at=next_check_at, new_url=new_url, warning=None)


def save_failure(session: Session, job: FeedJob, now: datetime, *, status: str, error: str,
                 next_check_at: datetime, disable: bool = False) -> None:
    values: dict[str, object] = dict(last_fetched_at=now, last_status=status, last_error=error,
                                     error_count=_FEEDS.c.error_count + 1, next_check_at=next_check_at,
                                     claimed_by=None, claim_expires_at=None)
    if disable:
        values.update(enabled=False, disabled_reason=error)
    session.execute(update(_FEEDS).where(_FEEDS.c.id == job.id).values(**values))
    session.execute(insert(FetchEvent.__table__).values(feed_id=job.id, at=now, status=status, error=error))


# Built once: a poll runs these for every feed, and building an UPDATE with a dozen values
# costs more than executing it.
_MARK_SUCCESS = update(_FEEDS).where(_FEEDS.c.id == bindparam("p_feed")).values(
    etag=bindparam("p_etag"), last_modified=bindparam("p_last_modified"), body_hash=bindparam("p_body_hash"),
    last_fetched_at=bindparam("p_now"), last_success_at=bindparam("p_now"), last_status=bindparam("p_status"),
    last_error=bindparam("p_warning"), error_count=0, next_check_at=bindparam("p_next"),
    claimed_by=None, claim_expires_at=None)
_MOVED = update(_FEEDS).where(_FEEDS.c.id == bindparam("p_feed")).values(
    url=bindparam("p_url"), disabled_reason="moved permanently")


def _mark_success(session: Session, feed_id: int, now: datetime, *, etag: str | None, last_modified: str | None,
                  body_hash: str | None, status: str, next_check_at: datetime, new_url: str | None,
                  warning: str | None) -> None:
    session.execute(_MARK_SUCCESS, dict(p_feed=feed_id, p_etag=etag, p_last_modified=last_modified,
                                        p_body_hash=body_hash, p_now=now, p_status=status, p_warning=warning,
                                        p_next=next_check_at))
    if new_url:
        session.execute(_MOVED, dict(p_feed=feed_id, p_url=new_url))


_HAS_RELEASES = select(_R.id).where(_R.feed_id == bindparam("p_feed")).limit(1)


def _release_values(feed_id: int, e: ProcessedEntry, now: datetime, backfill: bool = False) -> dict[str, object]:
    d = e.draft
    return dict(feed_id=feed_id, guid=d.guid, url=d.url, title=d.title, author=d.author,
                published_at=d.published_at, first_seen_at=now, updated_at=now, text=d.text,
                content_hash=e.content_hash, source_hash=e.source_hash, revision=1, signature=e.signature,
                placed_at=placed(d.published_at, now), backfill=backfill)


_ANALYSIS_TABLES = (ReleaseTopic.__table__, FigureRow.__table__, MilestoneRow.__table__)
_DELETE_ANALYSIS = tuple(delete(t).where(t.c.release_id == bindparam("p_rid")) for t in _ANALYSIS_TABLES)
_RELEASE_BEFORE = select(_R.revision, _R.title, _R.text, _R.content_hash, _R.updated_at, _R.story_id) \
    .where(_R.id == bindparam("p_rid"))
_INSERT_REVISION = insert(ReleaseRevision.__table__)
_REVISE = update(_RELEASES).where(_R.id == bindparam("p_rid")).values(
    title=bindparam("p_title"), text=bindparam("p_text"), url=bindparam("p_url"),
    content_hash=bindparam("p_hash"), source_hash=bindparam("p_source"), updated_at=bindparam("p_now"),
    revision=_R.revision + 1,
    published_at=func.coalesce(bindparam("p_published", type_=_R.published_at.type), _R.published_at),
    signature=func.coalesce(bindparam("p_signature", type_=_R.signature.type), _R.signature))


def _revise(session: Session, release_id: int, e: ProcessedEntry, now: datetime) -> None:
    """Keep the stored version as a revision, store the new one, and redo its analysis."""
    old = session.execute(_RELEASE_BEFORE, {"p_rid": release_id}).one()
    session.execute(_INSERT_REVISION, dict(release_id=release_id, revision=old.revision, title=old.title,
                                           text=old.text, content_hash=old.content_hash, seen_at=old.updated_at))
    d = e.draft
    session.execute(_REVISE, dict(p_rid=release_id, p_title=d.title, p_text=d.text, p_url=d.url,
                                  p_hash=e.content_hash, p_source=e.source_hash, p_now=now,
                                  p_published=d.published_at, p_signature=e.signature))
    _delete_analysis(session, release_id)
    _store_analysis(session, [(release_id, e)])
    if e.signature and old.story_id is None:
        _assign_stories(session, [(release_id, e)])


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


def assign_story(session: Session, release_id: int, entry: ProcessedEntry) -> None:
    """Give a stored release (that has no story yet) its story from its signature."""
    _assign_stories(session, [(release_id, entry)])


def measure_key(f: Figure) -> str:
    """kind|unit family|what|period: the digest's novelty key. "What" is the figure's canonical
    measure ("m:trade/cn-kz") when extraction knows it, else its normalised subject, so every
    release that states one measure for one period shares the key whatever its wording."""
    from monitor.analysis.extract import figure_key  # lazily: a poll without topic matches never needs it

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


STORY_CANDIDATES = 500


def _assign_stories(session: Session, pairs: Sequence[tuple[int, ProcessedEntry]]) -> None:
    """Put each release in the story of its nearest stored near-duplicate, or a new story.

    Candidates come from the indexed LSH band keys, so the cost does not grow with the
    number of stored releases; at most STORY_CANDIDATES of them, the most recent (copies of
    one release arrive close together), so a band key that many releases share stays cheap.
    Signatures stored in an older format are skipped rather than failing."""
    for rid, e in pairs:
        story = None
        mine = Signature.from_stored(e.signature)
        if e.band_keys and mine is not None:
            cands = session.execute(
                select(Release.id, Release.story_id, Release.signature)
                .where(Release.id.in_(select(StoryKey.release_id).where(StoryKey.key.in_(e.band_keys))),
                       Release.id != rid, Release.story_id.is_not(None))
                .order_by(Release.id.desc()).limit(STORY_CANDIDATES)
            ).all()
            best = 0.0
            for _cid, cstory, csig in cands:
                theirs = Signature.from_stored(csig)
                if theirs is None:
                    continue
                sim = similarity(mine, theirs)
                if sim >= SAME_STORY and sim > best:
                    best, story = sim, cstory
        if e.band_keys:
            session.execute(insert(StoryKey.__table__), [dict(release_id=rid, key=k) for k in set(e.band_keys)])
        session.execute(update(_RELEASES).where(_R.id == rid).values(story_id=story or rid))


def count_releases_before(session: Session, before: datetime) -> int:
    """How many releases `purge_releases(before)` would delete (for `purge --dry-run`)."""
    return session.scalar(select(func.count()).select_from(Release).where(Release.first_seen_at < before)) or 0


def purge_releases(session: Session, before: datetime) -> int:
    """Delete releases first seen before `before` (their revisions, topics, figures,
    milestones and story keys go with them) and keep a tombstone of each identity, so a
    feed still carrying one never re-ingests it as new. Returns how many were purged."""
    old = session.execute(select(Release.id, Release.feed_id, Release.guid)
                          .where(Release.first_seen_at < before)).all()
    if not old:
        return 0
    now = datetime.now(before.tzinfo)
    session.execute(insert(Tombstone.__table__), [dict(feed_id=f, guid=g, purged_at=now) for _i, f, g in old])
    ids = [i for i, _f, _g in old]
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for model in (ReleaseTopic, FigureRow, MilestoneRow, StoryKey, ReleaseRevision):
            session.execute(delete(model.__table__).where(model.__table__.c.release_id.in_(chunk)))
        session.execute(delete(_RELEASES).where(_RELEASES.c.id.in_(chunk)))
    return len(ids)


# ------------------------------------------------------------------ poll runs and status

def start_poll_run(session: Session, worker: str, now: datetime, kind: str = "fetch") -> int:
    """Record a poll's start; `kind` is "daemon" for `prwatch run` and "fetch" for a one-off."""
    run = PollRun(worker=worker, started_at=now, feeds=0, failed=0, new=0, revised=0, kind=kind)
    session.add(run)
    session.flush()
    return run.id


POLL_RUNS_KEPT = timedelta(days=30)
EMPTY_POLL_RUNS_KEPT = timedelta(hours=1)  # a daemon ticks every minute: its empty runs are only heartbeats


def finish_poll_run(session: Session, run_id: int, now: datetime, *, feeds: int, failed: int, new: int,
                    revised: int) -> None:
    session.execute(update(PollRun).where(PollRun.id == run_id).values(
        finished_at=now, feeds=feeds, failed=failed, new=new, revised=revised))
    session.execute(delete(PollRun).where(or_(PollRun.started_at < now - POLL_RUNS_KEPT,
                                              and_(PollRun.feeds == 0, PollRun.started_at < now - EMPTY_POLL_RUNS_KEPT))))


def active_workers(session: Session, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
    """(worker, last finished poll) of every worker (daemons by default) that finished a poll since `since`."""
    q = select(PollRun.worker, func.max(PollRun.finished_at)).where(PollRun.finished_at >= since)
    if kind:
        q = q.where(PollRun.kind == kind)
    return [(w, at) for w, at in session.execute(q.group_by(PollRun.worker).order_by(PollRun.worker))]


def last_poll_run(session: Session, *, finished: bool = True, kind: str | None = None) -> PollRun | None:
    """The latest poll run (finished ones by default; of one kind, "daemon" or "fetch", if given)."""
    q = select(PollRun)
    if finished:
        q = q.where(PollRun.finished_at.is_not(None))
    if kind:
        q = q.where(PollRun.kind == kind)
    return session.scalar(q.order_by(PollRun.started_at.desc()).limit(1))


def feed_failures(session: Session, start: datetime, end: datetime) -> list[tuple[str, int, str]]:
    """(feed name, failures, last error) for feeds that failed in [start, end)."""
    rows = session.execute(
        select(Feed.name, func.count(FetchEvent.id), func.max(FetchEvent.at))
        .join(FetchEvent, FetchEvent.feed_id == Feed.id)
        .where(FetchEvent.at >= start, FetchEvent.at < end)
        .group_by(Feed.name).order_by(Feed.name)
    ).all()
    out = []
    for name, count, _last in rows:
        err = session.scalar(select(FetchEvent.error).join(Feed, Feed.id == FetchEvent.feed_id)
                             .where(Feed.name == name, FetchEvent.at >= start, FetchEvent.at < end)
                             .order_by(FetchEvent.at.desc()).limit(1))
        out.append((name, int(count), err or ""))
    return out


# ------------------------------------------------------------------ digests

def topic_releases(session: Session, topic_id: str, start: datetime, end: datetime) -> list[Release]:
    """Releases of a topic placed in [start, end) (published then, see Release.placed_at),
    oldest first."""
    return list(session.scalars(
        select(Release)
        .join(ReleaseTopic, ReleaseTopic.release_id == Release.id)
        .where(ReleaseTopic.topic_id == topic_id, Release.placed_at >= start, Release.placed_at < end)
        .order_by(Release.placed_at, Release.id)
    ))


def arrived_late(session: Session, topic_id: str, start: datetime, end: datetime) -> list[Release]:
    """Releases of a topic first seen in [start, end) that belong to an earlier period (published
    before `start`), except a feed's first poll (its history is not news), oldest first."""
    return list(session.scalars(
        select(Release)
        .join(ReleaseTopic, ReleaseTopic.release_id == Release.id)
        .where(ReleaseTopic.topic_id == topic_id, Release.first_seen_at >= start, Release.first_seen_at < end,
               Release.placed_at < start, Release.backfill.is_(False))
        .order_by(Release.placed_at, Release.id)
    ))


def placed_since(session: Session, since: datetime) -> list[tuple[str, datetime]]:
    """(topic, placed_at) of the topic releases stored or revised at or after `since`: the
    periods whose digests a poll changed."""
    return [(t, p) for t, p in session.execute(
        select(ReleaseTopic.topic_id, Release.placed_at).distinct()
        .join(Release, Release.id == ReleaseTopic.release_id)
        .where(Release.updated_at >= since))]


def releases_of_stories(session: Session, story_ids: Iterable[int], topic_id: str) -> list[Release]:
    """Every release of the topic in these stories, whenever it was first seen."""
    ids = list(set(story_ids))
    if not ids:
        return []
    return list(session.scalars(
        select(Release).join(ReleaseTopic, ReleaseTopic.release_id == Release.id)
        .where(Release.story_id.in_(ids), ReleaseTopic.topic_id == topic_id)))


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
                           series_keys: Iterable[str] = ()) -> list[Any]:
    """For these measures, and every measure of these series (a measure without its period),
    and every feed, the latest figure the topic's releases placed before `before` stated,
    oldest first.

    One row per (measure, feed) however often it was repeated, and plain columns (no release
    text, no ORM objects), so the cost follows the number of distinct measures asked for."""
    groups = [(FigureRow.measure_key, sorted(set(measure_keys))), (FigureRow.series_key, sorted(set(series_keys)))]
    rows: dict[tuple[str, int], Any] = {}
    for column, keys in groups:
        for k in range(0, len(keys), _IN_CHUNK):
            for r in session.execute(_latest_by_feed(topic_id, column.in_(keys[k:k + _IN_CHUNK]), before)):
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


def earlier_milestone_keys(session: Session, topic_id: str, keys: Sequence[str], before: datetime) -> set[str]:
    """Which of these event keys the topic's releases placed before `before` (published earlier) stated."""
    if not keys:
        return set()
    return set(session.scalars(
        select(MilestoneRow.event_key).distinct()
        .join(Release, Release.id == MilestoneRow.release_id)
        .where(MilestoneRow.event_key.in_(sorted(set(keys))), Release.placed_at < before,
               _of_topic(topic_id, MilestoneRow.release_id))))


def record_digest(session: Session, *, topic_id: str, kind: str, key: str, path: str, content_hash: str,
                  summary: str, now: datetime) -> None:
    """Remember a written digest; `generated_at` moves only when its content or place changed."""
    row = session.scalar(select(DigestRow).where(DigestRow.topic_id == topic_id, DigestRow.period_key == key))
    if row is None:
        session.add(DigestRow(topic_id=topic_id, period=kind, period_key=key, path=path, content_hash=content_hash,
                              summary=summary, generated_at=now))
    elif (row.content_hash, row.path) != (content_hash, path):
        row.content_hash, row.path, row.summary, row.generated_at = content_hash, path, summary, now
    elif row.summary != summary:
        row.summary = summary


def digests_written_through(session: Session) -> datetime | None:
    """Before when every stored release's period has been written by a finished digest run."""
    return session.scalar(select(DigestMark.written_through).where(DigestMark.id == 1))


def mark_digests_written(session: Session, through: datetime) -> None:
    """Record that every release stored before `through` is in the digests (never moves back)."""
    mark = session.get(DigestMark, 1)
    if mark is None:
        session.add(DigestMark(id=1, written_through=through))
    elif mark.written_through < through:
        mark.written_through = through


def all_digests(session: Session) -> list[DigestRow]:
    """Every digest prwatch wrote, newest generation first."""
    return list(session.scalars(select(DigestRow).order_by(DigestRow.generated_at.desc(), DigestRow.id.desc())))
