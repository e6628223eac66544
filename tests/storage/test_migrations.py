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
