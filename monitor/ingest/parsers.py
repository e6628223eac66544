"""Feed parsers chosen by MIME type (the model is reader's parser registry).

A parser turns a fetched body into a ParsedFeed. feedparser reads RSS and Atom in every
dialect, and sniffs what a server labels wrongly, so it is also the default for any type
nobody registered. A parser may offer the incremental item cutter as a capability
(`cutter`): items whose bytes the store has seen are cut from the document before it is
parsed (monitor.ingest.items); a parser without one always parses the whole document.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from monitor.domain import ParsedFeed
from monitor.ingest import items
from monitor.ingest.parse import parse_feed

ParseFn = Callable[[bytes, Mapping[str, str], str, Sequence[str] | None], ParsedFeed]


@dataclass(frozen=True, slots=True)
class ItemCutter:
    """Finds a document's items as byte spans, hashes them, and cuts the ones not kept."""

    spans: Callable[[bytes, Mapping[str, str]], items.ItemSpans | None] = items.item_spans
    hashes: Callable[[bytes, items.ItemSpans], list[str]] = items.source_hashes
    without: Callable[[bytes, items.ItemSpans, Collection[int]], bytes] = items.without_items


@dataclass(frozen=True, slots=True)
class Parser:
    name: str
    mime_types: tuple[str, ...]
    parse: ParseFn
    cutter: ItemCutter | None = None


def _feedparser(body: bytes, headers: Mapping[str, str], url: str, sources: Sequence[str] | None) -> ParsedFeed:
    return parse_feed(body, headers, url, sources)


FEEDPARSER = Parser("feedparser", ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
                                   "application/xml", "text/xml"), _feedparser, ItemCutter())


@dataclass
class Registry:
    """Parsers by MIME type; `default` for a type none registered."""

    default: Parser = FEEDPARSER
    by_type: dict[str, Parser] = field(default_factory=dict)

    def register(self, parser: Parser) -> None:
        for t in parser.mime_types:
            self.by_type[t] = parser

    def parser_for(self, headers: Mapping[str, str]) -> Parser:
        """The parser for a response's Content-Type (its MIME type, parameters left out)."""
        mime = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return self.by_type.get(mime, self.default)


REGISTRY = Registry()
REGISTRY.register(FEEDPARSER)
