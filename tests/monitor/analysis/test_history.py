"""A measure's history, marked: who said what for which period, who revised a number, who
disagrees with whom, copies counted once; periods in the order of the time they cover."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.analysis.history import Line, mark, period_order, span, within
from monitor.domain import FigureStatement

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
_ids = iter(range(1, 10_000))


def said(feed: str, value: float, period: str | None, day: int, *, story: int | None = None,
         origin: str | None = None, unit: str = "USD") -> FigureStatement:
    rid = next(_ids)
    return FigureStatement(release_id=rid, position=0, story_id=story or rid, feed=feed, origin=origin or feed,
                           title="t", url=None, released_at=T0 + timedelta(days=day), revision=1, kind="money",
                           value=value, unit=unit, text=f"${value:g}", subject="trade", period=period,
                           measure="trade/cn-kz", qualifier=None, sentence="s")


def by_feed_and_day(lines: list[Line]) -> dict[tuple[str, int], Line]:
    return {(ln.statement.feed, (ln.statement.released_at - T0).days): ln for ln in lines}


def test_a_dispute_shows_on_both_sides_and_a_revision_that_settles_it_ends_it() -> None:
    lines = by_feed_and_day(mark([said("A", 41, "2023", 1), said("B", 43.8, "2023", 5), said("A", 43.8, "2023", 9),
                                  said("B", 43.8, "2023", 12)]))
    a1, b5, a9, b12 = lines[("A", 1)], lines[("B", 5)], lines[("A", 9)], lines[("B", 12)]
    assert (a1.status, [o.value for o in a1.conflicts]) == ("first", [43.8])
    assert (b5.status, [o.value for o in b5.conflicts]) == ("first", [41])
    assert a9.status == "revised" and a9.revised_from is not None and a9.revised_from.value == 41
    assert a9.conflicts == () and b12.status == "repeat" and b12.conflicts == ()


def test_a_source_confirming_another_is_no_conflict() -> None:
    lines = by_feed_and_day(mark([said("A", 41, "2023", 1), said("B", 41, "2023", 2)]))
    assert lines[("B", 2)].status == "confirms" and lines[("B", 2)].conflicts == ()


def test_copies_of_a_story_are_one_statement_of_its_first_source() -> None:
    lead = said("A", 41, "2023", 1)
    copy = said("C", 41, "2023", 1, story=lead.story_id, origin="A")
    other = said("B", 40, "2023", 2)
    lines = mark([copy, lead, other])
    assert [(ln.statement.feed, ln.carriers) for ln in lines] == [("A", ("C",)), ("B", ())]
    assert [o.feed for o in lines[1].conflicts] == ["A"]  # the copy does not make a second dispute


def test_a_second_value_in_the_same_release_is_cited_not_a_revision_or_a_conflict() -> None:
    """"$43.8 billion in 2024, above the $41 billion estimate": the release states 43.8."""
    earlier = said("A", 41, "2024", 1)
    stated = said("A", 43.8, "2024", 9)
    cited = replace(stated, position=1, value=41, text="$41")
    other = said("B", 44.1, "2024", 10)
    lines = by_feed_and_day(mark([earlier, stated, cited, other]))
    marked = [ln for ln in mark([earlier, stated, cited, other]) if ln.statement.release_id == stated.release_id]
    assert [(ln.statement.value, ln.status) for ln in marked] == [(43.8, "revised"), (41, "cited")]
    assert marked[0].revised_from is not None and marked[0].revised_from.value == 41
    assert marked[1].cited_beside is not None and marked[1].cited_beside.value == 43.8
    assert marked[1].conflicts == () and [o.value for o in marked[0].conflicts] == [44.1]
    assert [o.value for o in lines[("B", 10)].conflicts] == [43.8]  # not the cited 41


def test_other_periods_units_and_undated_statements_are_not_compared() -> None:
    lines = mark([said("A", 41, "2023", 1), said("B", 43, "2022", 2), said("B", 300, "2023", 3, unit="CNY"),
                  said("B", 7, None, 4)])
    assert all(ln.conflicts == () for ln in lines)
    assert [ln.status for ln in lines] == ["first", "first", "first", ""]


def test_lines_follow_the_periods_in_time_then_the_releases() -> None:
    periods = ["target 2030", "2023", "2024-H1", "since 2015", "2023-Q4", None, "2022..2023", "2024-03", "2023"]
    lines = mark([said("A" if i % 2 else "B", i, p, i) for i, p in enumerate(periods)])
    assert [ln.statement.period for ln in lines] == ["2022..2023", "2023", "2023", "2023-Q4", "2024-H1", "2024-03",
                                                     "since 2015", "target 2030", None]


@pytest.mark.parametrize(("period", "expected"), [
    ("2023", (date(2023, 1, 1), date(2024, 1, 1))),
    ("2023-H2", (date(2023, 7, 1), date(2024, 1, 1))),
    ("2024-Q1", (date(2024, 1, 1), date(2024, 4, 1))),
    ("2024-12", (date(2024, 12, 1), date(2025, 1, 1))),
    ("2024-02-29", (date(2024, 2, 29), date(2024, 3, 1))),
    ("2022-01..2022-10", (date(2022, 1, 1), date(2022, 11, 1))),
    ("target 2030", (date(2030, 1, 1), date(2031, 1, 1))),
    ("since 2015", (date(2015, 1, 1), date.max)),
    ("target", None), (None, None), ("soon", None), ("2023-13", None), ("2024..2023", None),
])
def test_the_days_a_period_covers(period: str | None, expected: tuple[date, date] | None) -> None:
    assert span(period) == expected


def test_since_and_until_select_by_period_else_by_release_date() -> None:
    old, new, undated = said("A", 1, "2018", 1), said("A", 2, "2019", 1), said("A", 3, None, 400)  # released 2025
    assert [within(x, date(2019, 1, 1), None) for x in (old, new, undated)] == [False, True, True]
    assert [within(x, None, date(2019, 1, 1)) for x in (old, new, undated)] == [True, False, False]
    assert within(said("A", 4, "since 2015", 1), date(2020, 1, 1), date(2021, 1, 1))
    assert period_order("2023")[0] == 0 and period_order(None)[0] == 3


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from([1.0, 2.0, 3.0]), st.integers(0, 6)),
                min_size=1, max_size=25))
def test_conflicts_are_every_other_value_current_at_the_same_time(statements: list[tuple[str, float, int]]) -> None:
    """The rule, checked against every pair: two sources conflict when their values for the
    period differ while both are current (from its release until its source's next one)."""
    group = [said(feed, value, "2023", day) for feed, value, day in statements]
    lines = mark(group)
    ordered = sorted(group, key=lambda s: (s.released_at, s.release_id))
    until = {}
    for i, a in enumerate(ordered):
        later = [b.released_at for b in ordered[i + 1:] if b.origin == a.origin]
        until[a.release_id] = later[0] if later else None

    def current_together(a: FigureStatement, b: FigureStatement) -> bool:
        return ((until[b.release_id] is None or a.released_at < until[b.release_id])
                and (until[a.release_id] is None or b.released_at < until[a.release_id]))
    for ln in lines:
        a = ln.statement
        expected = {(b.origin, b.value) for b in group
                    if b.origin != a.origin and b.value != a.value and current_together(a, b)}
        assert {(o.feed, o.value) for o in ln.conflicts} == expected
