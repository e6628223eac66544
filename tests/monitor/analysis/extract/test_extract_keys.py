"""figure_key: the same measure across releases, whatever the wording."""

from __future__ import annotations

from dataclasses import replace

from monitor.analysis.extract import extract_figures, figure_key
from monitor.analysis.extract.keys import normalise_period, normalise_subject
from monitor.domain import Figure


def fig(**kw) -> Figure:
    base = dict(kind="money", value=41e9, unit="USD", text="$41 billion", sentence="s", subject="two-way trade",
                period="2023")
    base.update(kw)
    return Figure(**base)


def test_same_measure_same_key_whatever_the_value():
    assert figure_key(fig(value=41e9)) == figure_key(fig(value=42e9, text="$42 billion"))


def test_subject_wording_is_normalised():
    assert figure_key(fig(subject="The two-way trade")) == figure_key(fig(subject="two-way Trade"))
    assert normalise_subject("the volume of exports") == normalise_subject("Exports")


def test_trade_turnover_and_trade_are_one_subject():
    assert normalise_subject("mutual trade turnover") == normalise_subject("bilateral trade")


def test_period_spelling_is_normalised():
    assert normalise_period("Jan–Apr 2024") == normalise_period("January-April 2024")


def test_different_period_or_currency_or_kind_is_a_different_key():
    assert figure_key(fig(period="2022")) != figure_key(fig(period="2023"))
    assert figure_key(fig(unit="CNY")) != figure_key(fig(unit="USD"))
    assert figure_key(fig(kind="percent", unit="%")) != figure_key(fig())


def test_units_of_one_dimension_share_a_family():
    a = fig(kind="quantity", unit="tons", subject="grain exports")
    assert figure_key(a) == figure_key(replace(a, value=3.0))
    assert figure_key(replace(a, unit="km"))[1] != figure_key(a)[1]


def test_key_is_deterministic_on_extracted_figures():
    text = "Two-way trade reached $41 billion in 2023."
    assert figure_key(extract_figures(text)[0]) == figure_key(extract_figures(text)[0])
    assert figure_key(extract_figures(text)[0]) == ("money", "money:USD", "bilateral trade", "2023")


def test_two_named_parties_are_bilateral():
    a = normalise_subject("Trade between Kazakhstan and China")
    assert a == normalise_subject("Kazakhstan-China trade") == normalise_subject("bilateral trade")
    assert a == normalise_subject("trade turnover between the two countries")


def test_same_measure_in_two_wordings_gets_one_key():
    a = extract_figures("Bilateral trade reached $41 billion in 2023.")[0]
    b = extract_figures("Trade between Kazakhstan and China amounted to $41.2 billion in 2023.")[0]
    assert figure_key(a) == figure_key(b)
