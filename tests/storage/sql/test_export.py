"""The export's reads (storage.port.ExportStore through SqlStore.snapshot), on SQLite and
PostgreSQL: rows stream a batch at a time (memory flat in the number of rows; a server-side
cursor on PostgreSQL), from one snapshot that neither waits for writers nor holds them up."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import insert, text

from monitor.domain import ReleaseFilter
from storage.sql import export as export_module
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import open_store
from storage.sql.models import FigureRow
from tests.ask_sample import T0, feed, release


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.dispose()


def five_releases(store: Store) -> None:
    with store.session() as s:
        wire = feed(s, "Wire")
        for day in range(5):
            release(s, wire, f"Release {day}", "Text.", day=day)


def test_a_snapshot_reads_the_store_as_it_began_and_holds_no_writer_up(store: Store,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "BATCH", 2)  # the export is still reading when the writer commits
    five_releases(store)
    with store.snapshot() as rows:
        exported = rows.releases()
        first = next(exported)
        with store.session() as s:  # a poll storing meanwhile: on SQLite it needs the write lock
            release(s, feed(s, "Other wire"), "Stored during the export", "Text.", day=9)
        titles = [first.title] + [r.title for r in exported]
    assert titles == [f"Release {day}" for day in range(5)]
    with store.snapshot() as rows:
        assert [r.title for r in rows.releases()][-1] == "Stored during the export"


def test_memory_does_not_grow_with_the_rows(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "BATCH", 50)
    with store.session() as s:
        wire = feed(s, "Wire")
        releases = [release(s, wire, f"Release {day}", "Text.", day=day) for day in range(10)]
        s.execute(insert(FigureRow), [dict(release_id=r.id, position=p, kind="money", value=p * 1e6, unit="USD",
                                           text=f"${p} million", sentence=f"It said ${p} million. " * 5,
                                           subject="trade", period="2024", measure="trade/x",
                                           measure_key=f"money|money|m:trade/x|{p}", feed_id=wire.id,
                                           stated_at=r.first_seen_at, first_seen_at=r.first_seen_at)
                                      for r in releases for p in range(600)])

    def peak(where: ReleaseFilter) -> tuple[int, int]:
        tracemalloc.start()
        try:
            with store.snapshot() as rows:
                n = sum(1 for _ in rows.figures(where))
            return n, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    first_day = ReleaseFilter(until=T0 + timedelta(hours=1))
    peak(first_day)  # warm-up: the statement compiled and cached once
    n_tenth, tenth = peak(first_day)
    n_all, everything = peak(ReleaseFilter())
    assert (n_tenth, n_all) == (600, 6000)
    assert everything < 1.5 * tenth, (tenth, everything)  # ten times the rows, not ten times the memory


def test_postgresql_reads_through_a_server_side_cursor(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "BATCH", 2)
    store = open_store(pg_url)
    five_releases(store)
    with store.snapshot() as rows:
        exported = rows.releases()
        next(exported)
        with store.engine.connect() as other:  # what the export's connection is doing between two batches
            queries = list(other.execute(text(
                "SELECT query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND state = 'idle in transaction'")).scalars())
        assert any(q.lstrip().upper().startswith(("DECLARE", "FETCH")) for q in queries), queries
        assert len(list(exported)) == 4
    store.dispose()


def test_postgresql_gives_utc_times_and_filters_whatever_the_session_time_zone(pg_url: str) -> None:
    store = open_store(pg_url + "?options=-c%20TimeZone%3DAsia/Almaty")  # a server set to local time
    with store.session() as s:
        wire, other = feed(s, "Wire"), feed(s, "Other wire")
        for day in range(4):
            release(s, wire if day % 2 else other, f"Release {day}", "Text.", day=day, topic="grain" if day else None)
    where = ReleaseFilter(topic="grain", feeds=("Wire", "Other wire"), since=T0 + timedelta(days=1),
                          until=T0 + timedelta(days=3))
    with store.snapshot() as rows:
        exported = list(rows.releases(where))
    store.dispose()
    assert [(r.title, r.first_seen_at) for r in exported] == [("Release 1", T0 + timedelta(days=1)),
                                                              ("Release 2", T0 + timedelta(days=2))]
    assert {r.first_seen_at.isoformat()[-6:] for r in exported} == {"+00:00"}
    assert [r.topics for r in exported] == [("grain",), ("grain",)]
