"""Subscriptions added by command, and OPML import/export.

Feeds live in one table whatever their origin; config.toml wins on a name conflict (see
monitor.ingest.subscriptions), and a feed from config.toml can only be removed by
editing the config.

`feeds add URL` fetches the URL once before subscribing: a feed is named by its own title,
and a web page is followed to the feed it announces (`<link rel="alternate">`), as feed
readers do. OPML files are read with listparser (nested folders, `category` attributes,
broken XML and odd capitalisation of attributes all tolerated); each outline gets a verdict
(added, already present, refused and why). Outlines come from a third party, so only
http(s) URLs are taken, and file:// only with `allow_local`.
"""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from monitor.app.states import stored_state
from monitor.config import MAX_FEED_NAME, Settings, resolve_feed_url
from monitor.domain import FeedRecord, NewFeed
from monitor.errors import ConfigError, FetchError, ParseError, PrwatchError
from monitor.ingest.subscriptions import sync_config_feeds
from storage.port import Store

MAX_URL = 2000
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml")


def default_name(url: str) -> str:
    parts = urlsplit(url)
    base = (parts.netloc or "") + parts.path
    name = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()
    return name[:80] or "feed"


def short_name(name: str) -> str:
    """A name that fits the database: whitespace folded, cut at MAX_FEED_NAME with an ellipsis."""
    name = " ".join(name.split())
    return name if len(name) <= MAX_FEED_NAME else name[:MAX_FEED_NAME - 1].rstrip() + "…"


# ---------------------------------------------------------------- feeds add

@dataclass(frozen=True, slots=True)
class Probe:
    """What one fetch of a URL given to `feeds add` found."""

    url: str  # the feed's URL (the discovered one when `page` is set)
    title: str | None
    entries: int
    page: str | None = None  # the web page the feed was discovered on


def probe(url: str, settings: Settings) -> Probe:
    """Fetch `url` once: a feed, or a web page announcing one. PrwatchError says why not."""
    return asyncio.run(_probe(url, settings))


async def _probe(url: str, settings: Settings) -> Probe:
    from monitor.ingest.fetch import Fetcher
    from monitor.ingest.parse import parse_feed

    async with Fetcher(settings.poll) as fetcher:
        result = await _get(fetcher, url, local_files=True)  # the URL the user typed may be a file
        try:
            parsed = parse_feed(result.body or b"", result.headers, result.url)
            return Probe(result.url, parsed.title, len(parsed.entries))
        except ParseError as e:
            candidates = discover(result.body or b"", result.url)
            if not candidates:
                raise PrwatchError(f"cannot add {url}: {e}, and the page names no feed "
                                   '(<link rel="alternate" type="application/rss+xml">)') from None
        problems = []
        for candidate in candidates:
            try:
                # a feed a page names is read from disk only when the page itself was a local file
                found = await _get(fetcher, candidate, local_files=result.url.startswith("file:"))
                parsed = parse_feed(found.body or b"", found.headers, found.url)
            except (PrwatchError, ParseError) as e:
                problems.append(f"{candidate}: {e}")
                continue
            return Probe(found.url, parsed.title, len(parsed.entries), page=result.url)
    raise PrwatchError(f"cannot add {url}: none of the feeds it names can be read ({'; '.join(problems)})")


async def _get(fetcher: Any, url: str, *, local_files: bool) -> Any:
    try:
        result = await fetcher.fetch(url, local_files=local_files)
    except FetchError as e:
        raise PrwatchError(f"cannot add {url}: {e} (check the URL; --no-check adds it without fetching)") from None
    if result.status != 200 or result.body is None:
        raise PrwatchError(f"cannot add {url}: HTTP {result.status}")
    return result


def discover(body: bytes, page_url: str) -> list[str]:
    """The feeds a web page announces with <link rel="alternate" type="application/rss+xml">
    (or Atom), in page order, made absolute; http(s) only (file:// only from a file page)."""
    import lxml.html

    try:
        doc = lxml.html.fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return []
    schemes = ("http", "https", "file") if page_url.startswith("file:") else ("http", "https")
    out: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        href = (link.get("href") or "").strip()
        if "alternate" not in rel or kind not in FEED_TYPES or not href:
            continue
        absolute = urljoin(page_url, href)
        if urlsplit(absolute).scheme.lower() in schemes and absolute not in out:
            out.append(absolute)
    return out


@dataclass(frozen=True, slots=True)
class Added:
    feed: FeedRecord
    probe: Probe | None  # None with --no-check


