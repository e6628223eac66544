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
    from storage.sql.engine import upgrade_schema

    settings = with_logging("db")
    before, after = upgrade_schema(settings.storage.url)
    say(f"database schema: {before or 'empty'} -> {after}")
    return EXIT_OK


@command(name="purge")
@click.option("--older-than", type=Days(), required=True, help="Age in days of what to delete (first seen before).")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the count as one JSON object.")
def purge(older_than: float, dry_run: bool, as_json: bool) -> int:
    """Delete releases first seen long ago (kept as tombstones: never re-ingested)."""
    now = datetime.now(timezone.utc)
    cutoff = now - timedelta(days=older_than)
    with settings_and_store("purge") as (_settings, store), store.transaction() as tx:
        n = tx.releases.count_before(cutoff) if dry_run else tx.releases.purge(cutoff, now)
    if as_json:
        print_json({"releases": n, "first_seen_before": cutoff.isoformat(), "dry_run": dry_run})
    elif dry_run:
        say(f"would purge {n} releases first seen before {cutoff:%Y-%m-%d %H:%M} UTC (nothing deleted: --dry-run)")
    else:
        say(f"purged {n} releases first seen before {cutoff:%Y-%m-%d %H:%M} UTC (kept as tombstones)")
    return EXIT_OK


COMMANDS = [db, purge]
