"""Money: every amount, in base units, with an ISO currency code."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def money(text: str):
    return [f for f in extract_figures(text) if f.kind == "money"]


def one(text: str):
    found = money(text)
    assert len(found) == 1, found
    return found[0]


def test_dollar_billions_are_normalised_to_base_units():
    f = one("Two-way trade reached $41 billion last year.")
    assert (f.value, f.unit, f.text) == (41e9, "USD", "$41 billion")


def test_currency_code_glued_to_the_number_is_read_whole():
    f = one("The loan of USD34.6 million was approved.")
    assert (f.value, f.unit, f.text) == (34.6e6, "USD", "USD34.6 million")


def test_us_dollar_prefix_and_suffix_forms():
    assert one("Investment topped US$160 billion.").value == 160e9
    f = one("The plant cost 150 million U.S. dollars to build.")
    assert (f.value, f.unit) == (150e6, "USD")
    assert one("Turnover exceeded 70 billion US dollars.").unit == "USD"


def test_yuan_tenge_euro_rouble_and_som():
    assert (one("The fund holds 3 billion yuan.").unit) == "CNY"
    assert one("Spending rose to RMB 3.5 billion.").value == 3.5e9
    assert (one("A grant of 500 million tenge was announced.").unit) == "KZT"
    assert one("Costs were KZT 2 trillion.").value == 2e12
    assert one("The contract is worth €12.5m.").value == 12.5e6
    assert one("The deal is valued at 4 billion roubles.").unit == "RUB"
    assert one("The budget is 1.2 billion soms.").unit == "KGS"


def test_abbreviated_scales():
    assert one("Trade hit $19.8bn.").value == 19.8e9
    assert one("Turnover reached almost $30 bln.").value == 30e9
    assert one("Sales were $300 mln.").value == 300e6


def test_money_in_words():
    f = one("The bank lent two billion dollars to the project.")
    assert (f.value, f.unit) == (2e9, "USD")


def test_range_keeps_lower_bound_and_upper_bound():
    f = one("The terminal will cost $1-2 billion.")
    assert (f.value, f.value_high, f.text) == (1e9, 2e9, "$1-2 billion")


def test_accounting_parentheses_make_a_negative_amount():
    f = one("Diluted earnings were $(0.07) per share.")
    assert (f.value, f.text) == (-0.07, "$(0.07)")


def test_cents_are_kept():
    assert one("Earnings per share came to $0.45.").value == 0.45


def test_approximator_is_a_qualifier_not_part_of_the_text():
    f = one("The partners invested more than $5 billion.")
    assert (f.text, f.qualifier) == ("$5 billion", "more than")
    assert one("Exports were nearly $2 billion.").qualifier == "nearly"
    assert one("It costs about $3 million.").qualifier == "about"


def test_bare_millions_in_a_money_sentence_take_the_release_currency():
    found = money("Investors put $2 billion into the zone. Last year alone they invested about 600 million.")
    assert [f.value for f in found] == [2e9, 600e6]
    assert found[1].unit == "USD"


def test_bare_millions_of_things_are_not_money():
    assert money("The plant will supply 2 million households.") == []


def test_two_currencies_in_one_sentence():
    found = money("The fund will invest 2 trillion tenge (about $4.3 billion) in roads.")
    assert [(f.unit, f.value) for f in found] == [("KZT", 2e12), ("USD", 4.3e9)]


def test_a_billion_dollars():
    f = one("The fund will spend a billion dollars on roads.")
    assert (f.value, f.unit) == (1e9, "USD")


def test_qualifier_inside_parentheses():
    found = money("Costs reach 2 trillion tenge (about $4.3 billion).")
    assert [f.qualifier for f in found] == [None, "about"]


def test_a_change_by_an_amount_then_the_level_are_two_figures_not_a_range():
    figures = extract_figures("Exports rose by $2 billion to $10 billion.")
    assert [(f.text, f.subject, f.direction) for f in figures] == [
        ("$2 billion", "growth of Exports", "up"), ("$10 billion", "Exports", None)]
    assert [(f.value, f.value_high) for f in extract_figures("Prices rose by 5 to 10 percent.")] == [(5, 10)]
    assert [f.text for f in extract_figures("Investment of $2 billion to $3 billion is planned.")] == \
        ["$2 billion to $3 billion"]


def test_an_amount_of_change_has_a_direction():
    (cut,) = extract_figures("The farm will cut CO2 emissions by 2.9 million tons annually.")
    assert (cut.subject, cut.direction) == ("growth of CO2 emissions", "down")
