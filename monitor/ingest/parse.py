"""Feed documents to ReleaseDrafts: feedparser on the fetched bytes, never on a URL.

feedparser's own HTML sanitiser and URI resolution are off: bodies become plain text here
(monitor.analysis.text), and digests escape everything they show, so the sanitiser would only cost
time. An HTML page "parses" with no error and no entries, so a document is accepted as a
feed only when feedparser recognised a feed version or found entries.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

from monitor.analysis.text import CONTROL_CHARS, html_to_text, normalise_space
from monitor.domain import ParsedFeed, ReleaseDraft
from monitor.errors import ParseError
from monitor.ingest.schedule import ascii_number

# Publication dates outside these years are garbage (year 1, year 9999): they are dropped, so
# the release dates from when it was first seen, and no time zone arithmetic overflows later.
EARLIEST_YEAR, LATEST_YEARS_AHEAD = 1900, 10

# Kinds of feedparser "bozo" exceptions that still leave usable entries.
_BENIGN_BOZO = ("CharacterEncodingOverride", "NonXMLContentType", "CharacterEncodingUnknown")


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, url: str = "",
               sources: Sequence[str] | None = None) -> ParsedFeed:
    """Parse a feed document with feedparser. Raises ParseError when the bytes are not a feed.

    `sources`, one source hash per item element of `body` (monitor.ingest.items), are handed back
    beside the entries they belong to; when feedparser found another number of entries than
    there are hashes, none is (`ParsedFeed.sources` is None)."""
    if not body or not body.strip():
        raise ParseError("empty document", url=url or None)
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise ParseError("an HTML page, not a feed", url=url or None)
    import feedparser  # imported on first use: workers and commands that parse nothing skip it

    parsed = feedparser.parse(
        body,
        response_headers=dict(headers or {}),
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    entries = parsed.get("entries") or []
    version = parsed.get("version") or ""
    warning = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        name = exc.__class__.__name__ if exc is not None else "unknown"
        if not entries and not version:
            raise ParseError(f"not a readable feed ({name}: {str(exc)[:160]})", url=url or None)
        if name not in _BENIGN_BOZO:
            warning = f"ill-formed feed, read leniently ({name})"
    if not version and not entries:
        raise ParseError("not a feed (no RSS or Atom document found)", url=url or None)
    feed_info = parsed.get("feed") or {}
    aligned = sources if sources is not None and len(sources) == len(entries) else None
    drafts = []
    kept_sources = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        draft = entry_to_draft(entry, url)
        if draft is None or draft.guid in seen:
            continue
        seen.add(draft.guid)
        drafts.append(draft)
        if aligned is not None:
            kept_sources.append(aligned[i])
    ttl = feed_info.get("ttl")
    return ParsedFeed(
        title=normalise_space(html_to_text(clean(feed_info.get("title")))) or None,
        entries=tuple(drafts),
        sources=tuple(kept_sources) if aligned is not None else None,
        ttl_minutes=ascii_number(ttl) if isinstance(ttl, str) else None,
        warning=warning,
    )


def entry_to_draft(entry: Mapping[str, Any], feed_url: str = "") -> ReleaseDraft | None:
    """One feedparser entry to a draft; None when it has neither title nor text."""
    title = html_to_text(clean(entry.get("title"))).replace("\n", " ")
    text = html_to_text(clean(_body_html(entry)))
    if not title and not text:
        return None
    sent_link = _link(entry)
    # a relative link is relative to the feed; identity stays the link as sent, as it always was
    link = urljoin(feed_url, sent_link) if sent_link and feed_url else sent_link
    published = _when(entry.get("published_parsed")) or _when(entry.get("updated_parsed"))
    guid = entry_identity(clean(entry.get("id")), sent_link, title, published)
    author = clean(entry.get("author"))
    return ReleaseDraft(
        guid=guid,
        url=link,
        title=title or (text[:80] + "…" if len(text) > 80 else text),
        published_at=published,
        text=text,
        author=html_to_text(author)[:200] if isinstance(author, str) and author else None,
    )


def clean(value: Any) -> str:
    """A feed's string without control characters ("" for anything that is not a string):
    PostgreSQL refuses a NUL in text (the whole feed's transaction would fail), SQLite keeps
    it and C code reading the value stops there (text.CONTROL_CHARS says which)."""
    return CONTROL_CHARS.sub("", value) if isinstance(value, str) else ""


def entry_identity(guid: Any, link: str | None, title: str, published: datetime | None) -> str:
    """guid, else link, else a hash of title and date (RSS items may carry neither)."""
    if isinstance(guid, str) and guid.strip():
        return guid.strip()[:2000]
    if link:
        return link[:2000]
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode()).hexdigest()


def content_hash(title: str, text: str, url: str | None) -> str:
    """What decides that a release was revised: its title, text and link."""
    return hashlib.blake2b(f"{title}\x00{text}\x00{url or ''}".encode(), digest_size=16).hexdigest()


def _body_html(entry: Mapping[str, Any]) -> str:
    contents = entry.get("content") or []
    best = ""
    for c in contents:
        value = c.get("value") or ""
        if len(value) > len(best):
            best = value
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _link(entry: Mapping[str, Any]) -> str | None:
    link = clean(entry.get("link")).strip()
    if link:
        return link
    for each in entry.get("links") or []:
        href = clean(each.get("href")).strip()
        if href and each.get("rel", "alternate") == "alternate":
            return href
    return None


def _when(parsed: Any) -> datetime | None:
    # feedparser's *_parsed tuples are UTC: timegm, not mktime
    if not parsed:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    if when.year < EARLIEST_YEAR or when.year > datetime.now(timezone.utc).year + LATEST_YEARS_AHEAD:
        return None
    return when
