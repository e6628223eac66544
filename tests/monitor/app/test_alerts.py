"""Alerts end to end against real local servers, on SQLite and PostgreSQL: a poll that moves
a measure sends one batched, signed message listing each value with its previous value,
source and link; the next poll with nothing new sends nothing; a receiver that fails twice
gets the message on the third try, with the same idempotency key; a message that cannot be
delivered is given up with its error in `prwatch status` and `prwatch alerts list`; e-mail
goes through Apprise to an SMTP server with the password from the environment; the digest
of a closed period is mailed once, HTML with the Markdown attached."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alert_servers import SECRET, smtp_server, webhook_receiver
from sqlalchemy import func, select, update

from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import AlertEvent, AlertMessage

TRADE_2023 = "Two-way trade between China and Kazakhstan reached {} billion dollars in 2023."


def rss(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><link>https://wire.test/{g}</link>"
                   f"<pubDate>Mon, 01 Jul 2024 08:00:00 GMT</pubDate><description>{d}</description></item>"
                   for g, t, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{body}</channel></rss>'


FIRST = ("a", "China and Kazakhstan review trade", "Kazakhstan and China met in Astana. " + TRADE_2023.format("$41"))
OTHER = ("b", "China and Kazakhstan open a dry port", "China and Kazakhstan opened a dry port at Khorgos on Monday.")


def alert_config(url: str, *, rules: str = "", extra: str = "") -> str:
    return f"""
[alerts]
retry_seconds = 1
{extra}

[[alerts.channels]]
name = "hook"
webhook = "{url}"
secret_env = "PRWATCH_TEST_HOOK_SECRET"

