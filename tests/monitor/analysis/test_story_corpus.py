"""Story grouping measured on a corpus (story_corpus.py): pairwise precision and recall over
many insertion orders, in memory and through the database in batches, on SQLite and
PostgreSQL. `benchmarks/bench_stories.py` runs it at full size (more seeds and orders)."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Sequence

import pytest
from story_corpus import Release, corpus

from monitor.analysis.stories import MemoryStories, Signature, signature
from storage.sql.engine import open_store

BAR = 0.97


def pairs(groups: Sequence[object]) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(groups)), 2) if groups[i] == groups[j]}


def scores(releases: Sequence[Release], stories: Sequence[int]) -> tuple[float, float]:
    """Pairwise precision and recall of `stories` (a story id per release) against the truth."""
    truth, found = pairs([r.story for r in releases]), pairs(stories)
    return len(truth & found) / max(1, len(found)), len(truth & found) / len(truth)


def grouped_in_memory(releases: Sequence[Release], sigs: Sequence[Signature], order: Sequence[int]) -> list[int]:
    m = MemoryStories()
    for i in order:
        m.place(i, sigs[i], releases[i].published)
    return [m.story[i] for i in range(len(releases))]


def partition(stories: Sequence[int]) -> set[frozenset[int]]:
    by: dict[int, set[int]] = {}
    for i, s in enumerate(stories):
        by.setdefault(s, set()).add(i)
    return {frozenset(g) for g in by.values()}


CORPUS = corpus(1)
SIGS = [signature(r.title, r.text) for r in CORPUS]


def test_the_corpus_is_big_and_hard_enough() -> None:
    kinds = Counter(r.kind for r in CORPUS)
    assert len({r.story for r in CORPUS}) >= 40 and len(CORPUS) >= 120
    assert min(kinds[k] for k in ("original", "syndicated", "lead-only", "correction", "rewrite")) >= 10
    # hard negatives: one wire, one template, different periods or goods, some on the same day
    trade = [r for r in CORPUS if r.story.startswith("trade-") and r.kind == "original"]
    assert len(trade) >= 6 and len({r.feed for r in trade}) == 1
    same_day = Counter((r.feed, r.published.date()) for r in CORPUS if r.kind == "original")
    assert max(same_day.values()) >= 4


def test_precision_and_recall_over_many_insertion_orders() -> None:
    rng = random.Random(11)
    results = []
    for _ in range(30):
        order = list(range(len(CORPUS)))
        rng.shuffle(order)
        results.append(scores(CORPUS, grouped_in_memory(CORPUS, SIGS, order)))
    precision = min(p for p, _ in results)
    recall = min(r for _, r in results)
    assert precision >= BAR and recall >= BAR, (precision, recall)


def test_the_grouping_does_not_depend_on_the_order() -> None:
    rng = random.Random(3)
    first = partition(grouped_in_memory(CORPUS, SIGS, range(len(CORPUS))))
    for _ in range(10):
        order = list(range(len(CORPUS)))
        rng.shuffle(order)
        assert partition(grouped_in_memory(CORPUS, SIGS, order)) == first


def test_the_store_groups_the_same_whatever_the_order_and_batches(db_url: str) -> None:
    """Through the database: releases stored in two different orders and batch sizes (as two
    clean runs, or a run and its restart after a crash, would) get the same stories."""
    from sqlalchemy import select

    from monitor.analysis.stories import place
    from storage.sql.models import Feed
    from storage.sql.models import Release as Row
    from storage.sql.stories import SqlStories

    subset = list(range(0, len(CORPUS), 2))  # half the corpus keeps the test quick on both backends
    results = []
    for seed, batch in ((1, 1), (2, 7)):
        store = open_store(db_url)
        with store.session() as s:
            s.execute(Row.__table__.delete())
            s.execute(Feed.__table__.delete())
        order = subset[:]
        random.Random(seed).shuffle(order)
        with store.session() as s:
            feeds = {}
            for name in sorted({r.feed for r in CORPUS}):
                f = Feed(name=name, url=f"https://{len(feeds)}.test/", created_at=CORPUS[0].published, error_count=0)
                s.add(f)
                s.flush()
                feeds[name] = f.id
        ids = {}
        for k in range(0, len(order), batch):
            with store.session() as s:
                for i in order[k:k + batch]:
                    r = CORPUS[i]
                    row = Row(feed_id=feeds[r.feed], guid=f"g{i}", url=None, title=r.title, published_at=r.published,
                              first_seen_at=r.published, updated_at=r.published, text=r.text, content_hash=str(i),
                              revision=1, signature=SIGS[i].to_bytes())
                    s.add(row)
                    s.flush()
                    ids[i] = row.id
                    place(SqlStories(s), row.id, SIGS[i], r.published)
        with store.session() as s:
            story = dict(s.execute(select(Row.id, Row.story_id)).all())
        store.dispose()
        results.append(partition([story[ids[i]] if i in ids else -1 - i for i in range(len(CORPUS))]))
    assert results[0] == results[1]
    truth = [CORPUS[i] for i in subset]
    by_pos = {i: n for n, i in enumerate(subset)}
    groups = [0] * len(subset)
    for g, members in enumerate(results[0]):
        for i in members:
            if i in by_pos:
                groups[by_pos[i]] = g
    precision, recall = scores(truth, groups)
    assert precision >= BAR and recall >= BAR, (precision, recall)


@pytest.mark.parametrize("kind", ["syndicated", "lead-only", "correction", "rewrite"])
def test_each_kind_of_copy_joins_its_original(kind: str) -> None:
    from monitor.analysis.stories import same_story

    originals = {r.story: i for i, r in enumerate(CORPUS) if r.kind == "original"}
    for i, r in enumerate(CORPUS):
        if r.kind == kind:
            o = originals[r.story]
            assert same_story(SIGS[o], SIGS[i], r.published - CORPUS[o].published), (r.story, kind)


def test_same_template_releases_of_one_wire_stay_apart() -> None:
    from monitor.analysis.stories import same_story

    originals = [(i, r) for i, r in enumerate(CORPUS) if r.kind == "original"]
    for (i, a), (j, b) in itertools.combinations(originals, 2):
        if a.story.rsplit("-", 2)[0] == b.story.rsplit("-", 2)[0]:  # trade-2024-03 and trade-2024-04, …
            assert not same_story(SIGS[i], SIGS[j], a.published - b.published), (a.story, b.story)
