"""Subscriptions added by command, and OPML import/export.

Feeds live in one table whatever their origin; config.toml wins on a name conflict (see
storage.sql.queries.sync_config_feeds), and a feed from config.toml can only be removed by
editing the config.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from monitor.app.states import stored_state
from monitor.config import Settings, resolve_feed_url
from monitor.errors import ConfigError, PrwatchError
from storage.sql import queries as q
from storage.sql.engine import Store
from storage.sql.models import Feed


def default_name(url: str) -> str:
    parts = urlsplit(url)
    base = (parts.netloc or "") + parts.path
    name = re.sub(r"[^A-Za-z0-9]+", "-", base).strip("-").lower()
    return name[:80] or "feed"


def add(store: Store, settings: Settings, url: str, *, name: str | None = None, full_text: bool = False) -> Feed:
    try:
        url = resolve_feed_url(url, Path.cwd(), "url")
    except ConfigError as e:
        raise PrwatchError(f"cannot add feed: {e.problem}") from None
    name = name or default_name(url)
    if any(f.name == name for f in settings.feeds):
        raise PrwatchError(f"a feed named {name!r} is in {settings.path.name}; choose another --name")
    with store.transaction() as s:
        q.sync_config_feeds(s, settings.feeds, datetime.now(timezone.utc))
        return q.add_feed(s, name, url, full_text, datetime.now(timezone.utc))


def remove(store: Store, settings: Settings, name: str) -> None:
    if any(f.name == name for f in settings.feeds):
        raise PrwatchError(f"{name!r} comes from {settings.path.name}; remove it there")
    with store.transaction() as s:
        if q.remove_feed(s, name) is None:
            raise PrwatchError(f"no feed named {name!r}")


def listing(store: Store, settings: Settings) -> list[Feed]:
    with store.transaction() as s:
        q.sync_config_feeds(s, settings.feeds, datetime.now(timezone.utc))
        return q.list_feeds(s)


def feed_json(f: Feed) -> dict[str, object]:
    """One feed for `feeds list --json` (the state words of monitor.app.states)."""
    return {"name": f.name, "url": f.url, "origin": f.origin, "full_text": f.full_text, "enabled": f.enabled,
            "state": _state(f), "disabled_reason": f.disabled_reason}


def _state(f: Feed) -> str:
    return stored_state(enabled=f.enabled, error_count=f.error_count, last_status=f.last_status,
                        last_fetched_at=f.last_fetched_at)


def print_list(console, feeds: list[Feed]) -> None:  # type: ignore[no-untyped-def]
    """A table on a terminal; tab-separated lines (name, url, origin, state) otherwise, whole
    URLs and one feed per line, for grep and cut."""
    from monitor.app.cli.base import clean, untrusted

    if not console.is_terminal:
        for f in feeds:  # past rich, which would turn tabs into spaces
            console.file.write("\t".join(clean(v) for v in (f.name, f.url, f.origin, _state(f))) + "\n")
        return
    from rich.table import Table

    t = Table(title="Feeds")
    for col in ("name", "url", "from", "full text", "state"):
        t.add_column(col, overflow="fold")
    for f in feeds:
        state = _state(f) + (f" ({f.disabled_reason})" if not f.enabled and f.disabled_reason else "")
        t.add_row(untrusted(f.name), untrusted(f.url), f.origin, "yes" if f.full_text else "no", untrusted(state))
    console.print(t)


def import_opml(store: Store, settings: Settings, path: Path) -> tuple[list[str], list[str]]:
    """Subscribe to every outline with an xmlUrl (nested folders included)."""
    try:
        root = ET.fromstring(path.read_bytes())
    except (OSError, ET.ParseError) as e:
        raise PrwatchError(f"cannot read OPML {path}: {e}") from None
    added: list[str] = []
    skipped: list[str] = []
    now = datetime.now(timezone.utc)
    with store.transaction() as s:
        q.sync_config_feeds(s, settings.feeds, now)
        existing = {f.url for f in q.list_feeds(s)}
        names = {f.name for f in q.list_feeds(s)}
        for node in root.iter("outline"):
            url = (node.get("xmlUrl") or "").strip()
            if not url:
                continue
            if url in existing or not url.startswith(("http://", "https://", "file://")):
                skipped.append(url)
                continue
            name = (node.get("title") or node.get("text") or default_name(url)).strip()[:200]
            base, i = name, 2
            while name in names:
                name, i = f"{base} ({i})", i + 1
            full = (node.get("prwatchFullText") or "").lower() == "true"
            q.add_feed(s, name, url, full, now)
            existing.add(url)
            names.add(name)
            added.append(name)
    return added, skipped


def export_opml(store: Store, settings: Settings) -> str:
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "prwatch subscriptions"
    body = ET.SubElement(root, "body")
    for f in listing(store, settings):
        if not f.enabled:
            continue
        attrs = {"type": "rss", "text": f.name, "title": f.name, "xmlUrl": f.url}
        if f.full_text:
            attrs["prwatchFullText"] = "true"
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
