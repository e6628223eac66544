"""Full-text search of stored releases, on SQLite (FTS5) and PostgreSQL (tsvector + GIN):
what it finds, how it ranks, what it filters, how copies of a story show, and that the
index follows every write (new, revised, purged, stored before the index existed)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import bindparam, text

from monitor.app.query import parse_query
from monitor.domain import AllOf, AnyOf, FetchSucceeded, NewFeed, ReleaseFilter, SearchPage, Words
from monitor.ingest.process import process_feed
from monitor.ingest.storing import store_fetched
from storage.sql import search as search_module
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import make_engine, open_store
from storage.sql.migrate import alembic_config
from storage.sql.models import UTCDateTime
from storage.sql.search import search_releases
from tests.ask_sample import T0, feed, release, with_filler


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.dispose()


def find(store: Store, query: str, where: ReleaseFilter = ReleaseFilter(), **kw: int) -> SearchPage:
    with store.session() as s:
        return search_releases(s, parse_query(query).expr, where, **kw)


def titles(page: SearchPage) -> list[str]:
    return ["".join(piece for piece, _ in h.title) for h in page.hits]


def test_a_phrase_finds_its_words_in_that_order_and_words_find_them_anywhere(store: Store) -> None:
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        release(s, wire, "Grain report", "Kazakhstan said wheat exports to China grew in 2024.")
        release(s, wire, "Harvest report", "Exports of flour and wheat to China grew in 2024.")
    assert titles(find(store, '"wheat exports"')) == ["Grain report"]
    assert sorted(titles(find(store, "wheat exports"))) == ["Grain report", "Harvest report"]
    assert titles(find(store, '"wheat exports" OR flour')) != []
    assert sorted(titles(find(store, "wheat -flour"))) == ["Grain report"]
    # stemming: the singular finds the plural, as on both backends
    assert sorted(titles(find(store, "export"))) == ["Grain report", "Harvest report"]


def test_a_title_hit_ranks_above_hits_in_the_text_however_often_they_repeat(store: Store) -> None:
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        release(s, wire, "Trade talks end", "Khorgos was mentioned. Khorgos again, and Khorgos a third time: Khorgos.",
                day=1)
        release(s, wire, "Khorgos dry port expands", "The port on the border will handle more containers.", day=0)
    page = find(store, "khorgos")
    assert titles(page) == ["Khorgos dry port expands", "Trade talks end"]
    assert page.hits[0].score > page.hits[1].score
    # the matched words are marked, in the title and in the snippet
    assert page.hits[0].title[0] == ("Khorgos", True)
    assert [piece for piece, hit in page.hits[1].snippet if hit] == ["Khorgos"] * 4


def test_filters_by_topic_feed_and_dates(store: Store) -> None:
    with store.session() as s:
        a, b = feed(s, "Wire A"), feed(s, "Wire B")
        with_filler(s, a)
        release(s, a, "Pipeline deal signed", "The gas pipeline will run to China.", day=1, topic="cn-kz")
        release(s, b, "Pipeline maintenance", "The oil pipeline closes for a week.", day=5)
        release(s, b, "Pipeline tariff", "The pipeline tariff rises.", day=9, topic="cn-kz")
    assert sorted(titles(find(store, "pipeline", ReleaseFilter(topic="cn-kz")))) == ["Pipeline deal signed",
                                                                                   "Pipeline tariff"]
    assert sorted(titles(find(store, "pipeline", ReleaseFilter(feeds=("Wire B",))))) == ["Pipeline maintenance",
                                                                                       "Pipeline tariff"]
    window = ReleaseFilter(since=T0 + timedelta(days=2), until=T0 + timedelta(days=9))  # until is exclusive
    assert titles(find(store, "pipeline", window)) == ["Pipeline maintenance"]
    assert titles(find(store, "pipeline", ReleaseFilter(topic="cn-kz", feeds=("Wire A",)))) == ["Pipeline deal signed"]
    assert find(store, "pipeline", ReleaseFilter(topic="other")).hits == ()


def test_dates_find_releases_stored_out_of_date_order_and_an_empty_window_finds_none(store: Store) -> None:
    """A search with dates reads only the ids its dates hold: a release stored late but dated
    early is inside them, one stored early but dated late is not."""
    with store.session() as s:
        a = feed(s, "Wire A")
        with_filler(s, a)
        release(s, a, "Pipeline news late", "The pipeline opened.", day=8)
        release(s, a, "Pipeline news now", "The pipeline is full.", day=3)
        release(s, a, "Pipeline news old", "The pipeline was planned.", day=1)  # stored last, dated first
    assert titles(find(store, "pipeline", ReleaseFilter(until=T0 + timedelta(days=2)))) == ["Pipeline news old"]
    assert sorted(titles(find(store, "pipeline", ReleaseFilter(since=T0 + timedelta(days=1),
                                                               until=T0 + timedelta(days=4))))) == [
        "Pipeline news now", "Pipeline news old"]
    assert find(store, "pipeline", ReleaseFilter(since=T0 + timedelta(days=300))).hits == ()


def test_copies_of_a_story_show_once_with_the_feeds_that_also_carried_it(store: Store) -> None:
    with store.session() as s:
        a, b, c = feed(s, "Wire A"), feed(s, "Wire B"), feed(s, "Wire C")
        with_filler(s, a)
        lead = release(s, a, "Railway freight record", "Freight on the railway reached a record.", day=1)
        release(s, b, "Railway freight record", "Freight on the railway reached a record.", day=1,
                story=lead.story_id)
        release(s, c, "Record railway freight (copy)", "Freight on the railway reached a record, it said.", day=2,
                story=lead.story_id)
        release(s, c, "Freight rates fall", "Railway freight rates fell.", day=3)
    page = find(store, "railway freight")
    by_title = {t: h for t, h in zip(titles(page), page.hits, strict=True)}
    assert len(page.hits) == 2
    lead_hit = by_title["Railway freight record"]
    assert lead_hit.feed == "Wire A"  # of equal copies, the earliest
    assert [x.feed for x in lead_hit.also] == ["Wire B", "Wire C"]
    assert by_title["Freight rates fall"].also == ()


def test_pages_follow_each_other(store: Store) -> None:
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        for i in range(5):
            release(s, wire, f"Cargo note {i}", "Cargo moved.", day=i)
    first, second = find(store, "cargo", limit=3), find(store, "cargo", limit=3, offset=3)
    assert (len(first.hits), first.more, len(second.hits), second.more) == (3, True, 2, False)
    assert not set(titles(first)) & set(titles(second))


def test_only_the_newest_matches_are_ranked_beyond_the_window(store: Store,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        old = release(s, wire, "Tariff", "An old tariff note.", day=0)  # the best match, stored first
        for i in range(4):
            release(s, wire, f"Note {i}", f"A tariff is mentioned in passing in note {i}.", day=i + 1)
    assert titles(find(store, "tariff"))[0] == "Tariff"
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    page = find(store, "tariff")
    assert page.capped and old.id not in [h.release_id for h in page.hits]
    assert sorted(titles(page)) == ["Note 1", "Note 2", "Note 3"]


def test_the_window_holds_the_newest_releases_with_the_phrase_not_with_its_words_apart(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL asks its index for a phrase's words in any order, then tests the phrase on
    each document, newest first: releases with the words apart never take a place in the
    window, and excluding a phrase keeps the releases that have its words apart."""
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        for i in range(3):
            release(s, wire, f"Levy {i}", "The port levy on cargo rose.", day=i)
        for i in range(3):
            release(s, wire, f"Apart {i}", "A levy was imposed at the port.", day=i + 3)  # the newest
    monkeypatch.setattr(search_module, "RANK_WINDOW", 2)
    page = find(store, '"port levy"')
    assert page.capped and sorted(titles(page)) == ["Levy 1", "Levy 2"]
    monkeypatch.setattr(search_module, "RANK_WINDOW", 10)
    assert sorted(titles(find(store, 'levy -"port levy"'))) == ["Apart 0", "Apart 1", "Apart 2"]
    assert sorted(titles(find(store, '"port levy" OR imposed'))) == [f"{t} {i}" for t in ("Apart", "Levy")
                                                                    for i in range(3)]


