"""the date of each release in SQLite's search facets indexed (`prwatch search --since/--until`)

A search with dates walked every match of its words back from the newest until it reached
the dates asked for: a common word in an old month meant tens of thousands of matches read
and dropped. With the date indexed, SQLite finds the range of release ids those dates hold
and FTS5 reads only the matches in that range.

PostgreSQL is left as it is: given an index on release_search.at, its planner scans that
index and tests each row's document (reading every tsvector whole) instead of combining it
with the GIN index, which measured slower than the GIN index alone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE INDEX ix_release_search_facets_at ON release_search_facets (at)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP INDEX ix_release_search_facets_at")
