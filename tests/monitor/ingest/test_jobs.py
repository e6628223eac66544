"""The feeds a poll works through: a daemon's poll claims its next batch while the last
feeds of the current one are in flight, until nothing more is due."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from procs import feed_server, rss

from monitor.config import Settings
from monitor.domain import FeedJob
from monitor.ingest.jobs import JobQueue
from monitor.ingest.poll import poll
from storage.sql.engine import open_store


def jobs(*ids: int) -> list[FeedJob]:
    return [FeedJob(i, f"f{i}", f"http://127.0.0.1/{i}.xml", None, None, None, 0, False) for i in ids]


class Claims:
    """Batches handed out in order; `started_at_claim` is how many jobs had been taken when each claim began."""

    def __init__(self, batches: list[list[FeedJob]], taken: list[int] | None = None) -> None:
        self.batches, self.calls, self.taken = batches, 0, taken if taken is not None else []
        self.started_at_claim: list[int] = []

    async def __call__(self) -> list[FeedJob]:
        self.calls += 1
        self.started_at_claim.append(len(self.taken))
        await asyncio.sleep(0)
        return self.batches.pop(0) if self.batches else []


async def drain(queue: JobQueue, runners: int, taken: list[int] | None = None) -> list[int]:
    taken = [] if taken is None else taken

    async def runner() -> None:
        while (job := await queue.next()) is not None:
            taken.append(job.id)
            for _ in range(3):  # a feed's fetch, parse and store each give the loop back
                await asyncio.sleep(0)
    await asyncio.gather(*(runner() for _ in range(runners)))
    return taken


def test_claims_the_next_batch_before_the_queue_runs_dry_and_stops_at_a_short_claim() -> None:
    taken: list[int] = []
    claims = Claims([jobs(4, 5, 6, 7), jobs(8, 9)], taken)  # the second claim is short: nothing more is due
    queue = JobQueue(jobs(0, 1, 2, 3), more=claims, batch=4, low=2)
    asyncio.run(drain(queue, runners=3, taken=taken))
    assert sorted(taken) == list(range(10)) and len(taken) == 10, "every job once"
    assert claims.calls == 2 and queue.claimed == 10
    assert claims.started_at_claim[0] < 4, "the next batch is claimed before the first one has all started"


def test_without_a_claim_function_or_after_a_stop_no_more_is_claimed() -> None:
    assert asyncio.run(drain(JobQueue(jobs(0, 1)), runners=2)) in ([0, 1], [1, 0])
    claims = Claims([jobs(2, 3)])
    stopped = JobQueue(jobs(0, 1), more=claims, batch=2, low=2, should_stop=lambda: True)
    assert sorted(asyncio.run(drain(stopped, runners=2))) == [0, 1] and claims.calls == 0


def test_a_failing_claim_ends_the_round_with_the_feeds_it_has() -> None:
    async def broken() -> list[FeedJob]:
        raise RuntimeError("database gone")
    queue = JobQueue(jobs(0, 1), more=broken, batch=2, low=1)
    assert sorted(asyncio.run(drain(queue, runners=2))) == [0, 1]


def test_a_refilling_poll_works_through_every_due_feed_in_one_run(write_config: Callable[..., Settings],
                                                                  tmp_path: Path) -> None:
    paths = {f"/f{i}.xml": rss(i, 1) for i in range(20)}
    with feed_server(paths) as server:
        settings = write_config([(p.strip("/"), server.url(p)) for p in paths], poll="concurrency = 2",
                                db_url=f"sqlite:///{tmp_path / 'p.db'}")
        store = open_store(settings.storage.url)
        try:
            report = poll(store, settings, due_only=True, limit=8, refill=True, kind="daemon")
            again = poll(store, settings, due_only=True, limit=8, refill=True, kind="daemon")
        finally:
            store.dispose()
    assert len(report.outcomes) == 20 and report.new == 20 and report.failed == 0
    assert sorted(o.name for o in report.outcomes) == sorted(p.strip("/") for p in paths), "each feed once"
    assert again.outcomes == [], "nothing is due any more"
    assert server.total() == 20
