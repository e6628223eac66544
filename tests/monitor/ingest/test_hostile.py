"""Hostile and broken input: each broken feed leaves a clear error recorded on that feed
alone (or is read leniently), and the rest of the poll goes on."""

from __future__ import annotations

import gzip
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from shared_data import shared_files, shared_path
from sqlalchemy import select
from werkzeug import Request, Response

from monitor.config import Settings
from monitor.errors import ParseError
from monitor.ingest.parse import parse_feed
from monitor.ingest.poll import poll
from storage.sql.engine import open_store
from storage.sql.models import Feed, Release

ILLFORMED = "robustness/feedparser-tests/illformed"
ILLFORMED_WHAT = "feedparser's ill-formed test feeds"
GOOD = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Good</title><item><guid>g1</guid>'
        b'<title>A good release</title><description>Trade rose.</description></item></channel></rss>')

LAUGHS = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">' + b"".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)) + \
    b']><rss version="2.0"><channel><title>t</title><item><guid>x</guid><title>&i;</title>' \
    b'<description>d</description></item></channel></rss>'
XXE = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel>'
       b'<title>t</title><item><guid>x</guid><title>a&x;b</title><description>d</description></item></channel></rss>')
LATIN1_AS_UTF8 = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
                  '<guid>x</guid><title>Caf\u00e9 d\u00e9j\u00e0</title><description>d</description></item>'
                  '</channel></rss>').encode("latin-1")


def slow_drip(_req: Request) -> Response:
    def gen() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
        for _ in range(100):
            time.sleep(0.5)
            yield b" "
    return Response(gen(), content_type="application/rss+xml")


def fifty_mb(_req: Request) -> Response:
    def gen() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
        for _ in range(50 * 16):
            yield b"x" * 65536
    return Response(gen(), content_type="application/rss+xml")


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    """A threaded server: a slow-dripping feed must not hold the others' responses."""
    srv = HTTPServer(threaded=True)
    srv.start()
    yield srv
    srv.clear()
    if srv.is_running():
        srv.stop()


