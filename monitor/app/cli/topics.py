"""`prwatch topics`: the configured topics, re-matching stored releases against them, and the
releases that came close to a topic without matching (near misses)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from monitor.app.cli.base import (
    EXIT_OK,
    clean,
    command,
    complete_topic_ids,
    console,
    group,
    print_json,
    say,
    settings_and_store,
    untrusted,
    with_logging,
)
from monitor.app.cli.bounds import DATE, Span, local_time, release_filter

if TYPE_CHECKING:
    from monitor.domain import NearMissRecord


@group("topics")
def topics() -> None:
    """Topic tools (list, rematch, near-misses)."""


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
                    "changed": result.changed, "near_misses_changed": result.near_misses})
    else:
        say(f"re-evaluated {result.releases} releases: {result.added} now match a topic, "
            f"{result.removed} no longer match, {result.changed} changed score, "
            f"{result.near_misses} changed only their near misses.")
    return EXIT_OK


@command(topics, name="near-misses")
@click.option("--topic", metavar="ID", shell_complete=complete_topic_ids, help="Only near misses of this topic.")
@click.option("--since", type=DATE, help="Only releases dated from then on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", type=DATE, help="Only releases dated up to the end of then (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def near_misses(topic: str | None, since: Span | None, until: Span | None, as_json: bool) -> int:
    """Releases that came within 0.1 of a topic's threshold (min_score) without matching.

    Each with its score, the threshold it was judged against, the reasons, its feed, date
    and link, newest first: what a lower min_score would let in. They are recorded when a
    release is analysed; after editing a topic, `prwatch topics rematch` brings them up to date."""
    with settings_and_store("topics") as (settings, store):
        where = release_filter(settings, store, topic=topic, feeds=(), since=since, until=until)
        with store.transaction() as tx:
            found = tx.analysis.near_misses(topic_id=where.topic, since=where.since, until=where.until)
    tz = settings.digests.timezone
    if as_json:
        print_json({"near_misses": [_near_json(n) for n in found]})
        return EXIT_OK
    out = console()
    if not found:
        scope = (f" of {topic}" if topic else "") + (" between these dates" if since or until else "")
        out.print(f"no near misses{clean(scope)}", soft_wrap=True)
        return EXIT_OK
    for n in found:
        title = " ".join(n.title.split())  # one line, whatever the feed put in it
        out.print(untrusted(f"{n.score:.2f} / {n.threshold:.2f}  {n.topic_id}  {title}", "bold"), soft_wrap=True)
        meta = " · ".join(x for x in (n.feed, local_time(n.published_at or n.placed_at, tz), n.url or "") if x)
        out.print(untrusted("     " + meta, "dim"), soft_wrap=True)
        if n.reasons:
            out.print(untrusted("     " + "; ".join(n.reasons)), soft_wrap=True)
    return EXIT_OK


def _near_json(n: NearMissRecord) -> dict[str, Any]:
    return {"release_id": n.release_id, "topic": n.topic_id, "title": n.title, "feed": n.feed,
            "published_at": n.published_at.isoformat() if n.published_at else None,
            "placed_at": n.placed_at.isoformat(), "score": round(n.score, 4), "threshold": n.threshold,
            "reasons": list(n.reasons), "url": n.url}


COMMANDS = [topics]
