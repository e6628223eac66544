"""Three `prwatch run` daemons on one PostgreSQL database share the feeds of a local server:
every feed is fetched once per due cycle, no release is stored twice, and the feeds of a
daemon killed with SIGKILL in the middle of a poll are taken over by the others within one
lease (plus one scheduler tick)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from procs import feed_server, procs, rss, write_config
from sqlalchemy import func, select

from storage.sql.engine import open_store
from storage.sql.models import Feed, PollRun, Release, ReleaseRevision

FEEDS, ITEMS = 12, 2
INTERVAL_S = 6.0  # poll.interval_minutes = 0.1
LEASE_S = 6.0  # poll.lease_minutes = 0.1
TICK_S = 1.0  # the daemon's tick for a 6 s interval
DELAY_S = 0.4  # each response takes this long: a poll of a batch is in flight for a while


@pytest.mark.slow
def test_three_daemons_share_feeds_and_take_over_from_a_killed_one(pg_url: str, tmp_path: Path) -> None:
    paths = {f"/wire{i}.xml": rss(i, ITEMS) for i in range(FEEDS)}
    with feed_server(paths, delay=lambda _p: DELAY_S) as server, procs(tmp_path) as ps:
        # concurrency 2: a batch is 8 feeds, so a cycle of 12 needs two claims (two daemons)
        cfg = write_config(tmp_path, pg_url, {p.strip("/").removesuffix(".xml"): server.url(p) for p in paths},
                           interval_minutes=INTERVAL_S / 60, lease_minutes=LEASE_S / 60, concurrency=2)
        # three "machines" (PRWATCH_HOST), so a dead daemon's claims are freed by its lease alone;
        # they also race to create the schema
        daemons = [ps.start(cfg, "run", env={"PRWATCH_HOST": f"node{i}"}) for i in range(3)]
        for d in daemons:
            ps.wait_log(d, "prwatch daemon started", timeout=30)
        store = open_store(pg_url)

        _wait(lambda: all(server.times(p) for p in paths), 20, "every feed fetched once")
        # the second cycle: kill a daemon while it holds claims (its fetches are in flight)
        victim_worker = _wait(lambda: _busiest_worker(store), 3 * INTERVAL_S, "a daemon holding claims")
        victim = next(d for d in daemons if f":{d.pid}:" in victim_worker)
        ps.kill(victim, signal.SIGKILL)
        killed_at = time.time()
        with store.session() as s:  # what the dead daemon still held when it died
            orphans = s.scalars(select(Feed.name).where(Feed.claimed_by == victim_worker)).all()
        assert orphans, "the victim died holding claims"

        # the others take the orphans over once the lease (last renewed <= lease/3 before) expires
        def taken_over() -> bool:
            return all(any(t > killed_at for t in server.times(f"/{n}.xml")) for n in orphans)
        _wait(taken_over, LEASE_S + TICK_S + DELAY_S + 2.5, "orphaned feeds fetched by another daemon")
        handover = max(min(t for t in server.times(f"/{n}.xml") if t > killed_at) for n in orphans) - killed_at
        time.sleep(INTERVAL_S + 1)  # the survivors run on for another cycle

        survivors = [d for d in daemons if d is not victim]
        for d in survivors:
            ps.kill(d, signal.SIGTERM)
        for d in survivors:
            assert d.wait(20) == 0, ps.log(d)
        with store.session() as s:
            releases = s.scalar(select(func.count()).select_from(Release))
            distinct = s.scalar(select(func.count()).select_from(
                select(Release.feed_id, Release.guid).distinct().subquery()))
            revisions = s.scalar(select(func.count()).select_from(ReleaseRevision))
            # the victim's runs never finished, but it was polling feeds when it died
            busy_workers = set(s.scalars(select(PollRun.worker).where(PollRun.feeds > 0))) | {victim_worker}
            held = s.scalars(select(Feed.name).where(Feed.claimed_by.is_not(None))).all()
            errors = dict(s.execute(select(Feed.name, Feed.error_count).where(Feed.error_count > 0)).all())
        store.dispose()
        logs = {d.pid: ps.log(d) for d in daemons}

    print(f"handover after {handover:.1f} s; orphans {len(orphans)}; requests {server.total()}; "
          f"workers with work {len(busy_workers)}")
    assert LEASE_S / 2 < handover <= LEASE_S + TICK_S + DELAY_S + 2.5, "taken over after the lease, within one"
    assert releases == distinct == FEEDS * ITEMS and revisions == 0, "no release stored twice"
    assert len(busy_workers) >= 2, "the daemons share the work"
    assert held == [] and errors == {}
    for _pid, log in logs.items():
        assert "Traceback" not in log and "poll failed" not in log, log

    # once per due cycle: successive fetches of a feed are an interval apart, except the
    # re-fetch of a feed whose fetch died with the killed daemon
    for path in paths:
        times = server.times(path)
        assert len(times) >= 2
        for a, b in zip(times, times[1:], strict=False):
            orphaned = path.strip("/").removesuffix(".xml") in orphans and a < killed_at < b
            assert orphaned or b - a >= INTERVAL_S - 0.2, f"{path} fetched twice in one cycle: {times}"


def _busiest_worker(store) -> str | None:  # type: ignore[no-untyped-def]
    with store.session() as s:
        row = s.execute(select(Feed.claimed_by, func.count()).where(Feed.claimed_by.is_not(None))
                        .group_by(Feed.claimed_by).order_by(func.count().desc()).limit(1)).first()
    return row[0] if row and row[1] >= 2 else None


def _wait(cond, timeout: float, what: str):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
