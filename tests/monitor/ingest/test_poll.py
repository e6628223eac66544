"""The poll cycle against a local HTTP server, as a specification: conditional requests,
validators, redirects, 410, Retry-After, back-off, --due/--feed, purge and tombstones, full
text. Storage-dependent rules run on SQLite and PostgreSQL (the `db_url` fixture)."""

from __future__ import annotations

import email.utils
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select, text, update
from werkzeug import Request, Response

from monitor.app.cli import main
from monitor.config import Settings
from monitor.ingest.poll import poll
from storage.sql.engine import open_store
from storage.sql.models import Feed, Release, ReleaseRevision, Tombstone


def rss(*items: tuple[str, str], link: str = "https://wire.test/") -> bytes:
    """An RSS 2.0 document; items are (guid, title) and link to `link` + guid."""
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><link>{link}{g}</link>"
                   f"<description>Body of {t}.</description></item>" for g, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{body}</channel></rss>'.encode()


class Served:
    """A path whose response the test changes, with a log of the request headers."""

    def __init__(self, server: HTTPServer, path: str) -> None:
        self.body, self.status, self.headers = rss(("a", "A")), 200, {}
        self.etag: str | None = None
        self.requests: list[dict[str, str]] = []
        server.expect_request(path).respond_with_handler(self.handle)
        self.url = server.url_for(path)

    def handle(self, req: Request) -> Response:
        self.requests.append(dict(req.headers))
        if self.etag and req.headers.get("If-None-Match") == self.etag:
            return Response(status=304, headers={"ETag": self.etag})
        headers = dict(self.headers)
        if self.etag:
            headers["ETag"] = self.etag
        return Response(self.body, status=self.status, headers=headers, content_type="application/rss+xml")


def feed_row(settings: Settings, name: str) -> Feed:
    store = open_store(settings.storage.url)
    with store.session() as s:
        row = s.scalar(select(Feed).where(Feed.name == name))
        assert row is not None
        s.expunge(row)
    store.dispose()
    return row


def releases(settings: Settings) -> int:
    store = open_store(settings.storage.url)
    with store.session() as s:
        n = s.scalar(select(func.count()).select_from(Release)) or 0
    store.dispose()
    return n


def run(settings: Settings, **kw: object):  # type: ignore[no-untyped-def]
    store = open_store(settings.storage.url)
    try:
        return poll(store, settings, **kw)  # type: ignore[arg-type]
    finally:
        store.dispose()


