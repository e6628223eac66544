"""Feed documents to ReleaseDrafts: feedparser on the fetched bytes, never on a URL.

feedparser's own HTML sanitiser and URI resolution are off: bodies become plain text here
(monitor.text), and digests escape everything they show, so the sanitiser would only cost
time. An HTML page "parses" with no error and no entries, so a document is accepted as a
feed only when feedparser recognised a feed version or found entries.
"""

from __future__ import annotations

import calendar
import email.utils
import hashlib
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin

from monitor.errors import ParseError
from monitor.text import normalise_space
from monitor.types import ParsedFeed, ReleaseDraft

# Kinds of feedparser "bozo" exceptions that still leave usable entries.
_BENIGN_BOZO = ("CharacterEncodingOverride", "NonXMLContentType", "CharacterEncodingUnknown")


def parse_feed(body: bytes, headers: Mapping[str, str] | None = None, url: str = "") -> ParsedFeed:
    """Parse a feed document. Raises ParseError when the bytes are not a feed.

    Well-formed RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 without a DOCTYPE (nearly every feed)
    are read with lxml directly, about ten times faster than feedparser; everything else
    (ill-formed XML, DTDs and entities, old formats, an HTTP charset that contradicts the
    document) goes to feedparser, which is lenient and knows every dialect."""
    if not body or not body.strip():
        raise ParseError("empty document")
    head = body[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise ParseError("an HTML page, not a feed")
    fast = _parse_fast(body, headers or {}, url)
    if fast is not None:
        return fast
    return _parse_with_feedparser(body, headers, url)


def _parse_with_feedparser(body: bytes, headers: Mapping[str, str] | None, url: str) -> ParsedFeed:
    import feedparser  # only for documents the fast path leaves to it

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
            raise ParseError(f"not a readable feed ({name}: {str(exc)[:160]})")
        if name not in _BENIGN_BOZO:
            warning = f"ill-formed feed, read leniently ({name})"
    if not version and not entries:
        raise ParseError("not a feed (no RSS or Atom document found)")
    feed_info = parsed.get("feed") or {}
    drafts = []
    seen: set[str] = set()
    for entry in entries:
        draft = entry_to_draft(entry, url)
        if draft is None or draft.guid in seen:
            continue
        seen.add(draft.guid)
        drafts.append(draft)
    ttl = feed_info.get("ttl")
    return ParsedFeed(
        title=normalise_space(html_to_text(feed_info.get("title") or "")) or None,
        entries=tuple(drafts),
        ttl_minutes=int(ttl) if isinstance(ttl, str) and ttl.strip().isdigit() else None,
        warning=warning,
    )


def entry_to_draft(entry: Mapping[str, Any], feed_url: str = "") -> ReleaseDraft | None:
    """One feedparser entry to a draft; None when it has neither title nor text."""
    title = html_to_text(entry.get("title") or "").replace("\n", " ")
    text = html_to_text(_body_html(entry))
    if not title and not text:
        return None
    link = _link(entry)
    published = _when(entry.get("published_parsed")) or _when(entry.get("updated_parsed"))
    guid = entry_identity(entry.get("id"), link, title, published)
    author = entry.get("author")
    return ReleaseDraft(
        guid=guid,
        url=link,
        title=title or (text[:80] + "…" if len(text) > 80 else text),
        published_at=published,
        text=text,
        author=html_to_text(author)[:200] if isinstance(author, str) and author else None,
    )


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
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return link.strip()
    for l in entry.get("links") or []:
        href = l.get("href")
        if href and l.get("rel", "alternate") == "alternate":
            return href.strip()
    return None


def _when(parsed: Any) -> datetime | None:
    # feedparser's *_parsed tuples are UTC: timegm, not mktime
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return None


# ------------------------------------------------------------------ the lxml fast path

_ATOM = "{http://www.w3.org/2005/Atom}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._-]+)", re.I)
_xml_parser: Any = None


