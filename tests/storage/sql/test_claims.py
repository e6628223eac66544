"""Claims and leases on the feeds table: disjoint claims between concurrent claimers (SKIP
LOCKED on PostgreSQL, BEGIN IMMEDIATE on SQLite), expiry, renewal, release of claims whose
holder died, and the config sync under concurrency."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select, update

from monitor.config import FeedSettings
from monitor.errors import StorageError
from monitor.ingest.subscriptions import sync_config_feeds
from monitor.ingest.workers import release_dead_claims
from storage.sql.engine import open_store
from storage.sql.models import Feed, PollRun

NOW = datetime(2025, 7, 1, 12, 0, tzinfo=timezone.utc)
LEASE = timedelta(minutes=10)
FEEDS = tuple(FeedSettings(f"feed {i}", f"http://127.0.0.1:9/{i}.xml") for i in range(20))


def test_concurrent_claims_are_disjoint_and_leases_expire(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS, NOW)
    got: dict[str, list[str]] = {}
    barrier = threading.Barrier(4)

    def claim(worker: str) -> None:
        barrier.wait()
        names: list[str] = []
        while True:
            with store.transaction() as tx:
                batch = tx.claims.claim(worker, NOW, lease=LEASE, due_only=True, limit=3)
            if not batch:
                break
            names += [j.name for j in batch]
        got[worker] = names

    threads = [threading.Thread(target=claim, args=(f"host:{i}:x",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    claimed = [n for names in got.values() for n in names]
    assert sorted(claimed) == sorted(f.name for f in FEEDS), "every feed claimed exactly once"

    with store.transaction() as tx:
        assert tx.claims.claim("late:1:x", NOW + LEASE / 2, lease=LEASE, due_only=True) == []
        assert tx.claims.renew("host:0:x", NOW + LEASE / 2, lease=LEASE) == len(got["host:0:x"])
    with store.transaction() as tx:
        # past the first lease: the renewed claims hold, the others have expired
        again = tx.claims.claim("late:1:x", NOW + LEASE + timedelta(seconds=1), lease=LEASE, due_only=True)
    assert sorted(j.name for j in again) == sorted(n for w, names in got.items() if w != "host:0:x" for n in names)
    store.dispose()


def test_claims_of_a_dead_local_process_are_released(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS[:3], NOW)
        tx.claims.claim("here:111:a", NOW, lease=LEASE, due_only=False, names=["feed 0"])
        tx.claims.claim("here:222:b", NOW, lease=LEASE, due_only=False, names=["feed 1"])
        tx.claims.claim("there:111:c", NOW, lease=LEASE, due_only=False, names=["feed 2"])
    with store.transaction() as tx:
        freed = release_dead_claims(tx, "here", alive=lambda pid: pid == 222)
    assert freed == ["feed 0"]
    with store.session() as s:
        holders = dict(s.execute(select(Feed.name, Feed.claimed_by)).all())
    assert holders == {"feed 0": None, "feed 1": "here:222:b", "feed 2": "there:111:c"}
    store.dispose()


def test_config_sync_by_several_daemons_at_once(db_url: str) -> None:
    """Daemons starting together with a new config insert each feed once, and do not fail."""
    store = open_store(db_url)
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def sync() -> None:
        barrier.wait()
        try:
            with store.transaction() as tx:
                sync_config_feeds(tx, FEEDS, NOW)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Feed)) == len(FEEDS)
    store.dispose()


def test_empty_poll_runs_are_pruned(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as tx:
        for minutes in (0, 30, 90, 600):
            rid = tx.polls.start("w", NOW - timedelta(minutes=minutes))
            tx.polls.finish(rid, NOW - timedelta(minutes=minutes), feeds=0, failed=0, new=0, revised=0)
        old = tx.polls.start("w", NOW - timedelta(days=40))
        tx.polls.finish(old, NOW - timedelta(days=40), feeds=5, failed=0, new=1, revised=0)
        busy = tx.polls.start("w", NOW - timedelta(days=2))
        tx.polls.finish(busy, NOW - timedelta(days=2), feeds=5, failed=0, new=1, revised=0)
        rid = tx.polls.start("w", NOW)
        tx.polls.finish(rid, NOW, feeds=0, failed=0, new=0, revised=0)
    with store.session() as s:
        kept = sorted((NOW - r.started_at) for r in s.scalars(select(PollRun)))
    assert kept == [timedelta(0), timedelta(0), timedelta(minutes=30), timedelta(days=2)]
    store.dispose()


def test_a_feed_disabled_by_410_comes_back_with_a_new_url(db_url: str) -> None:
    store = open_store(db_url)
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS[:1], NOW)
        feed = tx.session.scalar(select(Feed))
        feed.enabled, feed.disabled_reason, feed.error_count = False, "HTTP 410 Gone", 3
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS[:1], NOW)  # same URL: stays disabled
        assert tx.session.scalar(select(Feed.enabled)) is False
    with store.transaction() as tx:
        sync_config_feeds(tx, (FeedSettings(FEEDS[0].name, "http://127.0.0.1:9/new.xml"),), NOW)
    with store.session() as s:
        feed = s.scalar(select(Feed))
        assert (feed.enabled, feed.disabled_reason, feed.error_count, feed.url) == (
            True, None, 0, "http://127.0.0.1:9/new.xml")
    store.dispose()


def test_dead_claims_are_released_by_exact_host_name_never_by_a_pattern(db_url: str) -> None:
    """PRWATCH_HOST=node_1 freed a live claim of node-1 ('_' is a LIKE wildcard); SQLite's
    LIKE also ignores case."""
    store = open_store(db_url)
    holders = {"node-1:101:a": "feed 0", "NODE_1:102:b": "feed 1", "node%1:103:c": "feed 2", "node_1:104:d": "feed 3"}
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS[:4], NOW)
        for worker, name in holders.items():
            tx.session.execute(update(Feed).where(Feed.name == name).values(claimed_by=worker, claim_expires_at=NOW + LEASE))
    with store.transaction() as tx:
        freed = release_dead_claims(tx, host="node_1", alive=lambda _pid: False)
    with store.session() as s:
        still = dict(s.execute(select(Feed.name, Feed.claimed_by).where(Feed.claimed_by.is_not(None))).all())
    store.dispose()
    assert freed == ["feed 3"]
    assert still == {"feed 0": "node-1:101:a", "feed 1": "NODE_1:102:b", "feed 2": "node%1:103:c"}


def test_the_lease_heartbeat_never_deadlocks_with_a_transaction_storing_feeds(pg_url: str) -> None:
    """The heartbeat renews the feeds a daemon holds while its group commit updates some of
    the same rows in another order: the heartbeat must never wait for such a row."""
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    store = open_store(pg_url)
    with store.transaction() as tx:
        sync_config_feeds(tx, FEEDS[:3], NOW)
    with store.transaction() as tx:
        ids = [j.id for j in tx.claims.claim("host:1:x", NOW, lease=LEASE, due_only=False)]
    ids.sort()
    errors: list[BaseException] = []
    renewed: list[int] = []
    with store.engine.connect() as storing:
        storing.execute(text("UPDATE feeds SET last_status = 'storing' WHERE id = :i"), {"i": ids[1]})

        def beat() -> None:
            try:
                with store.transaction() as tx:
                    renewed.append(tx.claims.renew("host:1:x", NOW, lease=LEASE * 2))
            except (DBAPIError, StorageError) as e:
                errors.append(e)
        t = threading.Thread(target=beat)
        t.start()
        time.sleep(1.0)  # the heartbeat has taken (or skipped) the rows it could
        try:
            storing.execute(text("UPDATE feeds SET last_status = 'stored' WHERE id = :i"), {"i": ids[0]})
            storing.commit()
        except DBAPIError as e:
            errors.append(e)
        t.join(30)
    store.dispose()
    assert not t.is_alive() and not errors, errors
    assert renewed and renewed[0] >= 1
