"""Bare counts, spans of years and names with numbers (sentences written for these tests)."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def figs(text: str):
    return [(f.kind, f.value, f.unit) for f in extract_figures(text)]


def test_part_out_of_whole():
    assert figs("He said 12 out of 17 regions have signed deals.") == [("count", 12, None), ("count", 17, None)]


def test_number_of_things_stated_as_a_bare_number():
    assert figs("This brings the total number of partner ports to 40, the minister said.") == [("count", 40, None)]
    assert figs("The highest number of trucks cleared in a day was 31.") == [("count", 31, None)]
    assert figs("The number of exchange students has exceeded 2,000 this year.") == [("count", 2000, None)]
    assert figs("A record number of visitors came last year – 4.2 million – the office said.") == [
        ("count", 4.2e6, None)]


def test_bare_number_without_number_of_is_not_a_count():
    assert figs("The score was 31 at half time.") == []


def test_count_restated_in_parentheses():
    assert figs("Some 300,000 tourists came, 20% more than in 2022 (250,000).") == [
        ("count", 300000, None), ("percent", 20, "%"), ("count", 250000, None)]


def test_parenthesised_number_without_a_count_before_it():
    assert ("count", 2000, None) not in figs("The index closed (2,000) lower.")


def test_model_number_after_a_brand_is_not_a_count():
    assert figs("The route is flown with Airbus 320 aircraft.") == []
    assert figs("The carrier bought 20 aircraft.") == [("count", 20, None)]
    assert figs("The fair opened and in Almaty 15 companies took part.") == [("count", 15, None)]


def test_ordinal_year_in_a_row_counts_the_times():
    assert figs("For the third year in a row, exports have risen.") == [("count", 3, None)]
    assert figs("It was the fifth consecutive year of growth.") == [("count", 5, None)]


def test_hyphenated_years_before_a_noun_is_a_term():
    assert figs("The plant has a 25-year service life.") == [("quantity", 25, "years")]
    assert figs("They marked a 30-year partnership.") == [("count", 30, "years")]


def test_next_years_is_an_interval():
    assert figs("Output will double in the next five years.") == [("quantity", 2, "times"), ("quantity", 5, "years")]


def test_first_years_of_operation_is_a_period_not_a_figure():
    assert figs("Losses were high in the first three years of operation.") == []


def test_age_of_a_state_is_not_a_count():
    assert figs("The republic has been independent for 33 years.") == []
