"""Novelty on measures and the Highlights, on the trade releases of measures_sample.py, on
SQLite and PostgreSQL: one measure's history, one conflict, one change, the target apart,
and Highlights that name them. The whole digest is also a golden file
(PRWATCH_UPDATE_GOLDEN=1 accepts an intended change)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from digest_markdown import parse
from measures_sample import GROWTH, MEASURES, TOPIC, TRADE, fill
from test_digest_build import check_golden

from digests.build import build_digest
from digests.model import Digest
from digests.periods import period_for
from digests.render import render
from storage.sql.engine import SqlStore as Store
from storage.sql.engine import open_store


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    st = open_store(db_url)
    with st.session() as s:
        fill(s)
    yield st
    st.dispose()


def build(store: Store, day: date = date(2025, 1, 20), kind: str = "day") -> Digest:
    with store.transaction() as tx:
        return build_digest(tx, TOPIC, period_for(kind, day, "UTC"), measures=MEASURES)


def rows(d: Digest) -> dict[tuple[str, str | None], object]:
    return {(f.measure_key.split("|")[2], f.period): f for f in d.figures}


def test_a_new_period_is_read_against_the_previous_one(store: Store) -> None:
    d = build(store)
    trade_2024 = rows(d)[(f"m:{TRADE}", "2024")]
    assert trade_2024.status == "conflict"  # the Chinese figure differs: see below
    assert trade_2024.previous is not None
    # against the source's own 2023 total as revised today, not its first statement of it
    assert (trade_2024.previous.period, trade_2024.previous.value) == ("2023", 41.2e9)
    assert trade_2024.label == "China–Kazakhstan trade" and trade_2024.rank == 0


def test_another_source_for_the_same_measure_and_period_is_a_conflict_side_by_side(store: Store) -> None:
    trade_2024 = rows(build(store))[(f"m:{TRADE}", "2024")]
    assert (trade_2024.source.feed, trade_2024.value) == ("Astana Wire", 43.8e9)
    assert [(o.source.feed, o.value) for o in trade_2024.others] == [("Beijing Wire", 44.1e9)]
    # the syndicated copy speaks for its story's wire: it is no third source
    assert trade_2024.carriers == 1 and all(o.source.feed != "Caspian Daily" for o in trade_2024.others)


def test_a_revision_by_the_same_source_is_a_change(store: Store) -> None:
    trade_2023 = rows(build(store))[(f"m:{TRADE}", "2023")]
    assert trade_2023.status == "changed"
    assert trade_2023.earlier is not None
    assert (trade_2023.earlier.value, trade_2023.earlier.source.feed) == (41.0e9, "Astana Wire")


def test_a_target_is_compared_only_with_targets_and_kept_out_of_the_history(store: Store) -> None:
    d = build(store)
    target = rows(d)[(f"m:{TRADE}", "target 2030")]
    assert target.status == "new" and target.previous is None and target.earlier is None
    (history,) = d.series
    assert [p.period for p in history.points] == ["2019", "2020", "2021", "2022", "2023", "2024"]
    assert 80e9 not in [p.value for p in history.points]  # never the target
    assert 6.3 not in [p.value for p in history.points]  # never another measure (the growth rate)
    assert [p.disputed for p in history.points][-1] is True


def test_the_growth_rate_is_a_measure_of_its_own(store: Store) -> None:
    growth = rows(build(store))[(f"m:{GROWTH}", "2024")]
    assert growth.status == "new" and growth.unit == "%"
    assert growth.label == "China–Kazakhstan trade, growth" and growth.rank == 0


def test_key_measures_first_minor_figures_grouped_below(store: Store) -> None:
    d = build(store)
    ranks = [f.rank for f in d.figures]
    assert ranks == sorted(ranks) and ranks[0] == 0
    minor = [f for f in d.figures if f.rank == 3]
    assert [f.text for f in minor] == ["300"]
    text = render(d)
    table, history = parse(text).tables()
    assert "300" not in [row[3] for row in table]  # the count of business people is below the table
    assert text.index("### Minor figures") > text.index("| Status |")


def test_highlights_name_the_move_the_conflict_the_change_and_the_milestone(store: Store) -> None:
    d = build(store)
    kinds = [(h.kind, h.figure.period if h.figure else None) for h in d.highlights]
    assert len(d.highlights) <= 7
    assert ("changed", "2023") in kinds and ("conflict", "2024") in kinds and ("milestone", None) in kinds
    text = render(d)
    md = parse(text)
    assert md.headings(2)[0] == "Highlights"
    lines = text.split("## Highlights\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert len(lines) == len(d.highlights)
    assert any("China–Kazakhstan trade 2023" in x and "revised by Astana Wire" in x and "41.2 billion USD" in x
               and "was 41 billion USD" in x for x in lines)
    assert any("Sources differ on **China–Kazakhstan trade 2024**" in x and "43.8 billion USD" in x
               and "44.1 billion USD" in x for x in lines)
    assert any("2026" in x and "border crossing" in x for x in lines)
    check_golden("2025-01-20-cn-kz.md", text)


def test_without_a_vocabulary_figures_fall_back_to_their_subjects(store: Store) -> None:
    with store.transaction() as tx:
        d = build_digest(tx, TOPIC, period_for("day", date(2025, 1, 20), "UTC"), measures=())
    trade_2024 = rows(d)[(f"m:{TRADE}", "2024")]
    assert trade_2024.label == "two-way trade" and trade_2024.rank == 2  # its subject, a dated figure
    assert trade_2024.status == "conflict"  # the measure key still decides what is the same measure


def test_the_next_day_calls_nothing_of_the_day_before_new(store: Store) -> None:
    d = build(store, date(2025, 1, 21))
    assert d.figures == () and d.highlights == ()