HOSTILE = ['"', '""', "*", "NEAR(a b)", "{title}: x", "a OR", "^x", "x'y", "\\", "%_", "-", "rowid",
           "release_search", "';--", "$1", ":p", "a" * 500, "é ü ñ 中文", "x AND", "(", ")"]


def test_any_words_are_read_literally_never_as_syntax(store: Store) -> None:
    """Whatever the words say, each backend reads them as text to tokenise: no syntax error,
    and words that are FTS5 or tsquery syntax still find the releases that contain them."""
    with store.session() as s:
        wire = feed(s, "Wire")
        with_filler(s, wire)
        release(s, wire, "Note", "x y NEAR a b rowid é ü ñ 中文 release_search")
    for words in HOSTILE:
        with store.session() as s:
            for expr in (Words(words), Words(words, phrase=True), AllOf((Words("note"),), (Words(words),)),
                         AnyOf((Words(words), Words("note")))):
                search_releases(s, expr)
    assert titles(find(store, "NEAR rowid")) == ["Note"]
    assert titles(find(store, '"NEAR a b"')) == ["Note"]


def test_a_query_of_only_unindexed_words_says_so_on_postgresql(store: Store) -> None:
    with store.session() as s:
        release(s, feed(s, "Wire"), "The end", "It is what it is.")
    page = find(store, "the")
    if store.is_sqlite:  # FTS5 indexes every word
        assert titles(page) == ["The end"] and not page.only_common_words
    else:
        assert page.hits == () and page.only_common_words


