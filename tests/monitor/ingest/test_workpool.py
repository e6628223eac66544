"""The worker pool of a poll, as a specification: it lives as long as its owner (one pool for
every batch of a daemon), its workers arrive ready to parse, and a worker that dies costs no
task but the one that killed it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from procs import feed_server, rss

from monitor.config import Settings
from monitor.ingest.poll import poll
from monitor.ingest.process import WORKER_MODULES
from monitor.ingest.resources import PollResources
from monitor.ingest.workpool import WorkerDied, WorkerPool
from storage.sql.engine import open_store


def double_or_die(x: int) -> int:
    """A task for the pool; -1 kills the worker process running it, as the OOM killer would."""
    if x == -1:
        os.kill(os.getpid(), signal.SIGKILL)
    return 2 * x


def modules_loaded(_x: object = None) -> list[str]:
    return [m for m in WORKER_MODULES if m in sys.modules]


async def _run_all(pool: WorkerPool, fn: Callable[[int], int], args: list[int]) -> list[object]:
    solo = asyncio.Lock()

    async def one(x: int) -> object:
        try:
            return await pool.run(fn, x, solo=solo)
        except WorkerDied as e:
            return e
    return await asyncio.gather(*(one(x) for x in args))


def test_a_dying_worker_fails_only_its_own_task_and_the_pool_is_replaced(write_config: Callable[..., Settings]) -> None:
    pool = WorkerPool(write_config(poll="workers = 2"))
    try:
        pool.start(100)
        args = [*range(20), -1, *range(20, 40)]
        results = asyncio.run(_run_all(pool, double_or_die, args))
        assert [r for a, r in zip(args, results, strict=True) if a != -1] == [2 * a for a in args if a != -1]
        assert isinstance(results[args.index(-1)], WorkerDied)
        assert pool.replaced >= 1
        # the replacement works like the first pool did
        assert asyncio.run(_run_all(pool, double_or_die, [5, 6])) == [10, 12]
    finally:
        pool.close()


def test_workers_have_imported_the_parser_and_the_analysis_before_their_first_task(
        write_config: Callable[..., Settings]) -> None:
    pool = WorkerPool(write_config(poll="workers = 2"))
    try:
        pool.start(100)
        assert asyncio.run(_run_all(pool, modules_loaded, [0])) == [list(WORKER_MODULES)]  # type: ignore[arg-type]
    finally:
        pool.close()


def test_no_workers_for_a_small_poll_or_on_one_core(write_config: Callable[..., Settings]) -> None:
    small = WorkerPool(write_config(poll="workers = 2"))
    small.start(3)
    single = WorkerPool(write_config(poll="workers = 1"))
    single.start(100)
    assert small.executor() is None and single.executor() is None
    assert asyncio.run(_run_all(single, double_or_die, [4])) == [8]  # in a thread of this process


def test_polls_sharing_resources_reuse_one_pool_and_one_fetcher(write_config: Callable[..., Settings],
                                                                  tmp_path: Path) -> None:
    """As a daemon's batches do: the second poll runs on the first one's worker processes and
    fetcher; a poll that makes its own closes them when it ends."""
    paths = {f"/f{i}.xml": rss(i, 2) for i in range(10)}
    with feed_server(paths) as server:
        settings = write_config([(p.strip("/"), server.url(p)) for p in paths], poll="workers = 2\nconcurrency = 2",
                                db_url=f"sqlite:///{tmp_path / 'p.db'}")
        store = open_store(settings.storage.url)
        try:
            with PollResources(settings) as resources:
                first = poll(store, settings, limit=8, resources=resources)  # 8 feeds: enough for workers
                executor = resources.workers.executor()
                second = poll(store, settings, resources=resources)
                assert resources.workers.executor() is executor is not None, "the same worker pool"
                assert resources.fetchers_made == 1, "the same fetcher and its connections"
            assert resources.workers.executor() is None
        finally:
            store.dispose()
    assert len(first.outcomes) == 8 and first.new == 16
    assert len(second.outcomes) == 10 and second.new == 4 and second.failed == 0
