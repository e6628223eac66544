"""Figures in press prose: money, percentages, counts and quantities, normalised.

Purpose-built because generic quantity parsers misread press releases ("fifth visit" as 0.2,
"USD34.6 million" as 6 million). Word forms without a cardinal ("a third", "doubled", "fifth
visit") are found first (`wordforms`); then every number, in digits or words: the words right
after it (a currency, %, a unit, "times", a counted noun) and right before it (a currency
symbol, an approximator, "No.") decide what it is. `context` then reads what each figure
measures from its sentence.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterator
from typing import cast

from monitor.analysis.extract import context
from monitor.analysis.extract.candidates import Candidate, Claims
from monitor.analysis.extract.dates import as_date
from monitor.analysis.extract.lazyre import lazy, may_hold
from monitor.analysis.extract.meaning import read_figures
from monitor.analysis.extract.numbers import (
    DIGIT_NUMBER,
    NOT_A_COMPARISON,
    TENS,
    UNITS,
    WORD_NUMBER,
    parse_digits,
    parse_words,
    scale_value,
    trie_pattern,
)
from monitor.analysis.extract.periods import reference_for
from monitor.analysis.extract.units import CURRENCY_WORDS, QUANTITY_UNITS, currency_code, quantity_unit
from monitor.analysis.extract.wordforms import find_word_forms
from monitor.analysis.lang import en
from monitor.analysis.memo import remember_last
from monitor.analysis.text import dateline_date
from monitor.domain import Figure, FigureKind

_SCALE = r"thousand|million|billion|trillion|mln|mn|bln|bn|tn|trln"
# Numbers in digits and in words, as two patterns that each start with a plain character
# class or literal: Python's `re` then jumps between candidates instead of trying every
# alternative at every position. Word boundaries on the left are checked in code. Both carry
# the same groups (the other kind's group never matches).
_SCALE_TAIL = rf"(?:\s?-?\s?(?P<scale>(?i:{_SCALE}))\b|(?P<sscale>[mMbBkK])\b(?!\.\w))?"
DIGIT_RE = lazy(rf"(?P<d>\d(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d+)?){_SCALE_TAIL}(?P<w>(?!x)x)?")
# Words are anchored on the character before them: starting on any letter would make `re`
# try the number-word trie at most positions of the text (t, o, f, s, e ... are common).
WORD_RE = lazy(rf"[^A-Za-z0-9](?P<w>{WORD_NUMBER})\b{_SCALE_TAIL}(?P<d>(?!x)x)?")
WORD_AT_START_RE = lazy(rf"(?P<w>{WORD_NUMBER})\b{_SCALE_TAIL}(?P<d>(?!x)x)?")
_CODES = frozenset(("USD", "EUR", "KZT", "CNY", "RMB", "RUB", "KGS", "GBP", "JPY", "UZS"))
_RANGE_TAIL = lazy(
    rf"(?P<sep>\s?[-–—]\s?|\s+to\s+|\s+and\s+)(?P<cur>US\$|\$|€|¥|₸|£|₽)?"
    rf"(?P<d>{DIGIT_NUMBER})(?:\s?(?P<scale>(?i:{_SCALE}))\b|(?P<sscale>[mMbBkK])\b)?"
)

CUR_PREFIX_RE = lazy(
    r"(?P<cur>(?<![A-Za-z])(?:US|U\.S\.)\s?\$|(?<![A-Za-z])(?:HK|A|C|S)\$|(?<![A-Za-z])\$|[€¥₸£₽]|"
    r"(?<![A-Za-z])(?:USD|EUR|RMB|CNY|KZT|GBP|RUB|KGS|UZS|JPY))\s?(?P<paren>\()?$"
)
_CUR_LAST = frozenset("$€¥₸£₽DRBYTPS(")  # last characters of every currency prefix
_CUR_WORDS = sorted(CURRENCY_WORDS, key=len, reverse=True)
CUR_SUFFIX_RE = lazy(
    r"\s?(?P<cur>" + trie_pattern(_CUR_WORDS).replace(r"\ ", r"\s") + r")\b", re.I)
PERCENT_RE = lazy(
    r"(?P<p>\s?%|[\s-]?(?:per\s?cent|percent|pct)\b(?!age))|(?P<pp>[\s-]?(?:percentage[\s-]+points?|pp\b|p\.p\.))"
    r"|(?P<bp>\s?(?:basis\s+points?|bps?\b))", re.I)
_UNIT_WORDS = sorted([u for u in QUANTITY_UNITS] + ["Mt"], key=len, reverse=True)
UNIT_RE = lazy(
    r"(?:\s|-|\s?(?=[a-zA-Zm³]))(?:(?:calendar|working|business|metric|solar|consecutive)\s+)?"
    r"(?P<u>" + trie_pattern({u.lower() for u in _UNIT_WORDS}).replace(r"\ ", r"[\s-]") + r")"
    r"(?![\w³])(?P<per>\s?/\s?(?:year|yr|y|day|d|h)\b|\s+(?:a|per)\s+(?:year|day)\b" + NOT_A_COMPARISON + ")?",
    re.I)
TIMES_RE = lazy(r"[\s-](?P<t>times|fold)\b(?P<freq>\s+(?:a|per|each|every)\s+(?:week|day|month|year)\b"
                + NOT_A_COMPARISON + ")?", re.I)
PER_RE = lazy(r"\s+(?:per|a|each)\s+(?:week|day|month)\b" + NOT_A_COMPARISON, re.I)
YEARS_RE = lazy(r"[\s-](?P<yw>years?|decades?)\b(?P<old>[\s-]+old\b)?(?P<hy>-(?=[a-z]))?", re.I)
# A word, hyphenated parts included ("China-Europe container trains"), never part of one.
_WORD = lazy(r"\s+(?P<w>[A-Za-z][a-z']*(?:-[A-Za-z][a-z']*)*(?![A-Za-z])|[a-z][A-Za-z'-]*)")
_SPACE_GROUPS = lazy(r"(?: \d{3})+(?![\d,.]\d)")
_NEXT_CHAR_OK = lazy(r"(?:[\s,.;:!?)\]\"'”’]|$)")

_COUNT_STOP = frozenset(
    "of and or to in on at for from by with the a an as is are was were be been per than that which "
    "who whom whose its their his her this these those it also each more less over under into about "
    "after before since during between against among via has have had will would can could may "
    "might should must not no nor so yet if when where while then there here up down out off".split())
_NOT_COUNTED = frozenset(
    "years year decades decade times percent points others dozens hundreds thousands millions "
    "billions trillions tens thirds halves quarters centuries seconds degrees pictures photos "
    "photographs guards series news means this its plus across various previous thus status "
    "basis analysis crisis perhaps always".split())
_IRREGULAR = en.PLURALS_WITHOUT_S
_PARTY_NOUNS = frozenset("sides leaders parties heads peoples nations presidents countries states "
                         "ministers delegations".split())
_NAME_LEFT = lazy(
    r"(?:\b(?:No|Nos|Number|Art|Article|Section|Chapter|Phase|Stage|Line|Terminal|Unit|Block|Room|"
    r"Part|Item|Rule|Resolution|Decree|Order|Law|Platform|Gate|Hall|Track|Route|Highway|Flight|"
    r"Building|Level|Grade|Class|Category|Group|Pavilion|Booth|Stand|top|Top|aged|age|ages|"
    r"page|pages|p)\.?\s*|#\s*|[A-Za-z]-|[A-Za-z+/&])$")
_REFERENTIAL = lazy(r"\b(?:the|these|those|both|all)\s+$", re.I)
_FROM_LEFT = lazy(r"\bfrom\s+(?:\S+\s+)?$", re.I)
_ONE_IN_LEFT = lazy(r"\b(?:one|1)\s+in\s+$", re.I)
_BY_LEFT = lazy(r"\bby\s+\W{0,2}$", re.I)
_RANGING_LEFT = lazy(r"\b(?:rang\w*|var(?:y|ies|ying)|anywhere)\s+(?:\w+\s+)?from\s+(?:\S+\s+)?$", re.I)
_WORD_RANGE = lazy(rf"(?P<sep>\s+(?:to|or)\s+)(?P<w>{WORD_NUMBER})\b(?P<cur>(?!x)x)?(?P<scale>(?!x)x)?(?P<sscale>(?!x)x)?")
_BETWEEN_LEFT = lazy(r"\bbetween\s+(?:\S+\s+)?$", re.I)
_BARE_COUNT_LEFT = lazy(
    r"\b(?:reached|reaching|amount(?:s|ed)?\s+to|total(?:l?ed|s)?|stood\s+at|numbered|numbering|"
    r"number(?:s|ed)?\s+(?:is|was)|rose\s+to|grew\s+to|increased\s+to|fell\s+to|dropped\s+to|"
    r"declined\s+to|[a-z]+ed\s+to|numbers?)\s+(?:(?:more than|over|about|around|nearly|almost|some|approximately)\s+)?$",
    re.I)
_MONEY_CONTEXT = lazy(
    r"\b(?:invest\w*|worth|cost\w*|trade|turnover|revenues?|sales|loans?|fund\w*|budget|spen[dt]\w*|"
    r"price[sd]?|profits?|income|capital|financ\w*|valued|deals?|contracts?|exports?|imports?|"
    r"GDP|assets|debt|paid|pay)\b", re.I)
_RELATION = lazy(
    r"\b(?:relations?|relationship|cooperat\w*|ties|partnership|friendship|diplomatic|anniversary|"
    r"together|since|ago|established|establishment|independence|alliance)\b", re.I)
_CHANGE_FROM_LEFT = lazy(
    r"\b(?:rise|rises|rose|risen|increase[sd]?|grow|grows|grew|grown|fall|falls|fell|fallen|drop(?:s|ped)?|"
    r"decline[sd]?|jump(?:s|ed)?|climb(?:s|ed)?|go up|went up|expand(?:s|ed)?)\s+(?:\w+\s+)?from\s+$", re.I)
_PERCENT_RANGE = lazy(r"\s?(?:-|–|—|to)\s?(?P<d>\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)")
_PERIOD_SPAN_LEFT = lazy(r"\b(?:first|last|past|previous|next|coming)\s+\S+$", re.I)
_SPAN_WORDS = ("first", "last", "past", "previous", "next", "coming")
_ENDED_RIGHT = lazy(r"\s+(?:ended|ending)\b", re.I)
_OF_YEAR_RIGHT = lazy(r"\s+of\s+(?:19|20)\d\d\b")
_THE_N_LEFT = lazy(r"\bthe\s+\S+\s*$", re.I)
_OCCURRENCE = lazy(r"\b(?:visit\w*|met|meet\w*|held|hosted|travel\w*|been|won|attended|called|"
                         r"flew|launched|played|performed|toured|came)\b", re.I)
_GROWTH = lazy(r"\b(?:increas\w*|grow\w*|grew|ris\w*|rose|expand\w*|boost\w*|more|less|higher|"
                     r"lower|larger|bigger|greater|smaller|than|by|multipl\w*|fold)\b", re.I)
_TERM_LEFT = lazy(r"\b(?:every|term of|period of|valid for|stay of|up to|within)\s+$", re.I)
_TERM = lazy(r"\b(?:term|terms|tenure|stay|valid|validity|lease|contract|warranty|maturity|loan|"
                   r"will (?:operate|last|run|serve)|journey|takes?|took)\b", re.I)
_BRAND_LEFT = lazy(r"(?<![.!?:;\n\"“] )(?<!^)(?<![Ii]n )(?<![Aa]t )(?<=[a-z,] )[A-Z][a-z]+\s$")
_OUT_OF = lazy(r"\s+out\s+of\s+(?:\d{1,3}(?:,\d{3})+|\d+)\b")
_NUMBER_OF = lazy(r"\b[Nn]umber\s+of\b")
_OF_THEM_LEFT = lazy(r"(?:^|[.;]\s+)[Oo]f\s+(?:them|these|those|which|whom)\s*,?\s+"
                     r"(?:(?:about|around|nearly|almost|some|over|more than|approximately)\s+)?$")
_VERB_LEFT = lazy(r"\b([a-z]{3,})\s+$")
_EARLIER_VALUE_LEFT = lazy(r"\b(?:(?:up|down)\s+from|compared\s+(?:with|to)|against|versus|vs\.?)\s+"
                           r"(?:(?:more than|over|about|around|nearly|almost|some|approximately|just)\s+)?$", re.I)
_NUMBER_OF_VERB = lazy(
    r"(?:\b(?:to|at|was|is|were|are|be|reached|reach|reaches|exceeded|exceeds|exceed|surpassed|topped|hit|"
    r"totall?ed|of)\s+(?:(?:more than|over|about|around|nearly|almost|some|approximately)\s+)?|[–—:]\s*)$")
_RELATION_LEFT = lazy(r"\b(?:relations|ties|established|establishment|partnership|founded|founding)\b", re.I)
# "Two years later", "Two years on", "Five years ago": when, not how long ("25 days on the route" is a length)
_YEARS_LATER = lazy(r"\s+(?:later|afterwards|after that|on|ago|earlier)\b", re.I)
_AGO_RIGHT = lazy(r"\s+(?:ago|later|earlier)\b", re.I)
_FIRST_YEARS_LEFT = lazy(r"\bfirst\s+$", re.I)
_PAST_YEARS_LEFT = lazy(r"\bthe\s+(?:past|last)\s+$", re.I)
_OF_RIGHT = lazy(r"\s+of\b", re.I)
_NEXT_YEARS_LEFT = lazy(r"\b(?:next|coming|following|upcoming)\s+$", re.I)
_STATE_AGE = lazy(r"\bindependent\s+for\b", re.I)
_RELATION_AFTER = lazy(r"\s+(?:[a-z]+\s+)?(?:relations?|relationship|cooperation|partnership|friendship|ties|"
                       r"alliance|anniversary|history)\b", re.I)
_COMPANY_AGE = lazy(r"\b(?:leading|provider|founded|experience|history|in business|heritage|"
                          r"old|older|aged)\b", re.I)


def _is_plural_noun(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR:
        return True
    if w in _NOT_COUNTED or w in _COUNT_STOP or len(w) < 3:
        return False
    if w.endswith("men") and len(w) > 4:  # businessmen, servicemen, chairmen
        return True
    return w.endswith("s") and not w.endswith(("ss", "us", "is", "ous", "'s"))


def _counted_noun(text: str, pos: int) -> tuple[str, int] | None:
    """The counted noun after a number: up to two modifiers then a plural noun."""
    words: list[str] = []
    p = pos
    for _ in range(4):
        m = _WORD.match(text, p)
        if not m:
            return None
        w = m.group("w")
        lw = w.lower()
        if lw in ("and", "or") and words:
            words.append(w)  # "100 Kazakh and Chinese companies", "16 bilateral and commercial agreements"
            p = m.end()
            continue
        if lw in _COUNT_STOP or lw in _NOT_COUNTED or quantity_unit(w):
            return None
        words.append(w)
        p = m.end()
        if _is_plural_noun(w) and not w[0].isupper():
            # "five new logistics projects": a plural noun used as a modifier of another.
            nxt = _WORD.match(text, p)
            if nxt and _is_plural_noun(nxt.group("w")) and not nxt.group("w")[0].isupper() \
                    and nxt.group("w").lower() not in _NOT_COUNTED:
                words.append(nxt.group("w"))
                p = nxt.end()
            return " ".join(words), p
        if w[0].isupper() and len(words) == 1 and _is_plural_noun(w):
            return None
    return None


def _value(m: re.Match[str]) -> float | None:
    raw = m.group("d")
    base = parse_digits(raw) if raw else parse_words(m.group("w"))
    if base is None:
        return None
    value = base * scale_value(m.group("scale") or m.group("sscale"))
    return value if math.isfinite(value) else None  # 400 nines overflow to inf: not a figure


def _year_like(m: re.Match[str], value: float) -> bool:
    d = m.group("d")
    return bool(d) and "," not in d and "." not in d and len(d) == 4 and 1800 <= value <= 2100 \
        and not (m.group("scale") or m.group("sscale"))


def _classify_tail(text: str, pos: int, value: float, word: bool) -> tuple[str, str | None, float, int] | None:
    """(kind, unit, multiplier, end) from what follows a number; None if nothing decides it."""
    m = PERCENT_RE.match(text, pos)
    if m:
        unit = "%" if m.group("p") else ("pp" if m.group("pp") else "bp")
        return "percent", unit, 1.0, m.end()
    m = CUR_SUFFIX_RE.match(text, pos)
    if m is None and value >= 1e6 and text.startswith(" of ", pos):
        m = CUR_SUFFIX_RE.match(text, pos + 3)  # "25 billion of KZT": a scaled amount, then its currency
    if m:
        code = currency_code(m.group("cur"))
        cur = m.group("cur")
        # Codes must be written in capitals ("500 KZT"); words in any case ("500 tenge").
        if code and (not cur.isalpha() or len(cur) != 3 or cur.isupper() or cur.lower() in ("som", "sum", "yen")):
            return "money", code, 1.0, m.end()
    m = UNIT_RE.match(text, pos)
    if m:
        u = quantity_unit(m.group("u"))
        if u and not (m.group("u").lower() in ("ha", "mt") and text[pos:m.start("u")] == "") or (
                u and m.group("u") in ("Mt", "MW", "GW", "GWh", "MWh", "kWh", "TWh", "kW", "km", "TEU")):
            unit, mult = u
            if unit in ("days", "weeks", "months") and may_hold(text[max(0, pos - 40):pos], _SPAN_WORDS) and \
                    _PERIOD_SPAN_LEFT.search(text, max(0, pos - 40), pos):
                return None  # "in the first nine months of 2024": a period, not a measure
            if unit in ("days", "weeks", "months") and (_ENDED_RIGHT.match(text, m.end()) or _AGO_RIGHT.match(
                    text, m.end()) or (
                    unit == "months" and _OF_YEAR_RIGHT.match(text, m.end())
                    and _THE_N_LEFT.search(text, max(0, pos - 20), pos))):
                return None  # "for the nine months ended September 30", "the nine months of 2025": a reporting period
            if not (word and value == 1 and unit in ("days", "hours", "weeks", "months", "minutes")):
                return "quantity", unit, mult, m.end()
    m = TIMES_RE.match(text, pos)
    if m:
        if m.group("freq"):
            return "count", None, 1.0, m.end()
        clause = text[max(0, pos - 80):pos]
        clause = re.split(r"[.;:!?\n]", clause)[-1]
        if m.group("t").lower() == "times" and _OCCURRENCE.search(clause) and not _GROWTH.search(
                clause + text[m.end():m.end() + 30]):
            return "count", None, 1.0, m.end()
        return "quantity", "times", 1.0, m.end()
    return None


def _numbers(text: str, low: str) -> Iterator[re.Match[str]]:
    """Numbers in digits then in words, each starting a word (or right after a currency code:
    "USD34.6")."""
    for m in DIGIT_RE.finditer(text):
        i = m.start()
        prev = text[i - 1] if i else " "
        if prev.isalnum() or prev in ".,":
            if not (prev.isalpha() and text[max(0, i - 3):i] in _CODES):
                continue
        yield m
    first = WORD_AT_START_RE.match(text)
    if first:
        yield first
    yield from _word_numbers(text, low)


# Where a number in words can start (WORD_NUMBER's first words; "a" only before a scale word).
_NUMBER_WORDS = tuple(w for w in sorted({*UNITS, *TENS, "dozen"})
                      if not any(w.startswith(v) and w != v for v in (*UNITS, *TENS)))
_A_BEFORE = ("hundred", "thousand", "million", "billion", "trillion")


def _word_numbers(text: str, low: str) -> Iterator[re.Match[str]]:
    """WORD_RE.finditer(text), with the pattern tried only before the places where a number
    word starts (found with str.find in the lowercased text), not after every space."""
    if len(low) != len(text):  # a character that lowercases to two: offsets would drift
        yield from WORD_RE.finditer(text)
        return
    starts: set[int] = set()
    for word in _NUMBER_WORDS:
        at = low.find(word)
        while at >= 0:
            if at and not (text[at - 1].isascii() and text[at - 1].isalnum()):
                starts.add(at - 1)
            at = low.find(word, at + 1)
    for word in _A_BEFORE:  # "a billion": "a" or "A", then whitespace, then the scale word
        at = text.find(word)
        while at >= 0:
            r = at
            while r and text[r - 1].isspace():
                r -= 1
            if r < at and r >= 2 and text[r - 1] in "Aa":
                starts.add(r - 2)
            at = text.find(word, at + 1)
    end = 0
    for at in sorted(starts):
        if at >= end:  # matches do not overlap, as with finditer
            m = WORD_RE.match(text, at)
            if m:
                yield m
                end = m.end()


def _span(m: re.Match[str]) -> tuple[int, int]:
    """Where the number itself is (word matches include the character before them)."""
    return (m.start("d") if m.group("d") is not None else m.start("w")), m.end()


def _find_numbers(doc: Claims) -> None:
    text = doc.text
    for m in _numbers(text, doc.low):
        start, end = _span(m)
        if not doc.free(start, end):
            continue
        value = _value(m)
        if value is None:
            continue
        word = m.group("w") is not None
        if not word and end - start <= 3 and text.startswith(" ", end) and not m.group("scale") \
                and not m.group("sscale"):
            # "38 760 TEU": a space as the thousands separator, read only when a unit, currency
            # or % follows the grouped number (a bare "12 500" may be two numbers).
            sp = _SPACE_GROUPS.match(text, end)
            if sp and doc.free(start, sp.end()):
                v = float(text[start:sp.end()].replace(" ", ""))
                decided = _classify_tail(text, sp.end(), v, False)
                if decided and decided[0] != "count":
                    kind, unit, mult, t_end = decided
                    doc.add(Candidate(start, t_end, kind, v * mult, unit, start))
                    continue
        if not word and _year_like(m, value) and text[start - 1:start] != "$":
            # A year ("in 2023") unless a unit, currency or % follows ("2000 tons").
            decided = _classify_tail(text, end, value, False)
            if decided and decided[0] != "count" and decided[1] not in ("days", "hours", "weeks", "months",
                                                                         "times"):
                kind, unit, mult, t_end = decided
                doc.add(Candidate(start, t_end, kind, value * mult, unit, start))
            continue
        left = text[max(0, start - 40):start]
        # Currency written before the amount ("$", "US$", "USD34.6", "$(0.03)").
        near = text[max(0, start - 8):start]
        c1, c2 = near[-1:], near[-2:-1]
        cm = CUR_PREFIX_RE.search(near) if c1 in _CUR_LAST or (c1 == " " and c2 in _CUR_LAST) else None
        negative = False
        if cm:
            code = currency_code(cm.group("cur").replace(" ", ""))
            if code is None:
                continue
            f_start = start - (len(near) - cm.start("cur"))
            f_end = end
            if cm.group("paren"):
                close = text.find(")", end, end + 2)
                if close == end:
                    negative = True
                    f_end = end + 1
            high = None
            r = _RANGE_TAIL.match(text, end)
            if r and r.group("sep").strip() == "to" and (m.group("scale") or m.group("sscale")) \
                    and _BY_LEFT.search(text[max(0, f_start - 8):f_start]):
                r = None  # "rose by $2 billion to $10 billion": the change, then the level
            if r and not _FROM_LEFT.search(text[max(0, f_start - 20):f_start]) and (
                    r.group("sep").strip() != "and" or _BETWEEN_LEFT.search(text[max(0, f_start - 20):f_start])):
                hv = parse_digits(r.group("d"))
                if hv is not None:
                    hs = r.group("scale") or r.group("sscale")
                    if hs and not (m.group("scale") or m.group("sscale")):
                        value *= scale_value(hs)
                    high = hv * scale_value(hs or m.group("scale") or m.group("sscale"))
                    f_end = r.end()
            suffix = CUR_SUFFIX_RE.match(text, f_end)
            if suffix and currency_code(suffix.group("cur")) == code:
                f_end = suffix.end()
            doc.add(Candidate(f_start, f_end, "money", -value if negative else value, code, f_start,
                          value_high=high))
            continue
        # A name, not a quantity: "No 67", "COVID-19", "A320", "Line 2", "top 10", "aged 45".
        if not word and _NAME_LEFT.search(left[-14:]):
            continue
        nxt = text[end:end + 1]
        if not word and nxt and nxt.isalpha() and not m.group("scale") and not m.group("sscale"):
            if not UNIT_RE.match(text, end):
                continue
        # Ranges: "1-2 million tons", "between 10 and 15 percent" (not "from 13 to 19": a change).
        high = None
        tail_pos = end
        value0 = value
        r = _RANGE_TAIL.match(text, end) if not word else _WORD_RANGE.match(text, end)
        if r and r.group("sep").strip() == "to" and (m.group("scale") or m.group("sscale")) \
                and _BY_LEFT.search(left[-8:]):
            r = None  # the same, without a currency sign ("by 2 billion to 10 billion tenge"; not "by 5 to 10%")
        if r and not r.group("cur") and _range_ok(r.group("sep"), left):
            hv = parse_digits(r.group("d")) if not word else parse_words(r.group("w"))
            if hv is not None and not _year_like(m, value):
                hs = r.group("scale") or r.group("sscale")
                if hs and not (m.group("scale") or m.group("sscale")):
                    value *= scale_value(hs)
                high = hv * scale_value(hs or m.group("scale") or m.group("sscale"))
                tail_pos = r.end()
        decided = _classify_tail(text, tail_pos, value, word)
        if decided is None and high is not None:
            high, tail_pos, value = None, end, value0
            decided = _classify_tail(text, tail_pos, value, word)
        if decided:
            kind, unit, mult, t_end = decided
            if kind == "percent" and high is None:
                pr = _PERCENT_RANGE.match(text, t_end)
                if pr and not _FROM_LEFT.search(left[-25:]) and not (
                        unit != "%" and _BY_LEFT.search(left[-8:])):  # "by 1.8 points to 21.4%": change, level
                    high, t_end = parse_digits(pr.group("d")), pr.end()
            if kind == "quantity" and unit != "times" and _year_like(m, value) and unit in ("days", "hours",
                                                                                             "weeks", "months"):
                continue
            if unit in _SMALLER and high is None:
                both = _compound_duration(text, t_end, value * mult, unit)
                if both:
                    value, unit, t_end = both
                    mult = 1.0
            doc.add(Candidate(start, t_end, kind, value * mult, unit, start,
                          value_high=high * mult if high is not None else None))
            continue
        if _year_like(m, value):
            continue
        _count_or_years(doc, m, value, word, left)


# "1 hour and 11 minutes" is one duration (71 minutes): the larger unit converts into the smaller.
_SMALLER = {"hours": ("minutes", 60), "days": ("hours", 24), "weeks": ("days", 7)}
_DURATION_REST = lazy(rf"(?:,\s*|\s+and\s+|\s+)(?P<d>\d+|{WORD_NUMBER})\s+(?P<u>minutes?|hours?|days?)\b")


def _range_ok(sep: str, left: str) -> bool:
    """Whether "X <sep> Y" is a range: a dash always is ("from 45-60 days"); "and" only after
    "between"; "to" unless after "from" (a change), but "ranging from 128 to 178" is a range."""
    sep = sep.strip()
    if sep == "and":
        return bool(_BETWEEN_LEFT.search(left[-25:]))
    if sep in ("to", "or"):
        return not _FROM_LEFT.search(left[-25:]) or bool(_RANGING_LEFT.search(left[-45:]))
    return True


def _compound_duration(text: str, pos: int, value: float, unit: str) -> tuple[float, str, int] | None:
    m = _DURATION_REST.match(text, pos)
    if not m:
        return None
    small, factor = _SMALLER[unit]
    known = quantity_unit(m.group("u"))
    if known is None or known[0] != small:
        return None
    rest = parse_digits(m.group("d")) if m.group("d")[0].isdigit() else parse_words(m.group("d"))
    if rest is None:
        return None
    return value * factor + rest, small, m.end()


def _count_or_years(doc: Claims, m: re.Match[str], value: float, word: bool, left: str) -> None:
    """A number without unit, currency or %: a length in years, a count, or nothing."""
    text = doc.text
    start, end = _span(m)
    sent_start, sent_end = doc.sentence_at(start)
    sentence = text[sent_start:sent_end]
    y = YEARS_RE.match(text, end)
    if y:
        if y.group("old") or re.search(r"\b(?:aged|age of)\s+$", left):
            return
        mult = 10.0 if y.group("yw").lower().startswith("decade") else 1.0
        v = value * mult
        if re.search(r"\bevery\s+$", left):
            doc.add(Candidate(start, y.end(), "quantity", v, "years", start))
            return
        if _FIRST_YEARS_LEFT.search(left[-12:]) or _STATE_AGE.search(sentence):
            return  # "in the first two years of operation": a period; "independent for 34 years": an age
        if _PAST_YEARS_LEFT.search(left[-16:]) and v <= 10 and not _OF_RIGHT.match(text, y.end()) \
                and not _RELATION_LEFT.search(sentence):
            return  # "over the past five years": since when (a relationship's "past 30 years" is its age)
        if _YEARS_LATER.match(text, y.end()) and not _RELATION_LEFT.search(left[-60:]):
            return  # "Two years later, in 2015", "Five years ago": when, not how long (a relationship's age is one)
        hyphen_adj = text[end:end + 1] == "-" and y.group("yw").lower() in ("year", "decade") \
            and not _RELATION_AFTER.match(text, y.end())
        if hyphen_adj or _NEXT_YEARS_LEFT.search(left[-16:]):
            # "a 30-year operation period", "in the next five years": a term or an interval.
            doc.add(Candidate(start, y.end(), "quantity", v, "years", start))
            return
        if _TERM_LEFT.search(left) or y.group("hy") or _TERM.search(sentence):
            doc.add(Candidate(start, y.end(), "quantity", v, "years", start))
            return
        if _COMPANY_AGE.search(sentence) and not _RELATION.search(sentence):
            return  # "a provider for over 20 years", "50 years of experience": an age

        doc.add(Candidate(start, y.end(), "count", v, "years", start))
        return
    if value <= 0 or _ONE_IN_LEFT.search(left[-10:]):
        return  # (nothing counts five things in "one in five new projects": a proportion)
    if not word and _BRAND_LEFT.search(left[-24:]) and not text[start - 1:start] == "(":
        return  # "Boeing 737 aircraft", "Expo 2017 site": a model or edition number in a name
    if _OUT_OF.match(text, end):
        # "76 out of 89 regions": the part is a count too (the whole, "89 regions", is read on its own).
        noun = _counted_noun(text, _OUT_OF.match(text, end).end())
        doc.add(Candidate(start, end, "count", value, None, start, noun=noun[0] if noun else None))
        return
    # A range of counts: "10-15 companies", "ranging from 128 to 178 seats", "five to ten projects".
    r = _RANGE_TAIL.match(text, end) if not word else _WORD_RANGE.match(text, end)
    if r and not r.group("cur") and _range_ok(r.group("sep"), left) and not _year_like(m, value):
        hv = parse_digits(r.group("d")) if not word else parse_words(r.group("w"))
        hs = r.group("scale") or r.group("sscale")
        if hv is not None and hs and not (m.group("scale") or m.group("sscale")):
            value *= scale_value(hs)
        hv = hv * scale_value(hs or m.group("scale") or m.group("sscale")) if hv is not None else None
        noun = _counted_noun(text, r.end())
        if noun and hv is not None and hv > value and doc.free(start, noun[1]):
            doc.add(Candidate(start, noun[1], "count", value, None, start, value_high=hv, noun=noun[0]))
            return
    per = PER_RE.match(text, end)
    if per and not word or (per and value > 1):
        doc.add(Candidate(start, per.end(), "count", value, None, start))
        return
    noun = _counted_noun(text, end)
    if noun:
        phrase, n_end = noun
        if word and (value == 1 and not m.group("scale")):
            return
        if word and _REFERENTIAL.search(left):
            return
        if word and value <= 4 and phrase.split()[-1].lower() in _PARTY_NOUNS and not m.group("scale"):
            return
        if not word and value == 1 and not m.group("scale"):
            return
        per = PER_RE.match(text, n_end)
        doc.add(Candidate(start, per.end() if per else n_end, "count", value, None, start, noun=phrase))
        return
    after = text[end:end + 1]
    if not _NEXT_CHAR_OK.match(after) and after != "":
        return
    # "from 13 to 19 per week": the first number takes the kind of the second.
    r = _RANGE_TAIL.match(text, end)
    if r and _FROM_LEFT.search(left) and r.group("sep").strip() in ("to", "-", "–", "—"):
        m2 = DIGIT_RE.match(text, r.start("d"))
        if m2:
            v2 = _value(m2) or 0
            decided = _classify_tail(text, m2.end(), v2, False)
            if decided:
                kind, unit, mult, _ = decided
                if not (m.group("scale") or m.group("sscale")):
                    # "from 10 to 15 million tons": the scale of the second is the first's too
                    mult *= scale_value(m2.group("scale") or m2.group("sscale"))
                doc.add(Candidate(start, end, kind, value * mult, unit, start))
                return
            if PER_RE.match(text, m2.end()) or _counted_noun(text, m2.end()):
                doc.add(Candidate(start, end, "count", value, None, start))
                return
            # "flights will rise from 20 to 35": a change between two bare counts.
            v2_end = m2.end()
            if _CHANGE_FROM_LEFT.search(left) and not _year_like(m, value) and not _year_like(m2, v2) \
                    and _NEXT_CHAR_OK.match(text, v2_end) and doc.free(m2.start(), v2_end):
                doc.add(Candidate(start, end, "count", value, None, start))
                doc.add(Candidate(m2.start(), v2_end, "count", v2, None, m2.start()))
                return
    if m.group("scale") and _MONEY_CONTEXT.search(sentence[: max(0, start - sent_start)] or sentence):
        doc.add(Candidate(start, end, "money", value, None, start))  # currency filled in later
        return
    if not word and _BARE_COUNT_LEFT.search(left):
        doc.add(Candidate(start, end, "count", value, None, start))
        return
    if (not word or m.group("scale")) and _NUMBER_OF_VERB.search(left[-24:]) \
            and _NUMBER_OF.search(text, max(sent_start, start - 160), start):
        # "the number of visa-free countries will reach 100", "... was 27", "... at the end of
        # last year – 6.9 million –": a bare number that states the number of something.
        doc.add(Candidate(start, end, "count", value, None, start))
        return
    if not word and not _year_like(m, value) and _OF_THEM_LEFT.search(left[-30:]):
        # "15,000 students study in China. Of them, about 2,500 study on scholarships": a part counted
        doc.add(Candidate(start, end, "count", value, None, start))
        return
    if not word and not _year_like(m, value) and (verb := _VERB_LEFT.search(left[-20:])) is not None \
            and text[end:end + 1] in (".", ",", ";", "") and any(
                text[max(sent_start, c.start - 20):c.start].rstrip().lower().endswith(verb.group(1).lower())
                for c in _counts_before(doc, sent_start, start)):
        # "Chinese airlines operate 84 flights a week, while Kazakh carriers operate 56": the
        # same verb with a bare number counts the same things
        doc.add(Candidate(start, end, "count", value, None, start))
        return
    if _EARLIER_VALUE_LEFT.search(left[-24:]) and not _year_like(m, value) \
            and bool(_counts_before(doc, sent_start, start)):
        # "has reached 1,100, up from 650 in 2022", "150 flights a week, compared with 68 a year
        # earlier": the earlier value of the count just stated
        doc.add(Candidate(start, end, "count", value, None, start))
        return
    if not word and "," in m.group("d") and text[start - 1:start] == "(" and text[end:end + 1] == ")" \
            and bool(_counts_before(doc, sent_start, start)):
        # "655,000 tourists came, 78% more than in 2023 (367,000)": the same count restated.
        doc.add(Candidate(start, end, "count", value, None, start))


def _counts_before(doc: Claims, sent_start: int, start: int) -> list[Candidate]:
    """The counts found earlier in the sentence, which a bare number may restate or continue."""
    return [c for c in doc.cands if c.kind == "count" and sent_start <= c.start < start]


def figure_spans(sentence: str) -> list[tuple[int, int]]:
    """Where figures are in one sentence, without their context: cheap, for milestone rules."""
    return [(c.start, c.end) for c in _detect(sentence, with_datelines=False).cands]


def _detect(text: str, with_datelines: bool = True) -> Claims:
    doc = Claims(text, with_datelines)
    find_word_forms(doc)
    _find_numbers(doc)
    doc.cands.sort(key=lambda c: (c.start, c.end))
    return doc


@remember_last
def document(text: str) -> Claims:
    """The figures found in `text` and its sentences: a release goes to extract_figures and
    then to extract_milestones, which reads the same figures and sentences."""
    return _detect(text)


def detect_cached(text: str) -> list[Candidate]:
    return document(text).cands


def figure_spans_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where figures are between `start` and `end` of `text`, relative to `start`."""
    cands = detect_cached(text)
    i = bisect.bisect_left([c.start for c in cands], start) if len(cands) > 16 else 0
    out = []
    for c in cands[i:]:
        if c.start >= end:
            break
        if c.start >= start:
            out.append((c.start - start, min(c.end, end) - start))
    return out


def extract_figures(text: str, *, published: dt.date | None = None) -> list[Figure]:
    """Every money amount, percentage, count and quantity in `text`, in order of appearance,
    with what it measures (subject), when (period) and a measure key."""
    if not text or not isinstance(text, str):
        return []
    published = as_date(published)
    doc = document(text)
    cands = doc.cands
    currencies = Counter(c.unit for c in cands if c.kind == "money" and c.unit)
    default_cur = currencies.most_common(1)[0][0] if currencies else "USD"
    sentences = doc.sentences
    starts = [s.start for s in sentences]
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        i = max(0, bisect.bisect_right(starts, c.start) - 1)
        by_sentence.setdefault(i, []).append(c)
    line = dateline_date(text)
    ref = reference_for(text, published, (line.year, line.month, line.day) if line else None)
    meanings = read_figures(text, sentences, by_sentence, ref, doc.date_spans, doc.tokens)
    out: list[Figure] = []
    for i, group in sorted(by_sentence.items()):
        s = sentences[i] if sentences else None
        sent = s.text if s else text
        base = s.start if s else 0
        for c in group:
            rs, re_ = c.start - base, c.end - base
            unit = c.unit if not (c.kind == "money" and c.unit is None) else default_cur
            qualifier = context.qualifier_before(text[max(0, c.qualifier_at - 30):c.qualifier_at])
            direction = basis = None
            m = meanings[c.start]
            if c.kind == "percent" or c.unit == "times" or m.reading.transform == "growth":
                # (an amount of change too: "cut CO2 emissions by 2.9 million tons" is down)
                direction = context.direction_near(sent, rs, re_)
                b = context.basis_after(sent, re_)
                if b:
                    basis = b[0]
            out.append(Figure(
                kind=cast(FigureKind, c.kind), value=round(c.value, 6) if abs(c.value) < 1e15 else c.value, unit=unit,
                text=text[c.start:c.end], sentence=sent, subject=m.subject, period=m.period, measure=m.measure,
                qualifier=qualifier, direction=direction, basis=basis, value_high=c.value_high,
                start=c.start,
            ))
    return out