def checked_url(url: str) -> str:
    """A URL given to `feeds add`, made absolute (file paths) or PrwatchError saying why not."""
    try:
        url = resolve_feed_url(url, Path.cwd(), "url")
    except ConfigError as e:
        raise PrwatchError(f"cannot add feed: {e.problem}") from None
    if len(url) > MAX_URL:
        raise PrwatchError(f"cannot add feed: the URL is {len(url)} characters long; at most {MAX_URL} are allowed")
    return url


def checked_name(name: str) -> str:
    """A --name that fits the database, or PrwatchError saying the limit."""
    name = name.strip()
    if not name or len(name) > MAX_FEED_NAME:
        raise PrwatchError(f"--name must be 1 to {MAX_FEED_NAME} characters long (got {len(name)})")
    return name


def add(store: Store, settings: Settings, url: str, *, name: str | None = None, full_text: bool = False,
        tags: Iterable[str] = (), probe: Probe | None = None) -> Added:
    """Subscribe to `url`, or to the feed `probe` found for it (see `probe()`). Nothing is
    written when the name is taken or the feed is already subscribed."""
    url = probe.url if probe is not None else checked_url(url)
    name = checked_name(name) if name is not None else None
    name = name or (short_name(probe.title) if probe and probe.title else default_name(url))
    if any(f.name == name for f in settings.feeds):
        raise PrwatchError(f"a feed named {name!r} is in {settings.path.name}; choose another --name")
    with store.transaction() as tx:  # FeedExistsError when the name or the URL is taken
        sync_config_feeds(tx, settings.feeds, datetime.now(timezone.utc))
        feed = tx.feeds.add(NewFeed(name, url, full_text, _tags(tags)), datetime.now(timezone.utc))
    return Added(feed, probe)


def remove(store: Store, settings: Settings, name: str) -> None:
    if any(f.name == name for f in settings.feeds):
        raise PrwatchError(f"{name!r} comes from {settings.path.name}; remove it there")
    with store.transaction() as tx:
        if tx.feeds.remove(name) is None:
            raise PrwatchError(f"no feed named {name!r} (`prwatch feeds list` shows them)")


# ---------------------------------------------------------------- feeds list

def listing(store: Store, settings: Settings) -> list[FeedRecord]:
    with store.transaction() as tx:
        sync_config_feeds(tx, settings.feeds, datetime.now(timezone.utc))
        return tx.feeds.all()


def state_of(f: FeedRecord) -> str:
    return stored_state(enabled=f.enabled, error_count=f.error_count, last_status=f.last_status,
                        last_fetched_at=f.last_fetched_at)


def feed_json(f: FeedRecord) -> dict[str, object]:
    """One feed for `feeds list --json` (the state words of monitor.app.states)."""
    return {"name": f.name, "url": f.url, "origin": f.origin, "tags": list(f.tags or ()), "full_text": f.full_text,
            "enabled": f.enabled, "state": state_of(f), "disabled_reason": f.disabled_reason}


def print_list(console, feeds: list[FeedRecord]) -> None:  # type: ignore[no-untyped-def]
    """A table on a terminal; tab-separated lines (name, url, origin, state, tags) otherwise,
    whole URLs and one feed per line, for grep and cut."""
    from monitor.app.cli.base import clean, untrusted

    if not console.is_terminal:
        for f in feeds:  # past rich, which would turn tabs into spaces
            fields = (f.name, f.url, f.origin, state_of(f), ",".join(f.tags or ()))
            console.file.write("\t".join(clean(v).replace("\t", " ") for v in fields) + "\n")
        return
    from rich.table import Table

    t = Table(title="Feeds")
    for col in ("name", "url", "tags", "from", "full text", "state"):
        t.add_column(col, overflow="fold")
    for f in feeds:
        state = state_of(f) + (f" ({f.disabled_reason})" if not f.enabled and f.disabled_reason else "")
        t.add_row(untrusted(f.name), untrusted(f.url), untrusted(", ".join(f.tags or ())), f.origin,
                  "yes" if f.full_text else "no", untrusted(state))
    console.print(t)


# ---------------------------------------------------------------- OPML

@dataclass(frozen=True, slots=True)
class Outline:
    """The verdict on one feed outline of an imported file."""

    title: str
    url: str
    outcome: str  # "added", "already present" or "refused"
    reason: str | None = None
    name: str | None = None
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"title": self.title, "url": self.url, "outcome": self.outcome, "reason": self.reason,
                "name": self.name, "tags": list(self.tags)}


@dataclass
class ImportReport:
    outlines: list[Outline] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(o.outcome == outcome for o in self.outlines)


def import_opml(store: Store, settings: Settings, path: Path, *, allow_local: bool = False) -> ImportReport:
    """Subscribe to every feed outline of an OPML file (nested folders become tags). Linear
    in the number of outlines; all added in one transaction, or none."""
    import listparser

    try:
        data = path.read_bytes()
    except OSError as e:
        raise PrwatchError(f"cannot read {path}: {e.strerror or e}") from None
    parsed = listparser.parse(data)
    if not parsed.feeds:
        why = f" ({parsed.bozo_exception})" if parsed.bozo else ""
        raise PrwatchError(f"{path} has no feed outlines (<outline xmlUrl=...>){why}; is it an OPML file?")
    full_text = _full_text_urls(data)
    report = ImportReport()
    now = datetime.now(timezone.utc)
    with store.transaction() as tx:
        sync_config_feeds(tx, settings.feeds, now)
        feeds = tx.feeds.all()
        by_url = {f.url: f.name for f in feeds}
        names = _Names(f.name for f in feeds)
        rows: list[NewFeed] = []
        for item in parsed.feeds:
            title = " ".join((item.get("title") or "").split())
            raw_url = (item.get("url") or "").strip()
            tags = _tags("/".join(p for p in path_ if p) for path_ in item.get("categories") or ())
            url, problem = _outline_url(raw_url, path.parent, allow_local)
            if problem:
                report.outlines.append(Outline(title, raw_url, "refused", problem, tags=tags))
                continue
            if url in by_url:
                report.outlines.append(Outline(title, url, "already present", f"as {by_url[url]!r}",
                                               name=by_url[url], tags=tags))
                continue
            name = names.claim(short_name(title) if title else default_name(url))
            by_url[url] = name
            rows.append(NewFeed(name, url, raw_url in full_text, tags))
            report.outlines.append(Outline(title, url, "added", name=name, tags=tags))
        tx.feeds.add_many(rows, now)
    return report


def _full_text_urls(data: bytes) -> set[str]:
    """xmlUrls of outlines marked prwatchFullText="true" (prwatch's own export; listparser
    does not keep unknown attributes). A file that is not well-formed XML marks none."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        return set()
    return {(n.get("xmlUrl") or "").strip() for n in root.iter("outline")
            if (n.get("prwatchFullText") or "").lower() == "true"}


def _outline_url(url: str, folder: Path, allow_local: bool) -> tuple[str, str | None]:
    """(the URL to subscribe, None) or ("", why it is refused)."""
    if not url:
        return "", "no xmlUrl"
    if len(url) > MAX_URL:
        return "", f"URL longer than {MAX_URL} characters"
    scheme = url.partition(":")[0].lower()
    if scheme == "file" and not allow_local:
        return "", "a file:// URL from an imported file (use --allow-local to accept local files)"
    if scheme not in ("http", "https", "file"):
        return "", f"not an http(s) URL ({scheme or url[:20]}:)"
    try:
        resolved = resolve_feed_url(url, folder, "xmlUrl")
    except ConfigError as e:
        return "", e.problem
    if scheme != "file" and not urlsplit(resolved).hostname:
        return "", "no host name in the URL"
    return resolved, None


class _Names:
    """Unique feed names, found in time linear in the number of names: a taken name gets
    ` (2)`, ` (3)`, ... and the next number to try is remembered per name."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next: dict[str, int] = {}

    def claim(self, name: str) -> str:
        candidate, n = name, self.next.get(name, 2)
        while candidate in self.taken:
            suffix = f" ({n})"
            candidate = name[:MAX_FEED_NAME - len(suffix)] + suffix
            n += 1
        self.next[name] = n
        self.taken.add(candidate)
        return candidate


def _tags(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = " ".join(str(v).replace(",", " ").split())[:100]
        if v and v not in out:
            out.append(v)
    return tuple(out)


def export_opml(store: Store, settings: Settings) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "prwatch subscriptions"
    body = ET.SubElement(root, "body")
    for f in listing(store, settings):
        if not f.enabled:
            continue
        attrs = {"type": "rss", "text": f.name, "title": f.name, "xmlUrl": f.url}
        if f.tags:
            attrs["category"] = ",".join(f.tags)
        if f.full_text:
            attrs["prwatchFullText"] = "true"
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
