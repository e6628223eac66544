"""Qualifier, direction, span and offset of a figure; the old subject and period cases, now in
the evaluation's format (subjects: test_extract_subjects.py, periods: test_extract_periods.py)."""

from __future__ import annotations

import datetime as dt

from monitor.analysis.extract import extract_figures


def first(text: str, **kw):
    return extract_figures(text, **kw)[0]


def test_subject_is_the_noun_before_the_verb():
    assert first("Two-way trade reached $41 billion in 2023.").subject == "Two-way trade"


def test_a_change_after_according_to_is_the_growth_of_its_subject():
    f = first("According to the agency, rail freight grew 9% in March.")
    assert f.subject == "growth of rail freight"


def test_subject_from_of_phrase_with_its_flow():
    assert first("The pipeline carried 61 million tons of crude oil.").subject == "crude oil carried by pipeline"


def test_subject_of_an_estimate_put_or_pegged_at_a_value():
    from monitor.analysis.extract import figure_key

    revised = first("New port statistics put container traffic through Aktau at 95,000 TEU in 2024.")
    assert revised.subject == "container traffic through Aktau"
    earlier = first("Container traffic through Aktau reached 90,000 TEU in 2024.")
    assert figure_key(revised) == figure_key(earlier)  # a later release revising the figure
    assert revised.measure == earlier.measure


def test_subject_from_the_object_of_a_target():
    assert first("The country aims to increase trade to $35 billion by 2030.").subject == "trade"


def test_period_year_after_the_figure():
    assert first("Exports reached $13.2 billion in 2022.").period == "2022"


def test_period_month_range_with_year():
    f = first("In January-April 2024, freight totalled 10.1 million tons.")
    assert f.period == "2024-01..2024-04"


def test_period_quarter_and_half():
    assert first("Revenue was $134.6 million in the fourth quarter of 2013.").period == "2013-Q4"
    assert first("Sales grew 5% in the first half of 2024.").period == "2024-H1"


def test_period_last_year_resolves_against_publication_date():
    f = first("Trade exceeded $24 billion last year.", published=dt.date(2023, 4, 20))
    assert f.period == "2022"


def test_each_figure_gets_its_own_period():
    figs = extract_figures("Revenue was $526.9 million in 2013, compared to $505.3 million in 2012.")
    assert [f.period for f in figs] == ["2013", "2012"]
    assert figs[0].measure == figs[1].measure  # the comparison states the same measure


def test_comparison_basis_is_not_the_period():
    f = first("Volume rose 14% in May 2024 compared to the same period of the previous year.")
    assert f.period == "2024-05"
    assert f.basis is not None


def test_text_is_the_exact_span_and_start_is_its_offset():
    text = "Intro line.\nImports increased by nearly 33.5 percent to $11 billion."
    for f in extract_figures(text):
        assert text[f.start:f.start + len(f.text)] == f.text
        assert f.sentence in text


def test_sentence_is_the_whole_sentence():
    text = "First sentence here. Exports grew 21% to 4.5 million tons. Last one."
    assert {f.sentence for f in extract_figures(text)} == {"Exports grew 21% to 4.5 million tons."}


def test_figure_mentioned_twice_is_listed_twice():
    figs = extract_figures('Trade reached almost $30 bln. "It has reached almost $30 bln," he said.')
    assert [f.value for f in figs] == [30e9, 30e9]


def test_to_json_has_the_scorer_fields():
    d = first("Exports grew 21%.").to_json()
    assert {"kind", "value", "unit", "text", "sentence", "subject", "period", "measure"} <= set(d)


def test_subject_drops_a_trailing_period_phrase():
    assert first("Bilateral trade in January-June 2024 amounted to $20.4 bln.").subject == "Bilateral trade"


def test_subject_after_said_that():
    assert first("The minister said that bilateral trade reached $41 billion.").subject == "bilateral trade"


def test_subject_after_a_leading_period_phrase():
    figs = extract_figures("In January-February 2024, mutual trade amounted to $6.2 billion, up 18.5 percent.")
    assert [f.subject for f in figs] == ["mutual trade", "growth of mutual trade"]
    assert [f.period for f in figs] == ["2024-01..2024-02"] * 2


def test_period_for_a_span_of_years():
    assert first("The roadmap for 2024-2026 includes 30 projects.").period == "2024..2026"


def test_the_dateline_year_is_not_a_period():
    assert first("ASTANA, July 12, 2025 -- The partners signed deals worth $2.1 billion.").period is None


def test_subject_of_an_amount_after_worth():
    figs = extract_figures("The sides signed 16 commercial agreements worth $2.1 billion.")
    assert figs[1].subject == "value of commercial agreements signed"
