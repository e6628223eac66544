"""The working state of one figure extraction, shared by the passes that find figures.

Each pass (word forms such as "fifth visit", then numbers) claims the characters of what it
finds, so a later pass never reads the same words as a second figure.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from monitor.analysis.extract.dates import find_dates
from monitor.analysis.extract.tokens import TokenCache
from monitor.analysis.text import Sentence, dateline_spans, story_sentences


@dataclass(slots=True)
class Candidate:
    """A figure found in the text, before its context (subject, period ...) is read."""

    start: int
    end: int
    kind: str
    value: float
    unit: str | None
    qualifier_at: int  # where to look left for an approximator
    value_high: float | None = None
    noun: str | None = None


class Claims:
    """Working state of one extraction: the text, characters already claimed, candidates."""

    def __init__(self, text: str, with_datelines: bool = True) -> None:
        self.text = text
        self.low = text.lower()
        self.cands: list[Candidate] = []
        # One byte per character: 1 where a date, a dateline or a found figure sits.
        self.mask = bytearray(len(text))
        for a, b in (dateline_spans(text) if with_datelines else ()):
            self.mask[a:b] = b"\x01" * (b - a)
        self.date_spans: list[tuple[int, int]] = []  # every date mention, with or without a year
        for d in find_dates(text):
            a, b = d if isinstance(d, tuple) else (d.start, d.end)
            self.mask[a:b] = b"\x01" * (b - a)
            self.date_spans.append((a, b))

        self.tokens = TokenCache()  # the sentences' tokens, shared by figure and milestone rules
        self._sentences: list[Sentence] | None = None
        self._starts: list[int] = []

    @property
    def sentences(self) -> list[Sentence]:
        """The text's sentences (datelines left out), split once when first needed."""
        if self._sentences is None:
            self._sentences = story_sentences(self.text)
            self._starts = [s.start for s in self._sentences]
        return self._sentences

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding `pos`."""
        sentences = self.sentences
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return 0, sentences[0].start if sentences else len(self.text)
        return sentences[i].start, sentences[i].end

    def sentence_before(self, start: int) -> Sentence | None:
        """The sentence before the one that starts at `start`, found by bisection (the
        milestone rules ask it of many sentences of a long release)."""
        sentences = self.sentences
        i = bisect.bisect_left(self._starts, start)
        return sentences[i - 1] if 0 < i < len(sentences) and self._starts[i] == start else None

    def free(self, start: int, end: int) -> bool:
        """No character of start..end is claimed (the mask holds only 0 and 1: one C-speed find)."""
        return self.mask.find(1, start, end) < 0

    def add(self, c: Candidate) -> None:
        """Claim a figure's characters; one that overlaps a figure or date already claimed is
        not taken ("20 CNY 1.1" is "20 CNY", not that and "CNY 1.1" too)."""
        a, b = c.start, c.end
        if not self.free(a, b):
            return
        self.cands.append(c)
        self.mask[a:b] = b"\x01" * (b - a)
