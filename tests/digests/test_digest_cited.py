"""A release that gives two values of one measure for one period ("1.25 million TEU in 2023,
above the 1.2 million estimate") states the first; the second is cited. The next digests read
the release's own value, never the cited one, as what the source last said."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from digest_sample import TEU, THROUGHPUT, TOPIC, at, feed, release

from digests.build import build_digest
from digests.model import Digest
from digests.periods import period_for
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import open_store


def _throughput(value: float) -> tuple:
    return ("quantity", value, TEU, f"{value / 1e6:g} million TEU", THROUGHPUT, "2023")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = open_store(db_url)
    with st.session() as s:
        wire = feed(s, "Harbour Wire")
        release(s, wire, "Examplehaven estimates 2023", "Examplehaven handled 1.2 million TEU in 2023.",
                seen=at(1, 9), published=at(1, 8), figures=[_throughput(1.2e6)])
        release(s, wire, "Examplehaven final 2023", "Examplehaven handled 1.25 million TEU in 2023, above the "
                "1.2 million TEU estimate.", seen=at(2, 9), published=at(2, 8),
                figures=[_throughput(1.25e6), _throughput(1.2e6)])
        release(s, wire, "Examplehaven recalls 2023", "Examplehaven handled 1.25 million TEU in 2023.",
                seen=at(3, 9), published=at(3, 8), figures=[_throughput(1.25e6)])
        release(s, wire, "Examplehaven recalls 2023 again", "Examplehaven handled 1.25 million TEU in 2023.",
                seen=at(4, 9), published=at(4, 8), figures=[_throughput(1.25e6)])
    yield st
    st.dispose()


def build(store: Store, day: int, kind: str = "day") -> Digest:
    with store.transaction() as tx:
        return build_digest(tx, TOPIC, period_for(kind, date(2024, 7, day), "UTC"))


def test_the_release_s_own_value_is_its_word_and_the_cited_one_is_not(store: Store) -> None:
    (revised,) = build(store, 2).figures
    assert (revised.value, revised.status) == (1.25e6, "changed")
    assert revised.earlier is not None and revised.earlier.value == 1.2e6
    assert build(store, 3).figures == ()  # a repeat of 1.25 million, read from the store: known
    week = {f.status for f in build(store, 3, "week").figures}  # days 2 and 3 in one ledger
    assert week == {"changed"}
    assert build(store, 4).figures == ()


def test_the_story_lists_the_cited_value_as_cited_and_does_not_count_it_as_news(store: Store) -> None:
    digest = build(store, 2)
    (story,) = digest.stories
    assert [(f.value, f.status) for f in story.figures] == [(1.25e6, "changed"), (1.2e6, "cited")]
    assert story.weight == (1, 1)
