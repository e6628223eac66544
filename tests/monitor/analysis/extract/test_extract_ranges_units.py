"""Ranges, compound durations, more units and number spellings (sentences written for these tests)."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def figs(text: str):
    return [(f.kind, f.value, f.unit, f.text) for f in extract_figures(text)]


def test_area_in_square_metres():
    assert figs("The new warehouse covers 48,500 square metres.") == [("quantity", 48500, "m2", "48,500 square metres")]
    assert figs("A hall of 900 sq m opened.") == [("quantity", 900, "m2", "900 sq m")]


def test_passenger_and_freight_turnover_units_are_not_money():
    assert figs("Passenger turnover rose to 4.2 billion passenger-km last year.")[0][:3] == ("quantity", 4.2e9, "p-km")
    assert figs("Rail freight turnover was 310 billion tonne-km.")[0][:3] == ("quantity", 310e9, "t-km")


def test_gauge_in_millimetres():
    assert figs("The line uses a 1,067 mm track.") == [("quantity", 1067, "mm", "1,067 mm")]


def test_currency_code_after_of_with_a_scale_word():
    assert figs("About four billion of KZT went to roads.") == [("money", 4e9, "KZT", "four billion of KZT")]
    assert figs("The plant cost 12 million of euros.") == [("money", 12e6, "EUR", "12 million of euros")]


def test_space_as_thousands_separator_only_before_a_unit():
    assert figs("The depot will handle 41 250 TEU a year.") == [("quantity", 41250, "TEU", "41 250 TEU a year")]
    assert figs("The fund holds 2 300 000 tenge.") == [("money", 2.3e6, "KZT", "2 300 000 tenge")]


def test_and_a_half_in_words():
    assert figs("Exports grew three-and-a-half times.") == [("quantity", 3.5, "times", "three-and-a-half times")]
    assert figs("The flight lasts two and a half hours.") == [("quantity", 2.5, "hours", "two and a half hours")]


def test_compound_duration_is_one_figure_in_the_smaller_unit():
    assert figs("Clearance took 2 hours and 15 minutes.") == [("quantity", 135, "minutes", "2 hours and 15 minutes")]
    assert figs("The voyage lasted 3 days 6 hours.") == [("quantity", 78, "hours", "3 days 6 hours")]


def test_compound_duration_not_across_a_new_clause():
    assert figs("It took 3 hours, and 20 trucks left.") == [
        ("quantity", 3, "hours", "3 hours"), ("count", 20, None, "20 trucks")]


def test_range_in_words_keeps_the_lower_bound():
    assert figs("Goods reach the port in six to eight days.") == [("quantity", 6, "days", "six to eight days")]


def test_dash_range_after_from_is_still_a_range():
    assert figs("Transit will fall from 30-40 days to 12-14 days.") == [
        ("quantity", 30, "days", "30-40 days"), ("quantity", 12, "days", "12-14 days")]


def test_ranging_from_is_a_range_not_a_change():
    assert figs("Buses ranging from 40 to 60 seats are used.") == [("count", 40, None, "40 to 60 seats")]


def test_change_from_to_still_gives_two_counts():
    assert [f[1] for f in figs("Departures will grow from 8 to 11 flights per week.")] == [8, 11]


def test_range_of_counts():
    assert figs("Some 20-25 firms took part.") == [("count", 20, None, "20-25 firms")]
    assert figs("Between 3 and 4 million visitors came.") == [("count", 3e6, None, "3 and 4 million visitors")]
    assert figs("They built seven to nine schools.") == [("count", 7, None, "seven to nine schools")]


def test_from_n_to_m_million_scales_both_numbers():
    assert [v for _k, v, _u, _t in figs("Exports rose from 10 to 15 million tons.")] == [10e6, 15e6]
    assert [v for _k, v, _u, _t in figs("The price rose from 1.5 to 2 million tenge.")] == [1.5e6, 2e6]
    assert [v for _k, v, _u, _t in figs("Capacity will grow from 15 billion to 25 billion cubic meters.")] == [15e9, 25e9]
