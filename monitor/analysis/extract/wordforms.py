"""Figures written without a plain cardinal number.

Ordinals that count occurrences ("fifth visit" -> 5, "30th anniversary" -> 30 years, "the 6,000
train trip"), fractions in words ("a third" -> 33.33 %), multiplier words ("doubled" -> 2 times,
"threefold") and frequency words ("twice a week" -> 2). They run before the number pass and
claim their words, so "two-thirds" is one percentage and not the count "two".
"""

from __future__ import annotations

import re

from monitor.analysis.extract.candidates import Candidate, Claims
from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.numbers import (
    ORDINAL,
    cased_words,
    fraction_percent,
    parse_digits,
    parse_ordinal,
    parse_words,
    trie_pattern,
)
from monitor.analysis.lang import en

_ORD_NOUN_RE = lazy("[^A-Za-z0-9](?:" + trie_pattern(
    "visits visit trips trip anniversary time trains train flights flight tour voyage journey round visitor "
    "tourist passenger container".split()) + r")\b")
_ORDINAL_STEMS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "teenth", "tieth", "hundredth")
_DIGIT_ORDINAL = lazy(r"\d(?:st|nd|rd|th)\b")
_THE_NUMBER = lazy(r"the\s+\d")
_ORDINAL_LEFT = lazy(
    rf"\b(?P<o>{ORDINAL})(?P<mods>(?:\s+(?:official|state|working|historic|successive|annual|"
    rf"consecutive|straight|regular|round-trip|return|overseas|foreign|bilateral))*)\s+$")
_THE_NTH_LEFT = lazy(r"\bthe\s+(?P<n>\d{1,3}(?:,\d{3})+|\d{2,})\s+(?:[a-z]+\s+)?$")
_NAMED_HEAD_AFTER = lazy(r"[\s-]+(?:terminals?|stations?|yards?|hubs?|depots?|berths?|lines?|operators?|compan(?:y|ies)|"
                         r"routes?|corridors?|facilit(?:y|ies)|plants?|ships?|vessels?|ports?|centers?|centres?|"
                         r"agency|agencies|operators?|office|fleet)\b", re.I)
_NTH_NOUNS = frozenset("trip train flight voyage visit visitor tourist passenger container".split())
# Literal-first patterns (no leading \b, no IGNORECASE): Python's `re` then skips quickly to
# candidate positions; the word boundary on the left is checked in code (`_starts_word`).
_NUMBER_N_RE = lazy(r"number\s+(?P<n>\d{1,3}(?:,\d{3})+|\d+)\b")
_NUMBER_N_LEFT = lazy(
    r"\b(?P<noun>trip|train|flight|voyage|visitor|tourist|passenger|container|customer)\s+$", re.I)
_FRACTION_RE = lazy(
    r"(?P<den>half|thirds?|quarters?|fifths?)\b"
    r"(?!-)(?=\s*(?:[.,;:)!?]|$|\s(?:of|and|or|in|to|from|since|compared|on|over|while|at|year|"
    r"percent|share|shares|stake|is|are|was|were|goes|go|went|comes|come|came|will|would|has|have|had|"
    r"belongs?|belonged|more|less|higher|lower|larger|smaller|up|down)\b))")
_FRACTION_NUM = lazy(r"(?:^|(?<=[^\w]))(?P<num>[Aa]|[Oo]ne|[Tt]wo|[Tt]hree|[Ff]our)[\s-]$")
_FRACTION_BAD_AFTER = lazy(
    r"\s*(?:of\s+)?(?:the\s+|a\s+|an\s+|this\s+|last\s+|next\s+)?(?:year|century|decade|month|hour|"
    r"day|week|mile|kilomet|time|way|dozen|(?:19|20)\d\d)", re.I)
_FRACTION_BAD_BEFORE = lazy(r"\b(?:first|second|third|fourth|last|next|latter|former)\s+$", re.I)
_HALF_OF_RE = lazy(r"(?P<h>[Hh]alf)\s+of\s+(?:the|all|its|their|this|our)\b")
# Tries, "twice as" included: a top-level alternative starting with a character class would
# stop `re` from skipping ahead. The "-fold" words (many first letters) scan only when present.
_MULT_VERB_RE = lazy("(?:" + cased_words(
    "doubled doubling tripled tripling quadrupled quadrupling double triple quadruple".split()
    + ["twice as", "twice the"]) + r")\b(?!-)")
_FOLD_WORD_RE = lazy("(?:" + cased_words(
    "twofold threefold fourfold fivefold sixfold sevenfold eightfold ninefold tenfold".split()) + r")\b")
_MULT_BASE_LEFT = lazy(r"\b(?:to|will|would|could|can|should|may|might)\s+$")
# "nearly triple the amount a year earlier", "twice the level of 2023": a multiplier of a base
_THE_BASE_RIGHT = lazy(r"\s+the\s+(?:" + "|".join(sorted(en.BASE_NOUNS)) + r")\b", re.I)
# "for the second year in a row", "the third consecutive year": how many times, so a count.
_IN_A_ROW_RE = lazy(
    rf"(?<![\w-])(?P<o>{ORDINAL})\s+(?:(?:year|month|season|quarter)\s+in\s+a\s+row|"
    rf"(?:consecutive|straight|successive)\s+(?:year|month|season|quarter)\b)")
_FREQ_WORD_RE = lazy("(?:" + cased_words(["once", "twice", "thrice"]) +
                     r")\s+(?:a|per|each|every)\s+(?:week|day|month|year)\b")
