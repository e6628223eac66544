"""Releases and their revisions: one row per identity a feed gives, earlier contents kept.

Writes for one feed happen in one transaction: releases, their revisions, topics, figures,
milestones, story keys and the feed's fetch state commit together or not at all, so a crash
never leaves half a feed stored. The statements a poll runs for every feed are Core
statements built once (no ORM bookkeeping).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, delete, func, insert, select, update

from monitor.domain import TOMBSTONE, ListedRelease, ProcessedEntry, ReleaseRecord
from storage.sql.bind import SqlBind
from storage.sql.tables import (
    FEEDS,
    FIGURES,
    MILESTONES,
    NEAR_MISSES,
    RELEASE_REVISIONS,
    RELEASE_TOPICS,
    RELEASES,
    STORY_KEYS,
    TOMBSTONES,
    placed,
)

if TYPE_CHECKING:
    from storage.sql.models import Release

_RELEASES = RELEASES
_R = _RELEASES.c
_TOPICS = RELEASE_TOPICS
_FEEDS = FEEDS
_IN_CHUNK = 500  # ids per IN list
# a ListedRelease's columns, in its order
_LISTED = select(_R.id, _R.feed_id, _FEEDS.c.name, _R.url, _R.title, _R.published_at, _R.first_seen_at, _R.placed_at,
                 _R.revision, _R.story_id, _R.analysis_note).join(_FEEDS, _FEEDS.c.id == _R.feed_id)
_KNOWN_RELEASES = select(_R.guid, _R.content_hash, _R.source_hash).where(_R.feed_id == bindparam("feed"))
_KNOWN_TOMBSTONES = select(TOMBSTONES.c.guid).where(TOMBSTONES.c.feed_id == bindparam("feed"))
_CURRENT_IDS = select(_R.guid, _R.id).where(_R.feed_id == bindparam("p_feed"),
                                            _R.guid.in_(bindparam("p_guids", expanding=True)))
_HAS_RELEASES = select(_R.id).where(_R.feed_id == bindparam("p_feed")).limit(1)
_PURGED = select(TOMBSTONES.c.guid).where(TOMBSTONES.c.feed_id == bindparam("p_feed"),
                                                   TOMBSTONES.c.guid.in_(bindparam("p_guids", expanding=True)))
_RESTAMP = update(_RELEASES).where(_R.feed_id == bindparam("p_feed"), _R.guid == bindparam("p_guid")) \
    .values(source_hash=bindparam("p_source"))
_RELEASE_BEFORE = select(_R.revision, _R.title, _R.text, _R.content_hash, _R.updated_at, _R.story_id) \
    .where(_R.id == bindparam("p_rid"))
_INSERT_REVISION = insert(RELEASE_REVISIONS)
_REVISE = update(_RELEASES).where(_R.id == bindparam("p_rid")).values(
    title=bindparam("p_title"), text=bindparam("p_text"), url=bindparam("p_url"),
    content_hash=bindparam("p_hash"), source_hash=bindparam("p_source"), updated_at=bindparam("p_now"),
    revision=_R.revision + 1, analysis_note=bindparam("p_note"),
    published_at=func.coalesce(bindparam("p_published", type_=_R.published_at.type), _R.published_at),
    signature=func.coalesce(bindparam("p_signature", type_=_R.signature.type), _R.signature))


class SqlReleases:
    """storage.port.ReleaseStore on SQLAlchemy: Core statements, and the ORM session of the
    transaction for storing analysis and reading whole releases."""

    def __init__(self, bind: SqlBind) -> None:
        self._s = bind

    def known(self, feed_id: int) -> tuple[dict[str, str], dict[str, str]]:
        known: dict[str, str] = {}
        sources: dict[str, str] = {}
        for guid, digest, source in self._s.execute(_KNOWN_RELEASES, {"feed": feed_id}):
            known[guid] = digest
            if source is not None:
                sources[source] = guid
        for guid in self._s.scalars(_KNOWN_TOMBSTONES, {"feed": feed_id}):
            known[guid] = TOMBSTONE
        return known, sources

    def ids(self, feed_id: int, guids: Sequence[str]) -> dict[str, int]:
        if not guids:
            return {}
        return {g: i for g, i in self._s.execute(_CURRENT_IDS, {"p_feed": feed_id, "p_guids": list(guids)})}

    def purged(self, feed_id: int, guids: Sequence[str]) -> set[str]:
        if not guids:
            return set()
        return set(self._s.scalars(_PURGED, {"p_feed": feed_id, "p_guids": list(guids)}))

    def is_first_of(self, feed_id: int) -> bool:
        return self._s.scalar(_HAS_RELEASES, {"p_feed": feed_id}) is None

    def add(self, feed_id: int, entries: Sequence[ProcessedEntry], now: datetime, *, backfill: bool,
            all_ids: bool = False) -> list[int | None]:
        """Releases without analysis go in one executemany; those with it (a minority), and
        all when `all_ids`, with RETURNING for their ids."""
        returned = [e for e in entries if all_ids or e.analysed]
        plain = [e for e in entries if not (all_ids or e.analysed)]
        if plain:
            self._s.execute(insert(_RELEASES), [_release_values(feed_id, e, now, backfill) for e in plain])
        ids: dict[int, int] = {}
        if returned:
            rows = self._s.execute(
                insert(_RELEASES).returning(_R.id, sort_by_parameter_order=True),
                [_release_values(feed_id, e, now, backfill) for e in returned],
            ).scalars().all()
            pairs = list(zip(rows, returned, strict=True))
            from storage.sql.analysis import store_analysis

            store_analysis(self._s.session, [(rid, e) for rid, e in pairs if e.analysed])
            ids = {id(e): rid for rid, e in pairs}
        return [ids.get(id(e)) for e in entries]

    def revise(self, release_id: int, entry: ProcessedEntry, now: datetime) -> int | None:
        old = self._s.execute(_RELEASE_BEFORE, {"p_rid": release_id}).one()
        self._s.execute(_INSERT_REVISION, dict(release_id=release_id, revision=old.revision, title=old.title,
                                               text=old.text, content_hash=old.content_hash, seen_at=old.updated_at))
        d = entry.draft
        self._s.execute(_REVISE, dict(p_rid=release_id, p_title=d.title, p_text=d.text, p_url=d.url,
                                      p_hash=entry.content_hash, p_source=entry.source_hash, p_now=now,
                                      p_published=d.published_at, p_signature=entry.signature,
                                      p_note=entry.analysis_note))
        from storage.sql.analysis import delete_analysis, store_analysis

        delete_analysis(self._s.session, release_id)
        store_analysis(self._s.session, [(release_id, entry)])
        return old.story_id  # type: ignore[no-any-return]

    def restamp(self, feed_id: int, sources: Sequence[tuple[str, str]]) -> None:
        if sources:
            self._s.execute(_RESTAMP, [{"p_feed": feed_id, "p_guid": guid, "p_source": h} for guid, h in sources])

    def batch_after(self, after_id: int, limit: int) -> list[ReleaseRecord]:
        from storage.sql.models import Release

        return [_stored(r) for r in self._s.session.scalars(
            select(Release).where(Release.id > after_id).order_by(Release.id).limit(limit))]

    def set_signature(self, release_id: int, signature: bytes) -> None:
        self._s.execute(update(_RELEASES).where(_R.id == release_id).values(signature=signature))

    def count_before(self, before: datetime) -> int:
        self._s.autoflush()
        return self._s.scalar(select(func.count()).select_from(_RELEASES).where(_R.first_seen_at < before)) or 0

    def purge(self, before: datetime, now: datetime) -> int:
        """Their revisions, topics, near misses, figures, milestones and story keys go with them; a tombstone
        of each identity stays, so a feed still carrying one never re-ingests it as new."""
        self._s.autoflush()
        old = self._s.execute(select(_R.id, _R.feed_id, _R.guid).where(_R.first_seen_at < before)).all()
        if not old:
            return 0
        self._s.execute(insert(TOMBSTONES), [dict(feed_id=f, guid=g, purged_at=now) for _i, f, g in old])
        ids = [i for i, _f, _g in old]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for t in (RELEASE_TOPICS, NEAR_MISSES, FIGURES, MILESTONES, STORY_KEYS, RELEASE_REVISIONS):
                self._s.execute(delete(t).where(t.c.release_id.in_(chunk)))
            self._s.execute(delete(_RELEASES).where(_R.id.in_(chunk)))
        return len(ids)

    def of_topic(self, topic_id: str, start: datetime, end: datetime) -> list[ListedRelease]:
        """Placed in [start, end): published then (see Release.placed_at)."""
        return self._listed(_LISTED.join(_TOPICS, _TOPICS.c.release_id == _R.id)
                             .where(_TOPICS.c.topic_id == topic_id, _R.placed_at >= start, _R.placed_at < end)
                             .order_by(_R.placed_at, _R.id))

    def arrived_late(self, topic_id: str, start: datetime, end: datetime) -> list[ListedRelease]:
        """Except a feed's first poll: its history is not news."""
        return self._listed(_LISTED.join(_TOPICS, _TOPICS.c.release_id == _R.id)
                             .where(_TOPICS.c.topic_id == topic_id, _R.first_seen_at >= start, _R.first_seen_at < end,
                                    _R.placed_at < start, _R.backfill.is_(False))
                             .order_by(_R.placed_at, _R.id))

    def placed_since(self, since: datetime) -> list[tuple[str, datetime]]:
        """The periods whose digests a poll changed (a near miss changes the footer's count)."""
        found: set[tuple[str, datetime]] = set()
        self._s.autoflush()
        for table in (RELEASE_TOPICS, NEAR_MISSES):
            found.update((t, p) for t, p in self._s.execute(
                select(table.c.topic_id, _R.placed_at).distinct()
                .join(_RELEASES, _R.id == table.c.release_id)
                .where(_R.updated_at >= since)) if p is not None)
        return sorted(found)

    def of_stories(self, story_ids: Iterable[int], topic_id: str) -> list[ListedRelease]:
        ids = sorted(set(story_ids))
        out: list[ListedRelease] = []
        for k in range(0, len(ids), _IN_CHUNK):
            out += self._listed(_LISTED.join(_TOPICS, _TOPICS.c.release_id == _R.id)
                                .where(_R.story_id.in_(ids[k:k + _IN_CHUNK]), _TOPICS.c.topic_id == topic_id))
        return out

    def texts(self, release_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(release_ids))
        out: dict[int, str] = {}
        for k in range(0, len(ids), _IN_CHUNK):
            rows = self._s.execute(select(_R.id, _R.text).where(_R.id.in_(ids[k:k + _IN_CHUNK])))
            out.update((i, t) for i, t in rows)  # not the result itself: it has keys(), dict would read it as a mapping
        return out

    def _listed(self, query: Any) -> list[ListedRelease]:
        """Plain rows, not ORM objects: a month's digest reads tens of thousands."""
        return [ListedRelease(*r) for r in self._s.execute(query)]


def _release_values(feed_id: int, e: ProcessedEntry, now: datetime, backfill: bool) -> dict[str, object]:
    d = e.draft
    return dict(feed_id=feed_id, guid=d.guid, url=d.url, title=d.title, author=d.author,
                published_at=d.published_at, first_seen_at=now, updated_at=now, text=d.text,
                content_hash=e.content_hash, source_hash=e.source_hash, revision=1, signature=e.signature,
                placed_at=placed(d.published_at, now), backfill=backfill, analysis_note=e.analysis_note)


def _stored(r: Release) -> ReleaseRecord:
    return ReleaseRecord(r.id, r.feed_id, r.feed.name, r.guid, r.url, r.title, r.text, r.author, r.published_at,
                         r.first_seen_at, r.placed_at, r.revision, r.story_id, r.content_hash, r.signature)
