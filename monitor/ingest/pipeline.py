"""The pipeline that runs one poll's feeds: fetch -> decide -> parse and analyse -> decide ->
store -> tell the listeners, each feed on its own, all concurrently.

Three kinds of work, each where it belongs: network I/O on one asyncio loop (monitor.ingest.fetch),
parsing and analysis in worker processes (CPU-bound; one per core), and database writes in
one dedicated thread (the store is written by one connection at a time, never across a
network wait). What to do with a feed is decided by monitor.ingest.decide, without I/O; this
module only carries the intents out. A broken feed is recorded on that feed and the cycle
goes on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from monitor.config import Settings
from monitor.domain import FeedJob, FetchFailed, FetchSucceeded, ProcessedEntry, ProcessedFeed
from monitor.errors import FetchError, ParseError, StorageError
from monitor.ingest import decide
from monitor.ingest.article import article_text
from monitor.ingest.events import NO_EVENTS, ReleaseEvents
from monitor.ingest.fetch import FetchResult
from monitor.ingest.jobs import JobQueue
from monitor.ingest.outcomes import STOP_GRACE_SECONDS, FeedOutcome, PollReport, utcnow
from monitor.ingest.process import process_entry, process_feed
from monitor.ingest.resources import PollResources
from monitor.ingest.storing import store_fetched
from monitor.ingest.workpool import WorkerDied
from storage.port import Store, Transaction

log = logging.getLogger("prwatch.poll")
T = TypeVar("T")
GROUP_COMMIT_MAX = 64  # units of work committed in one transaction at most


def feeds_in_flight(settings: Settings) -> int:
    """Feeds a poll works on at once, from fetch to store: enough to keep every request slot
    and worker busy, and no more, so a poll of 5,000 feeds holds as much as one of 200 (every
    feed started at once kept its body and parse waiting for a worker or the database)."""
    return max(2 * settings.poll.concurrency, 4 * (settings.poll.workers or (os.cpu_count() or 1)), 8)


class Cycle:
    stop_grace = STOP_GRACE_SECONDS

    def __init__(self, store: Store, settings: Settings, resources: PollResources, db: ThreadPoolExecutor,
                 on_done: Callable[[FeedOutcome], None] | None, should_stop: Callable[[], bool],
                 report: PollReport, events: ReleaseEvents = NO_EVENTS) -> None:
        self.store, self.settings, self.resources, self.db = store, settings, resources, db
        self.events = events
        self.on_done, self.should_stop, self.report = on_done, should_stop, report
        self._pending: list[tuple[asyncio.Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = []
        self._flushing = False

    async def run(self, jobs: Sequence[FeedJob], more: Callable[[Transaction], list[FeedJob]] | None = None,
                  batch: int = 0) -> None:
        """Poll `jobs`; with `more` (a claim of the next `batch` feeds), go on claiming as the
        last ones are in flight until nothing more is due (monitor.ingest.jobs)."""
        if not jobs:
            return
        self.fetcher = self.resources.fetcher()  # kept for the next cycle: its connections stay open
        self._solo = asyncio.Lock()  # tasks retried after a worker died run one at a time (monitor.ingest.workpool)
        in_flight = feeds_in_flight(self.settings)
        claim = None if more is None else (lambda: self._in_db(more))
        self.jobs = JobQueue(jobs, more=claim, batch=batch, low=in_flight // 2, should_stop=self.should_stop)

        async def runner() -> None:
            while (job := await self.jobs.next()) is not None:
                await self._one(job)
        runners = in_flight if self.jobs.may_grow else min(len(jobs), in_flight)
        tasks = [asyncio.ensure_future(runner()) for _ in range(runners)]
        watcher = asyncio.ensure_future(self._cancel_on_stop(tasks))
        await asyncio.gather(*tasks)
        watcher.cancel()

    async def _cancel_on_stop(self, tasks: Sequence[asyncio.Future[None]]) -> None:
        """Bound a stop: once should_stop() is true, cancel what is still running after the grace
        (each runner's feed in flight is then skipped, and so are the feeds no runner started)."""
        while not self.should_stop():
            await asyncio.sleep(0.1)
        await asyncio.sleep(self.stop_grace)
        for t in tasks:
            t.cancel()

    async def _in_db(self, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
        """Run `fn(transaction, ...)` on the DB thread. Units queued while the thread is busy are
        committed together (group commit): each feed's writes stay all-or-nothing, and if a
        group fails its units are retried one transaction each, so one bad feed fails alone."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._pending.append((fut, fn, args, kw))
        if not self._flushing:
            self._flushing = True
            loop.call_soon(self._flush)
        return await fut

    def _flush(self) -> None:
        batch, self._pending = self._pending[:GROUP_COMMIT_MAX], self._pending[GROUP_COMMIT_MAX:]
        done = asyncio.get_running_loop().run_in_executor(self.db, self._run_group, batch)

        def settle(f: asyncio.Future[list[tuple[bool, Any]]]) -> None:
            exc = f.exception()
            outcomes = [(False, exc)] * len(batch) if exc is not None else f.result()
            if len(outcomes) != len(batch):  # never expected; every unit must still be answered
                outcomes = [(False, RuntimeError("group commit lost track of its units"))] * len(batch)
            for (fut, *_), (ok, value) in zip(batch, outcomes, strict=False):
                if not fut.done():
                    if ok:
                        fut.set_result(value)
                    else:
                        fut.set_exception(value)
            if self._pending:
                self._flush()
            else:
                self._flushing = False
        done.add_done_callback(settle)

    def _run_group(self, batch: list[Any]) -> list[tuple[bool, Any]]:
        """One outcome per unit, decided only once its transaction has committed (or failed):
        a unit whose COMMIT fails has failed, whatever its statements returned."""
        if len(batch) > 1:
            try:
                with self.store.transaction() as tx:
                    values = [fn(tx, *args, **kw) for _fut, fn, args, kw in batch]
            except Exception:  # noqa: BLE001,S110 - retried one by one below, to find the culprit
                pass
            else:
                return [(True, v) for v in values]
        out: list[tuple[bool, Any]] = []
        for _fut, fn, args, kw in batch:
            try:
                with self.store.transaction() as tx:
                    value = fn(tx, *args, **kw)
            except Exception as e:  # noqa: BLE001 - raised in the awaiting feed's task
                out.append((False, e))
            else:
                out.append((True, value))
        return out

    async def _off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """CPU work that must not hold the event loop whatever its input: a worker process when
        the poll has them, else a thread."""
        return await self.resources.workers.run(fn, *args, solo=self._solo)

    async def _cpu(self, fn: Callable[..., T], *args: Any) -> T:
        """Parsing and analysis: in a worker process, or, in a poll without them, in a thread,
        so that a big feed never stops the event loop and the other feeds' requests."""
        return await self._off_loop(fn, *args)

    async def _one(self, job: FeedJob) -> None:
        t0 = time.monotonic()
        try:
            if self.should_stop():
                outcome = FeedOutcome(job.name, "skipped", error="stopping")
            else:
                outcome = await self._poll_feed(job)
        except asyncio.CancelledError:  # a stop's grace ran out; a write already begun still commits whole
            outcome = FeedOutcome(job.name, "skipped", error="stopped before it finished")
        except StorageError as e:  # the database refused this feed's writes (disk full, connection lost)
            outcome = await self._store_failed(job, e)
        except WorkerDied as e:  # this feed's parse or analysis kills worker processes
            outcome = await self._fail(job, "error", str(e))
        except Exception as e:  # noqa: BLE001 - one feed's bug must not end the cycle
            log.exception("feed %s: unexpected error", job.name)
            outcome = await self._fail(job, "error", f"internal error: {e.__class__.__name__}: {e}")
        outcome = replace(outcome, ms=int((time.monotonic() - t0) * 1000))
        self.report.outcomes.append(outcome)
        if outcome.failed:
            log.warning("feed %s: %s (%s) %d ms", job.name, outcome.status, outcome.error, outcome.ms)
        else:
            log.info("feed %s: %s, %d new, %d revised, %d ms", job.name, outcome.status, outcome.new,
                     outcome.revised, outcome.ms)
        if self.on_done:
            self.on_done(outcome)

    async def _poll_feed(self, job: FeedJob) -> FeedOutcome:
        poll = self.settings.poll
        fetched: FetchResult | FetchError
        try:
            fetched = await self.fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified,
                                               local_files=True)  # a feed the user named may be a file
        except FetchError as e:
            fetched = e
        now = utcnow()
        intent = decide.after_fetch(job, fetched, now, poll)
        if isinstance(intent, decide.Record):
            return await self._record(job, intent, now)
        assert isinstance(fetched, FetchResult) and fetched.body is not None
        known, sources = await self._in_db(_known, job.id)
        parsed: ProcessedFeed | ParseError
        try:
            parsed = await self._cpu(process_feed, fetched.body, fetched.headers, fetched.url, known, None, sources)
        except ParseError as e:
            parsed = e
        if not isinstance(parsed, ParseError) and job.full_text and parsed.changed:
            parsed = await self._with_full_text(parsed, known)
        now = utcnow()
        then = decide.after_parse(job, fetched, intent, parsed, now, poll)
        if isinstance(then, decide.Record):
            return await self._record(job, then, now)
        assert not isinstance(parsed, ParseError)
        counts = await self._in_db(store_fetched, job, parsed, utcnow(), then.state, self.events, self.report.run_id)
        return FeedOutcome(job.name, "updated", counts.new, counts.revised, http_status=then.http_status)

    async def _record(self, job: FeedJob, intent: decide.Record, now: datetime) -> FeedOutcome:
        """Store a feed's new state alone (a 304, the same body, a failure)."""
        state = intent.state
        error = state.error if isinstance(state, FetchFailed) else None
        outcome = FeedOutcome(job.name, intent.outcome, error=error, http_status=intent.http_status)
        try:
            await self._in_db(_record_state, job.id, now, state)
        except StorageError as e:
            if error is None:
                raise
            return await self._store_failed(job, e, first=outcome)
        return outcome

    async def _with_full_text(self, processed: ProcessedFeed, known: dict[str, str]) -> ProcessedFeed:
        """Replace the summary of each new release by its page's article body (once per
        release: revisions keep the text the feed gives). A page that fails keeps the summary."""
        async def enrich(entry: ProcessedEntry) -> ProcessedEntry:
            d = entry.draft
            if d.guid in known or not d.url:
                return entry
            try:
                page = await self.fetcher.fetch(d.url, accept="text/html,application/xhtml+xml", public_only=True)
                body = await self._off_loop(article_text, page.body or b"")
            except (FetchError, ValueError) as e:
                log.info("full text of %s unavailable, keeping the summary: %s", d.url, e)
                return entry
            if len(body) <= len(d.text):
                return entry
            # the content hash stays the one of the feed's own version, which is what the next
            # poll compares against: the longer text must not read as a revision every time
            return await self._cpu(process_entry, replace(d, text=body), self.settings.topics, entry.content_hash,
                                   entry.source_hash)
        changed = await asyncio.gather(*(enrich(e) for e in processed.changed))
        return replace(processed, changed=tuple(changed))

    async def _fail(self, job: FeedJob, status: str, error: str) -> FeedOutcome:
        now = utcnow()
        return await self._record(job, decide.failed(job, status, error, now, self.settings.poll), now)

    async def _store_failed(self, job: FeedJob, e: StorageError, *,
                            first: FeedOutcome | None = None) -> FeedOutcome:
        """The database refused a feed's writes: nothing of the feed was stored (each feed is one
        transaction). Say so on the feed when the database still takes that small write, and
        try the feed again after the shortest interval, whatever its error count: the feed is
        not at fault. Its claim is released either way (or expires with its lease)."""
        reason = f"could not store this poll's result: {e}"
        if first is not None and first.error:
            reason = f"{first.error}; and {reason}"
        log.error("feed %s: %s", job.name, reason)
        now = utcnow()
        try:
            await self._in_db(_record_state, job.id, now, decide.store_failed(job, reason, now, self.settings.poll).state)
        except StorageError as again:
            log.error("feed %s: could not record the failure either: %s", job.name, again)
        return FeedOutcome(job.name, "error", error=reason, unstored=True)


def _record_state(tx: Transaction, feed_id: int, now: datetime, state: FetchSucceeded | FetchFailed) -> None:
    if isinstance(state, FetchFailed):
        tx.feeds.record_failure(feed_id, now, state)
    else:
        tx.feeds.record_success(feed_id, now, state)


def _known(tx: Transaction, feed_id: int) -> tuple[dict[str, str], dict[str, str]]:
    return tx.releases.known(feed_id)
