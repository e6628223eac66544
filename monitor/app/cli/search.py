"""`prwatch search QUERY`: full-text search over every stored release.

The query syntax is monitor.app.query's (words, "phrases", OR, -word, parentheses); a query
that cannot be read is one line and exit 2, never a traceback. Results are stories, best
first: the best-matching release with its matched words highlighted, and the feeds that
also carried it. Everything shown from feeds is cleaned for the terminal.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import click

from monitor.app.cli.base import (
    EXIT_OK,
    clean,
    command,
    complete_feed_names,
    complete_topic_ids,
    console,
    print_json,
    settings_and_store,
    state,
)
from monitor.app.cli.bounds import DATE, Span, local_time, release_filter

if TYPE_CHECKING:
    from rich.text import Text

    from monitor.domain import Marked, SearchHit, SearchPage

MAX_LIMIT = 500


class QueryCommand(click.Command):
    """A command whose words may start with a dash: `prwatch search wheat -russia`.

    Only this command's own options, written exactly (`--feed X`, `--limit=5`, `-v`), are
    options; every other argument is a word of the query, so `-russia` excludes a word and
    `-vodka` is no -v. `--` still ends the options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for p in self.get_params(ctx):
            if isinstance(p, click.Option):
                for name in (*p.opts, *p.secondary_opts):
                    takes_value[name] = not (p.is_flag or p.count)
        options: list[str] = []
        words: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            name = arg.split("=", 1)[0] if arg.startswith("--") else arg
            if arg == "--":
                words += args[i + 1:]
                break
            if name in takes_value:
                options.append(arg)
                if takes_value[name] and "=" not in arg and i + 1 < len(args):
                    options.append(args[i + 1])
                    i += 1
            elif arg in ("-vv", "-vvv"):
                options += ["-v"] * (len(arg) - 1)
            else:
                words.append(arg)
            i += 1
        return super().parse_args(ctx, options + ["--", *words] if words else options)
_ONE_LINE = re.compile(r"\s+")


@command(name="search", cls=QueryCommand)
@click.argument("query", nargs=-1, required=True)
@click.option("--topic", metavar="ID", shell_complete=complete_topic_ids, help="Only releases of this topic.")
@click.option("--feed", "feeds", multiple=True, metavar="NAME", shell_complete=complete_feed_names,
              help="Only releases of this feed (repeatable).")
@click.option("--since", type=DATE, help="Only releases dated from then on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", type=DATE, help="Only releases dated up to the end of then (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=20, show_default=True,
              help="Stories per page.")
@click.option("--offset", type=click.IntRange(0, 1_000_000), default=0, help="Skip this many stories (the next page).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def search(query: tuple[str, ...], topic: str | None, feeds: tuple[str, ...], since: Span | None,
           until: Span | None, limit: int, offset: int, as_json: bool) -> int:
    """Search stored releases: words, "a phrase", OR, -word, (groups).

    Words are all required (AND); OR offers alternatives and binds looser than AND; -word or
    NOT word excludes. Quote a phrase inside the shell's quotes: prwatch search '"wheat
    exports" kazakhstan -russia'. A hit in the title ranks above one in the text; copies of a
    story are shown once, with the feeds that also carried it."""
    from monitor.app.query import QueryError, describe, parse_query

    text = " ".join(query)
    try:
        parsed = parse_query(text)
    except QueryError as e:
        raise click.BadParameter(str(e), param_hint="QUERY") from None
    if not state().quiet:
        for note in parsed.notes:
            click.echo(f"prwatch search: note: {note}", err=True)
    with settings_and_store("search") as (settings, store):
        where = release_filter(settings, store, topic=topic, feeds=feeds, since=since, until=until)
        with store.transaction() as tx:
            page = tx.search.releases(parsed.expr, where, limit=limit, offset=offset)
    tz = settings.digests.timezone
    if as_json:
        print_json({"query": text, "read_as": describe(parsed.expr), "notes": list(parsed.notes),
                    "offset": offset, "limit": limit, "more": page.more,
                    "only_common_words": page.only_common_words,
                    "results": [_hit_json(h) for h in page.hits]})
    else:
        _print_page(page, describe(parsed.expr), offset, tz)
    return EXIT_OK


def _print_page(page: SearchPage, read_as: str, offset: int, tz: str) -> None:
    from rich.text import Text

    out = console()
    if page.only_common_words:
        out.print(f"nothing found: every word of {clean(read_as)} is too common to be indexed (the, of, and, …); "
                  "add a more specific word", soft_wrap=True)
        return
    if not page.hits:
        out.print(f"no release matches {clean(read_as)}" + (" on this page" if offset else ""), soft_wrap=True)
        return
    for n, hit in enumerate(page.hits, start=offset + 1):
        line = Text(f"{n:>3}. ")
        line.append_text(_marked(hit.title, bold=True))
        out.print(line, soft_wrap=True)
        when = local_time(hit.published_at or hit.first_seen_at, tz)
        meta = " · ".join(clean(x) for x in (hit.feed, when, hit.url or "") if x)
        if hit.revision > 1:
            meta += f" · revised (revision {hit.revision})"
        out.print(Text("     " + meta, style="dim"), soft_wrap=True)
        if hit.snippet:
            out.print(Text("     ").append_text(_marked(hit.snippet)), soft_wrap=True)
        if hit.also:
            carriers = ", ".join(f"{clean(c.feed)} ({local_time(c.published_at, tz, with_time=False) or 'undated'})"
                                 for c in hit.also)
            out.print(Text(f"     also carried by: {carriers}"), soft_wrap=True)
    if page.more:
        out.print(f"more stories match: --offset {offset + len(page.hits)} shows the next page", soft_wrap=True)


def _marked(pieces: Marked, *, bold: bool = False) -> Text:
    """Text from a feed with its matched words highlighted: cleaned, never read as markup,
    its line breaks folded (a snippet is one line)."""
    from rich.text import Text

    out = Text(style="bold" if bold else "")
    for piece, hit in pieces:
        out.append(_ONE_LINE.sub(" ", clean(piece)), style="bold yellow" if hit else "")
    return out


def _hit_json(h: SearchHit) -> dict[str, Any]:
    title, title_marks = _plain(h.title)
    snippet, snippet_marks = _plain(h.snippet)
    return {"release_id": h.release_id, "story_id": h.story_id, "feed": h.feed, "title": title,
            "title_highlights": title_marks, "snippet": snippet, "snippet_highlights": snippet_marks,
            "url": h.url, "published_at": _iso(h.published_at), "first_seen_at": _iso(h.first_seen_at),
            "revision": h.revision, "score": round(h.score, 6),
            "also_carried_by": [{"feed": c.feed, "title": c.title, "url": c.url, "published_at": _iso(c.published_at)}
                                for c in h.also]}


def _plain(pieces: Marked) -> tuple[str, list[list[int]]]:
    """The text and the [start, end) offsets of its highlighted pieces."""
    text, marks = "", []
    for piece, hit in pieces:
        if hit:
            marks.append([len(text), len(text) + len(piece)])
        text += piece
    return text, marks


def _iso(at: Any) -> str | None:
    return at.isoformat() if at is not None else None


COMMANDS = [search]