def test_validators_are_stored_only_after_the_body_was_parsed_and_stored(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.body, feed.etag = b"<html><body>maintenance</body></html>", '"broken"'
    settings = write_config([("f", feed.url)], db_url=db_url)
    run(settings)
    row = feed_row(settings, "f")
    assert row.etag is None and row.last_status == "parse error" and "HTML page" in (row.last_error or "")

    feed.body, feed.etag = rss(("a", "A")), '"v1"'
    run(settings)
    assert feed_row(settings, "f").etag == '"v1"' and releases(settings) == 1
    run(settings)
    assert feed.requests[-1].get("If-None-Match") == '"v1"'
    assert feed_row(settings, "f").last_status == "304"


def test_a_200_whose_body_did_not_change_is_treated_as_not_modified(
        httpserver: HTTPServer, write_config: Callable[..., Settings]) -> None:
    feed = Served(httpserver, "/f.xml")  # a server without validators
    settings = write_config([("f", feed.url)])
    assert run(settings).outcomes[0].new == 1
    again = run(settings).outcomes[0]
    assert again.status == "unchanged" and again.new == 0
    assert feed_row(settings, "f").last_status == "200 same"


def test_a_poll_indexes_the_releases_of_all_its_feeds_for_search_when_it_ends(
        httpserver: HTTPServer, write_config: Callable[..., Settings]) -> None:
    """On SQLite the full-text index is written once per poll, not in every feed's transaction
    (storage.sql.search_index): when the poll ends, nothing waits."""
    feeds = [Served(httpserver, f"/f{i}.xml") for i in range(3)]
    for i, f in enumerate(feeds):
        f.body = rss((f"g{i}", f"Release {i}"), (f"h{i}", f"Other {i}"))
    settings = write_config([(f"f{i}", f.url) for i, f in enumerate(feeds)])
    assert run(settings).new == 6
    store = open_store(settings.storage.url)
    try:
        with store.session() as s:
            assert s.scalar(text("SELECT count(*) FROM release_search_queue")) == 0
            assert s.scalar(text("SELECT count(*) FROM release_search WHERE release_search MATCH 'release'")) == 3
    finally:
        store.dispose()


@pytest.mark.parametrize("code,moves", [(301, True), (308, True), (302, False), (307, False)])
def test_permanent_redirects_update_the_stored_url_and_temporary_ones_do_not(
        httpserver: HTTPServer, write_config: Callable[..., Settings], code: int, moves: bool) -> None:
    httpserver.expect_request("/old.xml").respond_with_data("", status=code, headers={"Location": "/new.xml"})
    new = Served(httpserver, "/new.xml")
    old_url = httpserver.url_for("/old.xml")
    settings = write_config([("f", old_url)])
    run(settings)
    assert releases(settings) == 1
    assert feed_row(settings, "f").url == (new.url if moves else old_url)
    run(settings)  # the config still names the old URL: a URL learnt from a 301/308 is kept
    assert feed_row(settings, "f").url == (new.url if moves else old_url)


def test_410_gone_disables_the_feed_and_it_is_not_polled_again(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.status = 410
    settings = write_config([("f", feed.url)], db_url=db_url)
    assert run(settings).outcomes[0].status == "disabled"
    row = feed_row(settings, "f")
    assert not row.enabled and "410" in (row.disabled_reason or "")
    assert run(settings).outcomes == [] and len(feed.requests) == 1


@pytest.mark.parametrize("header,expect_min", [
    ("7200", 7200 - 5),
    ("in 3 hours, as a date", 3 * 3600 - 60),  # made when the test runs, not when it is collected
    ("999999999", None),  # capped at retry_after_cap_hours
])
def test_retry_after_in_seconds_or_as_a_date_is_honoured_and_capped(
        httpserver: HTTPServer, write_config: Callable[..., Settings], header: str, expect_min: float | None) -> None:
    if header == "in 3 hours, as a date":
        header = email.utils.format_datetime(datetime.now(timezone.utc) + timedelta(hours=3), usegmt=True)
    feed = Served(httpserver, "/f.xml")
    feed.status, feed.headers = 429, {"Retry-After": header}
    settings = write_config([("f", feed.url)], poll="retry_after_cap_hours = 5\nbackoff_cap_hours = 1")
    before = datetime.now(timezone.utc)
    run(settings)
    row = feed_row(settings, "f")
    assert row.last_status == "429" and row.error_count == 1 and row.next_check_at is not None
    wait = (row.next_check_at - before).total_seconds()
    if expect_min is None:
        assert 5 * 3600 - 60 <= wait <= 5 * 3600 + 60
    else:
        assert wait >= expect_min


def test_errors_back_off_exponentially_with_jitter_reset_on_success_and_show_in_status(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.status = 500
    settings = write_config([("f", feed.url)], db_url=db_url, poll="backoff_cap_hours = 24")
    waits = []
    for _ in range(4):
        t0 = datetime.now(timezone.utc)
        run(settings)
        row = feed_row(settings, "f")
        assert row.next_check_at is not None
        waits.append((row.next_check_at - t0).total_seconds() / 60)
    assert feed_row(settings, "f").error_count == 4
    for n, w in enumerate(waits):  # 30, 60, 120, 240 minutes (interval x 2^n), each +-20 %
        assert 30 * 2 ** n * 0.79 <= w <= 30 * 2 ** n * 1.21, waits
    assert len({round(w / 2 ** n, 3) for n, w in enumerate(waits)}) > 1  # jittered, not in lockstep
    assert main(["--config", str(settings.path), "status", "--json"]) in (0, 1)
    st = json.loads(capsys.readouterr().out)
    shown = next(f for f in st["feeds"] if f["name"] == "f")
    assert shown["error_count"] == 4 and "500" in shown["last_error"] and "f" in [f["name"] for f in st["failing_feeds"]]

    feed.status = 200
    run(settings)
    row = feed_row(settings, "f")
    assert row.error_count == 0 and row.last_error is None and releases(settings) == 1


def test_fetch_due_polls_only_due_feeds_and_feed_polls_only_the_named_one(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    a, b = Served(httpserver, "/a.xml"), Served(httpserver, "/b.xml")
    settings = write_config([("a", a.url), ("b", b.url)], db_url=db_url)
    cfg = str(settings.path)
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest"]) == 0
    assert (len(a.requests), len(b.requests)) == (1, 1)
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--due"]) == 0
    assert (len(a.requests), len(b.requests)) == (1, 1)  # nothing due for 30 minutes
    store = open_store(settings.storage.url)
    with store.session() as s:
        s.execute(update(Feed).where(Feed.name == "b").values(next_check_at=datetime.now(timezone.utc)))
    store.dispose()
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--due"]) == 0
    assert (len(a.requests), len(b.requests)) == (1, 2)
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--feed", "a"]) == 0
    assert (len(a.requests), len(b.requests)) == (2, 2)
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--feed", "nope"]) == 2


def test_a_purged_release_is_kept_as_a_tombstone_and_never_reingested(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.body = rss(("a", "A"), ("b", "B"))
    settings = write_config([("f", feed.url)], db_url=db_url)
    cfg = str(settings.path)
    run(settings)
    assert releases(settings) == 2
    assert main(["--config", cfg, "purge", "--older-than", "0"]) == 0
    assert releases(settings) == 0
    feed.body = rss(("a", "A"), ("b", "B revised"), ("c", "C"))  # still carried, even revised
    report = run(settings)
    assert report.new == 1 and report.revised == 0
    store = open_store(settings.storage.url)
    with store.session() as s:
        assert set(s.scalars(select(Release.guid))) == {"c"}
        assert set(s.scalars(select(Tombstone.guid))) == {"a", "b"}
    store.dispose()


def test_a_purge_while_a_poll_runs_does_not_bring_the_purged_release_back(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    """The poll's steps in the order a purge can interleave them: the worker reads what the
    store knows, the purge commits, then the poll stores what the worker made of the feed."""
    from monitor.domain import FetchSucceeded
    from monitor.ingest.process import process_feed
    from monitor.ingest.storing import store_fetched

    feed = Served(httpserver, "/f.xml")
    settings = write_config([("f", feed.url)], db_url=db_url)
    run(settings)
    store = open_store(settings.storage.url)
    try:
        now = datetime.now(timezone.utc)
        with store.transaction() as tx:
            (job,) = tx.claims.claim("test:1:x", now, lease=timedelta(minutes=5), due_only=False)
            known, sources = tx.releases.known(job.id)
        processed = process_feed(rss(("a", "A, revised"), ("n", "New")), {}, feed.url, known, (), sources)
        with store.transaction() as tx:
            assert tx.releases.purge(now + timedelta(seconds=1), now) == 1
        with store.transaction() as tx:
            counts = store_fetched(tx, job, processed, now, FetchSucceeded("200", now, None, None, None))
        with store.session() as s:
            assert set(s.scalars(select(Release.guid))) == {"n"}
            assert set(s.scalars(select(Tombstone.guid))) == {"a"}
        assert (counts.new, counts.revised) == (1, 0)
    finally:
        store.dispose()


def test_a_revised_entry_becomes_a_revision_not_a_new_release(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.body = rss(("a", "A")).replace(b"</title>", b"</title><pubDate>Mon, 01 Jul 2024 10:00:00 GMT</pubDate>")
    settings = write_config([("f", feed.url)], db_url=db_url)
    run(settings)
    feed.body = rss(("a", "A, corrected"))  # the corrected version carries no date
    report = run(settings)
    assert (report.new, report.revised, releases(settings)) == (0, 1, 1)
    store = open_store(settings.storage.url)
    with store.session() as s:
        release = s.scalars(select(Release)).one()
        earlier = s.scalars(select(ReleaseRevision)).one()
        assert (release.title, release.revision) == ("A, corrected", 2)
        assert release.published_at == datetime(2024, 7, 1, 10, tzinfo=timezone.utc)  # kept
        assert (earlier.release_id, earlier.revision, earlier.title) == (release.id, 1, "A")
    store.dispose()


def stored_source_hashes(settings: Settings) -> dict[str, str | None]:
    store = open_store(settings.storage.url)
    with store.session() as s:
        rows = {g: h for g, h in s.execute(select(Release.guid, Release.source_hash))}
    store.dispose()
    return rows


def test_items_the_feed_sends_unchanged_are_not_read_again_and_markup_only_changes_are_no_revision(
        httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = Served(httpserver, "/f.xml")
    feed.body = rss(("a", "A"), ("b", "B"), ("c", "C"))
    settings = write_config([("f", feed.url)], db_url=db_url)
    run(settings)
    first = stored_source_hashes(settings)
    assert set(first) == {"a", "b", "c"} and all(first.values())

    # a new item and one edited; the others are the same bytes
    feed.body = rss(("d", "D"), ("a", "A"), ("b", "B, corrected"), ("c", "C"))
    report = run(settings)
    assert (report.new, report.revised, releases(settings)) == (1, 1, 4)
    second = stored_source_hashes(settings)
    assert second["a"] == first["a"] and second["c"] == first["c"] and second["b"] != first["b"]

    # the same content in other markup: no revision, but the new bytes are remembered
    feed.body = feed.body.replace(b"<title>A</title>", b"<title> A </title>")
    report = run(settings)
    assert (report.new, report.revised) == (0, 0)
    assert stored_source_hashes(settings)["a"] not in (None, first["a"])


PAGE = b"""<html><body><nav>Home | News</nav><article><h1>T</h1>
<p>The full release text, much longer than the summary that the feed carries.</p>
<p>Trade between the two countries rose 32 percent in 2024.</p></article><footer>(c)</footer></body></html>"""


def test_full_text_feeds_take_the_article_body_of_the_release_page_and_keep_the_summary_when_it_fails(
        httpserver: HTTPServer, write_config: Callable[..., Settings], tmp_path: Path) -> None:
    httpserver.expect_request("/r/ok").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/r/broken").respond_with_data("", status=500)
    feed = Served(httpserver, "/f.xml")
    feed.body = rss(("ok", "Good page"), ("broken", "Broken page"), link=httpserver.url_for("/r/"))
    settings = write_config(extra=f'[[feeds]]\nname = "f"\nurl = "{feed.url}"\nfull_text = true\n')
    run(settings)
    store = open_store(settings.storage.url)
    with store.session() as s:
        texts = dict(s.execute(select(Release.guid, Release.text)).all())
    store.dispose()
    assert "rose 32 percent" in texts["ok"] and "Home | News" not in texts["ok"]
    assert texts["broken"] == "Body of Broken page."
    # the feed changes (a new entry): the release with its page's text is not a revision of itself
    feed.body = rss(("ok", "Good page"), ("broken", "Broken page"), ("new", "New one"), link=httpserver.url_for("/r/"))
    report = run(settings)
    assert (report.new, report.revised) == (1, 0)
    store = open_store(settings.storage.url)
    with store.session() as s:
        assert "rose 32 percent" in s.scalar(select(Release.text).where(Release.guid == "ok"))
    store.dispose()


def test_release_pages_on_loopback_are_refused_unless_the_config_allows_them(
        httpserver: HTTPServer, write_config: Callable[..., Settings]) -> None:
    httpserver.expect_request("/r/ok").respond_with_data(PAGE, content_type="text/html")
    feed = Served(httpserver, "/f.xml")
    feed.body = rss(("ok", "Good page"), link=httpserver.url_for("/r/"))
    settings = write_config(extra=f'[[feeds]]\nname = "f"\nurl = "{feed.url}"\nfull_text = true\n')
    settings = replace(settings, poll=replace(settings.poll, allow_private_addresses=False))
    run(settings)
    assert releases(settings) == 1
    assert not any(r for r, _ in httpserver.log if r.path == "/r/ok")  # the feed itself is still polled


def test_release_pages_are_never_read_from_local_files_whatever_the_link_or_redirect_says(
        httpserver: HTTPServer, write_config: Callable[..., Settings], tmp_path: Path) -> None:
    secret = tmp_path / "secret.html"
    secret.write_bytes(PAGE.replace(b"rose 32 percent", b"SECRET-FROM-DISK"))
    httpserver.expect_request("/r/moved").respond_with_data("", status=302, headers={"Location": secret.as_uri()})
    links = {"plain": secret.as_uri(), "localhost": f"file://localhost{secret}", "anyhost": f"file://anyhost{secret}",
             "moved": httpserver.url_for("/r/moved")}
    items = "".join(f"<item><guid>{g}</guid><title>Release {g}</title><link>{u}</link>"
                    f"<description>Summary of {g}.</description></item>" for g, u in links.items())
    feed = Served(httpserver, "/f.xml")
    feed.body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()
    # a feed read from disk (named in the config) whose relative link resolves to a file beside it
    local_feed = tmp_path / "local.xml"
    local_feed.write_bytes(rss(("relative", "Relative"), link="").replace(b"<link>relative</link>",
                                                                          b"<link>secret.html</link>"))
    settings = write_config(extra=f'[[feeds]]\nname = "f"\nurl = "{feed.url}"\nfull_text = true\n'
                                  f'[[feeds]]\nname = "local"\nurl = "{local_feed.as_uri()}"\nfull_text = true\n')
    report = run(settings)
    store = open_store(settings.storage.url)
    with store.session() as s:
        texts = dict(s.execute(select(Release.guid, Release.text)).all())
    store.dispose()
    assert report.new == 5 and not report.failed
    assert not any("SECRET" in t for t in texts.values()), texts
    assert texts["plain"] == "Summary of plain." and texts["moved"] == "Summary of moved."


def test_release_page_extraction_is_linear_in_the_page() -> None:
    """A bound, not a timing: 2 MiB of paragraphs took the quadratic extractor many minutes
    (109 KiB took 5 s); linear, it takes well under a second, so 30 s only fails if it is not."""
    import time

    from monitor.ingest.article import article_text

    paragraph = "<p>Freight through the corridor rose again in the quarter, with more trains each week.</p>\n"
    html = "<html><body><nav>Home</nav><div>" + paragraph * (2 * 2**20 // len(paragraph)) + "</div></body></html>"
    started = time.monotonic()
    text = article_text(html)
    assert time.monotonic() - started < 30
    assert text.count("Freight through the corridor") == 2 * 2**20 // len(paragraph) and "Home" not in text
