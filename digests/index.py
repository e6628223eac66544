"""`index.md` (every digest, newest first) and `digests.xml` (an Atom feed of the digests),
made from the digests table. Both depend only on stored rows and digest files, so they
are rewritten byte for byte the same when nothing changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape, quoteattr

from digests.model import Period
from digests.periods import period_from_key
from digests.safe import escape

ATOM_ENTRIES = 50
_KIND = {"day": "Daily", "week": "Weekly", "month": "Monthly"}


@dataclass(frozen=True, slots=True)
class Entry:
    topic_id: str
    topic_title: str
    period: Period
    filename: str
    summary: str
    updated: datetime


def order(entries: Sequence[Entry]) -> list[Entry]:
    """Newest period first; on the same start, the longer period (month, week) first."""
    return sorted(entries, key=lambda e: (e.period.start, e.period.end, e.topic_title, e.topic_id), reverse=True)


def render_index(entries: Sequence[Entry]) -> str:
    lines = ["# Digests", "", f"{len(entries)} digest{'s' if len(entries) != 1 else ''}, newest first. "
             "Follow them in a feed reader: [digests.xml](digests.xml).", ""]
    for e in order(entries):
        title = f"{escape(e.topic_title)} — {_KIND.get(e.period.kind, e.period.kind)}, {e.period.label}"
        lines.append(f"- [{title}]({quote(e.filename)}): {escape(e.summary)}")
    return "\n".join(lines).rstrip() + "\n"


def render_atom(entries: Sequence[Entry], html_of: Callable[[Entry], str], *, feed_id: str) -> str:
    """An Atom 1.0 feed of the newest digests, each with its digest as HTML content."""
    newest = order(entries)[:ATOM_ENTRIES]
    updated = max((e.updated for e in newest), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           "  <title>prwatch digests</title>", f"  <id>{xml_escape(feed_id)}</id>",
           f"  <updated>{_iso(updated)}</updated>", '  <link rel="self" href="digests.xml"/>',
           "  <generator>prwatch</generator>"]
    for e in newest:
        title = f"{e.topic_title} — {e.period.label}"
        out += ["  <entry>", f"    <title>{xml_escape(title)}</title>",
                f"    <id>{xml_escape(f'{feed_id}:{e.topic_id}:{e.period.key}')}</id>",
                f"    <updated>{_iso(e.updated)}</updated>",
                f"    <link rel=\"alternate\" type=\"text/markdown\" href={quoteattr(quote(e.filename))}/>",
                f"    <summary>{xml_escape(e.summary)}</summary>",
                f"    <content type=\"html\">{xml_escape(html_of(e))}</content>",
                "  </entry>"]
    return "\n".join(out + ["</feed>"]) + "\n"


def markdown_html(path: Path) -> str:
    """A digest file as HTML for feed readers; raw HTML in it is never passed through."""
    from markdown_it import MarkdownIt

    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def entry_from_row(topic_id: str, topic_title: str, kind_key: str, path: Path, summary: str, updated: datetime,
                   tz: str) -> Entry | None:
    try:
        period = period_from_key(kind_key, tz)
    except ValueError:
        return None
    return Entry(topic_id, topic_title, period, path.name, summary, updated)


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
