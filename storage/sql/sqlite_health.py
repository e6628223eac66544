"""`prwatch status` on a SQLite database through the standard library's sqlite3 alone.

A health check is run often (by people, by monitoring every minute) and reads little, so its
start-up is most of its cost, and importing SQLAlchemy was most of that. This reader answers
storage.port.HealthView with the statements of storage.sql.health written out in SQL, and
decodes the values as storage.sql.tables stores them on SQLite (UTCDateTime: naive UTC text;
Boolean: 0/1; JSON: text). A test holds its answers equal to SqlHealthView's on the same data.

It serves only the ordinary case: a database file that exists and is at the schema this code
ships. Anything else (no file yet, an older or newer schema, a URL with options, a database
that cannot be read) gives None, and the caller opens the full store, which creates, migrates
or refuses with its usual messages.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from monitor.domain import FeedRecord, OutboxHealth, OutboxMessage
from monitor.errors import StorageError
from storage.sql.revision import HEAD

# a plain file path, as monitor.config.resolve_db_url leaves it (absolute); no query options
_PLAIN_SQLITE_URL = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>/[^?%]+)")
BUSY_TIMEOUT_S = 30  # as storage.sql.engine: wait for a writer's commit rather than fail

_FEED_COLUMNS = ("id, name, url, origin, full_text, enabled, disabled_reason, tags, etag, last_modified, "
                 "next_check_at, last_fetched_at, last_success_at, last_status, last_error, error_count, "
                 "claimed_by, claim_expires_at, created_at")
_MESSAGE_COLUMNS = ("id, key, kind, rule, channel, topic_id, title, payload, status, attempts, created_at, "
                    "next_attempt_at, last_attempt_at, sent_at, last_error")
# a message that counts: waiting, or given up within the window (storage.sql.health.outbox_health)
_COUNTED = "(status = 'pending' OR (status = 'failed' AND created_at >= :since))"


class SqliteHealthStore:
    """The part of storage.port.Store that `prwatch status` uses, on one sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self._conn = conn
        self._path = path

    @property
    def description(self) -> str:
        return f"sqlite:///{self._path}"

    @contextmanager
    def health_view(self) -> Iterator[SqliteHealthView]:
        """One deferred read transaction (a WAL reader: it holds no writer up), as SqlStore's."""
        try:
            self._conn.execute("BEGIN")
            try:
                yield SqliteHealthView(self._conn)
            finally:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error as e:
            raise StorageError(f"{e.__class__.__name__}: {e}", database=self.description) from e

    def schema_version(self) -> str | None:
        return HEAD  # opened only at HEAD (open_sqlite_health)

    @property
    def code_schema_version(self) -> str:
        return HEAD

    def dispose(self) -> None:
        self._conn.close()


def open_sqlite_health(url: str) -> SqliteHealthStore | None:
    """The reader for a plain SQLite file at the current schema, else None (see the module)."""
    m = _PLAIN_SQLITE_URL.fullmatch(url)
    if m is None or not Path(m["path"]).is_file():
        return None
    try:  # mode=rw: never create a file, and no journal-mode change (the store set WAL)
        conn = sqlite3.connect(f"file:{quote(m['path'])}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        row = None
    if row is None or row[0] != HEAD:
        conn.close()
        return None
    return SqliteHealthStore(conn, m["path"])


class SqliteHealthView:
    """storage.port.HealthView on a sqlite3 connection in a read transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def feeds(self) -> list[FeedRecord]:
        rows = self._conn.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY name")
        return [FeedRecord(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), r[6], tuple(_json(r[7]) or ()), r[8],
                           r[9], _time(r[10]), _time(r[11]), _time(r[12]), r[13], r[14], r[15], r[16], _time(r[17]),
                           _required_time(r[18]))
                for r in rows]

    def last_finished(self, kind: str | None = None) -> datetime | None:
        where = " AND kind = :kind" if kind else ""
        row = self._conn.execute(f"SELECT finished_at FROM poll_runs WHERE finished_at IS NOT NULL{where} "
                                 "ORDER BY started_at DESC LIMIT 1", {"kind": kind}).fetchone()
        return _time(row[0]) if row else None

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        where = " AND kind = :kind" if kind else ""
        rows = self._conn.execute(f"SELECT worker, max(finished_at) FROM poll_runs WHERE finished_at >= :since{where} "
                                  "GROUP BY worker ORDER BY worker", {"since": _stored(since), "kind": kind})
        return [(w, _required_time(at)) for w, at in rows if at is not None]

    def outbox_health(self, since: datetime) -> OutboxHealth:
        p = {"since": _stored(since)}
        q = self._conn.execute
        counts = dict(q(f"SELECT status, count(*) FROM alert_messages WHERE {_COUNTED} GROUP BY status", p).fetchall())
        retrying = q("SELECT count(*) FROM alert_messages WHERE status = 'pending' AND attempts > 0").fetchone()[0]
        oldest = q("SELECT min(created_at) FROM alert_messages WHERE status = 'pending'").fetchone()[0]
        last = q(f"SELECT {_MESSAGE_COLUMNS} FROM alert_messages WHERE last_error IS NOT NULL AND {_COUNTED} "
                 "ORDER BY last_attempt_at DESC LIMIT 1", p).fetchone()
        return OutboxHealth(int(counts.get("pending", 0)), int(retrying or 0), int(counts.get("failed", 0)),
                            _time(oldest), _message(last) if last is not None else None)


def _message(r: tuple[Any, ...]) -> OutboxMessage:
    return OutboxMessage(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _json(r[7]), r[8], r[9], _required_time(r[10]),
                         _required_time(r[11]), _time(r[12]), _time(r[13]), r[14])


def _time(value: str | None) -> datetime | None:
    """A UTCDateTime as SQLite holds it ('2026-12-03 13:33:29.123456', UTC without a zone)."""
    return None if value is None else _required_time(value)


def _required_time(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=timezone.utc)


def _stored(when: datetime) -> str:
    """A time as UTCDateTime stores it on SQLite, so that text comparison orders it rightly."""
    return when.astimezone(timezone.utc).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _json(value: str | None) -> Any:
    return None if value is None else json.loads(value)
