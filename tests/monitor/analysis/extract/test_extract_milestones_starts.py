"""Milestones: start dates ('from', 'since'), passive events, shared events, assessments
(sentences written for these tests)."""

from __future__ import annotations

from monitor.analysis.extract import extract_milestones


def dates(text: str):
    return [(m.year, m.date, m.status) for m in extract_milestones(text)]


def test_from_a_full_date_starts_a_planned_change():
    assert dates("From March 3, 2025, the carrier will add a fourth weekly flight to Xi'an.") == [
        (2025, "2025-03-03", "announced")]


def test_from_a_month_with_a_future_verb():
    assert dates("Starting from June 2026, freight trains will run daily between the two hubs.") == [
        (2026, "2026-06", "announced")]


def test_since_a_full_date_a_regime_in_effect():
    assert dates("Since 1 July 2022, a simplified customs regime has applied at the crossing.") == [
        (2022, "2022-07-01", "happened")]


def test_since_a_month_with_a_figure_is_a_cumulative_statistic():
    assert dates("Since January 2021, the terminal has handled 52,000 containers.") == []


def test_from_a_month_range_is_a_statistic_period():
    assert dates("Passengers numbered 4.1 million from January through June 2023.") == []


def test_from_a_full_date_to_another_is_a_period():
    assert dates("From 1 January 2024 to 31 March 2024, exports will be reported weekly.") == []


def test_since_the_beginning_of_a_year_is_a_period():
    assert dates("Since the beginning of 2024, exports of wheat have grown by 15 percent.") == []
    assert dates("From the start of 2022, imports rose sharply.") == []


def test_passive_event_verb():
    assert dates("The two power grids were linked in May 2015.") == [(2015, "2015-05", "happened")]


def test_passive_statistic_verb_is_not_an_event():
    assert dates("Record harvests were registered in 2019.") == []
    assert dates("Some 3.2 million tons were exported in 2023.") == []


def test_second_date_sharing_the_event():
    ms = dates("The first unit was commissioned in 2011, and a second one in 2013.")
    assert [m[0] for m in ms] == [2011, 2013]


def test_year_called_a_landmark_is_an_assessment():
    assert dates("Officials said 2023 became a record year for tourism.") == []
    assert dates("The office became operational in 2021.") == [(2021, "2021", "happened")]
