"""`prwatch digest`: write the digests of one period now."""

from __future__ import annotations

from datetime import date

import click

from monitor.app.cli.base import EXIT_OK, IsoDate, command, complete_topic_ids, console, print_json, settings_and_store, state
from monitor.app.cli.output import today, write_digests_checked


@command(name="digest")
@click.option("--topic", "topics", multiple=True, metavar="ID", shell_complete=complete_topic_ids,
              help="Topic id (default: every topic).")
@click.option("--period", type=click.Choice(("day", "week", "month")), help="Period kind (default: those configured).")
@click.option("--date", "day", type=IsoDate(), help="A day inside the period (default: today).")
@click.option("--since", type=IsoDate(), help="Write every period from this day up to today.")
@click.option("--json", "as_json", is_flag=True, help="Print the written files as one JSON object.")
def digest(topics: tuple[str, ...], period: str | None, day: date | None, since: date | None, as_json: bool) -> int:
    """Write the digest(s) of a period, or of every period since a day, and print their paths."""
    settings = state().settings()
    for t in topics:
        settings.topic(t)  # an unknown id: a config error naming the configured ones
    if day and since:
        raise click.UsageError("give --date or --since, not both")
    if since and since > today(settings):
        raise click.BadParameter(f"{since.isoformat()} is after today ({today(settings).isoformat()})",
                                 param_hint="'--since'")
    with settings_and_store("digest") as (settings, store):
        written = write_digests_checked(store, settings, list(topics) or None, [period] if period else None, day,
                                        since=since)
    if as_json:
        print_json({"digests": [{"path": str(w.path), "changed": w.changed} for w in written]})
    elif not state().quiet or written:
        out = console()
        for w in written:
            out.print(f"digest: {w.path}" + ("" if w.changed else " (unchanged)"), soft_wrap=True)
    return EXIT_OK


COMMANDS = [digest]