_MULT_WORDS = {"doubl": 2, "tripl": 3, "quadrupl": 4, "double": 2, "triple": 3, "quadruple": 4}


def find_word_forms(doc: Claims) -> None:
    """Figures without a plain cardinal: ordinals, fractions, multiplier verbs, 'twice a week'."""
    text = doc.text
    low = doc.low
    # Scanning for the nouns is the costly part: do it only when an ordinal or "the <number>"
    # is in the text at all (substring tests run at C speed).
    has_ordinal = any(stem in low for stem in _ORDINAL_STEMS) or _DIGIT_ORDINAL.search(text) is not None \
        or _THE_NUMBER.search(low) is not None
    for a in (_ORD_NOUN_RE.finditer(text) if has_ordinal else ()):
        if _NAMED_HEAD_AFTER.match(text, a.end()):
            continue  # "a second container terminal": the noun names what the ordinal numbers
        w0 = max(0, a.start() - 70)
        m = _ORDINAL_LEFT.search(text, w0, a.start() + 1)
        n: float | None
        if m:
            n = parse_ordinal(m.group("o"))
            if n is None or n < 2 or not doc.free(m.start(), a.end()):
                continue
            noun = a.group(0)[1:].lower()
            unit = "years" if noun == "anniversary" else None
            doc.add(Candidate(m.start(), a.end(), "count", float(n), unit, m.start(), noun=noun))
            continue
        m = _THE_NTH_LEFT.search(text, w0, a.start() + 1)
        if m and a.group(0)[1:].lower() in _NTH_NOUNS:
            n = parse_digits(m.group("n"))
            if n is None or (1800 <= n <= 2100 and "," not in m.group("n")) or not doc.free(m.start("n"), a.end()):
                continue
            doc.add(Candidate(m.start("n"), a.end(), "count", n, None, m.start("n"), noun=a.group(0)[1:]))
    for m in (_NUMBER_N_RE.finditer(text) if "number" in low else ()):
        a = _NUMBER_N_LEFT.search(text, max(0, m.start() - 20), m.start())
        n = parse_digits(m.group("n"))
        if not a or n is None or (1800 <= n <= 2100 and "," not in m.group("n")) or not doc.free(a.start(), m.end()):
            continue
        doc.add(Candidate(a.start(), m.end(), "count", n, None, a.start(), noun=a.group("noun")))
    if " in a row" in low or "consecutive " in low or "straight " in low or "successive " in low:
        for m in _IN_A_ROW_RE.finditer(text):
            n = parse_ordinal(m.group("o"))
            if n and n >= 2 and doc.free(m.start(), m.end()):
                doc.add(Candidate(m.start(), m.end(), "count", float(n), None, m.start()))
    has_frac = "half" in low or "third" in low or "quarter" in low or "fifth" in low
    for m in (_FRACTION_RE.finditer(text) if has_frac else ()):
        num = _FRACTION_NUM.search(text, max(0, m.start() - 7), m.start())
        if not num:
            continue
        start = num.start()
        left = text[max(0, start - 20):start]
        if _FRACTION_BAD_BEFORE.search(left) or _FRACTION_BAD_AFTER.match(text, m.end()):
            continue
        v = fraction_percent(num.group("num"), m.group("den"))
        if v is None or v > 100 or not doc.free(start, m.end()):
            continue
        doc.add(Candidate(start, m.end(), "percent", v, "%", start))
    for m in (_HALF_OF_RE.finditer(text) if "half" in low else ()):
        if not _starts_word(text, m.start()) or _FRACTION_BAD_AFTER.match(text, m.end("h")) \
                or not doc.free(m.start(), m.end("h")):
            continue
        left = text[max(0, m.start() - 20):m.start()]
        if _FRACTION_BAD_BEFORE.search(left) or _FRACTION_NUM.search(left):
            continue
        doc.add(Candidate(m.start(), m.end("h"), "percent", 50.0, "%", m.start()))
    has_mult = "doubl" in low or "tripl" in low or "quadrupl" in low or "twice" in low
    mult_matches = list(_MULT_VERB_RE.finditer(text)) if has_mult else []
    if "fold" in low:
        mult_matches += _FOLD_WORD_RE.finditer(text)
    for m in mult_matches:
        if not _starts_word(text, m.start()):
            continue
        word = m.group(0).lower()
        if word.startswith("twice"):
            v, (s, e) = 2, (m.start(), m.start() + 5)
        else:
            if word in _MULT_WORDS and not _MULT_BASE_LEFT.search(text, max(0, m.start() - 12), m.start()) \
                    and not _THE_BASE_RIGHT.match(text, m.end()):
                continue  # "double" only as a verb ("to double", "will double") or before its base
            if word.endswith("fold"):
                v = parse_words(word[:-4])
            else:
                v = _MULT_WORDS.get(word) or _MULT_WORDS.get(word[:-2] if word.endswith("ed") else word[:-3])
            s, e = m.span()
        if v is None or not doc.free(s, e):
            continue
        doc.add(Candidate(s, e, "quantity", float(v), "times", s))
    has_freq = "once" in low or "twice" in low or "thrice" in low
    for m in (_FREQ_WORD_RE.finditer(text) if has_freq else ()):
        if not _starts_word(text, m.start()) or not doc.free(m.start(), m.end()):
            continue
        v = {"once": 1, "twice": 2, "thrice": 3}[m.group(0).split()[0].lower()]
        doc.add(Candidate(m.start(), m.end(), "count", float(v), None, m.start()))


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not text[pos - 1].isalnum()