def _rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f"<item><guid>{g}</guid><title>{t}</title><description>{d}</description></item>"
                   for g, t, d in items)
    return f'<rss version="2.0"><channel><title>W</title>{body}</channel></rss>'.encode()


def _poll(store: Store, items: list[tuple[str, str, str]], now: datetime) -> None:
    url = "https://wire.test/rss"
    with store.transaction() as tx:
        if not tx.feeds.all():
            tx.feeds.add(NewFeed("Wire", url), now)
        [job] = tx.claims.claim("w", now, lease=timedelta(minutes=5), due_only=False)
        known, sources = tx.releases.known(job.id)
        processed = process_feed(_rss(items), {}, url, known, (), sources)
        store_fetched(tx, job, processed, now, FetchSucceeded("200", now, None, None, None))
        tx.claims.release("w")


def test_the_index_follows_new_revised_and_purged_releases(store: Store) -> None:
    _poll(store, [("1", "Terminal opens", "The grain terminal opened."), ("2", "Port news", "Nothing new.")], T0)
    assert titles(find(store, "terminal")) == ["Terminal opens"]
    # the feed revises the release: its new words are found, its old ones no longer
    _poll(store, [("1", "Terminal delayed", "The elevator opening was delayed."), ("2", "Port news", "Nothing new.")],
          T0 + timedelta(hours=1))
    assert titles(find(store, "elevator")) == ["Terminal delayed"]
    assert find(store, "grain").hits == ()
    [hit] = find(store, "delayed").hits
    assert hit.revision == 2
    with store.transaction() as tx:
        assert tx.releases.purge(T0 + timedelta(days=1), T0) == 2
    assert find(store, "elevator").hits == () and find(store, "port").hits == ()


def test_removing_a_feed_removes_its_releases_from_the_index(store: Store) -> None:
    with store.session() as s:
        release(s, feed(s, "Gone"), "Copper smelter", "A copper smelter.")
        release(s, feed(s, "Kept"), "Copper mine", "A copper mine.")
    with store.transaction() as tx:
        tx.feeds.remove("Gone")
    assert titles(find(store, "copper")) == ["Copper mine"]


