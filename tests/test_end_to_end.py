"""From a feed served on 127.0.0.1 to a digest file, through the `prwatch` command,
on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Request, Response

from monitor.app.cli import main
from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseRevision, ReleaseTopic, core_table

DATA = Path(__file__).parent / "data" / "feeds"


class FeedServer:
    """Serves one feed document with a strong ETag, answering 304 to a matching If-None-Match."""

    def __init__(self, server: HTTPServer, path: str) -> None:
        self.body = b""
        self.statuses: list[int] = []
        self.conditional: list[bool] = []
        server.expect_request(path).respond_with_handler(self.handle)
        self.url = server.url_for(path)

    def serve(self, file: str) -> None:
        self.body = (DATA / file).read_bytes()

    def handle(self, request: Request) -> Response:
        etag = '"' + hashlib.sha1(self.body).hexdigest() + '"'
        self.conditional.append("If-None-Match" in request.headers)
        if request.headers.get("If-None-Match") == etag:
            self.statuses.append(304)
            return Response(status=304, headers={"ETag": etag})
        self.statuses.append(200)
        return Response(self.body, content_type="application/rss+xml", headers={"ETag": etag})


def counts(settings: Settings) -> dict[str, int]:
    store = open_store(settings.storage.url)
    with store.session() as s:
        out = {core_table(m).name: s.scalar(select(func.count()).select_from(m)) or 0
               for m in (Release, ReleaseRevision, FigureRow, MilestoneRow)}
        out["china-kazakhstan"] = s.scalar(select(func.count()).select_from(ReleaseTopic)
                                           .where(ReleaseTopic.topic_id == "china-kazakhstan"))
    store.dispose()
    return out


def test_fetch_store_refetch_revise_and_digest(httpserver: HTTPServer, write_config: Callable[..., Settings],
                                               db_url: str, tmp_path: Path) -> None:
    wire = FeedServer(httpserver, "/wire.xml")
    wire.serve("wire-v1.xml")
    settings = write_config([("Test Wire", wire.url), ("Dead feed", "http://127.0.0.1:9/none.xml")], db_url=db_url)
    cfg = str(settings.path)

    # first poll: three releases stored, two on the topic; the dead feed fails alone
    assert main(["--config", cfg, "fetch", "--quiet"]) == 0
    first = counts(settings)
    assert first["releases"] == 3
    assert first["china-kazakhstan"] == 2
    assert first["figures"] >= 3 and first["milestones"] >= 1

    # same feed again: a conditional request, a 304, nothing duplicated
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest"]) == 0
    assert wire.statuses[-1] == 304 and wire.conditional[-1]
    assert counts(settings) == first

    # the wire revises one release: a new revision, not a new release
    wire.serve("wire-v2.xml")
    assert main(["--config", cfg, "fetch", "--quiet"]) == 0
    after = counts(settings)
    assert after["releases"] == 3 and after["release_revisions"] == 1
    store = open_store(settings.storage.url)
    with store.session() as s:
        revised = s.scalar(select(Release).where(Release.guid == "tw-1"))
        assert revised is not None and revised.revision == 2 and "39.5 billion" in revised.text
        dead = s.scalar(select(Feed).where(Feed.name == "Dead feed"))
        assert dead is not None and dead.error_count == 3 and "connection refused by 127.0.0.1" in (dead.last_error or "")
    store.dispose()

    # --strict turns a failed feed into exit status 1
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--strict"]) == 1

    # each topic release is in the digest of the day it was published (3 and 4 June 2025), not
    # in today's, although this first poll is when prwatch saw them; the bakery is in neither
    folder = settings.digests.directory
    day3, day4 = (folder / "2025-06-03-china-kazakhstan.md").read_text(), (folder / "2025-06-04-china-kazakhstan.md").read_text()
    text = day3 + day4
    links = [t.attrGet("href") for tok in MarkdownIt().enable("table").parse(text) if tok.type == "inline"
             for t in tok.children or [] if t.type == "link_open"]
    assert "https://wire.test/releases/bakhty-crossing" in links and "bakhty-crossing" not in day4
    assert "https://wire.test/releases/universities" in links and "universities" not in day3
    assert "bakery" not in text.lower()
    assert "39.5 billion" in text
    assert "1992" in text and "2026" in text
    today = list(folder.glob(f"{datetime.now(timezone.utc).date().isoformat()}-china-kazakhstan.md"))
    assert not today or "No releases on this topic in this period." in today[0].read_text()
    tokens = MarkdownIt().enable("table").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert any("Milestones" in h for h in headings)
    assert any("figures" in h.lower() for h in headings)


def test_an_unknown_topic_or_bad_date_is_a_clear_error(write_config: Callable[..., Settings],
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([])
    assert main(["--config", str(settings.path), "digest", "--topic", "nope"]) == 2
    assert "no topic with id 'nope'" in capsys.readouterr().err
    assert main(["--config", str(settings.path), "digest", "--date", "2025-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_a_bad_config_exits_2_naming_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[poll]\nper_host = "many"\n')
    assert main(["--config", str(cfg), "fetch"]) == 2
    assert "poll.per_host" in capsys.readouterr().err
