"""Numbers as press prose writes them: digits with thousands separators, words, scale words.

Kept separate from the figure rules so the normalisation ("two billion" -> 2e9,
"1,300" -> 1300, "one-third" -> 33.33) can be tested on its own, with property tests.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

# After "a year" / "a week": "tons a year", never "tons a year earlier" (the time of a comparison).
NOT_A_COMPARISON = r"(?!\s+(?:earlier|ago|before|later|prior)\b)"

def trie_pattern(words: list[str] | tuple[str, ...] | set[str] | dict[str, object]) -> str:
    """A regex alternation of `words` shaped as a trie ('t(?:en|hree|wo)'): Python's `re` tries
    alternatives one by one, so sharing prefixes keeps scanning fast on long texts."""
    root: dict[str, Any] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        alts = []
        optional = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(re.escape(ch) + build(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if optional:
            return "(?:" + body + ")?" if len(alts) == 1 and len(alts[0]) > 1 else body + "?" \
                if len(alts) == 1 and len(alts[0]) == 1 else "(?:" + body + ")?"
        return body

    return build(root)


_LETTER_GROUP = re.compile(r"\(\?:([A-Za-z |]+)\)(.*)")


def by_first_letter(fragments: list[str] | tuple[str, ...], ignore_case: bool = False) -> str:
    """An alternation of regex `fragments` with those that start with the same letter grouped
    ('s(?:igned|tart)|o(?:pen)'), the same matches as "|".join(fragments): `re` tries each
    alternative in turn at every position, and only one group can start there. Order is kept
    within a letter; a fragment that starts otherwise keeps its place between the groups.
    For a pattern compiled with re.I, `ignore_case` puts "Will" and "will" in one group."""
    out: list[str] = []
    groups: dict[str, list[str]] = {}

    def flush() -> None:
        for members in groups.values():
            out.append(re.escape(members[0][0]) + "(?:" + "|".join(m[1:] for m in members) + ")")
        groups.clear()

    for fragment in fragments:
        lead = _LETTER_GROUP.fullmatch(fragment)  # "(?:came|come) into force": one per word
        for item in ([w + lead.group(2) for w in lead.group(1).split("|")] if lead else [fragment]):
            if item[:1].isalpha() and item[1:2] not in ("?", "*", "+", "{", "|"):
                groups.setdefault(item[0].lower() if ignore_case else item[0], []).append(item)
            else:
                flush()
                out.append(item)
    flush()
    return "|".join(out)


def _cased(words: Collection[str]) -> list[str]:
    """Each word as written in lower case and capitalised (sentence start)."""
    return [v for w in words for v in (w, w[:1].upper() + w[1:])]


def cased_words(words: Collection[str], upper: bool = False) -> str:
    """A trie regex for `words` in lower case and capitalised (and UPPER if asked).

    Used instead of re.IGNORECASE, which makes Python's `re` several times slower on long
    alternations; the trie shares prefixes so each position is rejected quickly."""
    variants = _cased(words)
    if upper:
        variants += [w.upper() for w in words]
    return trie_pattern(set(variants))


UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "mln": 1e6, "mn": 1e6, "m": 1e6, "bln": 1e9, "bn": 1e9, "b": 1e9, "tn": 1e12,
    "trln": 1e12, "k": 1e3,
}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17,
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
    "hundredth": 100,
}
FRACTIONS = {
    "half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0,
    "quarters": 25.0, "fifth": 20.0, "fifths": 20.0, "tenth": 10.0, "tenths": 10.0,
}

_UNIT_W = trie_pattern(_cased(UNITS))
_TENS_W = trie_pattern(_cased(TENS))
# A number in words up to 999: "seven", "twenty-five", "two hundred and fifty".
_HUNDRED_TAIL = rf"\s+hundred(?:\s+(?:and\s+)?(?:(?:{_TENS_W})(?:[-\s](?:{_UNIT_W}))?|{_UNIT_W}))?"
WORD_NUMBER = (
    rf"(?:(?:{_TENS_W})(?:-(?:{_UNIT_W}))?|{_UNIT_W})(?:{_HUNDRED_TAIL})?(?:[-\s]and[-\s]a[-\s]half\b)?|dozen"
    rf"|[Aa](?=\s+(?:hundred|thousand|million|billion|trillion)\b)"  # "a billion dollars"
)
DIGIT_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ORD_W = trie_pattern(_cased(ORDINALS))
ORDINAL = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:st|nd|rd|th)|(?:(?:{_TENS_W})-)?(?:{_ORD_W})"

_DIGITS_RE = re.compile(rf"^(?:{DIGIT_NUMBER})$")
_WORD_TOKEN = re.compile(r"[a-z]+")


def parse_digits(s: str) -> float | None:
    """'1,300.5' -> 1300.5; None for anything that is not a plain digit number."""
    s = s.strip()
    if not _DIGITS_RE.match(s):
        return None
    try:
        return float(s.replace(",", ""))
    except ValueError:  # pragma: no cover - the regex admits only valid floats
        return None


def parse_words(s: str) -> float | None:
    """'twenty-five' -> 25, 'two hundred and fifty' -> 250, 'a dozen' -> 12; None if not a number."""
    total = 0.0
    current = 0.0
    seen = False
    toks = _WORD_TOKEN.findall(s.lower())
    half = 0.0
    if len(toks) > 3 and toks[-3:] == ["and", "a", "half"]:
        toks, half = toks[:-3], 0.5  # "two and a half" -> 2.5
    for tok in toks:
        if tok in ("and",):
            continue
        if tok == "a":
            current = current or 1.0
            seen = True
            continue
        if tok in UNITS:
            current += UNITS[tok]
        elif tok in TENS:
            current += TENS[tok]
        elif tok == "dozen":
            current = (current or 1.0) * 12
        elif tok == "hundred":
            current = (current or 1.0) * 100
        elif tok in ("thousand", "million", "billion", "trillion"):
            total += (current or 1.0) * SCALES[tok]
            current = 0.0
        else:
            return None
        seen = True
    return total + current + half if seen else None


def parse_number(s: str) -> float | None:
    """A number written in digits or words, with an optional scale word after it."""
    s = s.strip()
    m = re.match(rf"^({DIGIT_NUMBER})\s*-?\s*([A-Za-z]+)?$", s)
    if m:
        base = parse_digits(m.group(1))
        if base is None:
            return None
        if m.group(2):
            mult = SCALES.get(m.group(2).lower())
            if mult is None:
                return None
            return base * mult
        return base
    return parse_words(s)


def scale_value(word: str | None) -> float:
    """The multiplier of a scale word ('bn' -> 1e9); 1 when there is none."""
    if not word:
        return 1.0
    return SCALES.get(word.strip().lower().rstrip("."), 1.0)


def parse_ordinal(s: str) -> int | None:
    """'fifth' -> 5, '30th' -> 30, 'twenty-first' -> 21, '6,000th' -> 6000."""
    s = s.strip().lower()
    m = re.match(r"^([\d,]+)(?:st|nd|rd|th)$", s)
    if m:
        try:
            return int(m.group(1).replace(",", ""))
        except ValueError:
            return None
    if "-" in s:
        tens, _, unit = s.partition("-")
        if tens in TENS and unit in ORDINALS and ORDINALS[unit] < 10:
            return TENS[tens] + ORDINALS[unit]
        return None
    return ORDINALS.get(s)


def fraction_percent(numerator: str, denominator: str) -> float | None:
    """'a third' -> 33.33, 'two thirds' -> 66.67, 'three quarters' -> 75 (as percent, 2 decimals)."""
    num = 1.0 if numerator.lower() in ("a", "one") else parse_words(numerator)
    per = FRACTIONS.get(denominator.lower())
    if num is None or per is None:
        return None
    return round(num * per, 2)

