"""Engine and session factory for SQLite and PostgreSQL.

SQLite gets WAL, a busy timeout, foreign keys and `BEGIN IMMEDIATE` for every transaction
(pysqlite defers BEGIN, which turns concurrent writers into "database is locked" errors
half-way through a transaction; SQLAlchemy documents this event recipe). The schema is
brought up to date with alembic on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from monitor.errors import StorageError


@dataclass(frozen=True)
class Store:
    """An open database: its engine and a session factory."""

    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        with self.sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(url: str, *, migrate: bool = True) -> Store:
    """Connect to the database at `url`; create or upgrade the schema when `migrate`."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        engine.dispose()
        raise StorageError(f"cannot open the database {_safe(url)}: {e.__class__.__name__}: {_first_line(e)}") from e
    if migrate:
        from storage.sql.migrate import ensure_schema

        ensure_schema(engine)
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        from pathlib import Path

        from sqlalchemy.engine import make_url

        db = make_url(url).database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args=_pg_connect_args(url))


PG_CONNECT = {
    "connect_timeout": 10,  # libpq waits forever by default: a daemon must not hang on a dead server
    "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3,  # notice a lost host
    "application_name": "prwatch",  # who is who in pg_stat_activity
}


def _pg_connect_args(url: str) -> dict[str, object]:
    """Defaults for what the URL does not set itself (?connect_timeout=… wins)."""
    from sqlalchemy.engine import make_url

    given = make_url(url).query
    return {k: v for k, v in PG_CONNECT.items() if k not in given}


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # let the "begin" event below emit BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def describe_error(e: BaseException) -> str:
    """A database error in one line for a user: its kind and the driver's first line."""
    return f"{e.__class__.__name__}: {_first_line(e)}"


def _first_line(e: BaseException) -> str:
    if isinstance(e, DBAPIError) and e.orig is not None:
        return str(e.orig).splitlines()[0] if str(e.orig) else repr(e.orig)
    return (str(e).splitlines() or [""])[0]


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message
        return "<database>"
