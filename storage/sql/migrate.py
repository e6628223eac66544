"""Schema migrations with alembic: `prwatch db upgrade`, and automatically at start.

Checking the schema version is one cheap SELECT; alembic itself is imported only when the
database is behind, so a routine `prwatch fetch` does not pay for it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from monitor.errors import StorageError
from storage.sql.revision import HEAD

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 7461234001  # PostgreSQL advisory lock key (storage.sql.locks has the others)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    """Revision ids this code ships (the files are named after them: 0001_initial_schema.py)."""
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py")}


def check_not_newer(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise StorageError(
            f"the database schema is at revision {revision}, newer than this prwatch knows (its newest is {HEAD}): "
            "a newer prwatch has upgraded this database. Upgrade prwatch here too; do not run older and newer "
            "versions against one database.")


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema when it is not at HEAD; refuse a database that is newer."""
    rev = current_revision(engine)
    if rev != HEAD:
        check_not_newer(rev)
        if rev is None and engine.dialect.name == "sqlite" and create_empty_sqlite(engine):
            return
        upgrade(engine)


def create_empty_sqlite(engine: Engine) -> bool:
    """Create the HEAD schema in one transaction if the SQLite database holds no table yet
    (storage.sql.head_snapshot, checked against the migrations by a test); False, changing
    nothing, when it holds any: then the migrations decide. The write lock taken first makes
    processes starting together on a new file create it once."""
    from storage.sql.migrations.sqlite_head import REVISION, STATEMENTS
    from storage.sql.tables import DIGEST_MARKS

    with engine.begin() as conn:
        if conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'table'")).scalar():
            return False
        for statement in STATEMENTS:
            conn.exec_driver_sql(statement)
        # what the migrations write into a new database: its revision, 0007's rebuild of the
        # (empty) search index, and 0004's mark that digests are current as of now
        conn.execute(text("INSERT INTO release_search (release_search) VALUES ('rebuild')"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:rev)"), {"rev": REVISION})
        conn.execute(DIGEST_MARKS.insert().values(id=1, written_through=datetime.now(timezone.utc)))
    return True


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate in one transaction. On PostgreSQL under an advisory lock, so daemons starting
    together migrate once: the others wait, then find the schema current (DDL is
    transactional there). On SQLite the write transaction (BEGIN IMMEDIATE) serialises them."""
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin at import
    from alembic import (
        command,  # imported here, on purpose: only a database that is behind needs it
    )

    cfg = alembic_config()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        if inspect(conn).has_table("alembic_version"):
            check_not_newer(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def alembic_config() -> Config:

    from alembic.config import Config  # imported here, on purpose: see upgrade

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg
