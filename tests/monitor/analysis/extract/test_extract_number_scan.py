"""Numbers in words are looked for only where a number word starts: the scan finds exactly the
matches of the word pattern run over the whole text."""

from __future__ import annotations

import random

import pytest

from monitor.analysis.extract.figures import WORD_RE, _word_numbers


def _spans(matches: object) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", [
    "Two hundred and fifty trucks and a billion dollars",
    "freight often ten-fold; Twenty-five (seven) A\u00a0million",
    "one one one",  # neighbours: the matches do not overlap
    "sixty-six, eighteen and a half",
    "\u0130ki: two",  # a character that lowercases to two: the plain scan
    "",
])
def test_same_matches_as_the_whole_text_pattern(text: str) -> None:
    assert _spans(_word_numbers(text, text.lower())) == _spans(WORD_RE.finditer(text))


def test_same_matches_on_random_texts() -> None:
    rng = random.Random(5)
    pieces = ["one", "One", "ONE", "two", "Twenty", "twenty-five", "-", " hundred", " and ", "a", "A", " ", "\u00a0",
              "\n", " million", "billion", "dozen", "freight", "often", "ten", "\u00e9", "x", "1", ",", "(", "a half",
              "seven", "Seventy", "eighteen", "zero", "$", "three", "thirteen"]
    found = 0
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = _spans(WORD_RE.finditer(text))
        assert _spans(_word_numbers(text, text.lower())) == expected, text
        found += bool(expected)
    assert found > 500