def _parse_fast(body: bytes, headers: Mapping[str, str], url: str) -> ParsedFeed | None:
    """RSS 2.0 / RSS 1.0 / Atom 1.0 with lxml; None leaves the document to feedparser.

    The parser never loads a DTD, never resolves entities and never touches the network;
    a document with a DOCTYPE (where entity tricks live) is left to feedparser, whose
    expat refuses entity amplification and does not fetch external entities."""
    global _xml_parser
    from lxml import etree

    head = body[:4096]
    if b"<!DOCTYPE" in head or b"<!doctype" in head or b"<!ENTITY" in head:
        return None
    if not _same_charset(head, headers):
        return None
    if _xml_parser is None:
        _xml_parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                      remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(body, _xml_parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    tag = root.tag
    if tag == "rss":
        channel = root.find("channel")
        if channel is None:
            return None
        title, ttl = channel.findtext("title"), channel.findtext("ttl")
        items = [_rss_item(i, url) for i in channel.iterfind("item")]
    elif tag == _RDF:
        channel = root.find(_RSS1 + "channel")
        title, ttl = (channel.findtext(_RSS1 + "title") if channel is not None else None), None
        items = [_rss_item(i, url, ns=_RSS1) for i in root.iterfind(_RSS1 + "item")]
    elif tag == _ATOM + "feed":
        title, ttl = _atom_text(root.find(_ATOM + "title")), None
        items = [_atom_entry(e, url) for e in root.iterfind(_ATOM + "entry")]
    else:
        return None
    drafts: list[ReleaseDraft] = []
    seen: set[str] = set()
    for draft in items:
        if draft is None or draft.guid in seen:
            continue
        seen.add(draft.guid)
        drafts.append(draft)
    ttl = (ttl or "").strip()
    return ParsedFeed(title=normalise_space(feed_html_to_text(title or "")) or None, entries=tuple(drafts),
                      ttl_minutes=int(ttl) if ttl.isdigit() else None)


def _same_charset(head: bytes, headers: Mapping[str, str]) -> bool:
    """False when the HTTP charset contradicts the XML declaration (feedparser arbitrates)."""
    ctype = headers.get("content-type") or headers.get("Content-Type") or ""
    m = _CHARSET.search(ctype)
    if not m:
        return True
    declared = _XML_DECL.match(head)
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return m.group(1).lower().replace("_", "-") in ("utf-8", "utf8", "utf-16", "utf-16le", "utf-16be")
    doc = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    norm = lambda s: s.lower().replace("_", "-").replace("utf8", "utf-8")  # noqa: E731
    return norm(m.group(1)) == norm(doc)


def _rss_item(item: Any, feed_url: str, ns: str = "") -> ReleaseDraft | None:
    raw_title = item.findtext(ns + "title") or ""
    summary = item.findtext(ns + "description") or ""
    content = item.findtext(_CONTENT) or ""
    guid_el = item.find("guid") if not ns else None
    guid = (guid_el.text or "").strip() if guid_el is not None else ""
    if ns:
        guid = (item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or "").strip()
    link = (item.findtext(ns + "link") or "").strip() or _atom_link(item)
    if not link and guid_el is not None and guid.startswith(("http://", "https://")) \
            and (guid_el.get("isPermaLink") or "true").lower() != "false":
        link = guid
    when = _date(item.findtext("pubDate") or item.findtext(_DC_DATE) or item.findtext(_ATOM + "published")
                 or item.findtext(_ATOM + "updated"))
    author = item.findtext("author") or item.findtext(_DC_CREATOR)
    return _draft(raw_title, content if len(content) >= len(summary) else summary, link, guid, when, author,
                  feed_url)


def _atom_entry(entry: Any, feed_url: str) -> ReleaseDraft | None:
    summary = _atom_text(entry.find(_ATOM + "summary"))
    content_el = entry.find(_ATOM + "content")
    content = _atom_text(content_el) if content_el is not None and content_el.get("src") is None else ""
    when = _date(entry.findtext(_ATOM + "published") or entry.findtext(_ATOM + "updated"))
    author = entry.findtext(f"{_ATOM}author/{_ATOM}name")
    return _draft(_atom_text(entry.find(_ATOM + "title")), content if len(content) >= len(summary) else summary,
                  _atom_link(entry), (entry.findtext(_ATOM + "id") or "").strip(), when, author, feed_url)


def _draft(raw_title: str, body_html: str, link: str | None, guid: str, when: datetime | None,
           author: str | None, feed_url: str) -> ReleaseDraft | None:
    title = feed_html_to_text(raw_title).replace("\n", " ")
    text = feed_html_to_text(body_html)
    if not title and not text:
        return None
    if link and feed_url.startswith(("http://", "https://")) and not link.startswith(("http://", "https://")):
        link = urljoin(feed_url, link)
    return ReleaseDraft(
        guid=entry_identity(guid, link or None, title, when),
        url=link or None,
        title=title or (text[:80] + "…" if len(text) > 80 else text),
        published_at=when,
        text=text,
        author=feed_html_to_text(author)[:200] if author and author.strip() else None,
    )


def _atom_text(el: Any) -> str:
    """An Atom text construct as (X)HTML source or text."""
    if el is None:
        return ""
    if el.get("type") == "xhtml":
        from lxml import etree

        return (el.text or "") + "".join(etree.tostring(c, encoding="unicode") for c in el)
    return el.text or ""


def _atom_link(el: Any) -> str | None:
    for link in el.iterfind(_ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link.get("href").strip()
    return None


def _date(value: str | None) -> datetime | None:
    """RFC 822 or ISO 8601 (what feeds use), else feedparser's many-format parser; UTC."""
    if not value or not value.strip():
        return None
    value = value.strip()
    when: datetime | None = None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            from feedparser.datetimes import _parse_date

            return _when(_parse_date(value))
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return when.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


# ------------------------------------------------------------------ HTML to text, with lxml

_TAGISH = re.compile(r"<[a-zA-Z!/]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "math")
_BLOCKS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
           "blockquote", "section", "article", "header", "footer", "pre")
_html_parser: Any = None


def feed_html_to_text(html: str) -> str:
    """Plain text of an HTML fragment from a feed, one paragraph per line, scripts dropped.

    The same result as monitor.text.html_to_text (beautifulsoup4) for feed bodies, with
    lxml's HTML parser directly: bs4 costs about a millisecond per entry, which is most of
    a first poll. Plain text passes through untouched apart from whitespace."""
    global _html_parser
    if not html:
        return ""
    if not _TAGISH.search(html) and "&" not in html:
        return normalise_space(html)
    from lxml import etree

    if _html_parser is None:
        _html_parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring("<html><body><div>" + _CONTROL.sub(" ", html) + "</div></body></html>", _html_parser)
    except (etree.ParserError, ValueError):
        from monitor.text import html_to_text

        return html_to_text(html)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROP, with_tail=False)
    for el in root.iter(*_BLOCKS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    return normalise_space("".join(root.itertext()))


html_to_text = feed_html_to_text  # the feedparser path converts the same way, so hashes agree
