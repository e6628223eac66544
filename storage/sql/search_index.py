"""Bringing SQLite's full-text index up to date: the releases waiting in
`release_search_queue` (migration 0010) are indexed in one statement.

FTS5 writes an index segment at every commit that touched it, so a poll that indexed each
feed's releases in that feed's transaction paid that cost once per feed; indexing what waits
once at the end of the poll costs about a quarter of it. A search indexes what waits before
it reads the index, so it never misses a stored release, even after a poll that was stopped
before its end. PostgreSQL indexes each release as it is stored (its GIN pending list has no
such cost): nothing waits there.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, text
from sqlalchemy.orm import Session

_ANY_WAITING = text("SELECT EXISTS (SELECT 1 FROM release_search_queue)")
_INDEX_WAITING = text("INSERT INTO release_search (rowid, title, text) SELECT r.id, r.title, r.text "
                      "FROM release_search_queue q JOIN releases r ON r.id = q.id")
_EMPTY_QUEUE = text("DELETE FROM release_search_queue")


def index_waiting(session: Session) -> int:
    """Index the releases stored since the last call (SQLite); how many."""
    if session.get_bind().dialect.name != "sqlite" or not session.scalar(_ANY_WAITING):
        return 0
    indexed = cast(CursorResult[Any], session.execute(_INDEX_WAITING)).rowcount  # an INSERT's result has one
    session.execute(_EMPTY_QUEUE)
    return indexed
