"""`prwatch feeds`: subscriptions beside config.toml (add, list, remove, OPML import/export)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor.app.cli.base import EXIT_OK, clean, command, console, group, print_json, say, settings_and_store, state
from monitor.errors import PrwatchError


@group("feeds")
def feeds() -> None:
    """Manage subscriptions (add, list, remove, import, export)."""


@command(feeds, name="add")
@click.argument("url")
@click.option("--name", help="Feed name (default: the feed's own title).")
@click.option("--full-text", is_flag=True, help="Fetch each release's page for its full text.")
def add(url: str, name: str | None, full_text: bool) -> int:
    """Subscribe to a feed URL."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        feed = fm.add(store, settings, url, name=name, full_text=full_text)
    say(f"added {clean(feed.name)}: {clean(feed.url)}")
    return EXIT_OK


@command(feeds, name="list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_(as_json: bool) -> int:
    """List subscribed feeds (a table on a terminal, tab-separated lines otherwise)."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        rows = fm.listing(store, settings)
    if as_json:
        print_json({"feeds": [fm.feed_json(f) for f in rows]})
    else:
        fm.print_list(console(), rows)
    return EXIT_OK


@command(feeds, name="remove")
@click.argument("name")
def remove(name: str) -> int:
    """Unsubscribe a feed added by command (config.toml feeds are removed there)."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        fm.remove(store, settings, name)
    say(f"removed {clean(name)}")
    return EXIT_OK


@command(feeds, name="import")
@click.argument("file", type=click.Path(dir_okay=False))
def import_(file: str) -> int:
    """Subscribe to the feeds of an OPML file."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        added, skipped = fm.import_opml(store, settings, Path(file))
    say(f"imported {len(added)} feeds" + (f"; skipped {len(skipped)} already present" if skipped else ""))
    return EXIT_OK


@command(feeds, name="export")
@click.option("--output", "-o", metavar="FILE", help="Write to this file instead of standard output.")
def export(output: str | None) -> int:
    """Print the subscriptions as OPML."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        xml = fm.export_opml(store, settings)
    if output is None:
        sys.stdout.write(xml)
        return EXIT_OK
    target = Path(output)
    if not target.parent.is_dir():
        raise PrwatchError(f"cannot write {output}: the folder {target.parent} does not exist (create it first)")
    try:
        target.write_text(xml, encoding="utf-8")
    except OSError as e:
        raise PrwatchError(f"cannot write {output}: {e.strerror or e}") from None
    if not state().quiet:
        say(f"wrote {output}")
    return EXIT_OK


COMMANDS = [feeds]
