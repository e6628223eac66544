"""`prwatch db upgrade` and `prwatch purge`: the database's schema and its size."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import click

from monitor.app.cli.base import EXIT_OK, Days, command, group, print_json, say, settings_and_store, with_logging


@group("db")
def db() -> None:
    """Database tools."""


@command(db, name="upgrade")
def upgrade() -> int:
    """Create or migrate the schema to the latest version."""
    from storage.sql.engine import open_store as open_
    from storage.sql.migrate import current_revision, upgrade as migrate

    settings = with_logging("db")
    store = open_(settings.storage.url, migrate=False)
    try:
        before = current_revision(store.engine)
        migrate(store.engine)
        after = current_revision(store.engine)
    finally:
        store.dispose()
    say(f"database schema: {before or 'empty'} -> {after}")
    return EXIT_OK


@command(name="purge")
@click.option("--older-than", type=Days(), required=True, help="Age in days of what to delete (first seen before).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the count as one JSON object.")
def purge(older_than: float, dry_run: bool, as_json: bool) -> int:
    """Delete releases first seen long ago (kept as tombstones: never re-ingested)."""
    from storage.sql import releases as sql_releases

    cutoff = datetime.now(timezone.utc) - timedelta(days=older_than)
    with settings_and_store("purge") as (_settings, store), store.transaction() as s:
        n = sql_releases.count_releases_before(s, cutoff) if dry_run else sql_releases.purge_releases(s, cutoff)
    if as_json:
        print_json({"releases": n, "first_seen_before": cutoff.isoformat(), "dry_run": dry_run})
    elif dry_run:
        say(f"would purge {n} releases first seen before {cutoff:%Y-%m-%d %H:%M} UTC (nothing deleted: --dry-run)")
    else:
        say(f"purged {n} releases first seen before {cutoff:%Y-%m-%d %H:%M} UTC (kept as tombstones)")
    return EXIT_OK


COMMANDS = [db, purge]
