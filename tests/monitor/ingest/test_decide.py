"""What a poll does with a feed, decided without a network or a database: a fetch outcome and
the feed's stored state in, an intent out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from monitor.config import PollSettings
from monitor.domain import FeedJob, FetchFailed, ProcessedFeed
from monitor.errors import FetchError, ParseError
from monitor.ingest import decide
from monitor.ingest.fetch import FetchResult

NOW = datetime(2025, 7, 1, 12, 0, tzinfo=timezone.utc)
POLL = PollSettings(interval_minutes=30, min_interval_minutes=5)
BODY = b"<rss version='2.0'><channel><title>W</title></channel></rss>"
JOB = FeedJob(1, "wire", "http://wire.test/rss", '"v1"', "Mon, 30 Jun 2025 10:00:00 GMT", decide.body_hash(BODY),
              2, False)


def parsed(ttl: int | None = None, warning: str | None = None) -> ProcessedFeed:
    return ProcessedFeed("W", ttl, warning, (), 0, 0)


def test_a_304_keeps_the_stored_validators_unless_the_server_sends_new_ones() -> None:
    intent = decide.after_fetch(JOB, FetchResult(304, JOB.url, None, {}), NOW, POLL)
    assert isinstance(intent, decide.Record) and intent.outcome == "not modified" and intent.http_status == 304
    assert (intent.state.etag, intent.state.last_modified, intent.state.body_hash) == (
        JOB.etag, JOB.last_modified, JOB.body_hash)
    assert intent.state.next_check_at == NOW + timedelta(minutes=30)
    newer = decide.after_fetch(JOB, FetchResult(304, JOB.url, None, {"etag": '"v2"'}), NOW, POLL)
    assert isinstance(newer, decide.Record) and newer.state.etag == '"v2"'


def test_the_same_body_again_is_unchanged_and_a_new_one_is_parsed() -> None:
    same = decide.after_fetch(JOB, FetchResult(200, JOB.url, BODY, {}), NOW, POLL)
    assert isinstance(same, decide.Record) and (same.state.status, same.outcome) == ("200 same", "unchanged")
    new = decide.after_fetch(JOB, FetchResult(200, JOB.url, BODY + b" ", {"cache-control": "max-age=7200"}), NOW, POLL)
    assert new == decide.Parse(decide.body_hash(BODY + b" "), 7200.0)


def test_a_failure_backs_off_from_the_error_count_and_honours_retry_after() -> None:
    busy = decide.after_fetch(JOB, FetchError("HTTP 503 Service Unavailable", status=503, retry_after=6 * 3600),
                              NOW, POLL)
    assert isinstance(busy, decide.Record) and isinstance(busy.state, FetchFailed)
    assert (busy.state.status, busy.outcome, busy.http_status, busy.state.disable) == ("503", "error", 503, False)
    assert busy.state.next_check_at >= NOW + timedelta(hours=6)
    down = decide.after_fetch(JOB, FetchError("cannot connect: refused"), NOW, POLL)
    assert isinstance(down, decide.Record) and down.state.status == "error" and down.http_status is None
    # third consecutive failure: 30 min x 2**2, within the +-20 % jitter
    assert NOW + timedelta(minutes=96) <= down.state.next_check_at <= NOW + timedelta(minutes=144)


def test_gone_disables_the_feed() -> None:
    gone = decide.after_fetch(JOB, FetchError("HTTP 410 Gone", status=410), NOW, POLL)
    assert isinstance(gone, decide.Record) and isinstance(gone.state, FetchFailed)
    assert gone.state.disable and gone.outcome == "disabled"


def test_a_body_that_is_no_feed_is_a_parse_error_and_a_feed_is_stored_with_its_ttl_and_warning() -> None:
    fetched = FetchResult(200, JOB.url, BODY + b" ", {"etag": '"v2"'})
    parse = decide.Parse("h2", None)
    bad = decide.after_parse(JOB, fetched, parse, ParseError("an HTML page, not a feed"), NOW, POLL)
    assert isinstance(bad, decide.Record) and bad.state.status == "parse error" and bad.outcome == "error"
    good = decide.after_parse(JOB, fetched, parse, parsed(ttl=120, warning="ill-formed"), NOW, POLL)
    assert isinstance(good, decide.Store) and good.http_status == 200
    assert (good.state.etag, good.state.body_hash, good.state.warning) == ('"v2"', "h2", "ill-formed")
    assert good.state.next_check_at == NOW + timedelta(minutes=120)


def test_a_store_error_is_retried_soon_whatever_the_error_count() -> None:
    intent = decide.store_failed(JOB, "could not store: disk full", NOW, POLL)
    assert intent.state.next_check_at == NOW + timedelta(minutes=5)
    assert intent.outcome == "error" and intent.state.status == "store error"



def test_parsers_are_chosen_by_mime_type_and_feedparser_reads_what_nobody_registered() -> None:
    from monitor.domain import ParsedFeed
    from monitor.ingest.parsers import FEEDPARSER, Parser, Registry

    def json_feed(_body: bytes, _headers: object, _url: str, _sources: object) -> ParsedFeed:
        return ParsedFeed("JSON")

    registry = Registry()
    registry.register(FEEDPARSER)
    registry.register(Parser("jsonfeed", ("application/feed+json",), json_feed))
    assert registry.parser_for({"content-type": "application/feed+json; charset=utf-8"}).name == "jsonfeed"
    assert registry.parser_for({"content-type": "application/atom+xml"}) is FEEDPARSER
    assert registry.parser_for({"content-type": "text/html"}) is FEEDPARSER  # feedparser sniffs a mislabelled feed
    assert registry.parser_for({}) is FEEDPARSER
    assert FEEDPARSER.cutter is not None and registry.parser_for({"content-type": "application/feed+json"}).cutter is None