{rules or '''[[alerts.rules]]
name = "trade moves"
topic = "china-kazakhstan"
on = "figure"
subjects = ["trade"]
channels = ["hook"]
'''}
"""


@pytest.fixture
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRWATCH_TEST_HOOK_SECRET", SECRET)


def count(settings: Settings, model: Any, *where: Any) -> int:
    store = open_store(settings.storage.url)
    try:
        with store.session() as s:
            return s.scalar(select(func.count()).select_from(model).where(*where)) or 0
    finally:
        store.dispose()


def test_a_poll_that_moves_a_measure_sends_one_batched_message_and_the_next_poll_sends_nothing(
        tmp_path: Path, write_config: Callable[..., Settings], prwatch: Callable[..., Any], db_url: str,
        secret: None) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(FIRST, OTHER))
    with webhook_receiver() as hook:
        settings = write_config([("Wire", feed.as_uri())], db_url=db_url, extra=alert_config(hook.url))
        assert prwatch("fetch", "--no-digest").exit_code == 0
        assert hook.accepted() == []  # a feed's first fetch is its archive, not news

        revised = ("c", "China and Kazakhstan revise trade", "Updated figures were released. " + TRADE_2023.format("$43"))
        next_year = ("d", "China and Kazakhstan trade grows",
                     "Two-way trade between China and Kazakhstan reached $45 billion in 2024.")
        feed.write_text(rss(FIRST, OTHER, revised, next_year))
        result = prwatch("fetch", "--no-digest")
        assert result.exit_code == 0, result.output
        assert "alerts: 1 sent" in result.output

        [message] = hook.accepted()
        assert message.signed  # HMAC-SHA256 of the body with the channel's secret
        body = message.body
        assert message.headers["Idempotency-Key"] == body["id"] and body["type"] == "alert"
        assert body["rule"] == "trade moves" and body["topic"]["id"] == "china-kazakhstan"
        items = {(i["value"], i["period"]): i for i in body["items"] if i["unit"] == "USD"}
        changed = items[(43e9, "2023")]
        assert changed["status"] == "changed"
        assert changed["previous"]["value"] == 41e9
        assert changed["previous"]["source"]["feed"] == "Wire"
        assert changed["previous"]["source"]["url"] == "https://wire.test/a"
        assert changed["release"]["url"] == "https://wire.test/c"
        assert changed["change_percent"] == pytest.approx(4.88, abs=0.01)
        new_period = items[(45e9, "2024")]
        assert new_period["status"] == "new" and new_period["previous"]["period"] == "2023"
        assert "$41 billion" in body["text"] or "41 billion" in body["text"]

        result = prwatch("fetch", "--no-digest")
        assert result.exit_code == 0
        assert len(hook.accepted()) == 1  # nothing new: nothing sent
        assert count(settings, AlertMessage, AlertMessage.status != "sent") == 0
        assert count(settings, AlertEvent, AlertEvent.composed_at.is_(None)) == 0


def test_a_receiver_that_fails_twice_gets_the_message_on_the_third_try_with_the_same_key(
        tmp_path: Path, write_config: Callable[..., Settings], prwatch: Callable[..., Any], db_url: str,
        secret: None) -> None:
    from monitor.app.alerts import send_due

    feed = tmp_path / "wire.xml"
    feed.write_text(rss(FIRST))
    keys: list[str] = []
    with webhook_receiver(fail_first=2, on_arrival=lambda d: keys.append(d.headers["Idempotency-Key"])) as hook:
        settings = write_config([("Wire", feed.as_uri())], db_url=db_url, extra=alert_config(hook.url, rules='''
[[alerts.rules]]
name = "every release"
topic = "china-kazakhstan"
on = "release"
'''))
        assert prwatch("fetch", "--no-digest").exit_code == 0
        feed.write_text(rss(FIRST, OTHER))
        result = prwatch("fetch", "--no-digest")
        assert "1 failed (retried later" in result.output
        store = open_store(settings.storage.url)
        try:
            with store.session() as s:
                m = s.scalars(select(AlertMessage)).one()
                assert m.status == "pending" and m.attempts == 1 and "HTTP 503" in (m.last_error or "")
                assert m.next_attempt_at > m.last_attempt_at  # backed off, not hammered
            deadline = datetime.now(timezone.utc) + timedelta(seconds=120)
            while not hook.accepted() and datetime.now(timezone.utc) < deadline:
                send_due(store, settings, "test-sender")  # what the daemon's tick does; due only
        finally:
            store.dispose()
    [delivered] = hook.accepted()
    assert len(keys) == 3 and len(set(keys)) == 1 and delivered.body["id"] == keys[0]
    assert [i["release"]["title"] for i in delivered.body["items"]] == ["China and Kazakhstan open a dry port"]
    assert count(settings, AlertMessage, AlertMessage.status == "sent", AlertMessage.attempts == 3) == 1


def test_an_undeliverable_message_is_given_up_and_shown_by_status_and_alerts_list(
        tmp_path: Path, write_config: Callable[..., Settings], prwatch: Callable[..., Any], db_url: str,
        secret: None) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(FIRST))
    with webhook_receiver(fail_first=1000) as hook:
        settings = write_config([("Wire", feed.as_uri())], db_url=db_url, extra=alert_config(hook.url, rules='''
[[alerts.rules]]
name = "every release"
topic = "china-kazakhstan"
on = "release"
'''))
        prwatch("fetch", "--no-digest")
        feed.write_text(rss(FIRST, OTHER))
        prwatch("fetch", "--no-digest")
        store = open_store(settings.storage.url)
        with store.session() as s:  # a day has passed since it was queued (give_up_after_hours = 24)
            a_day_ago = datetime.now(timezone.utc) - timedelta(days=1, minutes=1)
            s.execute(update(AlertMessage).values(created_at=a_day_ago, next_attempt_at=a_day_ago))
        store.dispose()
        result = prwatch("alerts", "send")
        assert result.exit_code == 1 and "1 given up" in result.output

    status = json.loads(prwatch("status", "--json").stdout)
    assert status["alerts"]["failed"] == 1 and status["alerts"]["pending"] == 0
    assert "HTTP 503" in status["alerts"]["last_error"]["error"]
    listed = json.loads(prwatch("alerts", "list", "--json").stdout)["messages"]
    assert [(m["status"], m["attempts"], m["channel"]) for m in listed] == [("failed", 2, "hook")]
    assert "HTTP 503" in prwatch("status").stdout


def test_alerts_test_reaches_every_channel_and_says_which_failed(
        tmp_path: Path, write_config: Callable[..., Settings], prwatch: Callable[..., Any],
        monkeypatch: pytest.MonkeyPatch, secret: None) -> None:
    monkeypatch.setenv("PRWATCH_TEST_SMTP_PASSWORD", "s3cret")
    with webhook_receiver() as hook, smtp_server(password="s3cret") as mail:
        write_config([], db_url=f"sqlite:///{tmp_path / 'p.db'}", extra=alert_config(hook.url) + f'''
[[alerts.channels]]
name = "mail"
url = "mailto://prwatch:${{PRWATCH_TEST_SMTP_PASSWORD}}@127.0.0.1:{mail.port}?to=analyst@example.org&from=prwatch@example.org&mode=insecure"

[[alerts.channels]]
name = "nobody"
webhook = "http://127.0.0.1:9/hook"
''')
        result = prwatch("alerts", "test")
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert "hook: sent" in lines and "mail: sent" in lines
        assert any(line.startswith("nobody: FAILED: webhook 127.0.0.1:9") for line in lines)
        [posted] = hook.accepted()
        assert posted.signed and posted.body["type"] == "test"
        [mailed] = mail.wait_for(1)
        assert mailed["Subject"] == "prwatch: test message"
        key = mailed["X-Prwatch-Message"]  # the message's idempotency key, in a header and in its text
        assert key.startswith("prw-") and key != posted.body["id"]
        assert key in "".join(p.get_payload(decode=True).decode() for p in mailed.walk() if not p.is_multipart())
        assert mail.logins == [("prwatch", "s3cret")]  # the password came from the environment
        assert prwatch("alerts", "test", "trade moves").exit_code == 0  # that rule's channel only: the webhook
        assert len(hook.accepted()) == 2 and len(mail.messages) == 1
        assert "no alert rule named 'trade move'" in prwatch("alerts", "test", "trade move").output


def test_the_digest_of_a_closed_period_is_mailed_once_as_html_with_the_markdown_attached(
        tmp_path: Path, write_config: Callable[..., Settings], db_url: str, secret: None) -> None:
    from digests.write import write_digests
    from monitor.app.alerts import queue_digests, send_due

    feed = tmp_path / "wire.xml"
    feed.write_text(rss(FIRST))
    with smtp_server() as mail:
        settings = write_config([("Wire", feed.as_uri())], db_url=db_url, extra=f'''
[alerts]
digest_channels = ["mail"]

[[alerts.channels]]
name = "mail"
url = "mailto://prwatch@127.0.0.1:{mail.port}?to=analyst@example.org&from=prwatch@example.org&mode=insecure"
''')
        store = open_store(settings.storage.url)
        try:
            from monitor.ingest.poll import poll

            poll(store, settings)
            day = datetime.now(timezone.utc).date()
            [written] = write_digests(store, settings, topic_ids=["china-kazakhstan"], kinds=["day"], day=day)
            assert queue_digests(store, settings, "day", day) == 1
            assert queue_digests(store, settings, "day", day) == 0  # queued once, whoever asks again
            report = send_due(store, settings, "test-sender")
        finally:
            store.dispose()
        assert report.sent == 1
        [mailed] = mail.wait_for(1)
    assert day.isoformat() in mailed["Subject"]
    parts = {p.get_content_type(): p for p in mailed.walk()}
    assert "<h1>" in parts["text/html"].get_payload(decode=True).decode()
    attached = [p for p in mailed.walk() if p.get_filename()]
    assert [p.get_filename() for p in attached] == [written.path.name]
    assert attached[0].get_payload(decode=True) == written.path.read_bytes()
