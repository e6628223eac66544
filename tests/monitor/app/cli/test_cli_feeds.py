"""`prwatch feeds` as a feed reader's user expects: add fetches once and names the feed by its
title, follows a web page to its feed, refuses what it cannot read without writing; OPML import
says what became of every outline, keeps folders as tags and refuses local or odd URLs."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select

from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import Feed

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Steppe Ports Wire</title>
<link>https://example.org</link><description>d</description>
<item><guid>a1</guid><title>Port opens</title><description>The port opened.</description></item>
</channel></rss>"""
UNTITLED = RSS.replace(b"<title>Steppe Ports Wire</title>", b"")
PAGE = b"""<!doctype html><html><head><title>Steppe Ports</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="News" href="/news/rss.xml">
</head><body>Welcome</body></html>"""


def feeds_in(settings: Settings) -> list[Feed]:
    store = open_store(settings.storage.url)
    with store.session() as s:
        rows = list(s.scalars(select(Feed).order_by(Feed.id)))
    store.dispose()
    return rows


def test_add_fetches_once_and_takes_the_feeds_own_title(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], httpserver: HTTPServer) -> None:
    httpserver.expect_request("/rss.xml").respond_with_data(RSS, content_type="application/rss+xml")
    httpserver.expect_request("/bare.xml").respond_with_data(UNTITLED, content_type="application/rss+xml")
    settings = write_config()
    r = prwatch("--config", str(settings.path), "feeds", "add", httpserver.url_for("/rss.xml"), "--tag", "ports")
    assert r.exit_code == 0, r.output
    assert r.stdout.strip() == f"added Steppe Ports Wire: {httpserver.url_for('/rss.xml')} (1 entries now)"
    r = prwatch("--config", str(settings.path), "feeds", "add", httpserver.url_for("/bare.xml"))
    assert r.exit_code == 0
    (titled, untitled) = feeds_in(settings)
    assert (titled.name, titled.tags) == ("Steppe Ports Wire", ["ports"])
    assert untitled.name.startswith("localhost-") and untitled.name.endswith("-bare-xml")  # from the URL


def test_add_reads_a_local_file_the_user_names_but_not_one_a_remote_page_names(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], httpserver: HTTPServer,
        tmp_path: Path) -> None:
    local = tmp_path / "wire.xml"
    local.write_bytes(RSS)
    httpserver.expect_request("/").respond_with_data(PAGE.replace(b"/news/rss.xml", local.as_uri().encode()),
                                                     content_type="text/html")
    settings = write_config()
    r = prwatch("--config", str(settings.path), "feeds", "add", local.as_uri())
    assert r.exit_code == 0, r.output
    r = prwatch("--config", str(settings.path), "feeds", "add", httpserver.url_for("/"), "--name", "remote")
    assert r.exit_code == 1 and "remote" not in [f.name for f in feeds_in(settings)]


def test_add_follows_a_web_page_to_the_feed_it_names_and_says_so(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(PAGE, content_type="text/html")
    httpserver.expect_request("/news/rss.xml").respond_with_data(RSS, content_type="application/rss+xml")
    settings = write_config()
    r = prwatch("--config", str(settings.path), "feeds", "add", httpserver.url_for("/"))
    assert r.exit_code == 0, r.output
    feed_url = httpserver.url_for("/news/rss.xml")
    assert f"is a web page; it names the feed {feed_url}, which was chosen" in r.stdout
    assert [(f.name, f.url) for f in feeds_in(settings)] == [("Steppe Ports Wire", feed_url)]


def test_add_refuses_what_it_cannot_read_and_writes_nothing(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], httpserver: HTTPServer,
        tmp_path: Path) -> None:
    httpserver.expect_request("/page").respond_with_data(b"<!doctype html><html><body>hi</body></html>",
                                                         content_type="text/html")
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    settings = write_config(db_url=f"sqlite:///{tmp_path / 'never.db'}")
    cases = [
        (httpserver.url_for("/page"), "an HTML page, not a feed, and the page names no feed"),
        (httpserver.url_for("/missing"), "HTTP 404"),
        ("http://nonexistent.invalid/rss", "cannot resolve nonexistent.invalid"),
        ("ftp://example.org/rss", "must start with http://, https:// or file://"),
    ]
    for url, words in cases:
        r = prwatch("--config", str(settings.path), "feeds", "add", url)
        assert r.exit_code == 1, r.output
        assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = prwatch("--config", str(settings.path), "feeds", "add", httpserver.url_for("/page"), "--name", "x" * 201)
    assert r.exit_code == 1 and "--name must be 1 to 200 characters" in r.stderr
    assert not (tmp_path / "never.db").exists()


OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>theirs</title></head><body>
<outline text="Wires"><outline text="Asia">
  <outline text="Wire A" xmlUrl="https://a.example/rss"/>
  <outline text="Wire B" xmlUrl="HTTPS://b.example/feed.xml"/>
