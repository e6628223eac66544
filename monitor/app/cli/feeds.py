"""`prwatch feeds`: subscriptions beside config.toml (add, list, remove, OPML import/export)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from monitor.app.cli.base import (
    EXIT_OK,
    clean,
    command,
    complete_feed_names,
    console,
    group,
    open_store,
    print_json,
    say,
    settings_and_store,
    state,
    with_logging,
)
from monitor.errors import PrwatchError


@group("feeds")
def feeds() -> None:
    """Manage subscriptions (add, list, remove, import, export)."""


@command(feeds, name="add")
@click.argument("url")
@click.option("--name", help="Feed name (default: the feed's own title).")
@click.option("--tag", "tags", multiple=True, metavar="TAG", help="A tag (category) for the feed (repeatable).")
@click.option("--full-text", is_flag=True, help="Fetch each release's page for its full text.")
@click.option("--no-check", is_flag=True, help="Subscribe without fetching the URL first (named after the URL).")
def add(url: str, name: str | None, tags: tuple[str, ...], full_text: bool, no_check: bool) -> int:
    """Subscribe to a feed URL, or to the feed a web page announces.

    The URL is fetched once: a feed is named by its own title; a web page is followed to the
    feed its <link rel="alternate"> names."""
    from monitor.app import feeds as fm

    settings = with_logging("feeds")
    if name is not None:
        fm.checked_name(name)
    found = None if no_check else fm.probe(fm.checked_url(url), settings)  # before the database is touched
    store = open_store(settings)
    try:
        added = fm.add(store, settings, url, name=name, full_text=full_text, tags=tags, probe=found)
    finally:
        store.dispose()
    f, p = added.feed, added.probe
    if p is not None and p.page:
        say(f"{clean(p.page)} is a web page; it names the feed {clean(p.url)}, which was chosen")
    detail = f" ({p.entries} entries now)" if p is not None else " (not fetched: --no-check)"
    say(f"added {clean(f.name)}: {clean(f.url)}{detail}")
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
@click.argument("name", shell_complete=complete_feed_names)
def remove(name: str) -> int:
    """Unsubscribe a feed added by command (config.toml feeds are removed there)."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        fm.remove(store, settings, name)
    say(f"removed {clean(name)}")
    return EXIT_OK


@command(feeds, name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--allow-local", is_flag=True, help="Accept file:// outlines (refused by default: the file may come "
                                                  "from anyone).")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict on every outline as one JSON object.")
def import_(file: str, allow_local: bool, as_json: bool) -> int:
    """Subscribe to the feeds of an OPML file; say what became of each outline."""
    from monitor.app import feeds as fm

    with settings_and_store("feeds") as (settings, store):
        report = fm.import_opml(store, settings, Path(file), allow_local=allow_local)
    if as_json:
        print_json({"outlines": [o.to_json() for o in report.outlines], "added": report.count("added"),
                    "already_present": report.count("already present"), "refused": report.count("refused")})
        return EXIT_OK
    if not state().quiet:
        out = sys.stdout
        for o in report.outlines:
            what = clean(o.name if o.outcome == "added" else (o.title or o.url))
            why = f" — {clean(o.reason)}" if o.reason else ""
            tags = f" [{clean(', '.join(o.tags))}]" if o.tags and o.outcome == "added" else ""
            out.write(f"{o.outcome:<15} {what}: {clean(o.url)}{tags}{why}\n")
    say(f"{report.count('added')} added, {report.count('already present')} already present, "
        f"{report.count('refused')} refused")
    return EXIT_OK


@command(feeds, name="export")
@click.option("--output", "-o", metavar="FILE", help="Write to this file instead of standard output.")
def export(output: str | None) -> int:
    """Print the subscriptions as OPML (tags as categories)."""
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
    say(f"wrote {output}")
    return EXIT_OK


COMMANDS = [feeds]