@pytest.fixture
def blackhole() -> Iterator[str]:
    """A port whose listen backlog is full: connecting hangs until the connect timeout."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(0)
    port = srv.getsockname()[1]
    fillers = []
    for _ in range(4):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    yield f"http://127.0.0.1:{port}/feed.xml"
    for c in fillers:
        c.close()
    srv.close()


def test_every_kind_of_broken_feed_fails_alone_with_a_clear_recorded_error(
        server: HTTPServer, write_config: Callable[..., Settings], blackhole: str, db_url: str) -> None:
    httpserver = server
    ok = {"content_type": "application/rss+xml"}
    routes: dict[str, tuple[str, object]] = {
        "good": ("/good", lambda: httpserver.expect_request("/good").respond_with_data(GOOD, **ok)),
        "not found": ("/404", lambda: httpserver.expect_request("/404").respond_with_data("no", status=404)),
        "gone": ("/410", lambda: httpserver.expect_request("/410").respond_with_data("", status=410)),
        "rate limited": ("/429", lambda: httpserver.expect_request("/429").respond_with_data(
            "", status=429, headers={"Retry-After": "3600"})),
        "unavailable": ("/503", lambda: httpserver.expect_request("/503").respond_with_data(
            "", status=503, headers={"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"})),
        "server error": ("/500", lambda: httpserver.expect_request("/500").respond_with_data("", status=500)),
        "loop": ("/loop", lambda: httpserver.expect_request("/loop").respond_with_data(
            "", status=302, headers={"Location": "/loop"})),
        "huge": ("/huge", lambda: httpserver.expect_request("/huge").respond_with_handler(fifty_mb)),
        "bomb": ("/bomb", lambda: httpserver.expect_request("/bomb").respond_with_data(
            gzip.compress(b"<rss>" + b"\0" * 30_000_000), headers={"Content-Encoding": "gzip"}, **ok)),
        "drip": ("/drip", lambda: httpserver.expect_request("/drip").respond_with_handler(slow_drip)),
        "html": ("/html", lambda: httpserver.expect_request("/html").respond_with_data(
            "<!DOCTYPE html><html><body>Hi</body></html>", content_type="text/html")),
        "empty": ("/empty", lambda: httpserver.expect_request("/empty").respond_with_data("", **ok)),
        "laughs": ("/laughs", lambda: httpserver.expect_request("/laughs").respond_with_data(LAUGHS, **ok)),
        "xxe": ("/xxe", lambda: httpserver.expect_request("/xxe").respond_with_data(XXE, **ok)),
        "wrong encoding": ("/enc", lambda: httpserver.expect_request("/enc").respond_with_data(
            LATIN1_AS_UTF8, content_type="application/rss+xml; charset=utf-8")),
        "contradicting charset": ("/cs", lambda: httpserver.expect_request("/cs").respond_with_data(
            GOOD.replace(b"Trade rose.", "Caf\u00e9".encode()), content_type="text/xml; charset=iso-8859-1")),
    }
    for _path, register in routes.values():
        register()  # type: ignore[operator]
    feeds = [(name, httpserver.url_for(path)) for name, (path, _) in routes.items()]
    feeds += [("refused", "http://127.0.0.1:9/feed.xml"), ("connect timeout", blackhole)]
    settings = write_config(feeds, db_url=db_url,
                            poll="max_body_mib = 1\nconnect_timeout = 1\nread_timeout = 2\ntotal_timeout = 4")

    store = open_store(settings.storage.url)
    started = time.monotonic()
    report = poll(store, settings)
    took = time.monotonic() - started
    with store.session() as s:
        rows = {f.name: f for f in s.scalars(select(Feed))}
        titles = {r.feed.name: r.title for r in s.scalars(select(Release))}
    store.dispose()

    assert len(report.outcomes) == len(feeds)
    # outcomes are listed as feeds finish: the feeds that fail at once finished while the drip
    # still dripped, and the drip was cut at total_timeout (4 s), not read for its 50 s. (Feeds
    # that parse wait for the worker processes to start, which on a loaded machine takes as
    # long as the drip.)
    finished = [o.name for o in report.outcomes]
    quick = ("not found", "gone", "server error", "loop", "refused", "rate limited", "unavailable")
    assert max(finished.index(n) for n in quick) < finished.index("drip"), \
        f"one slow feed must not hold the poll: {[(o.name, o.ms) for o in report.outcomes]}"
    assert took < 40, "the drip is cut at the total timeout"
    assert titles["good"] == "A good release" and rows["good"].error_count == 0
    expect = {
        "not found": ("404", "HTTP 404"), "gone": ("410", "HTTP 410"), "rate limited": ("429", "HTTP 429"),
        "unavailable": ("503", "HTTP 503"), "server error": ("500", "HTTP 500"), "loop": ("error", "redirect loop"),
        "huge": ("200", "exceeds the limit"), "bomb": ("200", "exceeds the limit"), "drip": ("error", "timed out"),
        "html": ("parse error", "HTML page"), "empty": ("parse error", "empty document"),
        "refused": ("error", "connection refused by"), "connect timeout": ("error", "connect timed out"),
    }
    for name, (status, message) in expect.items():
        row = rows[name]
        assert row.last_status == status and message in (row.last_error or ""), (name, row.last_status, row.last_error)
        assert row.error_count == 1 and row.next_check_at is not None, name
    assert not rows["gone"].enabled
    # entity tricks: no expansion blow-up, no file read; read leniently or refused, never hung
    assert "root:" not in titles.get("xxe", "")
    assert len(titles.get("laughs", "")) < 1000
    # encodings: wrong or contradicting declarations are read leniently
    assert "Caf" in titles.get("wrong encoding", ""), (rows["wrong encoding"].last_status, rows["wrong encoding"].last_error)
    assert rows["contradicting charset"].error_count == 0 and "contradicting charset" in titles


@pytest.mark.parametrize("path", shared_files(ILLFORMED, "*.xml", ILLFORMED_WHAT), ids=lambda p: p.name)
def test_every_illformed_feedparser_sample_is_read_leniently_or_refused_clearly(path: Path) -> None:
    try:
        feed = parse_feed(path.read_bytes(), {}, "http://example.test/feed.xml")
    except ParseError as e:
        assert str(e)  # a clear message for `prwatch status`
        return
    for e in feed.entries:
        assert e.guid and isinstance(e.text, str)


def test_illformed_samples_in_one_poll_fail_alone(httpserver: HTTPServer, write_config: Callable[..., Settings],
                                                  db_url: str) -> None:
    illformed = shared_path(ILLFORMED, ILLFORMED_WHAT)
    files = sorted(illformed.rglob("*.xml"))
    assert files, f"no samples under {illformed}"
    for i, p in enumerate(files):
        httpserver.expect_request(f"/s{i}.xml").respond_with_data(p.read_bytes(), content_type="application/xml")
    httpserver.expect_request("/good.xml").respond_with_data(GOOD, content_type="application/rss+xml")
    feeds = [(f"s{i} {p.name}", httpserver.url_for(f"/s{i}.xml")) for i, p in enumerate(files)]
    settings = write_config(feeds + [("good", httpserver.url_for("/good.xml"))], db_url=db_url)
    store = open_store(settings.storage.url)
    report = poll(store, settings)
    with store.session() as s:
        rows = list(s.scalars(select(Feed)))
    store.dispose()
    assert len(report.outcomes) == len(files) + 1
    assert next(o for o in report.outcomes if o.name == "good").new == 1
    for row in rows:
        assert row.error_count == 0 or (row.last_status == "parse error" and row.last_error), row.name


def _topic_item(guid: str, title: str, when: str, extra: str = "") -> str:
    return (f"<item><guid>{guid}</guid><title>{title}</title><pubDate>{when}</pubDate><description>"
            f"Kazakhstan and China agreed to expand rail freight through Khorgos.{extra}</description></item>")


def test_control_characters_and_dates_out_of_range_lose_nothing_and_break_no_digest(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    """A NUL made PostgreSQL refuse the whole feed on every poll; a date in year 9999 or year 1
    made every digest of a non-UTC zone fail."""
    from datetime import date, datetime, timezone

    from digests.write import write_digests

    today = datetime.now(timezone.utc).strftime("%a, %d %b %Y 08:00:00 GMT")
    items = (_topic_item("nul", "Freight\x00 deal", today, " Text after\x00 the NUL.")
             + _topic_item("future", "China Kazakhstan freight corridor", "Fri, 31 Dec 9999 23:59:59 GMT")
             + _topic_item("ancient", "Kazakhstan China rail link", "Mon, 01 Jan 0001 00:00:00 GMT")
             + _topic_item("good", "Khorgos dry port volumes", today))
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()
    httpserver.expect_request("/f.xml").respond_with_data(body, content_type="application/rss+xml")
    settings = write_config([("f", httpserver.url_for("/f.xml"))], db_url=db_url)
    settings = replace(settings, digests=replace(settings.digests, timezone="Asia/Almaty"))
    store = open_store(settings.storage.url)
    try:
        report = poll(store, settings)
        assert not report.failed and report.new == 4, report.outcomes
        with store.session() as s:
            rows = {r.guid: r for r in s.scalars(select(Release))}
        assert "\x00" not in rows["nul"].text + rows["nul"].title and "after the NUL" in rows["nul"].text
        assert rows["future"].published_at is None and rows["ancient"].published_at is None
        written = write_digests(store, settings, day=date.today())
        assert written and all(w.path.exists() for w in written)
    finally:
        store.dispose()
