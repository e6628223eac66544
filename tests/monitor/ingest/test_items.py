"""Feed items as byte spans: what the scanner cuts, what it refuses, and that a cut document
reads exactly as the whole one does for the items it keeps."""

from __future__ import annotations

import pytest
from shared_data import shared_path

from monitor.errors import ParseError
from monitor.ingest.items import item_spans, source_hashes, without_items
from monitor.ingest.parse import parse_feed


def rss(items: str, build: str = "Mon, 01 Jul 2024 10:00:00 GMT", root: str = '<rss version="2.0">') -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>{root}<channel><title>Wire</title>'
            f"<lastBuildDate>{build}</lastBuildDate>{items}</channel></rss>").encode()


ITEM_A = "<item><guid>a</guid><title>A</title><description>First.</description></item>"
ITEM_B = "<item><guid>b</guid><title>B</title><description><![CDATA[<p>Second</p>]]></description></item>"


def spans_text(body: bytes) -> list[bytes]:
    found = item_spans(body)
    assert found is not None
    return [body[s:e] for s, e in found.spans]


def test_rss_items_and_atom_entries_are_found_in_document_order() -> None:
    assert spans_text(rss(ITEM_A + ITEM_B)) == [ITEM_A.encode(), ITEM_B.encode()]
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>W</title>'
            b'<entry><id>1</id><title>One</title></entry><entry xml:lang="kk"><id>2</id></entry></feed>')
    assert spans_text(atom) == [b"<entry><id>1</id><title>One</title></entry>",
                                b'<entry xml:lang="kk"><id>2</id></entry>']


def test_tags_inside_cdata_comments_and_escaped_html_are_not_items() -> None:
    tricky = ("<item><guid>t</guid><description><![CDATA[</item><item>not an item]]></description>"
              "<!-- </item> --><summary>&lt;item&gt;</summary></item>")
    assert spans_text(rss(tricky + ITEM_A)) == [tricky.encode(), ITEM_A.encode()]


@pytest.mark.parametrize("body", [
    rss(ITEM_A).decode().encode("utf-16"),  # not ASCII-compatible
    b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]>' + rss(ITEM_A)[21:],  # entity declarations
    rss("<item><guid>a</guid><item><guid>b</guid></item></item>"),  # nested
    rss("<item/>" + ITEM_A),  # empty element
    rss("<item><guid>a</guid>"),  # never closed
    rss("</item>" + ITEM_A),  # closed before opened
    rss("<item><guid>a</guid><atom:entry>x</atom:entry></item>",
        root='<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'),  # two kinds
    rss(""),  # no items
    rss('<item xml:base="https://other.test/"><guid>a</guid></item>' + ITEM_A),  # base carried on
    rss('<item><guid>a</guid><x:y xmlns:x="urn:x">1</x:y></item>' + ITEM_A),  # namespace carried on
], ids=["utf-16", "entities", "nested", "empty-element", "unclosed", "unopened", "two-kinds", "no-items",
        "item-base", "item-namespace"])
def test_documents_the_scanner_does_not_fully_understand_are_left_whole(body: bytes) -> None:
    assert item_spans(body) is None


@pytest.mark.parametrize("junk", [b"<![CDATA[", b"<!--", b"<?", b"<item ", b"<x "])
def test_hostile_documents_are_scanned_in_one_pass(junk: bytes) -> None:
    """Unclosed sections or tags repeated 200,000 times, before the channel: a scan that looked
    for each one's end from the start again would run for minutes here."""
    body = rss(ITEM_A)
    at = body.index(b"<channel>")
    found = item_spans(body[:at] + junk * 200_000 + body[at:])
    if junk == b"<x ":  # no tag ever closes: the root tag is not found, the item still is
        assert found is not None and len(found.spans) == 1
    else:
        assert found is None


def test_the_source_hash_follows_the_item_and_what_it_inherits_not_the_rest_of_the_channel() -> None:
    def hashes(body: bytes, headers: dict[str, str] | None = None) -> list[str]:
        found = item_spans(body, headers)
        assert found is not None
        return source_hashes(body, found)

    base = hashes(rss(ITEM_A + ITEM_B))
    assert hashes(rss(ITEM_A + ITEM_B, build="Tue, 02 Jul 2024 08:00:00 GMT")) == base  # new build date
    assert hashes(rss(ITEM_B + ITEM_A)) == [base[1], base[0]]  # moved, not changed
    edited = hashes(rss(ITEM_A + ITEM_B.replace("Second", "Second, corrected")))
    assert edited[0] == base[0] and edited[1] != base[1]
    # what items inherit: namespaces and base of the root, the declared encoding, the HTTP type
    assert hashes(rss(ITEM_A + ITEM_B, root='<rss version="2.0" xml:base="https://other.test/">'))[0] != base[0]
    assert hashes(rss(ITEM_A + ITEM_B).replace(b"utf-8", b"iso-8859-1"))[0] != base[0]
    assert hashes(rss(ITEM_A + ITEM_B), {"Content-Type": "text/xml; charset=koi8-r"})[0] != base[0]


def test_without_items_cuts_exactly_the_items_not_kept() -> None:
    body = rss(ITEM_A + ITEM_B)
    found = item_spans(body)
    assert found is not None
    assert without_items(body, found, {0, 1}) == body
    assert without_items(body, found, {1}) == rss(ITEM_B)
    assert without_items(body, found, set()) == rss("")


def test_a_cut_document_reads_like_the_whole_one_for_every_feedparser_test_feed() -> None:
    """Over feedparser's own test feeds (well- and ill-formed, mostly one item each): wherever
    a cut document parses cleanly (which is when prwatch uses it), the feed's title and TTL are
    those of the whole document and each kept item yields exactly the entry the whole document
    gives for it. (tests/monitor/test_process.py compares many-item feeds subset by subset.)"""
    tests = shared_path("robustness/feedparser-tests", "feedparser's test feeds")
    files = sorted(tests.rglob("*.xml"))
    assert len(files) > 1500, f"feedparser test feeds missing at {tests}"
    compared = 0
    for path in files:
        body = path.read_bytes()
        found = item_spans(body)
        if found is None:
            continue
        hashes = source_hashes(body, found)
        try:
            whole = parse_feed(body, {}, "http://example.test/feed.xml", hashes)
        except ParseError:
            continue
        if whole.sources is None:
            continue  # feedparser saw another number of entries: prwatch parses such feeds whole
        by_source = dict(zip(whole.sources, whole.entries, strict=True))
        for keep in (set(), {0}, set(range(1, len(found.spans), 2))):
            if len(keep) == len(found.spans):
                continue  # nothing cut
            try:
                cut = parse_feed(without_items(body, found, keep), {}, "http://example.test/feed.xml",
                                 [hashes[i] for i in sorted(keep)])
            except ParseError:
                continue
            if cut.warning is not None or cut.sources is None:
                continue  # prwatch falls back to the whole document here
            dropped_guids = {by_source[h].guid for i, h in enumerate(hashes) if i not in keep and h in by_source}
            if any(d.guid in dropped_guids for d in cut.entries):
                continue  # a guid shared with a dropped item: prwatch parses whole
            expected = [by_source.get(h) for h in cut.sources]
            assert list(cut.entries) == expected, path
            assert (cut.title, cut.ttl_minutes) == (whole.title, whole.ttl_minutes), path
            compared += 1
    assert compared > 1000, f"only {compared} cut documents compared"
