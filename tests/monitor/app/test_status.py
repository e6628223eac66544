"""`prwatch status [--json]`: schema version, last successful poll, failing feeds, alerts given
up, and an exit code that says which (a health check), on SQLite and PostgreSQL: 0 all well, 1
polling is stale, 3 polling is alive but a feed is failing or an alert message was given up."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from procs import rss
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from monitor.app.cli import main
from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import PollRun
from storage.sql.revision import HEAD


def status(settings: Settings, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["--config", str(settings.path), "status", "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_status_json_health_check(httpserver: HTTPServer, write_config: Callable[..., Settings], db_url: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    httpserver.expect_request("/ok.xml").respond_with_data(rss(1, 2), content_type="application/rss+xml")
    httpserver.expect_request("/gone.xml").respond_with_data("gone", status=410)
    httpserver.expect_request("/broken.xml").respond_with_data("oops", status=500)
    settings = write_config([("ok", httpserver.url_for("/ok.xml")), ("gone", httpserver.url_for("/gone.xml")),
                             ("broken", httpserver.url_for("/broken.xml"))], db_url=db_url)

    code, st = status(settings, capsys)
    assert code == 1 and st["stale"] and not st["healthy"] and st["last_successful_poll"] is None
    assert st["schema_version"] == HEAD == st["code_schema_version"] and st["format"] == 2

    # a one-off fetch is shown, but is no daemon: still stale
    assert main(["--config", str(settings.path), "fetch", "--quiet", "--no-digest"]) == 0
    code, st = status(settings, capsys)
    assert code == 1 and st["stale"] and st["last_fetch"] and st["last_successful_poll"] is None
    assert st["daemons"] == []

    assert main(["--config", str(settings.path), "run", "--once"]) == 0
    code, st = status(settings, capsys)
    # polling is alive (healthy), but two feeds fail: attention, exit 3
    assert code == 3 and st["healthy"] and st["last_successful_poll"]
    assert st["health"] == "attention" and st["attention"] == ["2 failing feeds"]
    assert [d["worker"] for d in st["daemons"]] and st["stale_after_minutes"] == 90
    failing = {f["name"]: f for f in st["failing_feeds"]}
    assert set(failing) == {"gone", "broken"}
    assert failing["gone"]["enabled"] is False and failing["gone"]["last_status"] == "410"
    assert (failing["gone"]["state"], failing["broken"]["state"]) == ("disabled", "failing")
    assert failing["broken"]["error_count"] == 1 and "500" in failing["broken"]["error"]
    assert failing["broken"]["next_check_at"]
    ok = next(f for f in st["feeds"] if f["name"] == "ok")
    assert ok["error_count"] == 0 and ok["claimed_by"] is None and ok["state"] == "updated"

    # three intervals (30 min each) without a finished poll: stale, exit 1
    store = open_store(settings.storage.url)
    with store.session() as s:
        for run in s.scalars(select(PollRun)):
            run.started_at -= timedelta(minutes=91)
            run.finished_at = run.finished_at and run.finished_at - timedelta(minutes=91)
    store.dispose()
    code, st = status(settings, capsys)
    assert code == 1 and st["stale"] and st["daemons"] == [] and st["health"] == "stale"

    capsys.readouterr()
    assert main(["--config", str(settings.path), "status"]) == 1
    assert "STALE" in capsys.readouterr().out


def test_status_of_a_database_newer_than_the_code(write_config: Callable[..., Settings], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([], db_url=f"sqlite:///{tmp_path / 'new.db'}")
    store = open_store(settings.storage.url)
    with store.session() as s:
        from sqlalchemy import text

        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.dispose()
    capsys.readouterr()
    assert main(["--config", str(settings.path), "status", "--json"]) == 1
    err = capsys.readouterr().err
    assert "schema is at revision 9999, newer than this prwatch knows" in err and "Upgrade prwatch" in err


FEED = Path(__file__).resolve().parents[2] / "data" / "feeds" / "wire-v1.xml"
ALERTS = """
[alerts]
[[alerts.channels]]
name = "hook"
webhook = "http://127.0.0.1:9/hook"

[[alerts.rules]]
name = "every release"
topic = "china-kazakhstan"
on = "release"
"""


def failed_attempt(settings: Settings, key: str, *, at: datetime, give_up: bool) -> None:
    """A message whose delivery failed: retried later, or given up (its retries exhausted)."""
    store = open_store(settings.storage.url)
    with store.transaction() as tx:
        mid = tx.alerts.add_message(key=key, kind="alert", channel="hook", title="t", payload={}, now=at)
        assert mid is not None
        assert tx.alerts.claim_messages("test", at, lease=timedelta(minutes=5), ids=[mid], due_only=False)
        tx.alerts.record_failure(mid, "test", at, error="HTTP 503 Service Unavailable",
                                 retry_at=None if give_up else at + timedelta(minutes=5))
    store.dispose()


def test_an_alert_given_up_calls_for_attention_as_a_failing_feed_does(
        write_config: Callable[..., Settings], db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([("wire", FEED.as_uri())], db_url=db_url, extra=ALERTS)
    assert main(["--config", str(settings.path), "run", "--once"]) == 0
    code, st = status(settings, capsys)
    assert (code, st["health"], st["attention"], st["failing_feeds"]) == (0, "ok", [], [])

    now = datetime.now(timezone.utc)
    failed_attempt(settings, "retried", at=now, give_up=False)  # still being retried: not yet a person's problem
    code, st = status(settings, capsys)
    assert (code, st["health"], st["alerts"]["retrying"]) == (0, "ok", 1)

    failed_attempt(settings, "given-up", at=now, give_up=True)
    code, st = status(settings, capsys)
    assert (code, st["health"], st["healthy"]) == (3, "attention", True)
    assert st["attention"] == ["1 alert given up in the last 7 days"] and st["alerts"]["failed"] == 1
    capsys.readouterr()
    assert main(["--config", str(settings.path), "status"]) == 3
    assert "health: attention — 1 alert given up in the last 7 days" in " ".join(capsys.readouterr().out.split())


def test_an_alert_given_up_more_than_a_week_ago_no_longer_counts(
        write_config: Callable[..., Settings], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([("wire", FEED.as_uri())], db_url=f"sqlite:///{tmp_path / 'p.db'}", extra=ALERTS)
    assert main(["--config", str(settings.path), "run", "--once"]) == 0
    failed_attempt(settings, "old", at=datetime.now(timezone.utc) - timedelta(days=8), give_up=True)
    code, st = status(settings, capsys)
    assert (code, st["health"], st["alerts"]["failed"]) == (0, "ok", 0)
