"""Schema migrations with alembic: `prwatch db upgrade`, and automatically at start.

Checking the schema version is one cheap SELECT; alembic itself is imported only when the
database is behind, so a routine `prwatch fetch` does not pay for it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, text

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0001"  # keep equal to the newest revision in migrations/versions


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> None:
    """Create or upgrade the schema when it is not at HEAD."""
    if current_revision(engine) != HEAD:
        upgrade(engine)


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # two daemons starting at once must not both create the tables
            conn.execute(text("SELECT pg_advisory_xact_lock(7461234001)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg
