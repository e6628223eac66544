"""The text layer: sentences with exact offsets, wire datelines of every style, boilerplate.

Topic matching, extraction and digest summaries all read releases through these functions,
so a dateline found here never reaches a subject, a milestone or a summary.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.analysis.text import (
    boilerplate_start,
    dateline_at,
    dateline_date,
    datelines,
    headline_end,
    normalise_space,
    split_sentences,
    story_sentences,
    strip_dateline,
)


def texts(t: str) -> list[str]:
    return [s.text for s in split_sentences(t)]


# ---------------------------------------------------------------- whitespace

def test_runs_of_spaces_become_one_and_paragraphs_one_line_each():
    assert normalise_space("  Trade\u00a0 rose\t\t5%.  \r\n\r\n \n Exports\u202ffell. ") == "Trade rose 5%.\nExports fell."


def _per_line(text: str) -> str:
    """The definition: each line's runs of spaces made one, the line stripped, empty lines dropped."""
    lines = (re.sub(r"[ \t\r\f\v\u00a0\u2009\u202f]+", " ", line).strip()
             for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@given(st.text(alphabet=st.sampled_from(list("ab. \t\r\n\f\v\u00a0\u2009\u202f\u2003\u2028\u3000\x1c\x85"))))
def test_whitespace_is_normalised_as_line_by_line(text: str) -> None:
    assert normalise_space(text) == _per_line(text)


# ---------------------------------------------------------------- sentences

def test_offsets_are_exact():
    t = "  First one. Second one!\nThird line"
    for s in split_sentences(t):
        assert t[s.start:s.end] == s.text


def test_newline_ends_a_sentence():
    assert texts("Headline without stop\nBody starts here.") == ["Headline without stop", "Body starts here."]


def test_abbreviations_and_decimals_do_not_split():
    assert texts("It cost 150 million U.S. dollars. Trade grew 4.5 percent.") == [
        "It cost 150 million U.S. dollars.", "Trade grew 4.5 percent."]
    assert texts("Mr. Smith met Dr. Lee on Sept. 30 in Astana.") == ["Mr. Smith met Dr. Lee on Sept. 30 in Astana."]


def test_long_sentences_split_in_linear_time():
    t = ("Word " * 5000 + ". ") * 20
    assert len(split_sentences(t)) == 20


# ---------------------------------------------------------------- datelines

STORY = "The two sides signed a memorandum."


@pytest.mark.parametrize("line, date", [
    ("ASTANA, Jan. 20, 2025 --", (2025, 1, 20)),
    ("BEIJING, July 4, 2024 /PRNewswire/ —", (2024, 7, 4)),
    ("TASHKENT (ENA) --", (None, None, None)),
    ("KAZINFORM –", (None, None, None)),
    ("Astana, 12 March 2025 (Kazinform) –", (2025, 3, 12)),
    ("ASTANA, July 3. /TASS/.", (None, 7, 3)),
    ("NUR-SULTAN, Sept. 30 (Xinhua) --", (None, 9, 30)),
    ("BEIJING, 19. May 2023 /PRNewswire/ —", (2023, 5, 19)),
    ("ASTANA (TCA) —", (None, None, None)),
    ("ALMATY –", (None, None, None)),
    ("ALMATY, Kazakhstan, March 3, 2025 /PRNewswire/ --", (2025, 3, 3)),
    ("NEW YORK and ASTANA, Kazakhstan, Jan. 5, 2025 /PRNewswire/ --", (2025, 1, 5)),
    ("NEW YORK, Jan. 20, 2025 (GLOBE NEWSWIRE) --", (2025, 1, 20)),
    ("HONG KONG, Monday, Feb. 19, 2024 /PRNewswire/ --", (2024, 2, 19)),
    ("NUR-SULTAN. KAZINFORM –", (None, None, None)),
    ("Almaty, March 3, 2023 /Kazinform/ -", (2023, 3, 3)),
    ("Urumqi (Xinhua) –", (None, None, None)),
])
def test_every_wire_style_is_a_dateline(line: str, date: tuple[int | None, ...]) -> None:
    text = f"{line} {STORY}"
    d = dateline_at(text)
    assert d is not None
    assert text[d.end:] == STORY
    assert (d.year, d.month, d.day) == date


def test_business_wire_dateline_without_spaces():
    text = "ASTANA, Kazakhstan--(BUSINESS WIRE)--Steppe Logistics opened a depot."
    assert strip_dateline(text) == "Steppe Logistics opened a depot."


def test_business_wire_s_date_after_its_name_is_the_dateline_s() -> None:
    """No milestone, figure or summary may start from it."""
    text = "AKTAU, Kazakhstan--(BUSINESS WIRE)--Dec. 1, 2025-- Steppe Logistics opened a depot."
    d = dateline_at(text)
    assert d is not None and (d.year, d.month, d.day) == (2025, 12, 1)
    assert text[d.end:] == "Steppe Logistics opened a depot."
    assert strip_dateline("NEW YORK--(BUSINESS WIRE)--Jan. 5, 2026--Acme said.") == "Acme said."


@pytest.mark.parametrize("text", [
    "KTZ (Kazakhstan Temir Zholy) said freight grew.",
    "KTZ (Kazakhstan Temir Zholy) - the national carrier - said freight grew.",
    "Trade – the main topic – grew.",
    "Kazakhstan – China relations are strong.",
    "China and Kazakhstan signed 16 documents.",
    "On Monday, 8 November, a train left Khorgos.",
    "January 3, 2022 is the 30th anniversary of relations.",
    "Beijing-Xi'an-Astana – the new route – opens in May.",
])
def test_sentences_that_only_look_like_datelines(text: str) -> None:
    assert dateline_at(text) is None
    assert strip_dateline(text) == text


def test_a_dateline_below_a_kicker_line_is_found():
    text = "Company Reiterates 2014 Outlook\nATLANTA, Feb. 20, 2014 /PRNewswire/ -- Revenue rose 7%."
    assert [text[d.start:d.end] for d in datelines(text)] == ["ATLANTA, Feb. 20, 2014 /PRNewswire/ -- "]


def test_story_sentences_start_after_the_dateline():
    text = "ASTANA, July 3. /TASS/. Trade turnover is on the rise. It reached $30 bln."
    got = [(s.text, text[s.start:s.end]) for s in story_sentences(text)]
    assert got == [("Trade turnover is on the rise.",) * 2, ("It reached $30 bln.",) * 2]


def test_dateline_date_is_the_first_dated_dateline():
    d = dateline_date("BEIJING, 19. May 2023 /PRNewswire/ — The summit opened.")
    assert d is not None and d.date == dt.date(2023, 5, 19)
    assert dateline_date("ASTANA – No date in this dateline.") is None


# ---------------------------------------------------------------- boilerplate

def test_boilerplate_starts_at_the_about_section():
    body = "Steppe Logistics opened a depot in Khorgos. " * 5
    doc = body + "\nAbout Steppe Logistics\nSteppe Logistics is a freight company."
    assert doc[boilerplate_start(doc):].startswith("About Steppe Logistics")
    assert boilerplate_start(body) == len(body)


@pytest.mark.parametrize(("text", "body_at"), [
    ("Trade hits $9 billion\n\nTrade reached $41 billion.", 22),  # headline, blank line, body
    ("Big news\nBody one.\nBody two.", 9),  # a page's title above its text
    ("Trade reached $41 billion in 2023.\n\nThe port opened.", 0),  # a lead sentence ends in a stop
    ("KHORGOS, July 14, 2025 -- The port handled 480,000 TEU\n\nMore.", 0),  # a dateline opens a lead
    ("The port on the border handled a\nrecord 480,000 TEU in 2025.", 0),  # a hard-wrapped paragraph
    ("x" * 301 + "\n\nBody.", 0),  # too long to be a headline
    ("Only a headline", 0),
    ("", 0),
])
def test_the_first_line_is_a_headline_only_when_it_reads_as_one(text, body_at):
    assert headline_end(text) == body_at
