"""Locks between processes that share a database.

PostgreSQL: advisory locks (the keys below; storage.sql.migrate has the migration one). One
digest writer at a time holds a session lock on its own connection for the whole run; the
server drops it if the holder dies. SQLite allows one daemon per database file: it holds an
exclusive lock on a file beside the database, which the kernel drops when the process dies,
however it dies.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, func, select

from monitor.errors import StorageError

SYNC_LOCK, DIGEST_LOCK = 7461234003, 7461234002


class SqlLocks:
    """storage.port.Locks on SQLAlchemy."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @contextmanager
    def digest_writer(self) -> Iterator[bool]:
        """SQLite has one daemon, so the lock is always granted there."""
        if self._engine.dialect.name != "postgresql":
            yield True
            return
        with self._engine.connect() as conn:
            mine = bool(conn.execute(select(func.pg_try_advisory_lock(DIGEST_LOCK))).scalar())
            conn.commit()
            try:
                yield mine
            finally:
                if mine:
                    conn.execute(select(func.pg_advisory_unlock(DIGEST_LOCK)))
                    conn.commit()

    @contextmanager
    def single_daemon(self) -> Iterator[None]:
        """Held where the database allows one daemon (SQLite); any number share PostgreSQL."""
        if self._engine.dialect.name != "sqlite":
            yield
            return
        db = self._engine.url.database or "prwatch"
        path = Path(db + ".daemon.lock")
        fh = open(path, "a+")  # noqa: SIM115 - held for the daemon's life
        try:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "another process"
                raise StorageError(f"another prwatch daemon ({holder}) is already running on {db}; SQLite allows one "
                                   f"daemon per database (lock file {path}). Stop it first, or use PostgreSQL to run "
                                   "several.") from None
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} on {socket.gethostname()}, since "
                     f"{datetime.now(timezone.utc).isoformat(timespec='seconds')}")
            fh.flush()
            yield
        finally:
            fh.close()
