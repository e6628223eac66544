"""Storing what a poll brought, through the store's port: one feed in one transaction.

Which entries are new and which are revisions, which story a new release joins, and whether
a feed's first poll is its history (backfill) are decided here; the store only writes. The
listeners of stored releases (monitor.ingest.events) are told last, in the same transaction.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone

from monitor.analysis.stories import Signature, place
from monitor.domain import FeedJob, FetchSucceeded, ProcessedEntry, ProcessedFeed, StoreCounts, StoredEntry, StoredRelease
from monitor.ingest.events import NO_EVENTS, ReleaseEvents
from storage.port import Transaction

log = logging.getLogger("prwatch.poll")


def store_fetched(tx: Transaction, job: FeedJob, processed: ProcessedFeed, now: datetime, state: FetchSucceeded,
                  events: ReleaseEvents = NO_EVENTS, poll_run: int | None = None) -> StoreCounts:
    """Store a fetched feed's new and revised releases, their analysis and stories, and the
    feed's new state (`state`; the parse's warning is added); then tell the listeners."""
    changed = processed.changed
    current = tx.releases.ids(job.id, [e.draft.guid for e in changed])
    # identities purged since the worker read the feed's known entries (a `purge` while this
    # poll ran) stay purged; read after `current`, so a purge committed in between shows here
    purged = tx.releases.purged(job.id, [e.draft.guid for e in changed if e.draft.guid not in current])
    fresh = [e for e in changed if e.draft.guid not in current and e.draft.guid not in purged]
    revised = [e for e in changed if e.draft.guid in current]
    # a feed's first poll brings its history: digests file it under its past periods, not as news
    backfill = bool(fresh) and not current and tx.releases.is_first_of(job.id)
    ids = tx.releases.add(job.id, fresh, now, backfill=backfill, all_ids=bool(events))
    stored = [StoredEntry(rid, e, backfill=backfill) for rid, e in zip(ids, fresh, strict=True) if rid is not None]
    for rid, e in zip(ids, fresh, strict=True):
        if rid is not None and e.signature:
            place_in_story(tx, rid, e)
    for e in revised:
        rid = current[e.draft.guid]
        if events:
            stored.append(StoredEntry(rid, e, tx.analysis.of_release(rid)))  # read before it is overwritten
        if tx.releases.revise(rid, e, now) is None and e.signature:
            place_in_story(tx, rid, e)
    tx.releases.restamp(job.id, processed.restamped)
    tx.feeds.record_success(job.id, now, replace(state, warning=processed.warning))
    if events and stored:
        _tell(tx, events, job, [StoredRelease(s.release_id, job.id, job.name, s.entry.draft, s.entry.analysis, now,
                                              revised=s.earlier is not None, earlier=s.earlier,
                                              first_poll=s.backfill, poll_run=poll_run) for s in stored])
    return StoreCounts(new=len(fresh), revised=len(revised), stored=tuple(stored) if events else ())


def _tell(tx: Transaction, events: ReleaseEvents, job: FeedJob, stored: list[StoredRelease]) -> None:
    for listener in events:
        try:
            with tx.savepoint():  # a failing listener loses only its own writes
                listener(tx, stored)
        except Exception:  # noqa: BLE001 - the releases are stored whatever a listener does
            log.exception("feed %s: a listener of stored releases failed (%s); the releases are stored",
                          job.name, getattr(listener, "__name__", type(listener).__name__))


def place_in_story(tx: Transaction, release_id: int, entry: ProcessedEntry) -> None:
    """Put a stored release in the story of every stored release it is a copy of (merging
    those stories), or a story of its own: monitor.analysis.stories.place decides, over the
    store's index of story keys."""
    mine = Signature.from_stored(entry.signature)
    if mine is None or not mine.size:
        tx.stories.assign(release_id, release_id, ())
        return
    now = datetime.now(timezone.utc)
    published = entry.draft.published_at
    place(tx.stories, release_id, mine, published if published is not None and published <= now else now)
