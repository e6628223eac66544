"""Feeds to drafts: identity, dates, plain text, and what is not a feed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.errors import ParseError
from monitor.ingest.parse import clean, content_hash, parse_feed

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire &amp; Co</title><ttl>90</ttl>
<item><title>With guid</title><guid>g-1</guid><link>https://e.org/1</link>
<pubDate>Tue, 01 Jul 2025 10:00:00 +0500</pubDate>
<description>&lt;p&gt;Trade rose &lt;b&gt;32 percent&lt;/b&gt;.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;</description></item>
<item><title>Link only</title><link>https://e.org/2</link><description>Body two.</description></item>
<item><title>Neither guid nor link</title><description>Body three.</description></item>
</channel></rss>"""


def test_entries_get_guid_else_link_else_a_hash_of_title_and_date() -> None:
    feed = parse_feed(RSS)
    ids = [e.guid for e in feed.entries]
    assert ids[0] == "g-1"
    assert ids[1] == "https://e.org/2"
    assert ids[2].startswith("sha1:")
    assert parse_feed(RSS).entries[2].guid == ids[2]  # stable across parses


def test_publication_time_is_utc_aware() -> None:
    e = parse_feed(RSS).entries[0]
    assert e.published_at == datetime(2025, 7, 1, 5, 0, tzinfo=timezone.utc)


def test_html_bodies_become_plain_text_without_scripts() -> None:
    e = parse_feed(RSS).entries[0]
    assert e.text == "Trade rose 32 percent."
    assert "alert" not in e.text


def test_feed_title_and_ttl_are_read() -> None:
    feed = parse_feed(RSS)
    assert feed.title == "Wire & Co"
    assert feed.ttl_minutes == 90


def test_atom_content_is_preferred_to_a_shorter_summary() -> None:
    atom = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>x</id>
    <updated>2025-01-01T00:00:00Z</updated><entry><title>T</title><id>urn:1</id>
    <updated>2025-01-02T00:00:00Z</updated><summary>Short.</summary>
    <content type="html">&lt;p&gt;The long body of the release.&lt;/p&gt;</content></entry></feed>"""
    e = parse_feed(atom).entries[0]
    assert e.text == "The long body of the release."
    assert e.published_at == datetime(2025, 1, 2, tzinfo=timezone.utc)


def test_relative_links_are_resolved_against_the_feed_url_and_identities_are_kept_as_sent() -> None:
    body = (b'<rss version="2.0"><channel><title>W</title><item><title>A</title><link>/news/1</link>'
            b'<guid isPermaLink="false">rel-1</guid><description>x</description></item>'
            b"<item><title>B</title><link>news/2</link><description>y</description></item></channel></rss>")
    a, b = parse_feed(body, {}, "https://wire.test/feeds/all.xml").entries
    assert (a.guid, a.url) == ("rel-1", "https://wire.test/news/1")
    assert b.url == "https://wire.test/feeds/news/2"
    assert b.guid == "news/2"  # no guid: the link as sent is the identity (as before links were resolved)


@pytest.mark.parametrize("body", [b"", b"   ", b"<!DOCTYPE html><html><body>Hello</body></html>",
                                  b"<html><head></head><body><p>not a feed</p></body></html>",
                                  b"just some words", b"{\"json\": true}"])
def test_what_is_not_a_feed_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body)


def test_content_hash_changes_with_title_text_or_link() -> None:
    base = content_hash("t", "x", "u")
    assert base == content_hash("t", "x", "u")
    assert len({base, content_hash("t2", "x", "u"), content_hash("t", "x2", "u"), content_hash("t", "x", "u2")}) == 4


CONTROLS = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire\x00 one</title><item><guid>g\x00-1</guid>'
            b'<title>Trade\x00 rose\x07</title><link>https://e.org/\x001</link><author>Press\x1b office</author>'
            b'<description>Before the NUL\x00after the NUL; a bell\x07 and an escape\x1b[31m.\tTab kept.</description>'
            b'</item></channel></rss>')


def test_nul_and_other_control_characters_are_stripped_from_every_field_and_the_text_after_them_kept() -> None:
    feed = parse_feed(CONTROLS)
    (e,) = feed.entries
    for value in (feed.title, e.guid, e.title, e.url, e.author, e.text):
        assert value is not None and not any(ord(c) < 32 and c not in "\t\n\r" for c in value), repr(value)
    assert "after the NUL" in e.text and "Tab kept" in e.text
    assert e.title == "Trade rose" and e.guid == "g-1"


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_clean_drops_exactly_the_c0_controls_and_del_but_tab_and_line_breaks(value: str) -> None:
    dropped = {*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F}
    assert clean(value) == "".join(c for c in value if ord(c) not in dropped)


def test_clean_gives_empty_text_for_what_is_not_a_string() -> None:
    assert clean(None) == "" and clean(3) == "" and clean(b"x") == ""


@pytest.mark.parametrize("stamp", ["Fri, 31 Dec 9999 23:59:59 GMT", "Mon, 01 Jan 0001 00:00:00 GMT",
                                   "Sat, 01 Jan 1000 00:00:00 GMT", "Wed, 01 Jan 2200 00:00:00 GMT"])
def test_dates_out_of_any_plausible_range_are_left_out(stamp: str) -> None:
    body = RSS.replace(b"Tue, 01 Jul 2025 10:00:00 +0500", stamp.encode())
    assert parse_feed(body).entries[0].published_at is None


@pytest.mark.parametrize("ttl,minutes", [("90", 90), ("²", None), ("9" * 400, 10**9), ("-5", None), (" 60 ", 60),
                                         ("١٢", None)])
def test_ttl_is_a_plain_ascii_number_and_a_huge_one_is_capped(ttl: str, minutes: int | None) -> None:
    assert parse_feed(RSS.replace(b"<ttl>90</ttl>", f"<ttl>{ttl}</ttl>".encode())).ttl_minutes == minutes
