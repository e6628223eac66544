"""A release whose analysis was cut short (its text beyond the analysis cap, a bug in the
rules, the time budget) is still in its topic's digest, and its story says so: the analyst
knows its figures and milestones may be missing there and reads the release itself."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from digest_sample import TOPIC, at, feed, release

from digests.build import build_digest
from digests.model import Digest
from digests.periods import period_for
from digests.render import render
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import open_store

FAILED = "analysis failed (IndexError): figures and milestones not extracted"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = open_store(db_url)
    with st.session() as s:
        wire, coast = feed(s, "Harbour Wire"), feed(s, "Coast [Wire]")
        first = release(s, wire, "Examplehaven opens a terminal", "Examplehaven opened a terminal.",
                        seen=at(2, 9), published=at(2, 8))
        copy = release(s, coast, "Examplehaven opens a terminal", "Examplehaven opened a terminal.",
                       seen=at(2, 10), published=at(2, 9), story=first.id)
        copy.analysis_note = FAILED
        release(s, wire, "Examplehaven dredges", "Examplehaven dredged its channel.", seen=at(2, 11),
                published=at(2, 10))
    yield st
    st.dispose()


def build(store: Store) -> Digest:
    with store.transaction() as tx:
        return build_digest(tx, TOPIC, period_for("day", date(2024, 7, 2), "UTC"))


def test_the_story_names_the_copy_that_was_not_fully_analysed_and_why(store: Store) -> None:
    terminal, dredging = sorted(build(store).stories, key=lambda s: s.lead.title, reverse=True)
    assert terminal.unanalysed == (("Coast [Wire]", FAILED),)
    assert dredging.unanalysed == ()


def test_the_digest_tells_the_reader_to_read_the_release_itself(store: Store) -> None:
    text = render(build(store))
    (line,) = [ln for ln in text.splitlines() if ln.startswith("**Not fully analysed**")]
    assert "read the release" in line
    assert line.endswith(r"Coast \[Wire\]: analysis failed \(IndexError\): figures and milestones not extracted")  # escaped
    assert text.count("Not fully analysed") == 1  # the other story was analysed
