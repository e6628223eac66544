"""The alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text

from monitor.domain import FetchSucceeded
from monitor.ingest.process import process_feed
from monitor.ingest.storing import store_fetched
from storage.sql.engine import make_engine, open_store
from storage.sql.migrate import alembic_config, current_revision
from storage.sql.models import Base, Release, modelled
from storage.sql.revision import HEAD


# SQLite cannot reflect an index on an expression (ix_releases_story_first): alembic skips it
# there, and compares it on PostgreSQL
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_reach_head_and_match_the_models(db_url: str) -> None:
    store = open_store(db_url)
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_object": modelled}), Base.metadata)
    store.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_opening_twice_does_not_migrate_again(db_url: str) -> None:
    open_store(db_url).dispose()
    store = open_store(db_url)
    assert current_revision(store.engine) == HEAD
    store.dispose()


def _open(url: str) -> str:
    from storage.sql.migrate import current_revision as rev

    store = open_store(url)
    try:
        return rev(store.engine) or ""
    finally:
        store.dispose()


def test_daemons_starting_together_on_postgresql_migrate_once(pg_url: str) -> None:
    """Four processes open an empty database at the same moment: one creates the schema, the
    others wait for its advisory lock and find it current; none fails."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(4) as pool:
        revisions = pool.map(_open, [pg_url] * 4)
    assert revisions == [HEAD] * 4


def test_processes_starting_together_on_a_new_sqlite_file_create_it_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One creates the schema from the HEAD snapshot (storage.sql.head_snapshot); the others
    wait for its write lock, find tables, leave the file to the migrations, which find it
    current; none fails."""
    import multiprocessing
    import sqlite3

    url = f"sqlite:///{tmp_path / 'new.db'}"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        revisions = pool.map(_open, [url] * 4)
    assert revisions == [HEAD] * 4
    con = sqlite3.connect(tmp_path / "new.db")
    assert con.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM digest_marks").fetchone() == (1,)
    con.close()


def test_a_database_newer_than_the_code_is_refused_clearly(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from sqlalchemy import text

    from monitor.app.cli import main
    from monitor.errors import StorageError

    store = open_store(db_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    store.dispose()
    with pytest.raises(StorageError, match=r"schema is at revision 0999, newer than this prwatch knows \(its newest is"):
        open_store(db_url)
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "{db_url}"\n', encoding="utf-8")
    assert main(["--config", str(cfg), "db", "upgrade"]) == 1



def _rss(*titles: str) -> bytes:
    items = "".join(f"<item><guid>{t}</guid><title>{t}</title><description>{t} text.</description></item>"
                    for t in titles)
    return f'<rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()


def test_upgrading_a_0001_database_keeps_its_releases_and_the_next_change_fills_their_source_hashes(
        db_url: str) -> None:
    """Releases stored before source hashes existed are read whole once more, found
    unchanged (no revision), and get their hash then."""
    url = "https://wire.test/f.xml"
    now = datetime(2024, 7, 1, tzinfo=timezone.utc)
    open_store(db_url).dispose()
    engine = make_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:  # back to the first schema, as an older prwatch left it, with two releases
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    with engine.begin() as conn:  # written as the 0001 schema has it (0003 added feeds.tags)
        conn.execute(text("INSERT INTO feeds (name, url, origin, full_text, enabled, error_count, created_at) "
                          "VALUES ('f', :u, 'command', false, true, 0, :n)"), dict(u=url, n=now))
        feed_id = conn.execute(text("SELECT id FROM feeds WHERE name = 'f'")).scalar_one()
        for e in process_feed(_rss("A", "B"), {}, url, {}, ()).changed:
            conn.execute(text("INSERT INTO releases (feed_id, guid, title, first_seen_at, updated_at, text, "
                              "content_hash, revision) VALUES (:f, :g, :t, :n, :n, :x, :h, 1)"),
                         dict(f=feed_id, g=e.draft.guid, t=e.draft.title, n=now, x=e.draft.text, h=e.content_hash))
    engine.dispose()

    store = open_store(db_url)  # upgrades
    assert current_revision(store.engine) == HEAD
    with store.transaction() as tx:
        known, sources = tx.releases.known(feed_id)
    assert set(known) == {"A", "B"} and sources == {}
    result = process_feed(_rss("A", "B", "C"), {}, url, known, (), sources)
    assert [e.draft.guid for e in result.changed] == ["C"] and result.unchanged == 2
    assert sorted(g for g, _ in result.restamped) == ["A", "B"]
    with store.transaction() as tx:
        [job] = tx.claims.claim("w", now, lease=timedelta(minutes=5), due_only=False)
        counts = store_fetched(tx, job, result, now, FetchSucceeded("200", now, None, None, None))
    with store.session() as s:
        stored = {g: h for g, h in s.execute(select(Release.guid, Release.source_hash))}
    store.dispose()
    assert (counts.new, counts.revised) == (1, 0)
    assert set(stored) == {"A", "B", "C"} and all(stored.values())
