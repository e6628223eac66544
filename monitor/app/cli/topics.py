"""`prwatch topics`: the configured topics, and re-matching stored releases against them."""

from __future__ import annotations

import click

from monitor.app.cli.base import EXIT_OK, command, console, group, print_json, say, settings_and_store, untrusted, with_logging


@group("topics")
def topics() -> None:
    """Topic tools (list, rematch)."""


@command(topics, name="list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_(as_json: bool) -> int:
    """List configured topics."""
    settings = with_logging("topics")
    if as_json:
        print_json({"topics": [{"id": t.id, "title": t.title, "min_score": t.min_score} for t in settings.topics]})
        return EXIT_OK
    out = console()
    for t in settings.topics:
        out.print(untrusted(f"{t.id}: {t.title}"), soft_wrap=True)
    return EXIT_OK


@command(topics, name="rematch")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
def rematch(as_json: bool) -> int:
    """Re-evaluate stored releases against the configured topics (no fetching)."""
    from monitor.app.rematch import rematch as run

    with settings_and_store("topics") as (settings, store):
        result = run(store, settings)
    if as_json:
        print_json({"releases": result.releases, "added": result.added, "removed": result.removed,
                    "changed": result.changed})
    else:
        say(f"re-evaluated {result.releases} releases: {result.added} now match a topic, "
            f"{result.removed} no longer match, {result.changed} changed score.")
    return EXIT_OK


COMMANDS = [topics]
