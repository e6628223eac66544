"""release_search: the full-text index of releases (`prwatch search`), filled for stored ones;
figures indexed by measure (`prwatch figures --measure`)

SQLite: an FTS5 table over each release's title and text (external content: the text is not
stored twice), and a narrow table of what a search filters and groups on (feed, story,
date); triggers keep both current on insert, on update (a revision; a story assigned) and
on delete (a purge, a removed feed). PostgreSQL: a table of one weighted tsvector per
release (title A, the first 100,000 characters of its text B: a tsvector has a size limit)
under a GIN index, with the same feed, story and date beside it, written by triggers on
insert and update; a deleted release takes its row with it (ON DELETE CASCADE). Both are
filled here for the releases already stored.

A later migration that rebuilds `releases` on SQLite (batch "move and copy") drops these
triggers with the old table and must create them again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CHARS = 100_000  # of a release's text on PostgreSQL: storage.sql.search.SEARCHED_CHARS when this was written

_AT = "coalesce({row}.placed_at, {row}.first_seen_at)"  # a release's date, as storage.sql.search has it

_SQLITE_UP = [
    # external content: the index reads title and text from `releases` itself (not stored twice)
    "CREATE VIRTUAL TABLE release_search USING fts5(title, text, content='releases', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    # what a search filters and groups on, in a narrow table (a release row is kilobytes wide)
    "CREATE TABLE release_search_facets (id INTEGER PRIMARY KEY, feed_id INTEGER NOT NULL, story_id INTEGER, "
    "at DATETIME NOT NULL)",
    "CREATE TRIGGER release_search_insert AFTER INSERT ON releases BEGIN "
    "INSERT INTO release_search (rowid, title, text) VALUES (new.id, new.title, new.text); "
    "INSERT INTO release_search_facets (id, feed_id, story_id, at) "
    f"VALUES (new.id, new.feed_id, new.story_id, {_AT.format(row='new')}); END",
    "CREATE TRIGGER release_search_delete AFTER DELETE ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "DELETE FROM release_search_facets WHERE id = old.id; END",
    "CREATE TRIGGER release_search_update AFTER UPDATE OF title, text ON releases BEGIN "
    "INSERT INTO release_search (release_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO release_search (rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER release_search_facets_update AFTER UPDATE OF feed_id, story_id, placed_at, first_seen_at "
    "ON releases BEGIN UPDATE release_search_facets SET feed_id = new.feed_id, story_id = new.story_id, "
    f"at = {_AT.format(row='new')} WHERE id = new.id; END",
    "INSERT INTO release_search (release_search) VALUES ('rebuild')",
    f"INSERT INTO release_search_facets (id, feed_id, story_id, at) SELECT id, feed_id, story_id, {_AT.format(row='releases')} "
    "FROM releases",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS release_search_facets_update",
    "DROP TRIGGER IF EXISTS release_search_update",
    "DROP TRIGGER IF EXISTS release_search_delete",
    "DROP TRIGGER IF EXISTS release_search_insert",
    "DROP TABLE IF EXISTS release_search_facets",
    "DROP TABLE IF EXISTS release_search",
]

_POSTGRES_UP = [
    "CREATE FUNCTION release_search_document(title text, body text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT setweight(to_tsvector('english'::regconfig, left(coalesce(title, ''), 10000)), 'A') || "
    f"setweight(to_tsvector('english'::regconfig, left(coalesce(body, ''), {CHARS})), 'B') $$",
    # the document and what a search filters and groups on, beside it (a release row is kilobytes wide)
    "CREATE TABLE release_search (release_id integer PRIMARY KEY REFERENCES releases (id) ON DELETE CASCADE, "
    "feed_id integer NOT NULL, story_id integer, at timestamp with time zone NOT NULL, document tsvector NOT NULL)",
    "CREATE FUNCTION release_search_index() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "INSERT INTO release_search (release_id, feed_id, story_id, at, document) "
    f"VALUES (NEW.id, NEW.feed_id, NEW.story_id, {_AT.format(row='NEW')}, release_search_document(NEW.title, NEW.text)) "
    "ON CONFLICT (release_id) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$",
    "CREATE FUNCTION release_search_facets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"UPDATE release_search SET feed_id = NEW.feed_id, story_id = NEW.story_id, at = {_AT.format(row='NEW')} "
    "WHERE release_id = NEW.id; RETURN NULL; END $$",
    "CREATE TRIGGER release_search_index AFTER INSERT OR UPDATE OF title, text ON releases "
    "FOR EACH ROW EXECUTE FUNCTION release_search_index()",
    "CREATE TRIGGER release_search_facets AFTER UPDATE OF feed_id, story_id, placed_at, first_seen_at ON releases "
    "FOR EACH ROW EXECUTE FUNCTION release_search_facets()",
    "INSERT INTO release_search (release_id, feed_id, story_id, at, document) "
    f"SELECT id, feed_id, story_id, {_AT.format(row='releases')}, release_search_document(title, text) FROM releases",
    "CREATE INDEX ix_release_search_document ON release_search USING gin (document)",
]
_POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS release_search_facets ON releases",
    "DROP TRIGGER IF EXISTS release_search_index ON releases",
    "DROP FUNCTION IF EXISTS release_search_facets()",
    "DROP FUNCTION IF EXISTS release_search_index()",
    "DROP TABLE IF EXISTS release_search",
    "DROP FUNCTION IF EXISTS release_search_document(text, text)",
]


def upgrade() -> None:
    for statement in _SQLITE_UP if op.get_bind().dialect.name == "sqlite" else _POSTGRES_UP:
        op.execute(statement)
    op.create_index('ix_figures_measure', 'figures', ['measure'])


def downgrade() -> None:
    op.drop_index('ix_figures_measure', table_name='figures')
    for statement in _SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else _POSTGRES_DOWN:
        op.execute(statement)
