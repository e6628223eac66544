"""Digests follow the news calendar: a release is in the digest of the day it was published,
a late one updates its own day and is listed where it arrived, a feed's first poll files its
history under past days (never today), `digest --since` writes every period from a day on,
and the daemon rewrites the current digest after every poll that stored something."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import pytest
from conftest import TOPIC_TOML
from digest_markdown import parse
from sqlalchemy import update

from monitor.app.cli import main
from monitor.config import Settings
from storage.sql.engine import open_store
from storage.sql.models import Feed

PLACES = ["Khorgos", "Aktau", "Almaty", "Urumqi", "Shymkent", "Karaganda", "Kashgar", "Pavlodar", "Turkistan",
          "Lanzhou", "Taraz", "Atyrau", "Semey", "Kostanay", "Xi'an", "Kokshetau"]


WORDS = ("grain wheat barley copper zinc uranium oil gas coal solar wind hydro wool cotton rice tea silk "
         "steel cement glass fertiliser potash timber fish honey melons apricots walnuts lamb beef milk").split()


ONE_TOPIC = "[[topics]]" + TOPIC_TOML.split("[[topics]]")[1]  # the shipped china-kazakhstan topic alone


def item(n: int, published: datetime | None) -> str:
    """One release of its own: words, a place, a number and a year no other release shares."""
    place = PLACES[n % len(PLACES)]
    goods = " and ".join(WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(4))
    when = f"<pubDate>{format_datetime(published)}</pubDate>" if published else ""
    return (f"<item><guid>r{n}</guid><link>https://wire.test/r{n}</link>{when}"
            f"<title>{place}: Kazakhstan and China agree on {goods} ({n})</title>"
            f"<description>Kazakhstan and China agreed in {place} on {goods}, deal {n} said. "
            f"Up to {100 + n} wagons of {goods} will cross each month from {2030 + n % 20}.</description></item>")


def write_feed(path: Path, items: list[str]) -> str:
    path.write_text('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
                    "<link>https://wire.test/</link><description>w</description>" + "".join(items)
                    + "</channel></rss>", encoding="utf-8")
    return path.as_uri()


@pytest.fixture(autouse=True)
def _clear_of_midnight() -> None:
    """These tests place releases relative to today (UTC) and read today's digest several
    times, through commands that read the clock themselves: one that ran across midnight would
    look in the next day's digest. A test starting in the last minute of a day waits for the
    next one (the longest of them takes seconds)."""
    now = datetime.now(timezone.utc)
    left = (today() + timedelta(days=1) - now).total_seconds()
    if left < 60:
        time.sleep(left + 1)


def today() -> datetime:
    return datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)


def digest_of(settings: Settings, day: datetime) -> str:
    path = settings.digests.directory / f"{day.date().isoformat()}-china-kazakhstan.md"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def stories(text: str) -> list[str]:
    """The links of the digest's story headings."""
    return [line.rsplit("](", 1)[1].rstrip(")") for line in text.splitlines() if line.startswith("### [")]


def mark_due(settings: Settings) -> None:
    store = open_store(settings.storage.url)
    with store.session() as s:
        s.execute(update(Feed).values(next_check_at=None, etag=None, last_modified=None, body_hash=None))
    store.dispose()


def test_three_days_of_releases_give_three_day_digests_and_a_late_one_updates_its_day(
        tmp_path: Path, write_config: Callable[..., Settings], db_url: str) -> None:
    days = [today() - timedelta(days=k) for k in (3, 2, 1)]
    feed = tmp_path / "wire.xml"
    first = [item(i, d + timedelta(hours=9 + i)) for i, d in enumerate(days)]
    settings = write_config([("Wire", write_feed(feed, first))], db_url=db_url)
    assert main(["--config", str(settings.path), "fetch", "--quiet"]) == 0
    for i, d in enumerate(days):
        assert stories(digest_of(settings, d)) == [f"https://wire.test/r{i}"], d  # each in its own day
    # the first poll was the feed's history: today's digest has none of it, and calls none of it late
    assert "No releases on this topic in this period." in digest_of(settings, today())
    assert "Arrived late" not in digest_of(settings, today())

    # a later poll brings a release published two days ago: it updates that day and is listed today
    before = digest_of(settings, days[1])
    write_feed(feed, first + [item(7, days[1] + timedelta(hours=20))])
    mark_due(settings)
    assert main(["--config", str(settings.path), "fetch", "--quiet"]) == 0
    after = digest_of(settings, days[1])
    assert after != before and stories(after) == ["https://wire.test/r1", "https://wire.test/r7"]
    now = digest_of(settings, today())
    md = parse(now)
    assert "Arrived late" in md.headings(2)
    assert ("https://wire.test/r7" in dict(md.links())
            and f"{days[1].date().isoformat()}-china-kazakhstan.md" in dict(md.links()))
    index = (settings.digests.directory / "index.md").read_text(encoding="utf-8")
    assert f"{days[1].date().isoformat()}-china-kazakhstan.md" in index


