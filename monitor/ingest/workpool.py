"""The worker processes that parse and analyse, for as long as their owner lives: one poll
of `prwatch fetch`, or every batch and tick of a `prwatch run` daemon.

Starting a pool costs its workers' start-up and imports (feedparser, the analysis modules and
their compiled patterns); a daemon that made a pool per batch paid that on every batch. Workers
import what they need in the pool's initializer, while the parent is still fetching, not on
their first task.

A worker that dies (the OOM killer, a crash in a C extension) breaks the whole
ProcessPoolExecutor: every task in it fails with BrokenProcessPool. The pool is then replaced
and each of those tasks is retried once, alone, in a one-worker quarantine pool: a task that
breaks that pool too was the one killing workers, and fails by itself; the others go on.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor
from typing import TYPE_CHECKING, Any, TypeVar

from monitor.config import Settings
from monitor.ingest.lifeline import die_with_parent, mark_root
from monitor.ingest.process import WORKER_MODULES, enable_time_budget, init_worker

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger("prwatch.poll")
T = TypeVar("T")
POOL_MIN_FEEDS = 8  # below this, worker processes cost more than they save
WORKER_NICENESS = 5  # parsing yields the CPU to the parent, which keeps requests and writes flowing
CLOSE_TIMEOUT_SECONDS = 10.0  # workers still busy after this when the owner closes the pool are killed


class WorkerDied(Exception):
    """A task's worker process died under it twice: in the pool and alone in quarantine."""


class WorkerPool:
    """Worker processes, started by `start()` when a poll is big enough and kept until `close()`;
    none on one core or before the first poll of POOL_MIN_FEEDS feeds (the work then runs in
    threads of the parent).

    fork is cheap (workers inherit the imports) but only safe while this process has one
    thread, so a pool started then is forked at once, before the event loop and the DB thread
    start; otherwise (the daemon polls from a scheduler thread, a replacement mid-poll) the
    workers come from a fork server that has imported what workers need."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.workers = settings.poll.workers or (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._quarantine: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.replaced = 0  # pools replaced after a worker died (for tests and the log)
        init_worker(settings.topics)  # for work run inline, in the parent's threads

    def start(self, n_jobs: int) -> None:
        """Have worker processes from now on if a poll of `n_jobs` feeds needs them."""
        with self._lock:
            if self._pool is None and n_jobs >= POOL_MIN_FEEDS and self.workers >= 2:
                self._pool = self._new_pool(self.workers)

    def executor(self) -> Executor | None:
        return self._pool

    async def run(self, fn: Callable[..., T], *args: Any, solo: asyncio.Lock) -> T:
        """`fn(*args)` in a worker process (in a thread when there are none). After a worker
        died under it, once more alone in quarantine (`solo`: one task there at a time)."""
        loop = asyncio.get_running_loop()
        pool = self._pool
        if pool is None:
            return await asyncio.to_thread(fn, *args)
        try:
            return await loop.run_in_executor(pool, fn, *args)
        except BrokenExecutor:  # BrokenProcessPool: a worker died, maybe under another task
            self._replace(pool)
        async with solo:
            quarantine = self._quarantine_pool()
            try:
                return await loop.run_in_executor(quarantine, fn, *args)
            except BrokenExecutor:
                self._replace_quarantine(quarantine)
                raise WorkerDied("a worker process died while working on this feed, twice (the second time "
                                 "alone): it may need more memory than the machine allows") from None

    def close(self, timeout: float = CLOSE_TIMEOUT_SECONDS) -> None:
        """Stop the workers: tasks not begun are dropped, busy ones get `timeout` seconds
        (analysis has its own time budget), then their processes are killed."""
        with self._lock:
            pools = [p for p in (self._pool, self._quarantine) if p is not None]
            self._pool = self._quarantine = None
        for pool in pools:
            _shut_down(pool, timeout)

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        import multiprocessing  # here: a poll without workers (and a command polling nothing) skips it
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if threading.active_count() == 1 else "forkserver"
        context = multiprocessing.get_context(method)
        mark_root()
        if method == "forkserver":  # it dies with this process (monitor.ingest.lifeline); workers fork ready to work
            context.set_forkserver_preload(["monitor.ingest.forkserver_lifeline", *WORKER_MODULES])
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init_pool_worker,
                                   initargs=(self.settings.topics,))
        if method == "fork":
            # the collector would otherwise walk, and so copy into every worker, each inherited
            # page: freezing first keeps them shared (measured at 500 feeds: tree PSS 170 -> 136 MB)
            gc.freeze()
            for _ in range(workers):
                pool.submit(os.getpid)  # forks every worker now, while single-threaded
        return pool

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A worker died: the first task to see it replaces the pool; the others find it done."""
        with self._lock:
            if self._pool is not broken:
                return
            self._pool = self._new_pool(self.workers)
            self.replaced += 1
        log.warning("a worker process died; started a new pool, and its tasks are retried one at a time")
        broken.shutdown(wait=False, cancel_futures=True)

    def _quarantine_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._quarantine is None:
                self._quarantine = self._new_pool(1)
            return self._quarantine

    def _replace_quarantine(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._quarantine is broken:
                self._quarantine = None
        broken.shutdown(wait=False, cancel_futures=True)


def _shut_down(pool: ProcessPoolExecutor, timeout: float) -> None:
    processes = list(getattr(pool, "_processes", {}).values())  # the executor keeps them there
    pool.shutdown(wait=False, cancel_futures=True)
    end = time.monotonic() + timeout
    for p in processes:
        p.join(max(0.0, end - time.monotonic()))
        if p.is_alive():
            log.warning("worker process %d still busy after %g s; killing it", p.pid, timeout)
            p.kill()
            p.join(5)


def _init_pool_worker(topics) -> None:  # type: ignore[no-untyped-def]
    """Worker processes ignore SIGINT/SIGTERM: Ctrl-C (sent to the whole process group) or a
    service manager's SIGTERM stops the parent, which finishes or cancels the cycle and then
    shuts the pool down; a worker dying under it would fail every feed in flight. They import
    the parser and the analysis now, while the parent is still fetching the first feeds."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    die_with_parent()  # ignoring SIGTERM, a worker would outlive a parent killed outright
    os.nice(WORKER_NICENESS)
    for name in WORKER_MODULES:
        importlib.import_module(name)
    init_worker(topics)
    enable_time_budget()
