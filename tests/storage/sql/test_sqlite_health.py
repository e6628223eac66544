"""The sqlite3 health reader (what `prwatch status` opens on SQLite) answers as the store's own
health view does on the same database, and steps aside for every case it does not serve."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from monitor.app.cli import main
from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.sqlite_health import open_sqlite_health

FEED = Path(__file__).resolve().parents[2] / "data" / "feeds" / "wire-v1.xml"


def a_store_with_every_kind_of_row(write_config: Callable[..., Settings], tmp_path: Path) -> Settings:
    """Feeds that worked, failed and carry tags; daemon and fetch runs; alert messages waiting,
    retrying and given up."""
    settings = write_config([("wire", FEED.as_uri()), ("missing", (tmp_path / "absent.xml").as_uri())],
                            db_url=f"sqlite:///{tmp_path / 'p.db'}")
    cfg = str(settings.path)
    assert main(["--config", cfg, "feeds", "add", "--no-check", "--name", "tagged", "--tag", "Wires/Asia", "--tag",
                 "grain", (FEED.parent / "wire-v2.xml").as_uri()]) == 0
    assert main(["--config", cfg, "fetch", "--quiet", "--no-digest", "--feed", "wire", "--feed", "missing"]) == 0
    assert main(["--config", cfg, "run", "--once"]) == 0
    store = open_store(settings.storage.url)
    now = datetime.now(timezone.utc).replace(microsecond=0)  # a whole second: stored text ends in .000000
    with store.transaction() as tx:
        for key, age, give_up in (("waiting", None, False), ("retrying", 1, False), ("given-up", 2, True),
                                  ("given-up-long-ago", 9 * 24, True)):
            at = now - timedelta(hours=age or 0)
            mid = tx.alerts.add_message(key=key, kind="alert", channel="hook", title=f"t {key}",
                                        payload={"text": key}, now=at)
            assert mid is not None
            if age is not None:
                assert tx.alerts.claim_messages("test", at, lease=timedelta(minutes=5), ids=[mid], due_only=False)
                tx.alerts.record_failure(mid, "test", at, error=f"HTTP 503 ({key})",
                                         retry_at=None if give_up else at + timedelta(minutes=5))
    store.dispose()
    return settings


def test_it_gives_the_answers_of_the_store_s_own_health_view(write_config: Callable[..., Settings],
                                                            tmp_path: Path) -> None:
    settings = a_store_with_every_kind_of_row(write_config, tmp_path)
    store = open_store(settings.storage.url)
    light = open_sqlite_health(settings.storage.url)
    assert light is not None
    try:
        with store.health_view() as view:
            finished = view.last_finished()
            assert finished is not None
            windows = [finished, finished + timedelta(microseconds=1), finished - timedelta(days=1),
                       datetime.now(timezone.utc) - timedelta(days=7), datetime.now(timezone.utc) - timedelta(days=30)]
        with store.health_view() as full, light.health_view() as mine:
            feeds = full.feeds()
            assert {f.name for f in feeds} == {"wire", "missing", "tagged"}
            assert {f.error_count > 0 for f in feeds} == {True, False}
            assert next(f for f in feeds if f.name == "tagged").tags == ("Wires/Asia", "grain")
            assert mine.feeds() == feeds
            for kind in (None, "daemon", "fetch"):
                assert mine.last_finished(kind) == full.last_finished(kind)
                for since in windows:
                    assert mine.active_workers(since, kind) == full.active_workers(since, kind)
            for since in windows:
                assert mine.outbox_health(since) == full.outbox_health(since)
            health = full.outbox_health(windows[3])
            assert (health.pending, health.retrying, health.failed) == (2, 1, 1)
            assert health.last_failure is not None and health.last_failure.payload == {"text": "retrying"}  # the latest attempt
        assert light.schema_version() == store.schema_version() == light.code_schema_version
    finally:
        light.dispose()
        store.dispose()


def test_it_steps_aside_for_what_it_does_not_serve(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert open_sqlite_health(f"sqlite:///{db}") is None  # no file yet: the store creates it
    open_store(f"sqlite:///{db}").dispose()
    assert open_sqlite_health(f"sqlite:///{db}") is not None
    for url in (f"sqlite:///{db}?timeout=5", "sqlite://", "sqlite:///:memory:", "postgresql+psycopg://u@h/db",
                f"sqlite:///{tmp_path}"):  # options, memory, another backend, a folder
        assert open_sqlite_health(url) is None, url
    store = open_store(f"sqlite:///{db}")
    with store.session() as s:
        s.execute(text("UPDATE alembic_version SET version_num = '0011'"))
    store.dispose()
    assert open_sqlite_health(f"sqlite:///{db}") is None  # behind: the store migrates it
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    assert open_sqlite_health(f"sqlite:///{tmp_path / 'junk.db'}") is None  # the store says what is wrong


def test_a_file_that_is_no_database_gets_the_store_s_one_line_error(tmp_path: Path,
                                                                    write_config: Callable[..., Settings],
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    settings = write_config([], db_url=f"sqlite:///{tmp_path / 'junk.db'}")
    capsys.readouterr()
    assert main(["--config", str(settings.path), "status", "--json"]) == 1
    err = capsys.readouterr().err
    assert "not a database" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