def test_the_migration_indexes_releases_stored_before_it(db_url: str) -> None:
    open_store(db_url).dispose()
    engine = make_engine(db_url)
    cfg = alembic_config()
    with engine.begin() as conn:  # back to the schema before search, as an older prwatch left it
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO feeds (name, url, origin, full_text, enabled, error_count, created_at) "
                          "VALUES ('Old wire', 'https://old.test/rss', 'config', false, true, 0, :t)"), {"t": T0})
        fid = conn.execute(text("SELECT id FROM feeds")).scalar_one()
        for i, (title, body) in enumerate([("Wheat harvest", "The wheat harvest was large."),
                                           ("Oil prices", "Oil prices fell.")]):
            conn.execute(text("INSERT INTO releases (feed_id, guid, title, published_at, first_seen_at, updated_at, "
                              "text, content_hash, revision, story_id) VALUES (:f, :g, :t, :at, :at, :at, :x, :h, 1, "
                              "NULL)").bindparams(bindparam("at", type_=UTCDateTime())),  # stored as the models store it
                         dict(f=fid, g=str(i), h=str(i), t=title, x=body, at=T0 + timedelta(days=i)))
    engine.dispose()
    store = open_store(db_url)  # upgrades: fills the index
    try:
        assert titles(find(store, "wheat")) == ["Wheat harvest"]
        assert titles(find(store, "prices", ReleaseFilter(feeds=("Old wire",), since=T0 + timedelta(days=1)))) == [
            "Oil prices"]
        assert find(store, "oil", ReleaseFilter(until=T0 + timedelta(days=1))).hits == ()
    finally:
        store.dispose()


def _fts5_consistent(store: Store) -> bool:
    """FTS5's own check that its index holds exactly what `releases` holds, once what waits is
    indexed (it raises "database disk image is malformed" where they differ)."""
    with store.transaction() as tx:
        tx.search.index_waiting()
    with store.session() as s:
        s.execute(text("INSERT INTO release_search (release_search, rank) VALUES ('integrity-check', 1)"))
    return True


def _waiting(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(text("SELECT count(*) FROM release_search_queue")) or 0)


def test_on_sqlite_new_releases_wait_to_be_indexed_in_one_go_and_a_search_finds_them(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        _poll(store, [("1", "Terminal opens", "The grain terminal opened."), ("2", "Port news", "Nothing new.")], T0)
        assert _waiting(store) == 2, "stored, not yet indexed"
        assert titles(find(store, "terminal")) == ["Terminal opens"], "a search indexes what waits first"
        assert _waiting(store) == 0
        _poll(store, [("3", "Rail link", "A rail link to Urumqi.")], T0 + timedelta(hours=1))
        with store.transaction() as tx:
            assert tx.search.index_waiting() == 1
            assert tx.search.index_waiting() == 0
        assert _fts5_consistent(store)
    finally:
        store.dispose()


def test_on_sqlite_a_release_revised_or_purged_while_it_waits_leaves_the_index_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A waiting release has nothing in the index: its revision and its deletion must not take
    its old words out of it (FTS5 would then hold counts for words nobody has)."""
    store = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    try:
        _poll(store, [("1", "Terminal opens", "The grain terminal opened.")], T0)
        assert titles(find(store, "terminal")) == ["Terminal opens"]  # indexed
        _poll(store, [("1", "Terminal opens", "The grain terminal opened."),
                      ("2", "Smelter plan", "A copper smelter is planned.")], T0 + timedelta(hours=1))
        _poll(store, [("1", "Terminal delayed", "The elevator opening was delayed."),
                      ("2", "Smelter delayed", "The zinc smelter waits.")], T0 + timedelta(hours=2))
        assert _waiting(store) == 1, "the revision of a waiting release is still waiting, not indexed twice"
        assert _fts5_consistent(store)  # the revision of the indexed one took its old words out
        assert titles(find(store, "zinc")) == ["Smelter delayed"] and find(store, "copper").hits == ()
        assert titles(find(store, "elevator")) == ["Terminal delayed"] and find(store, "grain").hits == ()
        _poll(store, [("3", "Rail link", "A rail link to Urumqi.")], T0 + timedelta(hours=3))
        with store.transaction() as tx:  # release 3 waits as the purge takes every release
            assert tx.releases.purge(T0 + timedelta(days=1), T0) == 3
        assert _waiting(store) == 0 and _fts5_consistent(store)  # nothing of release 3 was taken out
        assert find(store, "rail").hits == () and find(store, "smelter").hits == ()
    finally:
        store.dispose()
