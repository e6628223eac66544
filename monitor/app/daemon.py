"""`prwatch run`: the scheduler only ticks; the database holds the schedule.

An interval job polls the feeds that are due, in claimed batches, until none is left, then
rewrites the digests of the periods it stored releases for (so the current digest is at most
one poll old); a cron job writes the digests of the periods that have just closed. Each job
has a fixed id, one instance at a time, coalesced misfires and a grace time (APScheduler 3's
default of 1 s silently drops a late run).

Stopping (SIGTERM, SIGINT): no feed is claimed or started any more; feeds in flight get
`outcomes.STOP_GRACE_SECONDS` to finish, then they are cancelled (a write already begun commits
whole, anything else rolls back) and the daemon's claims are released, so another daemon
takes those feeds at once. The process exits 0 within `SHUTDOWN_TIMEOUT_SECONDS` even when
a job hangs. A daemon killed outright (SIGKILL, power loss) loses nothing either: every feed
is stored in one transaction, and its claims expire after `poll.lease_minutes` (sooner when
a daemon restarts on the same host and sees the holder's process is gone).

Coordination is only through the database: SQLite allows one daemon per file (an exclusive
lock file beside it); on PostgreSQL any number share the work (row claims with SKIP LOCKED
and a lease kept alive by a heartbeat) and one of them at a time writes digests (an advisory
lock).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import FrameType
from typing import Any

from digests.periods import period_for, today_in
from digests.write import write_after_poll, write_digests
from monitor.app.alerts import queue_digests, release_events, send_due
from monitor.config import Settings
from monitor.errors import ConfigError
from monitor.ingest.outcomes import STOP_GRACE_SECONDS
from monitor.ingest.poll import poll
from monitor.ingest.resources import PollResources
from monitor.ingest.workers import worker_id
from storage.port import Store
from storage.sql.engine import open_store

log = logging.getLogger("prwatch.daemon")
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None
SHUTDOWN_TIMEOUT_SECONDS = 30.0  # hard bound on a stop; a poll gives its feeds STOP_GRACE_SECONDS of it
STALE_TEMP_SECONDS = 600  # digest temp files older than this are leftovers of a killed writer


def tick_seconds(settings: Settings) -> float:
    """How often the poll job wakes: a tenth of the interval, between 1 s and 1 min. What is
    due is decided by the database, so a tick that finds nothing costs one short query."""
    return min(60.0, max(1.0, settings.poll.interval_minutes * 6.0))


def batch_size(settings: Settings) -> int:
    """Feeds claimed at a time: enough to keep the fetcher busy, few enough that several
    daemons share a large backlog."""
    return max(8, 4 * settings.poll.concurrency)


def run_daemon(settings: Settings, *, once: bool = False) -> int:
    _quiet_http_logs()
    store = open_store(settings.storage.url)
    signalled = threading.Event()
    try:
        with store.locks.single_daemon():
            code = _run(store, settings, once, signalled)
    finally:
        store.dispose()
    if signalled.is_set():
        _exit_without_lingering_threads(code)
    return code


def _run(store: Store, settings: Settings, once: bool, signalled: threading.Event) -> int:
    """The daemon's life on an open store: signal handlers, the lease heartbeat, the jobs."""
    worker = worker_id()
    stop = threading.Event()
    previous = _install_signal_handlers(stop, signalled)
    heartbeat = threading.Thread(target=_heartbeat, args=(store, settings, worker, stop), name="prwatch-lease",
                                 daemon=True)
    heartbeat.start()
    resources = PollResources(settings)  # one worker pool and one fetcher for every batch and tick
    try:
        alert_job = _alert_job(store, settings, worker, stop) if settings.alerts.active else None
        poll_job = _poll_job(store, settings, worker, stop, after_poll=_current_digests(store, settings, stop),
                             send_alerts=alert_job, resources=resources)
        digest_job = _digest_job(store, settings, stop, after=alert_job)
        if once:
            poll_job()
            if not stop.is_set():
                digest_job()
            if alert_job is not None and not stop.is_set():
                alert_job()  # retries that are due, for cron's `run --once`
            return 0
        return _schedule(settings, stop, poll_job, digest_job, store.description, alert_job)
    finally:
        stop.set()
        resources.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _exit_without_lingering_threads(code: int) -> None:
    """After a stop, fetch threads whose feeds were cancelled may still be blocked in a read
    until their timeout; the interpreter joins executor threads before exiting (daemon or
    not). Nothing of theirs can be stored any more (the poll has finished and released its
    claims), so exit now."""
    lingering = [t.name for t in threading.enumerate()
                 if t is not threading.current_thread() and t.is_alive() and t.name != "prwatch-lease"]
    if not lingering:
        return
    log.info("prwatch daemon stopped; not waiting for %d cancelled fetch threads", len(lingering))
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _poll_job(store: Store, settings: Settings, worker: str, stop: threading.Event,
              after_poll: Callable[[datetime], None] | None = None,
              send_alerts: Callable[[], None] | None = None,
              resources: PollResources | None = None) -> Callable[[], None]:
    """Poll the due feeds, claimed in batches, until none is left; then, if the round stored anything,
    `send_alerts()` (what the poll stored goes out at once) and `after_poll(start of the
    round)` (the daemon rewrites the digests that changed). Every batch runs on `resources`
    (each makes its own without)."""
    batch = batch_size(settings)
    # how long feeds in flight may run on after a stop (the environment variable is for tests)
    grace = float(os.environ.get("PRWATCH_STOP_GRACE_SECONDS", STOP_GRACE_SECONDS))

    events = release_events(settings)

    def job() -> None:
        started = datetime.now(timezone.utc)
        if stop.is_set():
            return
        try:  # one poll per round: it claims the next batch while the last feeds of one are in flight
            report = poll(store, settings, due_only=True, should_stop=stop.is_set, worker=worker, limit=batch,
                          stop_grace=grace, kind="daemon", events=events, resources=resources, refill=True)
        except Exception as e:  # noqa: BLE001 - the database may be down for a while; try again next tick
            log.error("poll failed: %s: %s", e.__class__.__name__, str(e).splitlines()[0] if str(e) else "")
            log.debug("poll failure", exc_info=True)
            return
        stored = bool(report.new or report.revised)
        if report.outcomes:
            log.info("poll: %d feeds, %d new, %d revised, %d failed", len(report.outcomes), report.new,
                     report.revised, report.failed)
        if stored and send_alerts is not None and not stop.is_set():
            send_alerts()
        if stored and after_poll is not None and not stop.is_set():
            after_poll(started)

    return job