def test_a_backfill_of_200_old_releases_puts_none_in_today(tmp_path: Path, write_config: Callable[..., Settings],
                                                           db_url: str) -> None:
    start = today() - timedelta(days=250)
    items = [item(i, start + timedelta(days=i, hours=10)) for i in range(200)]
    settings = write_config([("Wire", write_feed(tmp_path / "wire.xml", items))], db_url=db_url, topics=ONE_TOPIC)
    assert main(["--config", str(settings.path), "fetch", "--quiet"]) == 0
    written = sorted(settings.digests.directory.glob("*-china-kazakhstan.md"))
    assert len(written) == 201  # 200 past days and today's
    assert "No releases on this topic in this period." in digest_of(settings, today())
    assert "Arrived late" not in digest_of(settings, today())
    assert stories(digest_of(settings, start + timedelta(days=42))) == ["https://wire.test/r42"]


def test_a_future_or_missing_date_counts_when_first_seen(tmp_path: Path, write_config: Callable[..., Settings]) -> None:
    items = [item(1, today() + timedelta(days=30)), item(2, None)]
    settings = write_config([("Wire", write_feed(tmp_path / "wire.xml", items))])
    assert main(["--config", str(settings.path), "fetch", "--quiet"]) == 0
    assert stories(digest_of(settings, today())) == ["https://wire.test/r1", "https://wire.test/r2"]


def test_digest_since_writes_every_period_from_that_day(tmp_path: Path, write_config: Callable[..., Settings],
                                                        capsys) -> None:  # type: ignore[no-untyped-def]
    settings = write_config([("Wire", write_feed(tmp_path / "wire.xml", [item(1, today() - timedelta(days=5))]))])
    assert main(["--config", str(settings.path), "fetch", "--quiet", "--no-digest"]) == 0
    since = (today() - timedelta(days=6)).date().isoformat()
    assert main(["--config", str(settings.path), "digest", "--since", since, "--topic", "china-kazakhstan"]) == 0
    printed = capsys.readouterr().out
    assert printed.count("digest: ") == 7  # six past days and today, each printed
    assert stories(digest_of(settings, today() - timedelta(days=5))) == ["https://wire.test/r1"]
    assert main(["--config", str(settings.path), "digest", "--since", "2999-01-01"]) == 2
    assert "after today" in capsys.readouterr().err


def test_the_daemon_rewrites_the_current_digest_after_a_poll_that_stored_a_release(
        tmp_path: Path, write_config: Callable[..., Settings], db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.app import daemon

    # the day is the test's, whatever the clock says by its end: a run across midnight must
    # not look for the releases in the next day's digest
    day = today()
    monkeypatch.setattr(daemon, "today_in", lambda _tz: day.date())
    feed = tmp_path / "wire.xml"
    settings = write_config([("Wire", write_feed(feed, [item(1, day)]))], db_url=db_url)
    store = open_store(settings.storage.url)
    stop = threading.Event()
    job = daemon._poll_job(store, settings, "test:1:a", stop, after_poll=daemon._current_digests(store, settings, stop))
    job()
    first = digest_of(settings, day)
    assert stories(first) == ["https://wire.test/r1"]
    job()  # nothing is due, nothing stored: the digest is not touched
    assert digest_of(settings, day) == first
    write_feed(feed, [item(1, day), item(2, day + timedelta(seconds=1))])
    mark_due(settings)
    job()
    second = digest_of(settings, day)
    assert second != first and sorted(stories(second)) == ["https://wire.test/r1", "https://wire.test/r2"]
    store.dispose()
