"""A new SQLite database is created from the snapshot of the HEAD schema, and that database
is the one the migrations build step by step: same schema, same rows."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text

from storage.sql import head_snapshot
from storage.sql.engine import make_engine, open_store
from storage.sql.migrate import create_empty_sqlite, current_revision, upgrade
from storage.sql.revision import HEAD


def test_the_snapshot_is_generated_from_the_newest_migrations() -> None:
    assert head_snapshot.SNAPSHOT.read_text(encoding="utf-8") == head_snapshot.render(
        head_snapshot.migrated_statements()), (
        "storage/sql/migrations/sqlite_head.py is behind the migrations: run "
        "`.venv/bin/python -m storage.sql.head_snapshot` and commit the file")


def _contents(db: Path) -> tuple[set[tuple[str, str, str, str]], dict[str, list[tuple[object, ...]]]]:
    """Every schema object and every table's rows (digest_marks without its time)."""
    con = sqlite3.connect(db)
    try:
        schema = set(con.execute("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master"))
        tables = [n for t, n, _, _ in schema if t == "table"]
        rows = {n: sorted(con.execute(f'SELECT * FROM "{n}"'), key=repr) for n in tables if n != "digest_marks"}
        rows["digest_marks ids"] = list(con.execute("SELECT id FROM digest_marks"))
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.execute("INSERT INTO release_search (release_search) VALUES ('integrity-check')")
    finally:
        con.close()
    return schema, rows


def test_a_new_database_from_the_snapshot_equals_one_the_migrations_built(tmp_path: Path) -> None:
    before = datetime.now(timezone.utc)
    migrated, created = tmp_path / "migrated.db", tmp_path / "created.db"
    engine = make_engine(f"sqlite:///{migrated}")
    upgrade(engine)
    engine.dispose()
    store = open_store(f"sqlite:///{created}")
    with store.engine.connect() as conn:
        mark = conn.execute(text("SELECT written_through FROM digest_marks")).scalar_one()
    assert current_revision(store.engine) == HEAD
    store.dispose()
    assert _contents(created) == _contents(migrated)
    assert before.replace(tzinfo=None) <= datetime.fromisoformat(mark) <= datetime.now(timezone.utc).replace(tzinfo=None)


def test_a_file_that_already_holds_tables_is_left_to_the_migrations(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE notes (body TEXT)")
    con.commit()
    con.close()
    engine = make_engine(f"sqlite:///{db}")
    assert create_empty_sqlite(engine) is False
    engine.dispose()
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["notes"]
    con.close()
