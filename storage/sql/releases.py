"""Releases and their revisions: one row per identity a feed gives, earlier contents kept.

Writes for one feed happen in one transaction (the caller's session): releases, their
revisions, topics, figures, milestones, story keys and the feed's fetch state commit
together or not at all, so a crash never leaves half a feed stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from monitor.domain import TOMBSTONE, FeedJob, ProcessedEntry, ProcessedFeed, StoreCounts, StoredEntry
from storage.sql.analysis import _delete_analysis, _store_analysis, stored_analysis
from storage.sql.feeds import _mark_success
from storage.sql.models import (
    FigureRow,
    MilestoneRow,
    Release,
    ReleaseRevision,
    ReleaseTopic,
    StoryKey,
    Tombstone,
    placed,
)
from storage.sql.stories import _assign_stories

_RELEASES = Release.__table__
_R = _RELEASES.c


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


_CURRENT_IDS = select(_R.guid, _R.id).where(_R.feed_id == bindparam("p_feed"),
                                            _R.guid.in_(bindparam("p_guids", expanding=True)))


_PURGED = select(Tombstone.__table__.c.guid).where(Tombstone.__table__.c.feed_id == bindparam("p_feed"),
                                                   Tombstone.__table__.c.guid.in_(bindparam("p_guids", expanding=True)))
_RESTAMP = update(_RELEASES).where(_R.feed_id == bindparam("p_feed"), _R.guid == bindparam("p_guid")) \
    .values(source_hash=bindparam("p_source"))


def save_feed_result(session: Session, job: FeedJob, processed: ProcessedFeed, now: datetime, *,
                     etag: str | None, last_modified: str | None, body_hash: str | None, status: str,
                     next_check_at: datetime, new_url: str | None = None,
                     report_stored: bool = False) -> StoreCounts:
    """Store what a fetch brought and the feed's new state, in the caller's transaction.

    With `report_stored`, the counts also list every release stored (its id; for a revision
    the analysis it had before), for the poll's listeners; without, plain releases are
    inserted without asking their ids back, which is cheaper."""
    current = dict(session.execute(_CURRENT_IDS, {"p_feed": job.id,
                                                  "p_guids": [e.draft.guid for e in processed.changed]}).all()) \
        if processed.changed else {}
    # identities purged since the worker read the feed's known entries (a `purge` while this
    # poll ran) stay purged; read after `current`, so a purge committed in between shows here
    missing = [e.draft.guid for e in processed.changed if e.draft.guid not in current]
    purged = set(session.scalars(_PURGED, {"p_feed": job.id, "p_guids": missing})) if missing else set()
    fresh = [e for e in processed.changed if e.draft.guid not in current and e.draft.guid not in purged]
    revised = [e for e in processed.changed if e.draft.guid in current]
    # a feed's first poll brings its history: digests file it under its past periods, not as news
    backfill = bool(fresh) and not current and session.scalar(_HAS_RELEASES, {"p_feed": job.id}) is None
    # Core inserts (no ORM bookkeeping): releases without analysis in one executemany,
    # those with topics (a minority) with RETURNING, for their ids
    plain: list[ProcessedEntry] = []
    rich: list[ProcessedEntry] = []
    for e in fresh:
        a = e.analysis
        (rich if report_stored or a.topics or a.figures or a.milestones or e.signature else plain).append(e)
    if plain:
        session.execute(insert(_RELEASES), [_release_values(job.id, e, now, backfill) for e in plain])
    if rich:
        rows = session.execute(
            insert(_RELEASES).returning(_RELEASES.c.id, sort_by_parameter_order=True),
            [_release_values(job.id, e, now, backfill) for e in rich],
        ).scalars().all()
        _store_analysis(session, list(zip(rows, rich, strict=True)))
        _assign_stories(session, [(rid, e) for rid, e in zip(rows, rich, strict=True) if e.signature])
    stored = [StoredEntry(rid, e, backfill=backfill) for rid, e in zip(rows, rich, strict=True)] \
        if rich and report_stored else []
    for e in revised:
        rid = current[e.draft.guid]
        if report_stored:
            stored.append(StoredEntry(rid, e, stored_analysis(session, rid)))
        _revise(session, rid, e, now)
    if processed.restamped:
        session.execute(_RESTAMP, [{"p_feed": job.id, "p_guid": guid, "p_source": h}
                                   for guid, h in processed.restamped])
    _mark_success(session, job.id, now, etag=etag, last_modified=last_modified, body_hash=body_hash,
                  status=status, next_check_at=next_check_at, new_url=new_url, warning=processed.warning)
    return StoreCounts(new=len(fresh), revised=len(revised), stored=tuple(stored))


_HAS_RELEASES = select(_R.id).where(_R.feed_id == bindparam("p_feed")).limit(1)


def _release_values(feed_id: int, e: ProcessedEntry, now: datetime, backfill: bool = False) -> dict[str, object]:
    d = e.draft
    return dict(feed_id=feed_id, guid=d.guid, url=d.url, title=d.title, author=d.author,
                published_at=d.published_at, first_seen_at=now, updated_at=now, text=d.text,
                content_hash=e.content_hash, source_hash=e.source_hash, revision=1, signature=e.signature,
                placed_at=placed(d.published_at, now), backfill=backfill, analysis_note=e.analysis_note)


_RELEASE_BEFORE = select(_R.revision, _R.title, _R.text, _R.content_hash, _R.updated_at, _R.story_id) \
    .where(_R.id == bindparam("p_rid"))


_INSERT_REVISION = insert(ReleaseRevision.__table__)


_REVISE = update(_RELEASES).where(_R.id == bindparam("p_rid")).values(
    title=bindparam("p_title"), text=bindparam("p_text"), url=bindparam("p_url"),
    content_hash=bindparam("p_hash"), source_hash=bindparam("p_source"), updated_at=bindparam("p_now"),
    revision=_R.revision + 1, analysis_note=bindparam("p_note"),
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
                                  p_published=d.published_at, p_signature=e.signature, p_note=e.analysis_note))
    _delete_analysis(session, release_id)
    _store_analysis(session, [(release_id, e)])
    if e.signature and old.story_id is None:
        _assign_stories(session, [(release_id, e)])


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

