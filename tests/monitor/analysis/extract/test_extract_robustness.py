"""Extraction is pure and total: odd input never raises, nothing is shared between calls."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.analysis.extract import extract_figures, extract_milestones

_PIECES = ["$", "US$", "1,300", "4.5", "billion", "bn", "percent", "%", "a third", "fifth visit", "in 2023",
           "on 17 May 2023", "tons", "—", "(", ")", "\n", ".", " ", "from", "to", "13", "per week", "COVID-19",
           "Ⅻ", "٣", "２０２３", "€", "₸", "ASTANA –", "signed", "will", "last year"]


def test_empty_and_blank_text():
    assert extract_figures("") == [] and extract_milestones("") == []
    assert extract_figures(" \n\n ") == [] and extract_milestones("\n") == []


def test_huge_numbers_do_not_overflow():
    figs = extract_figures("Reserves are $" + "9" * 400 + " trillion and " + "1," * 300 + "000 tons.")
    assert all(isinstance(f.value, float) for f in figs)


def test_unicode_and_other_scripts():
    text = "Товарооборот вырос на 5%. 贸易额达到 $3 billion。 Trade rose 7 per cent — in 2023 — to €4bn."
    assert [f.value for f in extract_figures(text)][:1] == [5]


def test_long_text_without_sentence_ends():
    text = "word " * 20000 + "5 tons"
    assert [f.value for f in extract_figures(text)] == [5]


def test_calls_are_independent():
    a = extract_figures("Exports grew 21%.")
    extract_figures("Imports of 3 trillion tenge were recorded.")
    assert extract_figures("Exports grew 21%.") == a


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.text(max_size=40),
       st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))))
def test_never_raises_on_random_press_like_text(pieces, noise, published):
    text = " ".join(pieces) + noise
    for f in extract_figures(text, published=published):
        assert text[f.start:f.start + len(f.text)] == f.text
    for m in extract_milestones(text, published=published):
        assert 1800 <= m.year <= 2100


def test_overflowing_number_is_dropped_not_infinite():
    assert all(abs(f.value) != float("inf") for f in extract_figures("It holds " + "9" * 400 + " tons."))


def test_published_may_be_a_datetime_or_junk():
    text = "Trade exceeded $24 billion last year. The port opened on Monday."
    when = dt.datetime(2023, 4, 20, 15, 30)
    assert extract_figures(text, published=when)[0].period == "2022"
    assert [m.date for m in extract_milestones(text, published=when)] == ["2023-04-17"]
    assert extract_figures(text, published="2023-04-20")[0].period is None  # type: ignore[arg-type]


def test_a_currency_between_two_numbers_belongs_to_one_figure() -> None:
    """'20 CNY 1.1' gave two overlapping figures ('20 CNY', 'CNY 1.1'), and reading their
    meaning raised KeyError: the whole release failed."""
    assert [f.text for f in extract_figures("20 CNY 1.1")] == ["20 CNY"]
    assert [f.text for f in extract_figures("Gas 20 CNY 3, service percent, two 1.1 Xi China.")][:1] == ["20 CNY"]
