"""Operations from the command line: purge with --dry-run, a digest folder that cannot be
written is one line naming it, and one vocabulary of feed states in every command."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Response

from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import Release, Tombstone

FEED = Path(__file__).resolve().parents[3] / "data" / "feeds" / "wire-v1.xml"


def test_purge_dry_run_counts_and_deletes_nothing(prwatch: Callable[..., Result],
                                                  write_config: Callable[..., Settings], db_url: str) -> None:
    settings = write_config([("wire", FEED.as_uri())], db_url=db_url)
    cfg = str(settings.path)
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0
    store = open_store(settings.storage.url)
    with store.session() as s:
        stored = s.scalar(select(func.count()).select_from(Release))
    assert stored

    r = prwatch("--config", cfg, "purge", "--older-than", "0", "--dry-run", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["releases"] == stored and json.loads(r.stdout)["dry_run"]
    r = prwatch("--config", cfg, "purge", "--older-than", "0", "--dry-run")
    assert f"would purge {stored} releases" in r.stdout and "nothing deleted" in r.stdout
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Release)) == stored
        assert s.scalar(select(func.count()).select_from(Tombstone)) == 0

    r = prwatch("--config", cfg, "purge", "--older-than", "0")
    assert r.exit_code == 0 and f"purged {stored} releases" in r.stdout
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Release)) == 0
    store.dispose()


def test_a_full_disk_while_writing_digests_is_one_line_naming_the_folder(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    settings = write_config()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("digests.write.os.fsync", full)
    r = prwatch("--config", str(settings.path), "digest")
    assert r.exit_code == 1
    assert r.stderr.strip() == (f"prwatch: cannot write digests in {settings.digests.directory}: No space left on "
                                "device (make the folder writable or free space, or set digests.directory)")
    assert not [p for p in settings.digests.directory.iterdir() if p.suffix == ".md"]


def test_a_digest_folder_that_cannot_be_created_is_one_line_naming_it(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], tmp_path: Path) -> None:
    """A file where the folder should be: the same failure as a full or read-only disk (OSError)."""
    settings = write_config()
    settings.digests.directory.write_text("not a folder")
    for args in (["digest"], ["fetch", "-q"]):
        r = prwatch("--config", str(settings.path), *args)
        assert r.exit_code == 1, r.output
        err = r.stderr.strip()
        assert err.startswith(f"prwatch: cannot write digests in {settings.digests.directory}: ")
        assert "Traceback" not in err and len(err.splitlines()) == 1


def test_fetch_and_status_speak_of_a_feed_in_the_same_words(
        prwatch: Callable[..., Result], httpserver: HTTPServer, tmp_path: Path) -> None:
    body = FEED.read_bytes()
    httpserver.expect_request("/f.xml").respond_with_handler(
        lambda req: Response(status=304) if req.headers.get("If-None-Match") == '"v1"'
        else Response(body, headers={"ETag": '"v1"'}, content_type="application/rss+xml"))
    httpserver.expect_request("/broken.xml").respond_with_data("oops", status=500)
    config = tmp_path / "config.toml"
    config.write_text(f'[poll]\ninterval_minutes = 0.1\nmin_interval_minutes = 0\n'
                      f'[[feeds]]\nname = "wire"\nurl = "{httpserver.url_for("/f.xml")}"\n'
                      f'[[feeds]]\nname = "broken"\nurl = "{httpserver.url_for("/broken.xml")}"\n')
    cfg = str(config)
    for expected in ({"wire": "updated", "broken": "failing"}, {"wire": "unchanged", "broken": "failing"}):
        fetched = json.loads(prwatch("--config", cfg, "fetch", "--json", "--no-digest").stdout)
        assert {f["name"]: f["state"] for f in fetched["feeds"]} == expected
        status = json.loads(prwatch("--config", cfg, "status", "--json").stdout)
        assert {f["name"]: f["state"] for f in status["feeds"]} == expected
        listed = json.loads(prwatch("--config", cfg, "feeds", "list", "--json").stdout)
        assert {f["name"]: f["state"] for f in listed["feeds"]} == expected
    assert status["stale_after_minutes"] == 0.3 and status["poll_interval_minutes"] == 0.1  # not 0.30000000000000004
