"""The schema revision this code ships, in a module of its own: `prwatch status` compares a
SQLite database against it without importing SQLAlchemy or alembic (storage.sql.sqlite_health)."""

HEAD = "0012"  # keep equal to the newest revision in migrations/versions
