"""Feed items as byte spans, so an incremental poll parses only the items that changed.

A press-wire feed that changed since the last poll usually gained one or two items among
twenty or more, yet feedparser costs about as much per item as the whole rest of a poll. Each
item's bytes are hashed here (its *source hash*, together with what the item inherits from the
document: XML declaration, root and channel start tags, the HTTP content type); an item
whose source hash the store already has is dropped from the document before feedparser
sees it, because the same bytes in the same context parse to the same entry.

The scanner is deliberately conservative: it only cuts documents it fully understands (an
ASCII-compatible encoding, no entity declarations, item or entry elements that open and
close in sequence and never nest, and no item that changes what the parser carries on to the
next one: feedparser keeps namespace declarations and, in a document without a base URL,
an item's xml:base for the items after it). For anything else `item_spans` returns None and
the document is parsed whole, as before; so are documents where the cut would be ambiguous.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

# Openers of CDATA sections, comments and processing instructions (which may contain anything,
# so the scan jumps to their closer), and item/entry tags. A tag longer than 4 KiB is not
# taken for one: the bound keeps the scan linear on hostile input.
_TOKENS = re.compile(rb"<!\[CDATA\[|<!--|<\?|<(/?)((?:[A-Za-z_][\w.-]*:)?(?:item|entry))(?=[\s/>])[^>]{0,4096}>")
_CLOSERS = {b"<![CDATA[": b"]]>", b"<!--": b"-->", b"<?": b"?>"}
_ROOT_TAG = re.compile(rb"<[A-Za-z_][^>]{0,4096}>")
_CHANNEL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?channel(?=[\s>])[^>]{0,4096}>")
_CONTEXT_HEADERS = ("content-type", "content-location", "content-base", "content-language")
_CARRIED_ON = re.compile(rb"xmlns|xml:base")  # parser state an item may leave to the next one


@dataclass(frozen=True, slots=True)
class ItemSpans:
    """Where the items of a feed document lie, and the hash of what they inherit."""

    context: bytes  # digest of the document parts and headers every item depends on
    spans: tuple[tuple[int, int], ...]  # [start, end) of each item element, in document order


def item_spans(body: bytes, headers: Mapping[str, str] | None = None) -> ItemSpans | None:
    """The item (RSS) or entry (Atom) elements of `body`, or None when the document is not
    one this scanner can cut safely."""
    if not _ascii_compatible(body) or b"<!ENTITY" in body:
        return None
    spans: list[tuple[int, int]] = []
    name: bytes | None = None
    start = -1
    pos = 0
    while (m := _TOKENS.search(body, pos)) is not None:
        pos = m.end()
        tag = m.group(2)
        if tag is None:  # CDATA, comment or processing instruction: skip to its end
            closer = _CLOSERS[m.group(0)]
            end = body.find(closer, pos)
            if end < 0:
                return None
            pos = end + len(closer)
            continue
        closing = m.group(1) == b"/"
        if name is None:
            name = tag
        elif tag != name:
            return None  # items of two kinds (or an Atom entry inside an RSS item): too clever to cut
        if not closing:
            if start >= 0 or m.group(0).endswith(b"/>"):
                return None  # nested or empty-element items
            start = m.start()
        else:
            if start < 0:
                return None
            spans.append((start, m.end()))
            start = -1
    if start >= 0 or not spans or _CARRIED_ON.search(body, spans[0][0], spans[-1][1]):
        return None
    return ItemSpans(_context(body, spans[0][0], headers), tuple(spans))


def source_hashes(body: bytes, items: ItemSpans) -> list[str]:
    """One hash per item: its bytes in its context. Equal hashes mean the item parses the same."""
    out = []
    for start, end in items.spans:
        h = hashlib.blake2b(items.context, digest_size=16)
        h.update(body[start:end])
        out.append(h.hexdigest())
    return out


def without_items(body: bytes, items: ItemSpans, keep: Collection[int]) -> bytes:
    """`body` with every item not in `keep` (indexes into `items.spans`) cut out."""
    parts = []
    pos = 0
    for i, (start, end) in enumerate(items.spans):
        if i in keep:
            continue
        parts.append(body[pos:start])
        pos = end
    parts.append(body[pos:])
    return b"".join(parts)


def _context(body: bytes, first_item: int, headers: Mapping[str, str] | None) -> bytes:
    """What every item inherits: the prologue up to the root element's start tag (encoding,
    namespaces, xml:base, xml:lang), the channel start tag, and the headers that decide the
    encoding, base URL and language. The rest of the prologue (titles, build dates) is not
    part of it, so a new lastBuildDate does not make every item look changed."""
    head = body[:first_item]
    h = hashlib.blake2b(digest_size=16)
    root = _ROOT_TAG.search(head)
    h.update(head[: root.end()] if root else head)
    channel = _CHANNEL_TAG.search(head)
    if channel:
        h.update(channel.group(0))
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    for key in _CONTEXT_HEADERS:
        h.update(f"\x00{key}={lowered.get(key, '')}".encode())
    return h.digest()


def _ascii_compatible(body: bytes) -> bool:
    """UTF-16/32 documents (BOM or NUL bytes up front) would hide their tags from a byte scanner."""
    head = body[:512]
    return not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head)


def kept_indexes(hashes: Sequence[str], known: Collection[str]) -> list[int]:
    """Indexes of the items whose source hash is not known."""
    return [i for i, h in enumerate(hashes) if h not in known]
