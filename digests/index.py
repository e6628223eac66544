"""`index.md` (every digest, newest first) and `digests.xml` (an Atom feed of the digests),
made from the digests table. Both depend only on stored rows and digest files, so they
are rewritten byte for byte the same when nothing changed.

The Atom feed is built with feedgen (RFC 4287: an author, an id, an `updated` per entry, a
self link only when the folder is published at `digests.base_url`). Each entry carries the
digest's Highlights and a link to the whole digest, not the digest itself, so the feed stays
small however busy the topic is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

from digests.model import Period
from digests.periods import period_from_key
from digests.safe import escape

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ATOM_ENTRIES = 50
AUTHOR = "prwatch"
_KIND = {"day": "Daily", "week": "Weekly", "month": "Monthly"}
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class Entry:
    topic_id: str
    topic_title: str
    period: Period
    filename: str
    summary: str
    updated: datetime
    html: str | None = None  # opening_html of the digest's content, when known (rendered once per content)
    content_hash: str = ""


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


def render_atom(entries: Sequence[Entry], html_of: Callable[[Entry], str], *, feed_id: str,
                base_url: str | None = None, now: datetime | None = None) -> str:
    """An Atom 1.0 feed of the newest digests: each entry the digest's Highlights as HTML
    (`html_of`) and an alternate link to the digest (absolute under `base_url`, else
    relative to the feed, which sits beside the digests)."""
    from feedgen.feed import FeedGenerator

    newest = order(entries)[:ATOM_ENTRIES]
    now = now or datetime.now(timezone.utc)
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title("prwatch digests")
    fg.subtitle("Digests of press releases by topic and period")
    fg.author({"name": AUTHOR})
    fg.generator("prwatch", uri=None)
    fg.updated(max((e.updated for e in newest), default=_EPOCH))
    base = _base(base_url)
    if base:
        fg.link(href=urljoin(base, "digests.xml"), rel="self", type="application/atom+xml")
        fg.link(href=urljoin(base, "index.md"), rel="alternate", type="text/markdown")
    for e in newest:
        fe = fg.add_entry(order="append")
        fe.id(f"{feed_id}:{e.topic_id}:{e.period.key}")
        fe.title(f"{e.topic_title} — {_KIND.get(e.period.kind, e.period.kind)}, {e.period.label}")
        fe.updated(e.updated)
        fe.link(href=digest_link(e.filename, base_url), rel="alternate", type="text/markdown")
        state = "Final: the period has ended." if e.period.end <= now else "In progress: updated after every poll."
        fe.summary(f"{e.summary} {state}")
        fe.content(html_of(e), type="html")
    atom: bytes = fg.atom_str(pretty=True)
    return atom.decode("utf-8")


def digest_link(filename: str, base_url: str | None) -> str:
    """Where a reader opens a digest: under `base_url` when the folder is published, else
    relative to the feed and the index, which sit beside the digests."""
    base = _base(base_url)
    return urljoin(base, quote(filename)) if base else quote(filename)


def _base(url: str | None) -> str:
    if not url:
        return ""
    return url if url.endswith("/") else url + "/"


_HTML_CACHE: dict[tuple[str, int, int], str] = {}


def opening_html(text: str) -> str:
    """The opening of a digest (its summary and Highlights) as HTML; raw HTML in it is never
    passed through. Depends only on the digest's text, so it is rendered once per content
    (digests.write keeps it with the digest's record)."""
    head, _, rest = text.partition("\n## ")
    if rest.startswith("Highlights\n"):
        head += "\n## " + rest.split("\n## ", 1)[0]
    html: str = _markdown().render(head)
    return html


def link_html(link: str) -> str:
    """The paragraph that links an entry to the whole digest, as markdown-it renders
    "[Read the whole digest](link)" (its own link normalisation and escaping)."""
    from markdown_it.common.utils import escapeHtml

    return f'<p><a href="{escapeHtml(_markdown().normalizeLink(link))}">Read the whole digest</a></p>\n'


def highlights_html(path: Path, link: str) -> str:
    """opening_html of a digest file, and a link to the whole digest: for a digest whose
    HTML was not kept (recorded by an older prwatch). Cached by file identity, so rewriting
    the feed after each digest renders each file once."""
    try:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        if key not in _HTML_CACHE:
            if len(_HTML_CACHE) > 4 * ATOM_ENTRIES:
                _HTML_CACHE.clear()
            _HTML_CACHE[key] = opening_html(path.read_text(encoding="utf-8"))
    except OSError:
        return ""
    return _HTML_CACHE[key] + link_html(link)


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def entry_from_row(topic_id: str, topic_title: str, kind_key: str, path: Path, summary: str, updated: datetime,
                   tz: str) -> Entry | None:
    try:
        period = period_from_key(kind_key, tz)
    except ValueError:
        return None
    return Entry(topic_id, topic_title, period, path.name, summary, updated)
