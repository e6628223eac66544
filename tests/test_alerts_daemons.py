"""Alert delivery with real daemons: SIGKILL between storing a release and sending its
alert, or between sending and recording the send, loses nothing (the message arrives, again
with the same idempotency key when it may have arrived already); three daemons sharing one
PostgreSQL database send each message once. The daemons poll a local feed server and post
to a local webhook receiver that checks the signature."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from alert_servers import SECRET, Delivery, webhook_receiver
from procs import feed_server, procs, rss, write_config
from sqlalchemy import func, select

from storage.sql.engine import open_store
from storage.sql.models import AlertEvent, AlertMessage, Feed, Release

ENV = {"PRWATCH_TEST_HOOK_SECRET": SECRET}


def alert_config(path: Path, hooks: dict[str, str], rules: tuple[str, ...] = ("every release",)) -> Path:
    text = "\n[alerts]\nretry_seconds = 1\n"
    for name, url in hooks.items():
        text += f'\n[[alerts.channels]]\nname = "{name}"\nwebhook = "{url}"\nsecret_env = "PRWATCH_TEST_HOOK_SECRET"\n'
    for rule in rules:
        on = "release" if rule == "every release" else "words"
        text += f'\n[[alerts.rules]]\nname = "{rule}"\ntopic = "china-kazakhstan"\non = "{on}"\n'
        if on == "words":
            text += 'words = ["Khorgos"]\n'
    # [alerts] must come before the [[feeds]] and [[topics]] arrays of tables: put it first
    path.write_text(text + "\n" + path.read_text())
    return path


def scalar(url: str, query: object) -> int:
    store = open_store(url)
    try:
        with store.session() as s:
            return int(s.scalar(query) or 0)  # type: ignore[call-overload]
    finally:
        store.dispose()


def wait_until(what: str, check: object, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s: {what}")


def fetched(url: str, n: int) -> bool:
    return scalar(url, select(func.count()).select_from(Feed).where(Feed.last_success_at.is_not(None))) >= n


@pytest.mark.slow
def test_sigkill_after_storing_and_before_sending_loses_no_alert(tmp_path: Path, db_url: str) -> None:
    hold = threading.Event()  # while set, /slow answers only after a long wait: the poll cannot finish
    feeds = {"/fast.xml": rss(1, 2), "/slow.xml": rss(2, 2)}
    with webhook_receiver() as hook, feed_server(feeds, delay=lambda p: 120.0 if p == "/slow.xml" and hold.is_set()
                                                  else 0.0) as server, procs(tmp_path) as ps:
        config = alert_config(write_config(tmp_path, db_url, {"fast": server.url("/fast.xml"),
                                                              "slow": server.url("/slow.xml")},
                                           interval_minutes=0.1), {"hook": hook.url})
        daemon = ps.start(config, "run", env=ENV)
        wait_until("both feeds fetched once", lambda: fetched(db_url, 2))
        hold.set()
        server.feeds["/fast.xml"] = rss(1, 3)  # one new release
        wait_until("the new release's alert is in the outbox",
                   lambda: scalar(db_url, select(func.count()).select_from(AlertEvent)) == 1)
        assert hook.accepted() == []  # its poll has not finished (the slow feed holds it): not sent yet
        ps.kill(daemon)
        hold.clear()
        ps.start(config, "run", env=ENV)
        [message] = hook.wait_for(1)
        assert message.signed and [i["release"]["title"] for i in message.body["items"]] == \
            ["China and Kazakhstan sign agreement 1-2 on the Khorgos dry port"]
        wait_until("the delivery is recorded", lambda: scalar(db_url, select(func.count()).select_from(AlertMessage)
                                                              .where(AlertMessage.status == "sent")) == 1)
        assert len(hook.accepted()) == 1


@pytest.mark.slow
def test_sigkill_after_sending_and_before_recording_sends_again_with_the_same_key(tmp_path: Path, db_url: str) -> None:
    daemons: list[int] = []

    def kill_the_sender_once(d: Delivery) -> None:
        if len(daemons) == 1:  # the first daemon dies with the message sent and not yet recorded
            os.killpg(daemons[0], signal.SIGKILL)
            daemons.append(-1)

    feeds = {"/a.xml": rss(1, 2)}
    with webhook_receiver(on_arrival=kill_the_sender_once) as hook, feed_server(feeds) as server, \
            procs(tmp_path) as ps:
        config = alert_config(write_config(tmp_path, db_url, {"a": server.url("/a.xml")}, interval_minutes=0.1),
                              {"hook": hook.url})
        first = ps.start(config, "run", env=ENV)
        daemons.append(first.pid)
        wait_until("the feed fetched once", lambda: fetched(db_url, 1))
        server.feeds["/a.xml"] = rss(1, 3)
        wait_until("the first daemon was killed while sending", lambda: first.poll() is not None)
        ps.start(config, "run", env=ENV)
        deliveries = hook.wait_for(2)  # the killed daemon's send arrived; the next daemon sends it again
        wait_until("the delivery is recorded", lambda: scalar(db_url, select(func.count()).select_from(AlertMessage)
                                                              .where(AlertMessage.status == "sent")) == 1)
    assert len(deliveries) == 2
    assert deliveries[0].body["id"] == deliveries[1].body["id"] == deliveries[1].headers["Idempotency-Key"]
    assert deliveries[0].body["items"] == deliveries[1].body["items"]


@pytest.mark.slow
@pytest.mark.postgres
def test_three_daemons_on_postgresql_send_each_message_once(tmp_path: Path, pg_url: str) -> None:
    n_feeds = 9
    feeds = {f"/f{i}.xml": rss(i, 2) for i in range(n_feeds)}
    with webhook_receiver() as one, webhook_receiver() as two, feed_server(feeds) as server, procs(tmp_path) as ps:
        config = alert_config(write_config(tmp_path, pg_url, {f"wire {i}": server.url(f"/f{i}.xml")
                                                             for i in range(n_feeds)}, interval_minutes=0.1),
                              {"one": one.url, "two": two.url}, rules=("every release", "Khorgos"))
        for _ in range(3):
            ps.start(config, "run", env=ENV)
        wait_until("every feed fetched once", lambda: fetched(pg_url, n_feeds))
        for i in range(n_feeds):
            server.feeds[f"/f{i}.xml"] = rss(i, 3)
        wait_until("every new release stored",
                   lambda: scalar(pg_url, select(func.count()).select_from(Release)) == 3 * n_feeds)

        def items(hook: object) -> Counter[tuple[str, int]]:
            return Counter((d.body["rule"], i["release"]["id"]) for d in hook.accepted()  # type: ignore[attr-defined]
                           for i in d.body["items"])
        wait_until("every alert delivered to both channels",
                   lambda: sum(items(one).values()) == sum(items(two).values()) == 2 * n_feeds)
        wait_until("every delivery recorded", lambda: scalar(pg_url, select(func.count()).select_from(AlertMessage)
                                                             .where(AlertMessage.status != "sent")) == 0)
        workers = scalar(pg_url, select(func.count(func.distinct(AlertMessage.rule))))
    for hook in (one, two):
        keys = [d.body["id"] for d in hook.accepted()]
        assert len(keys) == len(set(keys)), "a message was sent twice"
        assert all(d.signed for d in hook.accepted())
        assert set(items(hook).values()) == {1}, "an alert item went out twice"
    assert workers == 2
