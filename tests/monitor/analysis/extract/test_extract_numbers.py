"""Number normalisation: digits, words, scale words, ordinals, fractions."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from monitor.analysis.extract import extract_figures
from monitor.analysis.extract.numbers import (
    by_first_letter,
    fraction_percent,
    parse_digits,
    parse_number,
    parse_ordinal,
    parse_words,
    scale_value,
)

_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def spell(n: int) -> str:
    """English words for 0..999, the way press releases write them."""
    if n < 20:
        return _WORDS[n]
    if n < 100:
        t, u = divmod(n, 10)
        return _TENS[t] + (f"-{_WORDS[u]}" if u else "")
    h, rest = divmod(n, 100)
    return f"{_WORDS[h]} hundred" + (f" and {spell(rest)}" if rest else "")


def test_thousands_separators_are_removed():
    assert parse_digits("1,300") == 1300
    assert parse_digits("24,000") == 24000
    assert parse_digits("1,234,567.5") == 1234567.5


def test_scale_words_and_abbreviations_multiply():
    assert parse_number("41 billion") == 41e9
    assert parse_number("19.8bn") == 19.8e9
    assert parse_number("30 bln") == 30e9
    assert parse_number("2.3 mln") == 2.3e6
    assert parse_number("5 tn") == 5e12
    assert scale_value("million") == 1e6
    assert scale_value(None) == 1


def test_numbers_in_words():
    assert parse_words("five") == 5
    assert parse_words("twenty-five") == 25
    assert parse_words("two hundred and fifty") == 250
    assert parse_words("two billion") == 2e9
    assert parse_words("Seven") == 7


def test_not_a_number_is_none():
    assert parse_words("several") is None
    assert parse_digits("12a") is None
    assert parse_number("") is None


def test_ordinals_in_digits_and_words():
    assert parse_ordinal("fifth") == 5
    assert parse_ordinal("30th") == 30
    assert parse_ordinal("twenty-first") == 21
    assert parse_ordinal("6,000th") == 6000
    assert parse_ordinal("second") == 2


def test_fractions_in_words_become_percent():
    assert fraction_percent("a", "third") == 33.33
    assert fraction_percent("one", "half") == 50
    assert fraction_percent("two", "thirds") == 66.67
    assert fraction_percent("three", "quarters") == 75


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_with_separators_round_trip(n):
    assert parse_digits(f"{n:,}") == n
    assert parse_digits(str(n)) == n


@given(st.integers(min_value=0, max_value=999))
def test_spelled_numbers_round_trip(n):
    assert parse_words(spell(n)) == n


@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million", "billion", "trillion"]))
def test_scale_word_multiplies_the_spelled_number(n, scale):
    assert parse_words(f"{spell(n)} {scale}") == n * scale_value(scale)


@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["million", "billion", "mln", "bn"]))
def test_decimal_with_scale_is_exact_enough(d, scale):
    got = parse_number(f"{d} {scale}")
    assert got is not None
    assert abs(got - float(d) * scale_value(scale)) <= 1e-6 * max(1.0, float(d) * scale_value(scale))


# ---------------------------------------------------------------- alternations grouped by first letter

_FRAGMENTS = ["sign(?:ed|s)?", "open(?:ed)?", "(?:came|come) into force", "signing ceremony", "(?<=[a-z] )[A-Z]\\w+ Year",
              "summit", "Summit", "start\\w*", "set up"]


@given(st.lists(st.sampled_from(["signed", "signing ceremony", "opened", "came into force", "come", "the", "Year",
                                 "Tourism", "summit", "Summit", "started", "set up", "set", ",", "x"]), max_size=12))
def test_grouped_alternation_finds_what_the_plain_one_finds(words: list[str]) -> None:
    text = " ".join(words)
    plain = re.compile(r"\b(?:" + "|".join(_FRAGMENTS) + r")\b")
    grouped = re.compile(r"\b(?:" + by_first_letter(_FRAGMENTS) + r")\b")
    assert [(m.span(), m.group(0)) for m in grouped.finditer(text)] == \
        [(m.span(), m.group(0)) for m in plain.finditer(text)]


def test_grouped_alternation_shares_the_first_letter() -> None:
    assert by_first_letter(["signed", "start", "opened"]) == "s(?:igned|tart)|o(?:pened)"


@given(st.lists(st.sampled_from(["Will", "will", "WILL", "would", "plans to", "Plans  to", "next", "x", ","]), max_size=10))
def test_grouped_alternation_ignoring_case_keeps_the_order_across_cases(words: list[str]) -> None:
    fragments = ["Will", "would", r"plans?\s+to", "will be", "next"]
    text = " ".join(words)
    plain = re.compile(r"\b(?:" + "|".join(fragments) + r")\b", re.I)
    grouped = re.compile(r"\b(?:" + by_first_letter(fragments, ignore_case=True) + r")\b", re.I)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_n_years_or_months_ago_is_when_not_a_figure_unless_a_relationship_s_age() -> None:
    assert [f.text for f in extract_figures("Five years ago, we exported almost nothing to China.")] == []
    assert [f.text for f in extract_figures("Three months ago the route opened.")] == []
    assert [f.text for f in extract_figures("Ties have grown since diplomatic relations were established 31 years "
                                            "ago.")] == ["31 years"]
    assert [f.text for f in extract_figures("Trade grew for five years before the pandemic.")] == ["five years"]


def test_a_multiplier_before_its_base_is_the_growth_of_the_figure_before() -> None:
    (level, times) = extract_figures("Imports reached 8,600 tonnes, nearly triple the amount a year earlier.")
    assert (times.text, times.value, times.unit, times.subject) == ("triple", 3.0, "times", "growth of Imports")
    assert [f.text for f in extract_figures("The double taxation treaty was signed.")] == []
