"""One poll: claim the feeds that are due (or asked for), run them through the pipeline
(monitor.ingest.pipeline), then record the run and give the claims back. A daemon passes the
worker pool and fetcher it keeps for its life (monitor.ingest.resources); a one-off poll makes
its own and closes them. A poll that claimed no feed runs no pipeline, and does not import
it (asyncio, the fetcher, the workers): a `prwatch fetch` with nothing due is mostly start-up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from monitor.config import Settings
from monitor.domain import FeedJob
from monitor.errors import StorageError
from monitor.ingest.events import NO_EVENTS, ReleaseEvents
from monitor.ingest.outcomes import STOP_GRACE_SECONDS, FeedOutcome, PollReport, utcnow
from monitor.ingest.subscriptions import sync_config_feeds
from monitor.ingest.workers import release_dead_claims, worker_id
from storage.port import Store, Transaction

if TYPE_CHECKING:
    from monitor.ingest.resources import PollResources

log = logging.getLogger("prwatch.poll")


def poll(store: Store, settings: Settings, *, due_only: bool = False, names: Sequence[str] | None = None,
         on_claimed: Callable[[int], None] | None = None, on_done: Callable[[FeedOutcome], None] | None = None,
         should_stop: Callable[[], bool] | None = None, worker: str | None = None, limit: int | None = None,
         stop_grace: float = STOP_GRACE_SECONDS, kind: str = "fetch",
         events: ReleaseEvents = NO_EVENTS, resources: PollResources | None = None,
         refill: bool = False) -> PollReport:
    """Poll the configured feeds once (all of them, the due ones, or those named; at most
    `limit`). Once `should_stop()` turns true no feed is started, and feeds still in flight
    `stop_grace` seconds later are cancelled: nothing of theirs is stored, their claims are
    released. `kind` is recorded with the run: "daemon" for `prwatch run`, "fetch" for a one-off,
    so status judges health by the daemons alone. `events` are told of every stored release
    inside its feed's transaction (monitor.ingest.events). `resources` (workers, fetcher) are
    the caller's to close; without them the poll makes its own. With `refill` (and a `limit`),
    the poll claims `limit` more feeds whenever its last ones are in flight, until nothing more
    is due: a daemon's round is one poll whose batches overlap."""
    worker = worker or worker_id()
    started = utcnow()
    lease = timedelta(minutes=settings.poll.lease_minutes)
    try:
        with store.transaction() as tx:
            sync_config_feeds(tx, settings.feeds, started)
            freed = release_dead_claims(tx)  # claims of a killed prwatch on this host: no need to wait for the lease
            tx.claims.release(worker)  # a daemon's own, if the end of its last poll could not be written
            run_id = tx.polls.start(worker, started, kind)
            jobs = tx.claims.claim(worker, started, lease=lease, due_only=due_only, names=names, limit=limit)
    except StorageError as e:
        raise StorageError(f"cannot start a poll: {e}") from e
    if freed:
        log.info("released %d feeds claimed by a prwatch process of this host that is gone", len(freed))
    if on_claimed:
        on_claimed(len(jobs))
    report = PollReport(worker=worker, started_at=started, run_id=run_id)
    released = False
    own = resources is None and bool(jobs)  # no feed claimed: no pipeline, no workers, no fetcher
    if own:
        from monitor.ingest.resources import PollResources

        resources = PollResources(settings)
    try:
        if jobs and resources is not None:  # a cycle of no feed returns at once, even a refilling one
            more = _next_batch(worker, lease, due_only, names, limit) if refill and limit else None
            _run_cycle(store, settings, jobs, report, resources, on_done, should_stop or (lambda: False),
                       stop_grace, events, more, limit or 0)
        report.finished_at = utcnow()
        try:
            with store.transaction() as tx:
                tx.claims.release(worker)
                tx.polls.finish(run_id, report.finished_at, feeds=len(report.outcomes), failed=report.failed,
                                new=report.new, revised=report.revised)
            released = True
        except StorageError as e:  # what each feed stored is committed; its claims expire with the lease
            report.unfinished = str(e)
            log.error("could not record the end of the poll: %s", report.unfinished)
            released = True  # the same database would refuse the release below too
        if report.new or report.revised:  # else nothing waits that a search would not index itself
            _index_for_search(store)
    finally:
        if own and resources is not None:
            resources.close()
        if not released and jobs:  # Ctrl-C or an error: the feeds not stored are due again at once
            try:
                with store.transaction() as tx:
                    tx.claims.release(worker)
            except Exception:  # noqa: BLE001 - the leases expire anyway
                log.warning("could not release the claims of %s; they expire with their lease", worker)
    return report


def _run_cycle(store: Store, settings: Settings, jobs: list[FeedJob], report: PollReport, resources: PollResources,
               on_done: Callable[[FeedOutcome], None] | None, should_stop: Callable[[], bool], stop_grace: float,
               events: ReleaseEvents, more: Callable[[Transaction], list[FeedJob]] | None, batch: int) -> None:
    """Run the claimed `jobs` through the pipeline; returns once every write of the cycle has
    committed (leaving the block waits for the DB thread)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from monitor.ingest.pipeline import Cycle

    resources.workers.start(len(jobs))  # before the event loop and the DB thread: see WorkerPool
    with ThreadPoolExecutor(1, thread_name_prefix="prwatch-db") as db:
        cycle = Cycle(store, settings, resources, db, on_done, should_stop, report, events)
        cycle.stop_grace = stop_grace
        asyncio.run(cycle.run(jobs, more, batch))


def _index_for_search(store: Store) -> None:
    """The releases of every feed of the poll at once (see SearchStore.index_waiting); if that
    fails, the next poll or search does it."""
    try:
        with store.transaction() as tx:
            tx.search.index_waiting()
    except StorageError as e:
        log.warning("the search index was not brought up to date (the next poll or search will): %s", e)


def _next_batch(worker: str, lease: timedelta, due_only: bool, names: Sequence[str] | None,
                limit: int) -> Callable[[Transaction], list[FeedJob]]:
    """The claim of a refilling poll's next batch, as a unit of work for its DB thread."""
    def claim(tx: Transaction) -> list[FeedJob]:
        return tx.claims.claim(worker, utcnow(), lease=lease, due_only=due_only, names=names, limit=limit)
    return claim
