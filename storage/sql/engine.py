"""The SQL store: engine, session factory and the storage.port implementation on them.

SQLite gets WAL, a busy timeout, foreign keys and `BEGIN IMMEDIATE` for every transaction
(pysqlite defers BEGIN, which turns concurrent writers into "database is locked" errors
half-way through a transaction; SQLAlchemy documents this event recipe), except the
read-only ones of `snapshot` and `health_view`, which need no lock in WAL mode. The schema is
brought up to date with alembic on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from monitor.errors import StorageError
from storage.sql.health import SqlHealthView
from storage.sql.locks import SqlLocks
from storage.sql.migrate import current_revision, ensure_schema, upgrade
from storage.sql.revision import HEAD

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from storage.sql.export import SqlExport
    from storage.sql.transaction import SqlTransaction


class SqlStore:
    """storage.port.Store on SQLite or PostgreSQL: an engine and a session factory.

    The ORM is imported only by a transaction that needs it (storage.sql.transaction), not
    by opening the store: `prwatch status` reads through `health_view` on Core alone, and a
    `prwatch fetch` that claimed no feed writes on Core alone."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.locks = SqlLocks(engine)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        from sqlalchemy.orm import sessionmaker

        return sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def description(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[SqlTransaction]:
        """One unit of work: committed when the block ends, rolled back if it raises. An error
        of the database (a lost connection, a full disk, a refused COMMIT) leaves it as a
        StorageError saying what the database said."""
        from storage.sql.transaction import SqlTransaction

        try:
            with self.engine.connect() as conn, conn.begin():
                tx = SqlTransaction(conn)
                try:
                    yield tx
                    tx.bind.finish()  # the ORM session's last changes, if a store used one
                finally:
                    tx.bind.close()
        except SQLAlchemyError as e:
            raise StorageError(describe_error(e), database=self.description) from e

    @contextmanager
    def snapshot(self) -> Iterator[SqlExport]:
        """A read-only transaction for a long read (an export): see `_read_only`. On PostgreSQL
        its cursors are planned for reading every row (cursor_tuple_fraction 1.0: with the
        default 0.1 an export since a date merge-joined every release from the first, four
        times slower)."""
        from storage.sql.export import SqlExport

        with self._read_only() as conn:
            if not self.is_sqlite:
                conn.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
            yield SqlExport(conn)

    @contextmanager
    def health_view(self) -> Iterator[SqlHealthView]:
        """A read-only transaction on Core for `prwatch status`: see `_read_only`."""
        with self._read_only() as conn:
            yield SqlHealthView(conn)

    @contextmanager
    def _read_only(self) -> Iterator[Connection]:
        """A read-only transaction: on SQLite a deferred BEGIN (a WAL reader: no write lock, so
        a daemon polling meanwhile is not held up), on PostgreSQL REPEATABLE READ READ ONLY (one
        snapshot for the whole read). Errors leave as StorageError."""
        try:
            with self.engine.connect() as conn:
                if self.is_sqlite:
                    conn.execution_options(**{READ_ONLY: True})
                else:
                    conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as e:
            raise StorageError(describe_error(e), database=self.description) from e

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A SQLAlchemy session in one transaction, for storage.sql itself and for tests."""
        with self.sessions.begin() as session:
            yield session

    def schema_version(self) -> str | None:
        try:
            return current_revision(self.engine)
        except SQLAlchemyError as e:
            raise StorageError(describe_error(e)) from e

    @property
    def code_schema_version(self) -> str:
        return HEAD

    def dispose(self) -> None:
        self.engine.dispose()


def upgrade_schema(url: str) -> tuple[str | None, str | None]:
    """Create or migrate the schema of the database at `url`: (revision before, after)."""
    store = open_store(url, migrate=False)
    try:
        before = current_revision(store.engine)
        upgrade(store.engine)
        return before, current_revision(store.engine)
    finally:
        store.dispose()


def open_store(url: str, *, migrate: bool = True) -> SqlStore:
    """Connect to the database at `url`; create or upgrade the schema when `migrate`."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        engine.dispose()
        raise StorageError(f"cannot open the database {safe_url(url)}: {e.__class__.__name__}: {_first_line(e)}") from e
    if migrate:
        ensure_schema(engine)
    return SqlStore(engine)


READ_ONLY = "prwatch_read_only"  # a connection's execution option: its SQLite transactions only read


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
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
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


def describe_error(e: BaseException) -> str:
    """A database error in one line for a user: its kind and the driver's first line."""
    return f"{e.__class__.__name__}: {_first_line(e)}"


def _first_line(e: BaseException) -> str:
    if isinstance(e, DBAPIError) and e.orig is not None:
        return str(e.orig).splitlines()[0] if str(e.orig) else repr(e.orig)
    return (str(e).splitlines() or [""])[0]


def safe_url(url: str) -> str:
    """The database URL for messages: its password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message
        return "<database>"