ALERT_TICK_SECONDS = 5.0  # how often the daemon looks for alert messages that are due (retries)


def _alert_job(store: Store, settings: Settings, worker: str, stop: threading.Event) -> Callable[[], None]:
    """Send the alert messages that are due; a failure is recorded on its message, and the
    next tick (or the next poll) tries again what is due then."""
    lock = threading.Lock()  # the tick and the end of a poll may ask at once: one sender at a time here

    def job() -> None:
        if stop.is_set() or not lock.acquire(blocking=False):
            return
        try:
            send_due(store, settings, worker)
        except Exception as e:  # noqa: BLE001 - the database may be down; the outbox keeps everything
            log.error("sending alerts failed: %s: %s", e.__class__.__name__, str(e).splitlines()[0] if str(e) else "")
            log.debug("alert failure", exc_info=True)
        finally:
            lock.release()

    return job


def _current_digests(store: Store, settings: Settings, stop: threading.Event) -> Callable[[datetime], None]:
    """After a poll that stored releases: rewrite the digests of every period they belong to
    (today's, and past ones for late or backfilled releases), so the current period's file is
    never more than one poll behind."""
    def write(since: datetime) -> None:
        try:
            with store.locks.digest_writer() as mine:
                if not mine or stop.is_set():
                    return
                for w in write_after_poll(store, settings, since, today_in(settings.digests.timezone)):
                    if w.changed:
                        log.info("digest %s", w.path)
        except Exception as e:  # noqa: BLE001 - the next poll or the schedule tries again
            log.error("writing digests failed: %s: %s", e.__class__.__name__, e)
            log.debug("digest failure", exc_info=True)

    return write


def digest_days(settings: Settings, today: date) -> list[tuple[str, date]]:
    """What a scheduled digest run writes: for each configured period kind, the period that
    has just ended (if yesterday belongs to an earlier period, its digest is now complete)
    and the current one, so far."""
    yesterday = today - timedelta(days=1)
    out = []
    for kind in settings.digests.periods:
        if period_for(kind, yesterday, settings.digests.timezone).key != period_for(kind, today, settings.digests.timezone).key:
            out.append((kind, yesterday))
        out.append((kind, today))
    return out


def _digest_job(store: Store, settings: Settings, stop: threading.Event,
                after: Callable[[], None] | None = None) -> Callable[[], None]:
    """Write the digests due now; the digests of periods that have just closed are queued to
    the digest channels (alerts.digest_channels), then `after()` sends them."""
    def job() -> None:
        if stop.is_set():
            return
        try:
            with store.locks.digest_writer() as mine:
                if not mine:
                    log.info("another daemon is writing digests; skipping")
                    return
                _remove_stale_temp_files(settings.digests.directory)
                today = today_in(settings.digests.timezone)
                for kind, day in digest_days(settings, today):
                    for w in write_digests(store, settings, kinds=[kind], day=day):
                        log.info("digest %s%s", w.path, "" if w.changed else " (unchanged)")
                    if day != today and settings.alerts.digest_channels:
                        queue_digests(store, settings, kind, day)
        except Exception as e:  # noqa: BLE001 - the next schedule tries again
            log.error("writing digests failed: %s: %s", e.__class__.__name__, e)
            log.debug("digest failure", exc_info=True)
        if after is not None and settings.alerts.digest_channels and not stop.is_set():
            after()

    return job


