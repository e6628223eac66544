"""monitor.analysis.text.split_sentences as the extractor relies on it: exact offsets, newlines end
sentences, abbreviations and decimals do not."""

from __future__ import annotations

from monitor.analysis.text import split_sentences


def texts(t: str):
    return [s.text for s in split_sentences(t)]


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
