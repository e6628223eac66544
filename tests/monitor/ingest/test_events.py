"""Listeners of stored releases: told of every release a poll stores, inside the feed's
storing transaction, with revisions carrying what they replaced; a failing listener loses
only its own writes. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from monitor.config import Settings
from monitor.domain import StoredRelease
from monitor.ingest.events import ReleaseEvents
from monitor.ingest.poll import poll
from storage.sql.engine import open_store
from storage.sql.models import FetchEvent, Release

TOPICAL = ("Kazakhstan and China agreed to expand the Khorgos dry port. Two-way trade between China and "
           "Kazakhstan reached $41 billion in 2023.")


def rss(*items: tuple[str, str, str]) -> str:
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><link>https://wire.test/{g}</link>"
                   f"<description>{d}</description></item>" for g, t, d in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{body}</channel></rss>'


def _poll(settings: Settings, events: ReleaseEvents) -> Any:
    store = open_store(settings.storage.url)
    try:
        return poll(store, settings, events=events)
    finally:
        store.dispose()


def test_listeners_see_each_stored_release_inside_the_storing_transaction(
        tmp_path: Path, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(("a", "China and Kazakhstan talk trade", TOPICAL), ("b", "Weather", "Rain in Oslo.")))
    settings = write_config([("Wire", feed.as_uri())], db_url=db_url)
    told: list[StoredRelease] = []
    visible: list[bool] = []

    def listener(tx: Any, stored: Sequence[StoredRelease]) -> None:
        told.extend(stored)
        visible.extend(tx.session.get(Release, s.release_id) is not None for s in stored)

    report = _poll(settings, ReleaseEvents([listener]))
    assert report.new == 2
    assert sorted(s.draft.guid for s in told) == ["a", "b"]
    assert visible == [True, True]  # the listener runs after the rows are written, in their transaction
    first = {s.draft.guid: s for s in told}
    assert first["a"].first_poll and not first["a"].revised and first["a"].feed == "Wire"
    assert first["a"].analysis.topics and not first["b"].analysis.topics
    assert first["a"].poll_run == report.run_id

    told.clear()
    feed.write_text(rss(("a", "China and Kazakhstan talk trade", TOPICAL.replace("$41", "$43")),
                        ("b", "Weather", "Rain in Oslo.")))
    _poll(settings, ReleaseEvents([listener]))
    assert [s.draft.guid for s in told] == ["a"]
    revision = told[0]
    assert revision.revised and not revision.first_poll
    assert revision.earlier is not None
    assert [f.value for f in revision.earlier.figures if f.kind == "money"] == [41e9]
    assert [f.value for f in revision.analysis.figures if f.kind == "money"] == [43e9]


def test_a_failing_listener_loses_its_own_writes_and_nothing_else(
        tmp_path: Path, write_config: Callable[..., Settings], db_url: str) -> None:
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(("a", "China and Kazakhstan talk trade", TOPICAL)))
    settings = write_config([("Wire", feed.as_uri())], db_url=db_url)

    def note(status: str) -> Callable[[Any, Sequence[StoredRelease]], None]:
        def listener(tx: Any, stored: Sequence[StoredRelease]) -> None:
            tx.session.execute(insert(FetchEvent.__table__).values(feed_id=stored[0].feed_id, at=stored[0].stored_at,
                                                           status=status, error=""))
            if status == "broken":
                raise RuntimeError("a bug in a listener")
        return listener

    report = _poll(settings, ReleaseEvents([note("kept"), note("broken"), note("after")]))
    assert report.new == 1 and report.failed == 0
    store = open_store(settings.storage.url)
    with store.session() as s:
        assert s.scalar(select(Release.guid)) == "a"
        assert sorted(s.scalars(select(FetchEvent.status))) == ["after", "kept"]
    store.dispose()

