"""`prwatch run`: the scheduler only ticks; the database holds the schedule.

An interval job polls the feeds that are due; a cron job per digest schedule writes the
digests. Each job has a fixed id, one instance at a time, coalesced misfires and a grace
time (APScheduler 3's default of 1 s silently drops a late run). SIGTERM and SIGINT stop
claiming work, let the poll in flight finish, and exit 0.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

from monitor.config import Settings
from monitor.errors import ConfigError, StorageError

log = logging.getLogger("prwatch.daemon")
SHUTDOWN_GRACE_SECONDS = 60


def run_daemon(settings: Settings, *, once: bool = False) -> int:
    from digests.periods import today_in
    from digests.write import write_digests
    from monitor.poll import poll, worker_id
    from storage.engine import open_store

    store = open_store(settings.storage.url)
    lock = _single_writer_lock(settings) if store.is_sqlite else None
    stop = threading.Event()
    worker = worker_id()

    def poll_job() -> None:
        if stop.is_set():
            return
        report = poll(store, settings, due_only=True, should_stop=stop.is_set, worker=worker)
        log.info("poll: %d feeds, %d new, %d revised, %d failed", len(report.outcomes), report.new, report.revised,
                 report.failed)

    def digest_job() -> None:
        if stop.is_set():
            return
        with _digest_lock(store) as mine:
            if not mine:
                log.info("another daemon is writing digests; skipping")
                return
            for w in write_digests(store, settings, day=today_in(settings.digests.timezone)):
                log.info("digest %s%s", w.path, "" if w.changed else " (unchanged)")

    try:
        if once:
            poll_job()
            digest_job()
            return 0
        return _schedule(settings, stop, poll_job, digest_job)
    finally:
        store.dispose()
        if lock is not None:
            lock.close()


def _schedule(settings: Settings, stop: threading.Event, poll_job, digest_job) -> int:  # type: ignore[no-untyped-def]
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    try:
        cron = CronTrigger.from_crontab(settings.digests.schedule, timezone=settings.digests.timezone)
    except ValueError as e:
        raise ConfigError("digests.schedule", f"invalid cron expression: {e}") from None
    grace = int(max(60, settings.poll.interval_minutes * 60))
    scheduler = BackgroundScheduler(timezone=timezone.utc, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": grace})
    # the poll job wakes every minute at most; what is due is decided by the database
    tick = min(settings.poll.interval_minutes, 1.0)
    scheduler.add_job(poll_job, IntervalTrigger(minutes=tick), id="poll", replace_existing=True,
                      next_run_time=datetime.now(timezone.utc))
    scheduler.add_job(digest_job, cron, id="digests", replace_existing=True)

    def on_signal(signum: int, _frame: object) -> None:
        log.info("received %s: finishing the poll in flight, then stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    log.info("prwatch daemon started (pid %d): polling due feeds, digests on '%s' %s", os.getpid(),
             settings.digests.schedule, settings.digests.timezone)
    stop.wait()
    scheduler.pause()
    done = threading.Event()
    threading.Thread(target=lambda: (scheduler.shutdown(wait=True), done.set()), daemon=True).start()
    if not done.wait(SHUTDOWN_GRACE_SECONDS):
        log.warning("jobs did not finish within %d s; exiting (unfinished feeds roll back)", SHUTDOWN_GRACE_SECONDS)
    log.info("prwatch daemon stopped")
    return 0


def _single_writer_lock(settings: Settings) -> IO[str]:
    """SQLite allows one daemon per database file: hold an exclusive lock beside it."""
    from sqlalchemy.engine import make_url

    db = make_url(settings.storage.url).database or "prwatch"
    path = Path(db + ".daemon.lock")
    fh = open(path, "a+")  # noqa: SIM115 - held for the daemon's life
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise StorageError(f"another prwatch daemon ({holder}) is already running on {db}; SQLite allows one. "
                           "Use PostgreSQL to run several.") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}")
    fh.flush()
    return fh


class _digest_lock:
    """On PostgreSQL, one digest writer at a time (a session advisory lock); SQLite has one daemon."""

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self.store = store
        self.conn = None

    def __enter__(self) -> bool:
        if self.store.is_sqlite:
            return True
        from sqlalchemy import text

        self.conn = self.store.engine.connect()
        return bool(self.conn.execute(text("SELECT pg_try_advisory_lock(7461234002)")).scalar())

    def __exit__(self, *exc: object) -> None:
        if self.conn is not None:
            from sqlalchemy import text

            self.conn.execute(text("SELECT pg_advisory_unlock(7461234002)"))
            self.conn.close()


