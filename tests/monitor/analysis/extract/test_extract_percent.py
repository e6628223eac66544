"""Percentages, percentage points, basis points, fractions in words, direction and basis."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def percents(text: str):
    return [f for f in extract_figures(text) if f.kind == "percent"]


def one(text: str):
    found = percents(text)
    assert len(found) == 1, found
    return found[0]


def test_percent_sign_percent_and_per_cent():
    assert one("Exports grew 14% in the period.").value == 14
    assert one("Imports rose 33.5 percent.").value == 33.5
    assert one("Unemployment stood at 4.8 per cent.").value == 4.8


def test_percentage_points_are_not_percent():
    f = one("The share of rail fell 1.5 percentage points.")
    assert (f.value, f.unit) == (1.5, "pp")


def test_basis_points_have_their_own_unit():
    assert one("The bank cut its rate by 25 basis points.").unit == "bp"


def test_up_year_on_year_gives_direction_and_basis():
    f = one("Bilateral trade reached a record, up 32 percent year-on-year.")
    assert (f.direction, f.basis) == ("up", "year-on-year")


def test_a_decrease_is_unsigned_with_direction_down():
    f = one("Shipments dropped 7% from a year earlier.")
    assert (f.value, f.direction) == (7, "down")


def test_a_third_is_33_33_percent():
    f = one("Exports to China jumped by more than a third.")
    assert (f.value, f.text, f.qualifier) == (33.33, "a third", "more than")


def test_one_third_and_two_thirds_and_a_half():
    assert one("The bloc accounts for one third of foreign trade.").value == 33.33
    assert one("Roughly two-thirds of the grain goes by rail.").value == 66.67
    assert one("That is about a half, or most, of all investment.").value == 50


def test_ordinal_third_is_not_a_fraction():
    assert percents("The talks are not aimed at a third country.") == []
    assert percents("A third railway crossing will open soon.") == []


def test_first_half_of_the_year_is_a_period_not_fifty_percent():
    assert percents("In the first half of the year, output rose.") == []
    assert percents("Sales grew in the second half of 2023.") == []


def test_on_behalf_of_is_not_half():
    assert percents("He spoke on behalf of the government.") == []


def test_percent_range_keeps_both_bounds():
    f = one("Between 10 and 15 percent of the cargo goes by sea.")
    assert (f.value, f.value_high) == (10, 15)


def test_percent_range_written_with_two_signs():
    f = one("Costs should fall by 50%-60% next year.")
    assert (f.value, f.value_high, f.text) == (50, 60, "50%-60%")


def test_from_x_percent_to_y_percent_is_two_figures():
    assert [f.value for f in percents("The share rose from 10% to 15%.")] == [10, 15]


def test_a_third_more():
    assert one("The embassy issued 45,000 visas, a third more than a year before.").value == 33.33


def test_hyphenated_percent_and_points():
    assert one("It was a 10-percent increase.").value == 10
    assert one("A 2-percentage-point gain was recorded.").unit == "pp"


def test_a_change_in_points_then_the_level_are_two_figures():
    figures = extract_figures("Gross margin improved by 1.8 percentage points to 21.4%.")
    assert [(f.text, f.subject) for f in figures] == [
        ("1.8 percentage points", "growth of Gross margin"), ("21.4%", "Gross margin")]
    assert figures[0].direction == "up"
    assert [(f.value, f.value_high) for f in extract_figures("Prices rose by 5% to 10%.")] == [(5, 10)]
