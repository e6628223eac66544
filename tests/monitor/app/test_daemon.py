"""`prwatch run` as a real process: one daemon per SQLite file, a bounded clean stop on
SIGTERM/SIGINT, `--once`, and the per-feed log lines."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

import pytest
from procs import feed_server, procs, rss, write_config
from sqlalchemy import func, select

from storage.sql.engine import open_store
from storage.sql.models import Feed, PollRun, Release


def test_second_daemon_on_the_same_sqlite_file_exits_with_a_clear_message(tmp_path: Path) -> None:
    with feed_server({"/a.xml": rss(1, 2)}) as server, procs(tmp_path) as ps:
        cfg = write_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}", {"a": server.url("/a.xml")})
        first = ps.start(cfg, "run")
        ps.wait_log(first, "prwatch daemon started")
        for args in (("run",), ("run", "--once")):
            second = ps.start(cfg, *args)
            assert second.wait(20) == 1
            out = ps.log(second)
            assert f"another prwatch daemon (pid {first.pid}" in out, out
            assert "SQLite allows one daemon per database" in out and "PostgreSQL" in out, out
            assert "Traceback" not in out
        assert first.poll() is None, "the first daemon must keep running"
        ps.kill(first, signal.SIGTERM)
        assert first.wait(15) == 0, ps.log(first)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stop_mid_poll_is_bounded_stores_what_finished_and_releases_claims(tmp_path: Path, sig: int) -> None:
    """Six quick feeds are stored; two that hang are cancelled after the grace: nothing of
    theirs is stored, their claims are released, the process exits 0. The signal goes to the
    whole process group (as Ctrl-C does), worker processes included: they must not die
    under the poll."""
    feeds = {f"/fast{i}.xml": rss(i, 2) for i in range(6)} | {f"/slow{i}.xml": rss(10 + i, 2) for i in range(2)}
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with feed_server(feeds, delay=lambda p: 30.0 if "slow" in p else 0.0) as server, procs(tmp_path) as ps:
        cfg = write_config(tmp_path, db, {p.strip("/").removesuffix(".xml"): server.url(p) for p in feeds},
                           workers=2)  # 8 feeds and 2 workers: parsed in worker processes
        d = ps.start(cfg, "run", env={"PRWATCH_STOP_GRACE_SECONDS": "1"})
        for i in range(6):
            ps.wait_log(d, f"feed fast{i}:")
        asked = time.monotonic() + 60  # a bound for a loaded machine, not a timing
        while len(server.times("/slow0.xml")) + len(server.times("/slow1.xml")) < 2 and time.monotonic() < asked:
            time.sleep(0.05)
        assert len(server.times("/slow0.xml")) + len(server.times("/slow1.xml")) == 2, ps.log(d)
        t0 = time.monotonic()
        ps.kill(d, sig)
        assert d.wait(15) == 0, ps.log(d)
        took = time.monotonic() - t0
        log = ps.log(d)
    assert took < 20, f"stop took {took:.1f} s, as if it waited for the 30 s reads"  # grace is 1 s
    assert f"received {signal.Signals(sig).name}: stopping" in log and "prwatch daemon stopped" in log, log
    assert "internal error" not in log and "Traceback" not in log, log
    store = open_store(db)
    with store.session() as s:
        by_feed = dict(s.execute(select(Feed.name, func.count(Release.id)).outerjoin(Release).group_by(Feed.name)).all())
        claims = s.scalars(select(Feed.name).where(Feed.claimed_by.is_not(None))).all()
        errors = dict(s.execute(select(Feed.name, Feed.error_count)).all())
        run = s.scalar(select(PollRun).order_by(PollRun.id.desc()).limit(1))
    store.dispose()
    assert by_feed == {f"fast{i}": 2 for i in range(6)} | {"slow0": 0, "slow1": 0}
    assert claims == [], "a stopping daemon releases its claims"
    assert set(errors.values()) == {0}, f"a stop is not a feed error: {errors}"
    assert run is not None and run.finished_at is not None


def test_run_once_logs_one_line_per_feed_and_writes_digests(tmp_path: Path) -> None:
    feeds = {"/a.xml": rss(1, 3), "/b.xml": rss(2, 1)}
    with feed_server(feeds) as server, procs(tmp_path) as ps:
        cfg = write_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}",
                           {"wire a": server.url("/a.xml"), "wire b": server.url("/b.xml"),
                            "gone": server.url("/missing.xml")})
        p = ps.start(cfg, "run", "--once")
        assert p.wait(30) == 0
        log = ps.log(p)
        # logging.level = "warning" keeps the daemon quiet; -v brings the info lines back
        for sub in ("quiet", "verbose"):
            (tmp_path / sub).mkdir()
            write_config(tmp_path / sub, f"sqlite:///{tmp_path / sub / 'p.db'}", {"wire a": server.url("/a.xml")},
                         level="warning")
        quiet = ps.start(tmp_path / "quiet" / "config.toml", "run", "--once")
        verbose = ps.start(tmp_path / "verbose" / "config.toml", "-v", "run", "--once")
        assert quiet.wait(30) == 0 and verbose.wait(30) == 0
        quiet_log, verbose_log = ps.log(quiet), ps.log(verbose)
    assert re.search(r"INFO prwatch\.poll: feed wire a: updated, 3 new, 0 revised, \d+ ms", log), log
    assert re.search(r"INFO prwatch\.poll: feed wire b: updated, 1 new, 0 revised, \d+ ms", log), log
    assert re.search(r"WARNING prwatch\.poll: feed gone: error \(HTTP 404.*\) \d+ ms", log), log
    assert "digest " in log and list((tmp_path / "digests").glob("*-china-kazakhstan.md"))
    assert "INFO" not in quiet_log, quiet_log
    assert "INFO prwatch.poll: feed wire a: updated, 3 new" in verbose_log, verbose_log


def test_one_digest_writer_at_a_time_on_postgresql(pg_url: str) -> None:
    store = open_store(pg_url)
    other = open_store(pg_url)
    with store.locks.digest_writer() as first:
        with other.locks.digest_writer() as second:
            assert (first, second) == (True, False)
    with other.locks.digest_writer() as again:
        assert again, "released when the writer is done"
    store.dispose()
    other.dispose()


def test_ctrl_c_on_fetch_releases_its_claims_and_a_killed_fetch_is_taken_over(tmp_path: Path) -> None:
    """`prwatch fetch` interrupted with Ctrl-C gives its feeds back; one killed outright leaves
    claims that the next run on this host frees at once (no waiting for the lease)."""
    feeds = {"/slow.xml": rss(1, 2)}
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with feed_server(feeds, delay=lambda _p: 30.0) as server, procs(tmp_path) as ps:
        cfg = write_config(tmp_path, db, {"slow": server.url("/slow.xml")})
        for sig in (signal.SIGINT, signal.SIGKILL):
            before = len(server.times("/slow.xml"))
            p = ps.start(cfg, "fetch", "--quiet", "--no-digest")
            started = time.monotonic() + 60  # a bound for a loaded machine, not a timing
            while len(server.times("/slow.xml")) == before and p.poll() is None and time.monotonic() < started:
                time.sleep(0.05)
            assert len(server.times("/slow.xml")) > before, f"prwatch never asked for the feed:\n{ps.log(p)}"
            ps.kill(p, sig)
            end = time.monotonic() + 10
            while True:
                store = open_store(db)
                with store.session() as s:
                    holder = s.scalar(select(Feed.claimed_by))
                store.dispose()
                if sig == signal.SIGKILL or holder is None or time.monotonic() > end:
                    break
                time.sleep(0.1)
            if sig == signal.SIGINT:
                assert holder is None, f"Ctrl-C released the claim; prwatch said:\n{ps.log(p)}"
                assert p.wait(5) == 130, "Ctrl-C ends fetch at once, though a read is still blocked"
            else:
                assert holder and f":{p.pid}:" in holder
        server.delay = lambda _p: 0.0
        again = ps.start(cfg, "-v", "fetch", "--quiet", "--no-digest")
        assert again.wait(30) == 0
        log = ps.log(again)
    assert "released 1 feeds claimed by a prwatch process of this host that is gone" in log, log
    store = open_store(db)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Release)) == 2
    store.dispose()


def test_scheduler_jobs_coalesce_run_one_at_a_time_and_tolerate_lateness(tmp_path: Path) -> None:
    from monitor.app.daemon import batch_size, build_scheduler, tick_seconds
    from monitor.config import load_settings

    settings = load_settings(write_config(tmp_path, "sqlite:///p.db", {}, interval_minutes=30, concurrency=32))
    scheduler = build_scheduler(settings, lambda: None, lambda: None)
    scheduler.start(paused=True)
    try:
        poll_job, digest_job = scheduler.get_job("poll"), scheduler.get_job("digests")
        assert (poll_job.coalesce, poll_job.max_instances, poll_job.misfire_grace_time) == (True, 1, 1800)
        assert poll_job.trigger.interval.total_seconds() == 60
        assert (digest_job.coalesce, digest_job.max_instances, digest_job.misfire_grace_time) == (True, 1, 3600)
        assert str(digest_job.trigger).startswith("cron[") and "hour='7'" in str(digest_job.trigger)
    finally:
        scheduler.shutdown(wait=False)
    assert batch_size(settings) == 128
    fast = load_settings(write_config(tmp_path, "sqlite:///p.db", {}, interval_minutes=0.1, concurrency=1))
    assert (tick_seconds(fast), batch_size(fast)) == (1.0, 8)


def test_a_scheduled_digest_run_completes_the_period_that_just_ended(write_config) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from monitor.app.daemon import digest_days

    settings = write_config([])
    daily = digest_days(settings, date(2025, 7, 14))
    assert daily == [("day", date(2025, 7, 13)), ("day", date(2025, 7, 14))]


def test_weekly_and_monthly_digests_are_completed_only_when_their_period_ends(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from monitor.app.daemon import digest_days
    from monitor.config import load_settings

    cfg = tmp_path / "config.toml"
    cfg.write_text('[digests]\nperiods = ["week", "month"]\n')
    settings = load_settings(cfg)
    # Monday 1 September 2025: last week and August have just ended
    assert digest_days(settings, date(2025, 9, 1)) == [
        ("week", date(2025, 8, 31)), ("week", date(2025, 9, 1)), ("month", date(2025, 8, 31)), ("month", date(2025, 9, 1))]
    # a Wednesday mid-month: only the current week and month
    assert digest_days(settings, date(2025, 9, 10)) == [("week", date(2025, 9, 10)), ("month", date(2025, 9, 10))]


def _worker_processes(daemon_pid: int) -> list[int]:
    """The daemon's worker processes that are at work: forked from the daemon itself when it
    started its pool with one thread, else from its fork server (forked, so they share their
    parent's command line, unlike a program either runs), and past their start: a worker
    lowers its priority first thing in its initializer. Never the fork server or the resource
    tracker, whose death breaks no pool, nor a child still being handed its task."""
    from benchmarks.tree_memory import tree

    def parent_command_nice(pid: int) -> tuple[int, str, int] | None:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                return int(fields[1]), fh.read().decode(errors="replace"), int(fields[16])
        except (OSError, IndexError, ValueError):  # gone meanwhile
            return None

    daemon = parent_command_nice(daemon_pid)
    known = {pid: info for pid in tree(daemon_pid)[1:] if (info := parent_command_nice(pid)) is not None}
    if daemon is None:
        return []
    servers = {pid: cmd for pid, (ppid, cmd, _nice) in known.items()
               if ppid == daemon_pid and "multiprocessing.forkserver" in cmd}
    return [pid for pid, (ppid, cmd, nice) in known.items()
            if (cmd == servers.get(ppid) or (ppid == daemon_pid and cmd == daemon[1])) and nice > daemon[2]]


def test_a_worker_killed_mid_round_is_replaced_and_no_feed_is_lost(tmp_path: Path) -> None:
    """Three batches on one pool; a worker killed outright (as the OOM killer does) while the
    round is under way breaks that pool: a new one takes over, and every feed is stored, none
    in error. The feeds after the first four wait at the server until the kill, so the round
    cannot finish before it, however slowly the workers start."""
    feeds = {f"/f{i}.xml": rss(i, 3) for i in range(24)}
    killed = threading.Event()
    first = {f"/f{i}.xml" for i in range(4)}
    db = f"sqlite:///{tmp_path / 'p.db'}"
    with feed_server(feeds, delay=lambda p: 0.0 if p in first else float(not killed.wait(60))) as server, \
            procs(tmp_path) as ps:
        cfg = write_config(tmp_path, db, {p.strip("/").removesuffix(".xml"): server.url(p) for p in feeds},
                           workers=2, concurrency=2)  # batches of 8 feeds, parsed in 2 worker processes
        d = ps.start(cfg, "run", "--once")
        end = time.monotonic() + 60  # a bound for a loaded machine, not a timing
        while (not _worker_processes(d.pid) or server.total() < 2) and d.poll() is None and time.monotonic() < end:
            time.sleep(0.05)
        victims = _worker_processes(d.pid)
        assert victims and server.total() < len(feeds), ps.log(d)
        os.kill(victims[0], signal.SIGKILL)
        killed.set()
        assert d.wait(60) == 0, ps.log(d)
        log = ps.log(d)
    assert "a worker process died; started a new pool" in log, log
    assert "internal error" not in log and "Traceback" not in log, log
    store = open_store(db)
    with store.session() as s:
        by_feed = dict(s.execute(select(Feed.name, func.count(Release.id)).outerjoin(Release).group_by(Feed.name)).all())
        errors = s.scalars(select(Feed.name).where(Feed.error_count > 0)).all()
    store.dispose()
    assert by_feed == {f"f{i}": 3 for i in range(24)} and errors == []
