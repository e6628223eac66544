"""Regex helpers of the extractor: a search tried only where its words start finds exactly what
a plain search finds."""

from __future__ import annotations

import random
import re

import pytest

from monitor.analysis.extract.lazyre import lazy, search_at_words

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
