"""Regex helpers of the extractor: a search tried only where its words start finds exactly what
a plain search finds."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from monitor.analysis.extract.lazyre import lazy, may_hold, search_at_words

_PATTERN = lazy(r"\b(?:open\w*|since|signed)\b[^.;]{0,20}?\b(?P<y>20\d\d)\b", re.I)
_WORDS = ("open", "since", "signed")


@pytest.mark.parametrize("text", [
    "The line opened in 2019.",
    "SIGNED IN 2021 and opened in 2022",
    "Unsigned in 2020; since then, in 2021",
    "reopened in 2018, then opened in 2019",  # a word inside another is no start
    "The plant, open since March 2024, works.",
    "Nothing dated here.",
    "Signed at the summit (the 2023 one).",
    "",
    "\u017fince 2020 the \u212aazakh side signed in 2021",  # letters that match ASCII ones ignoring case
    "\u0130stanbul: opened in 2015",
])
def test_finds_what_a_plain_search_finds(text: str) -> None:
    expected = _PATTERN.search(text)
    got = search_at_words(_PATTERN, text, _WORDS)
    assert (got.span() if got else None) == (expected.span() if expected else None)


def test_agrees_with_a_plain_search_on_random_texts() -> None:
    rng = random.Random(7)
    pieces = ["open", "Opened", "since", "SINCE", "signed", "resigned", " in ", " 2021", " 1999", ".", ";", ", ",
              "the deal", "x", " "]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        expected = _PATTERN.search(text)
        got = search_at_words(_PATTERN, text, _WORDS)
        assert (got.span() if got else None) == (expected.span() if expected else None), text


def test_may_hold_is_false_only_without_the_words() -> None:
    assert may_hold("Exports Rose in 2023", ("rose",))
    assert not may_hold("Exports fell in 2023", ("rose",))
    assert may_hold("expo\u017fe", ("rose",))  # a letter that matches an ASCII one ignoring case: cannot tell


def _gated() -> list[tuple[str, Any, tuple[str, ...]]]:
    from monitor.analysis.extract import figures, meaning, milestones

    return [
        ("said in", meaning._SAID_IN, meaning._SAID_WORDS),
        ("period left", milestones._PERIOD_LEFT, milestones._PERIOD_WORDS),
        ("weak period left", milestones._WEAK_PERIOD_LEFT, milestones._WEAK_PERIOD_WORDS),
        ("period span left", figures._PERIOD_SPAN_LEFT, figures._SPAN_WORDS),
        ("basis before", meaning._BASIS_BEFORE, meaning._BASIS_WORDS),
    ]


@pytest.mark.parametrize("name", [g[0] for g in _gated()])
def test_the_words_a_slow_search_is_gated_on_are_in_every_match(name: str) -> None:
    """The extractor skips these end-anchored searches when none of their words is in the
    window: every match must therefore hold one of them."""
    _, pattern, words = next(g for g in _gated() if g[0] == name)
    rng = random.Random(name)
    # the patterns' own words written out here (not taken from `words`, which is under test)
    vocabulary = ("said says announced reported noted told stated informed added fiscal FY ended ending result "
                  "results compared since from same period date year-to-date quarter half months first last past "
                  "previous next coming versus than up down with").split()
    pieces = [w.upper() if i % 3 == 0 else w.capitalize() if i % 3 == 1 else w for i, w in enumerate(vocabulary)]
    pieces += ["year", "ended", "of", "the", "for", "results", "compared to", "since the start of", "from the beginning of",
               "same period in", "to date in", "year-to-date", "FY", "fiscal year", "first", "nine", "months", "half",
               "quarter", "period", "said", "Reported", "on", "in", "at", "told", "reporters", "2023", ",", " ", "  "]
    found = 0
    for _ in range(4000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))) + rng.choice(("", " "))
        if pattern.search(text):
            found += 1
            assert may_hold(text, words), text
    assert found > 20  # the texts do reach the pattern
