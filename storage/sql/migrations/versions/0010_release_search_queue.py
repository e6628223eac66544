"""release_search_queue: on SQLite, new releases wait here to be indexed in one go

FTS5 writes a new index segment at every commit that touched it, so indexing each feed's
releases in that feed's own transaction cost about 1 s of CPU per 10,000 releases against
0.25 s for the same releases indexed in one statement. A new release's id now goes into
`release_search_queue` (one small row), and storage.sql.search_index indexes what waits
there in one statement: at the end of each poll, and before any search, so a search never
misses a stored release. A revised or deleted release that is still waiting has nothing in
the index to take out; the triggers that take old text out of the index skip it.

PostgreSQL has no such cost per commit (a GIN index takes a row's tsvector into its pending
list): its triggers stay as migration 0007 made them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 00:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

_AT = "coalesce(new.placed_at, new.first_seen_at)"  # a release's date, as storage.sql.search has it
_INDEXED = "NOT EXISTS (SELECT 1 FROM release_search_queue WHERE id = old.id)"

# one trigger per event, its statements in order: whether the release was still waiting is
# read before its queue row goes
_UP = [
    "CREATE TABLE release_search_queue (id INTEGER PRIMARY KEY)",
    "DROP TRIGGER release_search_insert",
    "DROP TRIGGER release_search_delete",
    "DROP TRIGGER release_search_update",
    "CREATE TRIGGER release_search_insert AFTER INSERT ON releases BEGIN "
    "INSERT INTO release_search_queue (id) VALUES (new.id); "
    f"INSERT INTO release_search_facets (id, feed_id, story_id, at) VALUES (new.id, new.feed_id, new.story_id, {_AT}); "
    "END",
    # a waiting release has nothing in the index to take out
    "CREATE TRIGGER release_search_delete AFTER DELETE ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) "
    f"SELECT 'delete', old.id, old.title, old.text WHERE {_INDEXED}; "
    "DELETE FROM release_search_queue WHERE id = old.id; "
    "DELETE FROM release_search_facets WHERE id = old.id; END",
    # a waiting release is indexed with its text as it is then: nothing to do now
    "CREATE TRIGGER release_search_update AFTER UPDATE OF title, text ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) "
    f"SELECT 'delete', old.id, old.title, old.text WHERE {_INDEXED}; "
    f"INSERT INTO release_search (rowid, title, text) SELECT new.id, new.title, new.text WHERE {_INDEXED}; END",
]

_DOWN = [
    # what waits is indexed first: migration 0007's triggers index every release as it is stored
    "INSERT INTO release_search (rowid, title, text) SELECT r.id, r.title, r.text FROM releases r "
    "JOIN release_search_queue q ON q.id = r.id",
    "DROP TRIGGER release_search_update",
    "DROP TRIGGER release_search_delete",
    "DROP TRIGGER release_search_insert",
    "DROP TABLE release_search_queue",
    "CREATE TRIGGER release_search_insert AFTER INSERT ON releases BEGIN "
    "INSERT INTO release_search (rowid, title, text) VALUES (new.id, new.title, new.text); "
    "INSERT INTO release_search_facets (id, feed_id, story_id, at) "
    f"VALUES (new.id, new.feed_id, new.story_id, {_AT}); END",
    "CREATE TRIGGER release_search_delete AFTER DELETE ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "DELETE FROM release_search_facets WHERE id = old.id; END",
    "CREATE TRIGGER release_search_update AFTER UPDATE OF title, text ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO release_search (rowid, title, text) VALUES (new.id, new.title, new.text); END",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in _DOWN:
            op.execute(statement)
