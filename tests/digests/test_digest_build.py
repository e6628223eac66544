"""Whole digests built from a sample store (tests/digests/digest_sample.py) on SQLite and
PostgreSQL: compared with golden files, and parsed with markdown-it-py for structure.

Regenerate the golden files after an intended change with PRWATCH_UPDATE_GOLDEN=1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from digest_markdown import parse
from digest_sample import TOPIC, at, fill
from sqlalchemy import select

from digests.build import build_digest
from digests.model import Digest
from digests.periods import period_for
from digests.render import FIGURE_COLUMNS, render
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import open_store
from storage.sql.models import Feed, NearMissRow, Release

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = open_store(db_url)
    with st.session() as s:
        fill(s)
    yield st
    st.dispose()


def build(store: Store, day: int, kind: str = "day") -> Digest:
    with store.transaction() as tx:
        return build_digest(tx, TOPIC, period_for(kind, date(2024, 7, day), "Europe/Berlin"))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("PRWATCH_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; PRWATCH_UPDATE_GOLDEN=1 to accept"


def test_day_with_revision_conflict_copies_and_history(store: Store) -> None:
    d = build(store, 2)
    text = render(d)
    check_golden("2024-07-02-harbour.md", text)

    rows = {(f.label, f.period): f for f in d.figures}
    assert {k: f.status for k, f in rows.items()} == {
        ("container throughput", "2023"): "conflict",  # the wire revised its 1.2 million; another wire says 1.3
        ("container throughput", "2024"): "new",
        ("cranes | <b>x</b>", None): "new"}  # $5 million was stated on day 1: known
    conflict = rows[("container throughput", "2023")]
    assert (conflict.value, conflict.source.feed) == (1.25e6, "Harbour Wire")
    assert conflict.earlier is not None and conflict.earlier.value == 1.2e6  # its own revision, kept
    assert [(o.value, o.source.feed) for o in conflict.others] == [(1.3e6, "Coast News")]
    new = rows[("container throughput", "2024")]
    assert new.previous is not None and (new.previous.value, new.previous.period) == (1.25e6, "2023")
    assert [h.kind for h in d.highlights][:3] == ["moved", "conflict", "milestone"]

    md = parse(text)
    assert md.headings(1) == ["Examplehaven harbour — Tuesday 2 July 2024"]
    assert md.headings(2) == ["Highlights", "Figures", "Milestones", "Stories", "Feed health"]
    figures, history = md.tables()
    assert figures[0] == list(FIGURE_COLUMNS)
    assert len(figures) == 1 + 2 and all(len(row) == len(FIGURE_COLUMNS) for row in figures)
    assert [row[0] for row in figures[1:]] == ["⚠️ conflict", "new"]
    assert "1.3 million TEU (Coast News, 2024-07-02)" in figures[1][4]
    assert "revised it from 1.2 million TEU (2024-07-01)" in figures[1][4]
    assert "1.25 million TEU (in 2023, 2024-07-02, Harbour Wire)" in figures[2][4]
    assert figures[2][5] == "+150,000 TEU (+12.0%)"
    assert [row[0] for row in history] == ["Period", "2021", "2022", "2023", "2024"]
    assert "sources differ" in history[3][1] and history[4][2].startswith("Harbour Wire")
    (chart,) = md.fences("mermaid")  # two milestones draw no timeline: the list says it all
    assert "xychart-beta" in chart
    # one story for the wire and its copy, linked to the earliest source; the hostile title is inert
    stories = md.headings(3)[-2:]
    assert stories[0].startswith("Examplehaven revises 2023")
    links = dict(md.links())
    assert "https://harbour-wire.test/r/examplehaven-revises-2023-throughput-to" in links
    assert "https://coast-news.test/r/examplehaven-revises-2023-throughput-to" in links
    assert md.active_markup() == []
    assert all(href.startswith("https://") for href, _ in md.links())
    assert "Port | record [click](javascript:alert(1)) <script>alert(1)</script> *now*" in stories[1]
    milestones = [t.content for t in md.tokens if t.type == "inline" and " · " in t.content and "—" in t.content]
    assert any("2019" in m and "already known" in m for m in milestones)
    assert any("2026" in m and "new" in m for m in milestones)


def test_a_storys_key_figures_say_what_the_figures_table_says(store: Store) -> None:
    """One decision per measure and period: the wire's own revision of 2023 is "changed" on its
    own, but another wire disputes it in the same period, so the table and the story both say
    conflict."""
    for kind in ("day", "week"):
        d = build(store, 2, kind)
        table = {f.measure_key: f.status for f in d.figures if f.subject}  # a figure without one is its own row
        stated = [(f.measure_key, f.status) for s in d.stories for f in s.figures if f.subject]
        assert {key for key, _ in stated} == set(table)
        assert all(status == table[key] for key, status in stated), (kind, stated, table)
    (lead, *_) = build(store, 2).stories
    assert [(f.period, f.status) for f in lead.figures if f.subject] == [("2023", "conflict"), ("2024", "new")]
    assert "1.25 million TEU (container throughput) — conflict" in render(build(store, 2))


def test_next_day_calls_nothing_of_yesterday_new(store: Store) -> None:
    d = build(store, 3)
    assert d.figures == ()
    assert [m.known for m in d.milestones] == [True]
    (story,) = d.stories
    assert story.followup and story.lead.feed == "Harbour Wire" and {a.feed for a in story.also} == {"Coast News", "Late Wire"}
    check_golden("2024-07-03-harbour.md", render(d))


def test_rebuilding_a_day_gives_the_same_bytes(store: Store) -> None:
    assert render(build(store, 2)) == render(build(store, 2))


def test_week_counts_the_whole_story_once(store: Store) -> None:
    d = build(store, 2, "week")
    assert d.period.key == "2024-W27" and d.releases == 5 and len(d.stories) == 3
    rows = {(f.period, f.status, f.value) for f in d.figures}
    # within the week: 2023 was first stated, then revised by its source, then disputed by another
    assert rows >= {("2023", "conflict", 1.25e6), ("2022", "new", 1.1e6), ("2024", "new", 1.4e6)}


def test_empty_period_says_so(store: Store) -> None:
    d = build(store, 4)
    text = render(d)
    check_golden("2024-07-04-harbour.md", text)
    md = parse(text)
    assert md.headings(2) == [] and "No releases on this topic in this period." in text


def test_the_footer_counts_the_periods_near_misses_and_names_the_command(store: Store) -> None:
    with store.session() as s:
        wire = s.scalars(select(Feed).where(Feed.name == "Harbour Wire")).one()
        for guid, day, topic in (("near-2", 2, TOPIC.id), ("near-3", 3, TOPIC.id), ("other-2", 2, "elsewhere")):
            r = Release(feed_id=wire.id, guid=guid, url=None, title="Examplehaven named once", text="...",
                        published_at=at(day, 10), first_seen_at=at(day, 11), updated_at=at(day, 11),
                        content_hash=guid, revision=1)
            s.add(r)
            s.flush()
            s.add(NearMissRow(release_id=r.id, topic_id=topic, score=0.45, threshold=0.5, reasons=["Examplehaven: body"]))
    day, week = build(store, 2), build(store, 2, "week")
    assert (day.near_misses, week.near_misses) == (1, 2)  # another topic's near miss is not counted
    assert render(day).endswith("\n\n1 release came within 0.1 of this topic's threshold: "
                                "`prwatch topics near-misses --topic harbour --since 2024-07-02 --until 2024-07-02`\n")
    assert render(week).endswith("2 releases came within 0.1 of this topic's threshold: "
                                 "`prwatch topics near-misses --topic harbour --since 2024-07-01 --until 2024-07-07`\n")
    assert render(build(store, 4)).count("near-misses") == 0  # a period without any says nothing


def test_a_busy_day_summarises_only_the_stories_it_shows_in_full(db_url: str) -> None:
    from digest_sample import at, feed, release

    from digests.model import STORIES_IN_FULL

    st = open_store(db_url)
    with st.session() as s:
        wire, coast = feed(s, "Harbour Wire"), feed(s, "Coast News")
        for i in range(STORIES_IN_FULL + 10):
            r = release(s, wire, f"Harbour note {i}", f"Note {i} of Examplehaven harbour has its own opening sentence. "
                        "It goes on.", seen=at(8, 1, i))
            if i % 7 == 0:  # carried by a second wire: among the biggest stories
                release(s, coast, f"Harbour note {i} copied", f"A copy of note {i} with another lead sentence here.",
                        seen=at(8, 2, i), story=r.story_id)
    with st.transaction() as tx:
        d = build_digest(tx, TOPIC, period_for("day", date(2024, 7, 8), "Europe/Berlin"))
    st.dispose()
    full = [s for s in d.stories if s.summary]
    assert len(d.stories) == STORIES_IN_FULL + 10 and len(full) == STORIES_IN_FULL
    assert sum(bool(s.also) for s in d.stories) == 5
    assert {s.lead.title for s in d.stories if s.also} <= {s.lead.title for s in full}  # the biggest are in full
    text = render(d)
    for s in d.stories:
        assert (s.lead.title.replace("Harbour note", "Note") + " of Examplehaven harbour" in text) == bool(s.summary)
