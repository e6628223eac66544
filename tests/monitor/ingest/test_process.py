"""Worker-side processing: only new or changed items are parsed and analysed, and reading a
feed item by item gives the same result as reading it whole."""

from __future__ import annotations

import itertools

from monitor.domain import ProcessedFeed
from monitor.ingest.process import process_feed

URL = "https://wire.test/feed.xml"

# Items in the styles wires use: CDATA and escaped HTML bodies, content:encoded, no guid,
# a guid that is not a permalink, a duplicate guid, a link in another namespace.
ITEMS = [
    "<item><guid>g1</guid><title>Trade up</title><description><![CDATA[<p>Trade rose 12% to $3 billion.</p>]]>"
    "</description><pubDate>Mon, 01 Jul 2024 10:00:00 GMT</pubDate></item>",
    "<item><title>No guid</title><link>https://wire.test/2</link><description>&lt;b&gt;Bold&lt;/b&gt; text."
    "</description></item>",
    '<item><guid isPermaLink="false">g3</guid><title>Rail</title><atom:link href="https://wire.test/3"/>'
    "<content:encoded><![CDATA[<p>A new line opened in 2025.</p>]]></content:encoded></item>",
    "<item><title>Neither guid nor link</title><description>Plain.</description></item>",
    "<item><guid>g1</guid><title>Duplicate of the first guid</title><description>Later.</description></item>",
    "<item><guid>g6</guid><title>Last</title><description>Six.</description></item>",
]


def feed(items: list[str], build: str = "Mon, 01 Jul 2024 12:00:00 GMT") -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:atom="http://www.w3.org/2005/Atom">'
            "<channel><title>Wire</title><ttl>60</ttl>"
            f"<lastBuildDate>{build}</lastBuildDate>{''.join(items)}</channel></rss>").encode()


def stored(result: ProcessedFeed) -> tuple[dict[str, str], dict[str, str]]:
    """What the store knows after saving `result` into an empty store."""
    known = {e.draft.guid: e.content_hash for e in result.changed}
    sources = {e.source_hash: e.draft.guid for e in result.changed if e.source_hash}
    return known, sources


def test_items_whose_bytes_the_store_has_are_not_parsed_again() -> None:
    first = process_feed(feed(ITEMS[:3]), {}, URL, {}, ())
    assert len(first.changed) == 3 and all(e.source_hash for e in first.changed)
    known, sources = stored(first)
    edited = ITEMS[2].replace("opened in 2025", "opened in 2026")
    again = process_feed(feed([ITEMS[5], ITEMS[0], ITEMS[1], edited], build="Tue, 02 Jul 2024 09:00:00 GMT"),
                         {}, URL, known, (), sources)
    assert [e.draft.guid for e in again.changed] == ["g6", "g3"]
    assert again.unchanged == 2 and again.title == "Wire" and again.ttl_minutes == 60
    # proof that the known items were not read: a stale content hash for one goes unnoticed
    stale = dict(known, g1="0" * 32)
    assert [e.draft.guid for e in process_feed(feed(ITEMS[:3]), {}, URL, stale, (), sources).changed] == []
    assert [e.draft.guid for e in process_feed(feed(ITEMS[:3]), {}, URL, stale, (), None).changed] == ["g1"]


def test_reading_item_by_item_equals_reading_whole_for_every_subset_of_known_items() -> None:
    """For each subset of items already stored, and the feed then edited: the same entries
    are found changed (same drafts, hashes and analysis) and the same counted unchanged."""
    for n_known in range(len(ITEMS) + 1):
        for subset in itertools.combinations(range(len(ITEMS)), n_known):
            known, sources = stored(process_feed(feed([ITEMS[i] for i in subset]), {}, URL, {}, ()))
            now = [i.replace("Later.", "Later, revised.") for i in ITEMS]
            cut = process_feed(feed(now), {}, URL, known, (), sources)
            whole = process_feed(feed(now), {}, URL, known, (), None)
            assert [(e.draft, e.content_hash, e.analysis) for e in cut.changed] == \
                   [(e.draft, e.content_hash, e.analysis) for e in whole.changed], subset
            assert (cut.unchanged, cut.skipped, cut.title, cut.warning) == \
                   (whole.unchanged, whole.skipped, whole.title, whole.warning), subset


def test_an_item_whose_markup_changed_but_not_its_content_is_no_revision_and_gets_its_new_hash() -> None:
    known, sources = stored(process_feed(feed(ITEMS[:2]), {}, URL, {}, ()))
    reformatted = ITEMS[0].replace("<title>", "\n  <title>")
    result = process_feed(feed([reformatted, ITEMS[1]]), {}, URL, known, (), sources)
    assert result.changed == () and result.unchanged == 2
    assert [guid for guid, _ in result.restamped] == ["g1"]
    assert result.restamped[0][1] not in sources


def test_a_feed_that_only_reads_leniently_is_parsed_whole_and_keeps_its_warning() -> None:
    known, sources = stored(process_feed(feed(ITEMS[:2]), {}, URL, {}, ()))
    broken = ITEMS[5].replace("</title>", "</title><bad>&nbsp;")  # undefined entity, unclosed element
    result = process_feed(feed(ITEMS[:2] + [broken]), {}, URL, known, (), sources)
    assert result.warning is not None
    assert [e.draft.guid for e in result.changed] == ["g6"]


def test_tombstoned_identities_are_skipped_whether_or_not_their_bytes_are_known() -> None:
    first = process_feed(feed(ITEMS[:1] + ITEMS[5:]), {}, URL, {}, ())
    known, sources = stored(first)
    known["g6"] = "tombstone"
    del sources[next(h for h, g in sources.items() if g == "g6")]  # the purged release took its hash along
    result = process_feed(feed(ITEMS[:1] + ITEMS[5:]), {}, URL, known, (), sources)
    assert (result.changed, result.unchanged, result.skipped) == ((), 1, 1)
