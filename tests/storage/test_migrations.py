"""The alembic migrations create exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from storage.engine import open_store
from storage.migrate import HEAD, current_revision
from storage.models import Base


def test_migrations_reach_head_and_match_the_models(db_url: str) -> None:
    store = open_store(db_url)
    assert current_revision(store.engine) == HEAD
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_opening_twice_does_not_migrate_again(db_url: str) -> None:
    open_store(db_url).dispose()
    store = open_store(db_url)
    assert current_revision(store.engine) == HEAD
    store.dispose()


def _open(url: str) -> str:
    from storage.migrate import current_revision as rev

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


def test_a_database_newer_than_the_code_is_refused_clearly(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import pytest
    from sqlalchemy import text

    from monitor.cli import main
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
