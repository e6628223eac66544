"""The digest's look-backs: the latest statement of a measure (whichever feed made it) and a
feed's own latest one, found by one index probe each, are the rows the every-feed look-back
ranks first; only the topic's releases placed before the time count. On SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from storage.sql.engine import SqlStore, open_store
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic, core_table

T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
BEFORE = T0 + timedelta(hours=150)
SERIES = [f"money|money:USD|trade {s}" for s in "abc"]
KEYS = [f"{s}|{p}" for s in SERIES for p in ("2022", "2023", "")]


@pytest.fixture(scope="module")
def store(module_db_url: str) -> Iterator[SqlStore]:
    """200 releases of three feeds an hour apart, some on another topic, some at the same hour
    (ties broken by release, then position), each with a few figures and a milestone."""
    rng = random.Random(5)
    st = open_store(module_db_url)
    with st.session() as s:
        s.execute(insert(core_table(Feed)), [dict(id=i, name=f"feed {i}", url=f"https://f{i}.test/", origin="config",
                                                  full_text=False, enabled=True, error_count=0, created_at=T0)
                                             for i in (1, 2, 3)])
        releases, topics, figures, milestones = [], [], [], []
        for i in range(1, 201):
            at, feed = T0 + timedelta(hours=i // 2), rng.choice((1, 2, 3))
            releases.append(dict(id=i, feed_id=feed, guid=f"g{i}", url=None, title=f"R {i}", published_at=at,
                                 first_seen_at=at, updated_at=at, placed_at=at, text="x", content_hash=str(i),
                                 revision=1, story_id=i, backfill=False))
            topics.append(dict(release_id=i, topic_id="t" if i % 5 else "other", score=1.0, reasons=[]))
            for p in range(rng.randrange(1, 4)):
                key = rng.choice(KEYS)
                figures.append(dict(release_id=i, position=p, kind="money", value=float(rng.randrange(3)), unit="USD",
                                    text="$1", sentence="s", measure_key=key, series_key=key.rsplit("|", 1)[0],
                                    feed_id=feed, stated_at=at, first_seen_at=at))
            milestones.append(dict(release_id=i, position=0, year=2020, date="2020", event=f"e{i % 40}", sentence="s",
                                   status="happened", event_key=f"2020|e{i % 40}"))
        for model, rows in ((Release, releases), (ReleaseTopic, topics), (FigureRow, figures),
                            (MilestoneRow, milestones)):
            s.execute(insert(core_table(model)), rows)
    yield st
    st.dispose()


def ident(rows: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(r.measure_key, r.feed_id, r.release_id, r.position) for r in rows]


def test_the_latest_of_a_measure_is_the_newest_of_every_feeds_latest(store: SqlStore) -> None:
    with store.transaction() as tx:
        every = tx.analysis.latest_by_feed("t", BEFORE, measure_keys=KEYS)
        latest = {r.measure_key: r for r in every}  # oldest first: the last one wins
        assert ident(tx.analysis.latest("t", BEFORE, measure_keys=KEYS)) == ident(
            sorted(latest.values(), key=lambda r: (r.stated_at, r.release_id, r.position)))
        assert ident(tx.analysis.latest("t", BEFORE, series_keys=SERIES)) == ident(
            tx.analysis.latest("t", BEFORE, measure_keys=KEYS))
        # a series' measures are found by a skip scan: one never stated and a lone one change nothing
        assert ident(tx.analysis.latest("t", BEFORE, series_keys=[*SERIES, "money|money:USD|nobody"])) == ident(
            tx.analysis.latest("t", BEFORE, measure_keys=KEYS))
        assert {r.measure_key for r in tx.analysis.latest("t", BEFORE, series_keys=SERIES[1:2])} == {
            k for k in KEYS if k.startswith(SERIES[1] + "|")}
        assert all(r.stated_at < BEFORE for r in latest.values())
        assert tx.analysis.latest("t", T0, measure_keys=KEYS) == []
        assert tx.analysis.latest("nobody", BEFORE, measure_keys=KEYS) == []


def test_a_feeds_own_latest_is_its_row_of_the_every_feed_look_back(store: SqlStore) -> None:
    pairs = [(k, f) for k in KEYS[:5] for f in (1, 3)] + [("money|money:USD|nothing|", 1)]
    with store.transaction() as tx:
        every = tx.analysis.latest_by_feed("t", BEFORE, measure_keys=KEYS)
        assert ident(tx.analysis.latest_of_feeds("t", BEFORE, pairs)) == ident(
            [r for r in every if (r.measure_key, r.feed_id) in set(pairs)])


def test_earlier_milestones_are_the_topics_placed_before(store: SqlStore) -> None:
    keys = [f"2020|e{k}" for k in range(45)]
    with store.transaction() as tx:
        found = tx.analysis.earlier_milestone_keys("t", keys, T0 + timedelta(hours=10))
        # releases 1-19 are before hour 10; those with i % 5 == 0 are on another topic
        assert found == {f"2020|e{i % 40}" for i in range(1, 20) if i % 5}
        assert tx.analysis.earlier_milestone_keys("t", keys, T0 + timedelta(hours=10), excluding=1) == found - {"2020|e1"}