def _schedule(settings: Settings, stop: threading.Event, poll_job: Callable[[], None],
              digest_job: Callable[[], None], database: str, alert_job: Callable[[], None] | None = None) -> int:
    _quiet_apscheduler()
    scheduler = build_scheduler(settings, poll_job, digest_job, alert_job)
    scheduler.start()
    log.info("prwatch daemon started (pid %d): polling due feeds every %g s, digests on '%s' %s, database %s",
             os.getpid(), tick_seconds(settings), settings.digests.schedule, settings.digests.timezone,
             database)
    while not stop.wait(1.0):
        pass
    log.info("stopping: no new feeds are claimed; feeds in flight finish or are cancelled")
    scheduler.pause()
    done = threading.Event()
    def shut_down() -> None:
        scheduler.shutdown(wait=True)
        done.set()
    threading.Thread(target=shut_down, daemon=True).start()
    if not done.wait(SHUTDOWN_TIMEOUT_SECONDS):
        # only a hung database call gets here; uncommitted work rolls back, the leases expire
        log.warning("jobs did not finish within %g s; exiting anyway", SHUTDOWN_TIMEOUT_SECONDS)
        logging.shutdown()
        os._exit(0)
    log.info("prwatch daemon stopped")
    return 0


def build_scheduler(settings: Settings, poll_job: Callable[[], None], digest_job: Callable[[], None],  # type: ignore[no-untyped-def]
                    alert_job: Callable[[], None] | None = None):
    """The scheduler, not started: the poll job on the tick, the digest job on its cron, the
    alert sender every ALERT_TICK_SECONDS (retries; a poll sends its own alerts when it ends)."""
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    try:
        cron = CronTrigger.from_crontab(settings.digests.schedule, timezone=settings.digests.timezone)
    except ValueError as e:
        raise ConfigError("digests.schedule", f"invalid cron expression: {e}") from None
    tick = tick_seconds(settings)
    # a late tick still runs (coalesced into one) as long as it is less than an interval late;
    # a digest run may be up to an hour late (the daemon was busy or the machine asleep)
    scheduler = BackgroundScheduler(timezone=timezone.utc, job_defaults={
        "coalesce": True, "max_instances": 1, "misfire_grace_time": int(max(60, settings.poll.interval_minutes * 60))})
    scheduler.add_job(poll_job, IntervalTrigger(seconds=tick), id="poll", replace_existing=True,
                      next_run_time=datetime.now(timezone.utc))
    scheduler.add_job(digest_job, cron, id="digests", replace_existing=True, misfire_grace_time=3600)
    if alert_job is not None:
        scheduler.add_job(alert_job, IntervalTrigger(seconds=ALERT_TICK_SECONDS), id="alerts", replace_existing=True,
                          next_run_time=datetime.now(timezone.utc))
    return scheduler


def _install_signal_handlers(stop: threading.Event, signalled: threading.Event) -> dict[int, _Handler]:
    def on_signal(signum: int, _frame: object) -> None:
        if stop.is_set():
            return
        log.info("received %s: stopping", signal.Signals(signum).name)
        signalled.set()
        stop.set()

    previous: dict[int, _Handler] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, on_signal)
    return previous


def _heartbeat(store: Store, settings: Settings, worker: str, stop: threading.Event) -> None:
    """Keep this daemon's leases alive while it runs: a lease only expires when its holder
    is gone (or hung for a whole lease), never because a poll is long."""
    lease = timedelta(minutes=settings.poll.lease_minutes)
    while not stop.wait(lease.total_seconds() / 3):
        try:
            with store.transaction() as tx:
                tx.claims.renew(worker, datetime.now(timezone.utc), lease=lease)
        except Exception as e:  # noqa: BLE001 - a missed beat is retried; the lease has two more
            log.warning("could not renew the feed leases: %s", e.__class__.__name__)


def _remove_stale_temp_files(folder: Path) -> None:
    """A writer killed between creating its temp file and renaming it leaves `.NAME.md.*.tmp`
    behind (never a partial digest: the rename is atomic). Remove the old ones."""
    try:
        leftovers = list(folder.glob(".*.md.*.tmp"))
    except OSError:
        return
    for p in leftovers:
        try:
            if time.time() - p.stat().st_mtime > STALE_TEMP_SECONDS:
                p.unlink()
                log.info("removed %s, left by a digest writer that was killed", p.name)
        except OSError:
            pass


class _DropBusyTicks(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances" not in str(record.msg)


def _quiet_apscheduler() -> None:
    """APScheduler logs every run at INFO and a skipped tick (the poll still running) as a
    warning; both are expected here. Its errors still show."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").addFilter(_DropBusyTicks())


def _quiet_http_logs() -> None:
    """httpx logs every request at INFO; the daemon logs one line per feed instead (-vv shows both)."""
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.WARNING)