</outline></outline>
<outline text="Known" xmlUrl="https://known.example/rss" category="/Local/Papers,Daily"/>
<outline text="Script" xmlUrl="javascript:alert(1)"/>
<outline text="Passwords" xmlUrl="file:///etc/passwd"/>
<outline text="Ftp" xmlUrl="ftp://c.example/x"/>
<outline text="no feed here"/>
<outline text="{long}" xmlUrl="https://long.example/rss"/>
<outline text="Wire A" xmlUrl="https://a2.example/rss"/>
</body></opml>"""


def test_opml_import_reports_every_outline_keeps_folders_as_tags_and_refuses_local_files(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], db_url: str, tmp_path: Path) -> None:
    settings = write_config([("Known", "https://known.example/rss")], db_url=db_url)
    cfg = str(settings.path)
    src = tmp_path / "theirs.opml"
    src.write_text(OPML.format(long="L" * 300))
    r = prwatch("--config", cfg, "feeds", "import", str(src), "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    verdicts = {o["title"][:10]: (o["outcome"], o["reason"]) for o in out["outlines"]}
    assert verdicts["Wire A"] == ("added", None) and verdicts["Wire B"] == ("added", None)
    assert verdicts["Known"] == ("already present", "as 'Known'")
    assert verdicts["Script"] == ("refused", "not an http(s) URL (javascript:)")
    assert verdicts["Passwords"][0] == "refused" and "--allow-local" in verdicts["Passwords"][1]
    assert verdicts["Ftp"] == ("refused", "not an http(s) URL (ftp:)")
    assert (out["added"], out["already_present"], out["refused"]) == (4, 1, 3)

    rows = {f.url: f for f in feeds_in(settings)}
    assert rows["https://a.example/rss"].tags == ["Wires/Asia"]
    assert "https://b.example/feed.xml" in rows  # an upper-case scheme is the same scheme
    assert "file:///etc/passwd" not in rows
    long = rows["https://long.example/rss"].name
    assert len(long) == 200 and long.endswith("…")
    assert rows["https://a2.example/rss"].name == "Wire A (2)"

    listed = prwatch("--config", cfg, "feeds", "list", "--json")
    tags = {f["name"]: f["tags"] for f in json.loads(listed.stdout)["feeds"]}
    assert tags["Wire A"] == ["Wires/Asia"]
    assert "Wires/Asia" in prwatch("--config", cfg, "feeds", "list").stdout

    text = prwatch("--config", cfg, "feeds", "import", str(src)).stdout  # again: nothing added twice
    assert "0 added, 5 already present, 3 refused" in text
    assert "refused         Script: javascript:alert(1) — not an http(s) URL (javascript:)" in text

    r = prwatch("--config", cfg, "feeds", "import", str(src), "--allow-local", "--json")
    assert json.loads(r.stdout)["added"] == 1  # the file:// outline, asked for


def test_opml_export_keeps_tags_as_categories(prwatch: Callable[..., Result],
                                              write_config: Callable[..., Settings], tmp_path: Path) -> None:
    settings = write_config()
    src = tmp_path / "theirs.opml"
    src.write_text(OPML.format(long="Long"))
    assert prwatch("--config", str(settings.path), "feeds", "import", str(src)).exit_code == 0
    exported = tmp_path / "mine.opml"
    assert prwatch("--config", str(settings.path), "feeds", "export", "-o", str(exported)).exit_code == 0
    assert 'category="Wires/Asia"' in exported.read_text()
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.toml").write_text(f'[storage]\nurl = "sqlite:///{other / "p.db"}"\n')
    assert prwatch("--config", str(other / "config.toml"), "feeds", "import", str(exported)).exit_code == 0
    again = prwatch("--config", str(other / "config.toml"), "feeds", "list", "--json")
    assert {f["name"]: f["tags"] for f in json.loads(again.stdout)["feeds"]}["Wire A"] == ["Wires/Asia"]


def test_a_large_opml_file_imports_in_one_transaction(prwatch: Callable[..., Result],
                                                      write_config: Callable[..., Settings], tmp_path: Path) -> None:
    """5,000 outlines all named alike: unique names without a quadratic search."""
    settings = write_config()
    body = "".join(f'<outline text="Same" xmlUrl="https://w{i}.example/rss"/>' for i in range(5000))
    src = tmp_path / "big.opml"
    src.write_text(f'<opml version="2.0"><body>{body}</body></opml>')
    r = prwatch("--config", str(settings.path), "-q", "feeds", "import", str(src))
    assert r.exit_code == 0 and r.stdout == ""
    store = open_store(settings.storage.url)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Feed)) == 5000
        assert s.scalar(select(Feed.name).where(Feed.url == "https://w4999.example/rss")) == "Same (5000)"
    store.dispose()


def test_a_file_without_feed_outlines_is_refused(prwatch: Callable[..., Result],
                                                 write_config: Callable[..., Settings], tmp_path: Path) -> None:
    settings = write_config(db_url=f"sqlite:///{tmp_path / 'p.db'}")
    (tmp_path / "notes.txt").write_text("just some notes\n")
    r = prwatch("--config", str(settings.path), "feeds", "import", str(tmp_path / "notes.txt"))
    assert r.exit_code == 1 and "has no feed outlines" in r.stderr and "is it an OPML file?" in r.stderr
    r = prwatch("--config", str(settings.path), "feeds", "import", str(tmp_path / "missing.opml"))
    assert r.exit_code == 1 and "cannot read" in r.stderr and "No such file" in r.stderr


def test_tags_of_config_feeds_are_stored_shown_and_follow_the_config(
        prwatch: Callable[..., Result], tmp_path: Path, db_url: str) -> None:
    cfg = tmp_path / "config.toml"
    head = f'[storage]\nurl = "{db_url}"\n[[feeds]]\nname = "Wire"\nurl = "https://w.example/rss"\n'
    cfg.write_text(head + 'tags = ["wires", "asia"]\n')
    listed = json.loads(prwatch("--config", str(cfg), "feeds", "list", "--json").stdout)["feeds"]
    assert [(f["name"], f["tags"]) for f in listed] == [("Wire", ["wires", "asia"])]
    cfg.write_text(head)
    listed = json.loads(prwatch("--config", str(cfg), "feeds", "list", "--json").stdout)["feeds"]
    assert listed[0]["tags"] == []
