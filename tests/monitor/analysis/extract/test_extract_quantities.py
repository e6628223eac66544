"""Quantities: physical and time measures with units, multipliers and durations."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def quantities(text: str):
    return [(f.value, f.unit) for f in extract_figures(text) if f.kind == "quantity"]


def test_million_tons():
    assert quantities("Rail freight reached 10.1 million tons.") == [(10.1e6, "tons")]


def test_metric_tons_written_mt():
    assert quantities("The pipeline shipped 1.23 million mt of crude.") == [(1.23e6, "tons")]
    assert quantities("Capacity is 12 million mt/year.") == [(12e6, "tons")]


def test_megatonnes_written_Mt():
    assert quantities("The port moved 1.5 Mt of grain.") == [(1.5e6, "tons")]


def test_kilometres_and_miles_side_by_side():
    assert quantities("The 7,000 kilometer (4,350 miles) pipeline") == [(7000, "km"), (4350, "miles")]


def test_bcm_is_billion_cubic_metres():
    assert quantities("Deliveries will reach 40 bcm a year.") == [(40e9, "m3")]
    assert quantities("Shipments of 4.5 billion cubic metres are planned.") == [(4.5e9, "m3")]


def test_power_and_energy_units():
    assert quantities("A 100-megawatt wind farm was built.") == [(100, "MW")]
    assert quantities("The station will have one gigawatt (GW) of capacity.") == [(1, "GW")]
    assert quantities("It will produce 319 GWh per year.") == [(319, "GWh")]


def test_teu_and_hectares():
    assert quantities("The terminal handled 1.2 million TEU.") == [(1.2e6, "TEU")]
    assert quantities("The park covers 5,000 hectares.") == [(5000, "hectares")]


def test_a_stay_is_a_quantity_in_days():
    assert quantities("Visitors may stay up to 30 calendar days.") == [(30, "days")]


def test_an_interval_in_years_is_a_quantity():
    assert quantities("Relations reach a new stage every ten years.") == [(10, "years")]


def test_a_term_in_years_is_a_quantity():
    assert quantities("The lease runs for 25 years.") == [(25, "years")]


def test_journey_time_in_hours():
    assert quantities("The trip now takes 8 hours.") == [(8, "hours")]


def test_multipliers():
    assert quantities("Trade grew 180-fold since then.") == [(180, "times")]
    assert quantities("Exports will increase by 2.5 times.") == [(2.5, "times")]
    assert quantities("Turnover rose more than 60 times.") == [(60, "times")]
    assert quantities("Freight volumes doubled in two years.") == [(2, "times")]
    assert quantities("They plan to triple exports.") == [(3, "times")]


def test_double_as_an_adjective_is_not_a_multiplier():
    assert quantities("The treaty avoids double taxation.") == []


def test_year_like_number_with_a_unit_is_a_quantity():
    assert quantities("The farm yields 2000 tons of wheat.") == [(2000, "tons")]


def test_first_nine_months_is_a_period_not_a_quantity():
    assert quantities("In the first nine months of 2024, freight rose.") == []
    assert quantities("Over the past 6 months, exports grew.") == []


def test_fold_written_as_one_word():
    assert quantities("Cargo volumes grew threefold.") == [(3, "times")]


def test_pounds_alone_are_a_weight():
    assert quantities("The plant processes 1.2 million pounds of milk a day.") == [(1.2e6, "pounds")]
