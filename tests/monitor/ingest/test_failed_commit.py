"""A write that fails when it commits (a full disk, a constraint checked at COMMIT, a
connection lost during COMMIT) is reported as failed, is recorded on its feed when the
database still takes that, stores nothing of the feed, holds up no other feed, and the next
poll works. The failures are real ones, on the real databases: no mock of the database."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from procs import PRWATCH, feed_server, rss
from procs import write_config as write_process_config
from sqlalchemy import create_engine, func, select, text

from monitor.config import Settings
from monitor.ingest.poll import PollReport, poll
from storage.sql.engine import open_store
from storage.sql.models import Feed, Release

POLL_BOUND_SECONDS = 120  # a poll of a few small feeds takes about a second; a hang never ends

# Releases whose title says "poison" make the transaction that inserts them fail at COMMIT:
# on SQLite through a deferred foreign key (checked only when committing), on PostgreSQL
# through a deferred constraint trigger.
SQLITE_GUARD = [
    "CREATE TABLE commit_guard_parent (id INTEGER PRIMARY KEY)",
    "CREATE TABLE commit_guard (release_id INTEGER REFERENCES commit_guard_parent (id) DEFERRABLE INITIALLY DEFERRED)",
    "CREATE TRIGGER commit_guard_poison AFTER INSERT ON releases WHEN NEW.title LIKE '%poison%' "
    "BEGIN INSERT INTO commit_guard VALUES (NEW.id); END",
]
PG_GUARD = [
    "CREATE FUNCTION commit_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.title LIKE '%poison%' THEN RAISE EXCEPTION 'release refused at commit'; END IF; RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER commit_guard_poison AFTER INSERT ON releases DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION commit_guard()",
]
PG_KILL_AT_COMMIT = [
    "CREATE FUNCTION commit_kill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF NEW.title LIKE '%poison%' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NULL; END $$",
    "CREATE CONSTRAINT TRIGGER commit_kill_poison AFTER INSERT ON releases DEFERRABLE INITIALLY DEFERRED "
    "FOR EACH ROW EXECUTE FUNCTION commit_kill()",
]


def items(feed: str, n: int, *, poison: bool = False) -> bytes:
    body = "".join(f"<item><guid>{feed}-{i}</guid><title>{feed} release {i}{' (poison)' if poison and i == 0 else ''}"
                   f"</title><description>Text of release {i} of {feed}.</description></item>" for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{feed}</title>{body}</channel></rss>'.encode()


def execute(url: str, statements: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for s in statements:
            conn.execute(text(s))
    engine.dispose()


def poll_within_bound(settings: Settings) -> PollReport:
    """Poll in a thread and fail the test, instead of hanging it, when the poll never ends."""
    store = open_store(settings.storage.url)
    out: list[PollReport | BaseException] = []

    def go() -> None:
        try:
            out.append(poll(store, settings))
        except BaseException as e:  # noqa: BLE001 - handed to the test
            out.append(e)
    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(POLL_BOUND_SECONDS)
    assert not t.is_alive(), f"the poll did not finish within {POLL_BOUND_SECONDS} s"
    store.dispose()
    if isinstance(out[0], BaseException):
        raise out[0]
    return out[0]


def stored(settings: Settings) -> tuple[dict[str, Feed], dict[str, int]]:
    store = open_store(settings.storage.url)
    with store.session() as s:
        feeds = {f.name: f for f in s.scalars(select(Feed))}
        for f in feeds.values():
            s.expunge(f)
        counts = dict(s.execute(select(Feed.name, func.count(Release.id)).join(Release, isouter=True)
                                .group_by(Feed.name)).all())
    store.dispose()
    return feeds, counts


@pytest.fixture
def served() -> Iterator[tuple[dict[str, bytes], Callable[[str], str]]]:
    bodies = {"/good-1.xml": items("good-1", 20), "/good-2.xml": items("good-2", 20),
              "/poisoned.xml": items("poisoned", 20, poison=True)}
    with feed_server(bodies) as server:
        yield bodies, server.url


def test_a_feed_whose_commit_fails_is_reported_and_recorded_as_failed_and_the_others_are_stored(
        served: tuple[dict[str, bytes], Callable[[str], str]], write_config: Callable[..., Settings],
        db_url: str) -> None:
    bodies, url = served
    settings = write_config([(p[1:-4], url(p)) for p in bodies], db_url=db_url)
    open_store(settings.storage.url).dispose()  # the schema, for the guard to attach to
    execute(db_url, SQLITE_GUARD if db_url.startswith("sqlite") else PG_GUARD)

    report = poll_within_bound(settings)
    outcomes = {o.name: o for o in report.outcomes}
    assert sorted(outcomes) == ["good-1", "good-2", "poisoned"]
    assert outcomes["good-1"].new == 20 and outcomes["good-2"].new == 20
    bad = outcomes["poisoned"]
    assert bad.failed and bad.new == 0 and bad.unstored, bad
    assert "could not store" in (bad.error or "") and ("FOREIGN KEY" in bad.error or "refused at commit" in bad.error)
    assert report.unstored == 1
    feeds, counts = stored(settings)
    assert counts == {"good-1": 20, "good-2": 20, "poisoned": 0}  # all or nothing per feed
    assert feeds["poisoned"].last_status == "store error" and "could not store" in (feeds["poisoned"].last_error or "")
    assert feeds["poisoned"].claimed_by is None and feeds["poisoned"].body_hash is None

    execute(db_url, ["DROP TRIGGER commit_guard_poison" if db_url.startswith("sqlite")
                     else "DROP TRIGGER commit_guard_poison ON releases"])
    again = poll_within_bound(settings)
    assert {o.name: (o.status, o.new) for o in again.outcomes}["poisoned"] == ("updated", 20)
    assert not again.failed and stored(settings)[1]["poisoned"] == 20


def test_a_connection_killed_during_commit_fails_that_feed_alone_and_the_next_poll_works(
        served: tuple[dict[str, bytes], Callable[[str], str]], write_config: Callable[..., Settings],
        pg_url: str) -> None:
    bodies, url = served
    settings = write_config([(p[1:-4], url(p)) for p in bodies], db_url=pg_url)
    open_store(settings.storage.url).dispose()
    execute(pg_url, PG_KILL_AT_COMMIT)

    report = poll_within_bound(settings)
    outcomes = {o.name: o for o in report.outcomes}
    assert outcomes["good-1"].new == 20 and outcomes["good-2"].new == 20
    assert outcomes["poisoned"].unstored and "could not store" in (outcomes["poisoned"].error or "")
    assert stored(settings)[1] == {"good-1": 20, "good-2": 20, "poisoned": 0}

    execute(pg_url, ["DROP TRIGGER commit_kill_poison ON releases"])
    again = poll_within_bound(settings)
    assert {o.name: o.new for o in again.outcomes}["poisoned"] == 20 and not again.failed


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_fetch_on_a_full_disk_exits_1_names_the_failure_and_stores_nothing_then_the_next_fetch_works(
        tmp_path: Path) -> None:
    """A real full disk for SQLite: the process may write no file beyond a size (RLIMIT_FSIZE),
    so the first feed write that needs room fails when it commits (the WAL is written then)."""
    bodies = {f"/w{i}.xml": rss(i, 0) for i in range(4)}
    with feed_server(bodies) as server:
        db = tmp_path / "prwatch.db"
        config = write_process_config(tmp_path, f"sqlite:///{db}", {f"w{i}": server.url(f"/w{i}.xml") for i in range(4)})
        first = subprocess.run([PRWATCH, "--config", str(config), "fetch", "--no-digest"], capture_output=True,
                               text=True, timeout=POLL_BOUND_SECONDS)
        assert first.returncode == 0, first.stderr
        for i in range(4):
            bodies[f"/w{i}.xml"] = rss(i, 40)  # 160 releases, far more than the room left
        limit = max(p.stat().st_size for p in tmp_path.glob("prwatch.db*")) + 48 * 1024
        full = subprocess.run([PRWATCH, "--config", str(config), "fetch", "--no-digest"], capture_output=True,
                              text=True, timeout=POLL_BOUND_SECONDS, preexec_fn=_limit_file_size(limit),
                              env={**os.environ, "COLUMNS": "250"})
        assert full.returncode == 1, (full.stdout, full.stderr)
        # SQLite says "disk I/O error" for a write past the size limit, "database or disk is full" for ENOSPC
        assert "could not store this poll's result: OperationalError: disk I/O error" in full.stdout, full.stdout
        assert "4 feeds could not be stored" in full.stdout
        assert "Traceback" not in full.stderr, full.stderr
        assert "160 new" not in full.stdout
        assert sum(stored_counts(db).values()) == 0

        no_room = subprocess.run([PRWATCH, "--config", str(config), "fetch", "--no-digest"], capture_output=True,
                                 text=True, timeout=POLL_BOUND_SECONDS, preexec_fn=_limit_file_size(0))
        assert no_room.returncode == 1 and "prwatch: database error" in no_room.stderr, no_room.stderr
        assert "Traceback" not in no_room.stderr, no_room.stderr

        again = subprocess.run([PRWATCH, "--config", str(config), "fetch", "--no-digest"], capture_output=True,
                               text=True, timeout=POLL_BOUND_SECONDS)
        assert again.returncode == 0, again.stderr
        assert stored_counts(db) == {f"w{i}": 40 for i in range(4)}


def stored_counts(db: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT f.name, count(r.id) FROM feeds f LEFT JOIN releases r "
                                      "ON r.feed_id = f.id GROUP BY f.name")).all())
    engine.dispose()
    return rows

