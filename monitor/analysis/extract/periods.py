"""Time expressions in a sentence, normalised: the periods figures refer to.

Labels follow one format everywhere: `2023`, `2023-H1`, `2023-Q4`, `2023-10`, `2023-05-17`,
a range `2022-01..2022-10` ("the first 10 months of 2022", "January-October 2022"),
`since 2006-07`, and `target 2030` for a deadline ("by 2030"). Relative expressions ("last
year", "this year", "in October", "currently") resolve against a reference date: the
publication date, else the dateline's, else the text's own clues ("compared with the same
period of 2012" is said in 2013); without one they stay unresolved (no label).

Each expression keeps its role: a point or range (`at`), a start (`since`), a deadline
(`by`), or a comparison basis (`basis`: "than a year earlier", "the same period of 2012"),
which is never the period of the figure it compares.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from monitor.analysis.extract.lazyre import LazyPattern, lazy
from monitor.analysis.lang import en

_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
             "last": 4, "final": 4}
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12}


class Reference:
    """What 'this year' means in a release: a year, and the date when it is known. A year
    implied only by the text is worked out when first asked for (most releases never do)."""

    __slots__ = ("_year", "date", "_text")

    def __init__(self, year: int | None = None, date: dt.date | None = None, text: str | None = None) -> None:
        self._year = year
        self.date = date
        self._text = text

    @property
    def year(self) -> int | None:
        if self._text is not None:
            self._year, self._text = _implied_year(self._text), None
        return self._year

    @property
    def month(self) -> int | None:
        return self.date.month if self.date else None

    def __repr__(self) -> str:
        return f"Reference(year={self.year}, date={self.date})"


@dataclass(frozen=True, slots=True)
class TimeExpr:
    start: int
    end: int
    label: str | None  # normalised, or None when it cannot be resolved
    role: str  # "at", "since", "by", "basis", "relative" (a relative time word left unresolved)
    year: int | None = None  # the (last) year it names
    assumed: bool = False  # a month or day written without its year, which the reference supplied


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    month = r"(?:" + "|".join(en.MONTH_WORDS) + r")(?![a-z])\.?"
    year = r"(?:1[89]\d\d|20\d\d)(?![\d,.]\d)"
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    count = r"(?:\d{1,2}|" + "|".join(_COUNTS) + r")"
    of_year = rf"(?:\s+of\s+(?:(?P<oy>{year})|(?P<orel>this|last|next|the|the current|the previous)\s+year)|,?\s+(?P<y>{year}))?"
    dash = r"\s*(?:-|–|—|to|through|till|until|(?<=\s)and(?=\s))\s*"  # "and": after "between", or two months in a row (_matches)
    p = {
        # "the first 10 months of 2022", "the first ten months of this year"
        # ... and "the nine months ended September 30, 2025" (a reporting period)
        # ... and "the first three quarters of 2025"
        # ... and a results release's "the nine months of 2025" (from January, as "first" says)
        "months": rf"(?:the\s+)?first\s+(?:(?P<n>{count})\s+months|(?P<nq>two|three|2|3)\s+quarters){of_year}"
                  rf"|(?:the\s+)?(?P<n2>{count})\s+months\s+(?:ended|ending)\s+(?P<em>{month})(?:\s+{day})?,?\s+"
                  rf"(?P<ey>{year})"
                  rf"|the\s+(?P<n3>{count})\s+months\s+of\s+(?P<y3>{year})",
        # "the first half of 2024", "the second half of the year", "H1 2024", "1H2024"
        "half": rf"(?:the\s+)?(?P<ord>first|second|1st|2nd)\s+half{of_year}|\b(?P<h>H[12])\s*(?P<hy>{year})",
        "quarter": rf"(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|last|final)\s+quarter{of_year}"
                   rf"|\b(?P<q>Q[1-4])\s*(?P<qy>{year})",
        # "January-April 2024", "from January to April", "Jan.-Sept. 2013"
        "month_range": rf"(?P<m1>{month}){dash}(?P<m2>{month}){of_year}",
        # "in March, April and May 2024": months listed in a row are one span (found with month_range)
        "month_list": rf"(?P<m1>{month})(?P<mid>(?:,\s*{month})+),?\s+and\s+(?P<m2>{month}){of_year}",
        # "17 May 2023", "May 17, 2023", "May 17": the two orders as two patterns with the same
        # groups, each matched where it must start
        "date": rf"(?P<d1>{day})\s+(?:of\s+)?(?P<m1>{month})(?:,?\s+(?P<y1>{year}))?(?P<m2>(?!x)x)?(?P<d2>(?!x)x)?"
                rf"(?P<y2>(?!x)x)?",
        "date_md": rf"(?P<m2>{month})\s+(?P<d2>{day})\b(?!\s*(?:%|percent|million|billion|per))(?:,?\s+(?P<y2>{year}))?"
                   rf"(?P<m1>(?!x)x)?(?P<d1>(?!x)x)?(?P<y1>(?!x)x)?",
        "iso": rf"(?P<y>{year})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-2]\d|3[01])\b",
        "month": rf"(?P<m>{month})(?:,?\s+(?P<y>{year}))?",
        "year_range": rf"(?P<a>{year})\s*(?:-|–|—|to|/)\s*(?P<b>{year}|\d\d)\b",
        "fiscal": rf"(?:fiscal(?:\s+year)?|FY)\s*(?P<y>{year})",
        "year": rf"(?P<y>{year})",
        "relative": r"(?P<w>(?:so\s+far\s+)?this\s+year|last\s+year|next\s+year|the\s+(?:previous|past|last)\s+year"
                    r"|(?<=by the end of )the\s+year"  # a deadline "by the end of the year": this year
                    r"|the\s+(?:past|last)\s+decade"  # "over the past decade": since ten years ago
                    # "over the past five years": since five years ago (a relationship's "past 30 years"
                    # or "years of cooperation" is its age: figures.py)
                    r"|the\s+(?:past|last)\s+(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|10)\s+years"
                    r"(?!\s+of\b)"
                    r"|the\s+current\s+year|this\s+month|last\s+month|currently|at\s+present|presently|now|"
                    r"to\s+date|so\s+far|year[- ]to[- ]date|since\s+the\s+(?:beginning|start)\s+of\s+the\s+year)"
                    r"(?!['\u2019]s)",
    }
    flags = {"months": re.I, "half": re.I, "quarter": re.I}  # "relative" is matched on the lowercased text
    return {k: re.compile(v, flags.get(k, 0)) for k, v in p.items()}


_IN_BEFORE = lazy(r"\b(?:[Ii]n|[Dd]uring|[Oo]ver)\s+$")
_ORDER = ("iso", "months", "half", "quarter", "month_range", "date", "fiscal", "year_range", "month", "year",
          "relative")
# Words before an expression that give it a role.
_SINCE_LEFT = lazy(r"(?:\bsince|\bfrom|\bstarting(?:\s+from)?|\bbeginning(?:\s+in)?)\s+(?:the\s+)?$", re.I)
# "Since the first train passed through Khorgos in 2016, the port has handled ...": the date
# of the event a since-clause opens with is where the count starts.
_SINCE_CLAUSE_LEFT = lazy(r"(?:^|[,;]\s*|\s)[Ss]ince\s+[^,;:.\d]{3,80}?\s(?:in|on)\s+$")
_BY_LEFT = lazy(r"(?:\bby|\bbefore|\buntil|\btill|\bno\s+later\s+than)\s+(?:the\s+end\s+of\s+)?(?:the\s+)?$"
                      r"|\bby\s+the\s+end\s+of\s+$", re.I)
_END_OF_LEFT = lazy(r"\b(?:at|by|as\s+of)\s+the\s+end\s+of\s+$|\bas\s+of\s+$", re.I)
_BASIS_LEFT = lazy(
    r"(?:\bthan\s+(?:in\s+|at\s+)?|\bcompared\s+(?:to|with)\s+(?:the\s+|in\s+)?|\bversus\s+|\bvs\.?\s+|\bagainst\s+|"
    r"\bsame\s+period\s+(?:of|in|last)\s+|\bfrom\s+(?:the\s+)?(?:same\s+period\s+of\s+)?|\bover\s+(?:the\s+)?"
    r"same\s+period\s+of\s+|\bup\s+from\s+|\bdown\s+from\s+)(?:the\s+)?(?:same\s+period\s+(?:of|in)\s+)?$", re.I)
_STARTING_FROM = lazy(r"\b(?:starting|effective|beginning)\s+from\s+$", re.I)
_A_YEAR_EARLIER = lazy(r"\ba\s+year\s+(?:earlier|ago|before)|\bthe\s+(?:previous|prior|preceding)\s+year"
                             r"|\blast\s+year['\u2019]s\b|\bthe\s+same\s+period\s+(?:of\s+)?(?:the\s+)?"
                             r"(?:last|previous|prior)\s+year|\byear[- ]on[- ]year\b|\by-o-y\b", re.I)
_WEEKDAY = lazy(r"\b(?:on|last|this|next|since)\s+(?:" + "|".join(en.WEEKDAYS) + r")\b"
                      r"(?:\s+(?:morning|afternoon|evening|night))?")
_YEAR_AGO = lazy(r"(?P<n>\d{1,3}|" + "|".join(_COUNTS) + r")\s+years?\s+ago\b", re.I)


def find_times_in(text: str, sentences: list[tuple[int, int]], ref: Reference | None = None
                  ) -> list[list[TimeExpr]]:
    """Time expressions of several sentences of one text (each (start, end) in `text`), with
    offsets in their sentence: the sentences are joined and each pattern scans them once,
    not once per sentence (and not the sentences that were not asked about)."""
    parts = [text[a:b] for a, b in sentences]
    joined = "\n".join(parts)
    bounds = []
    pos = 0
    for part in parts:
        bounds.append((pos, pos + len(part)))
        pos += len(part) + 1
    return _find_times_in(joined, bounds, ref)


def _find_times_in(text: str, sentences: list[tuple[int, int]], ref: Reference | None = None
                   ) -> list[list[TimeExpr]]:
    ref = ref or Reference()
    pats = _patterns()
    low_text = text.lower()
    starts = [a for a, _ in sentences]
    out: list[list[TimeExpr]] = [[] for _ in sentences]
    taken: list[list[tuple[int, int]]] = [[] for _ in sentences]
    cache: dict[int, str] = {}

    def place(a: int, b: int) -> int | None:
        i = bisect_right(starts, a) - 1
        if i < 0 or b > sentences[i][1]:
            return None
        return i

    def sentence_of(i: int) -> str:
        if i not in cache:
            cache[i] = text[sentences[i][0]:sentences[i][1]]
        return cache[i]

    def free(i: int, a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken[i])

    if "year" in low_text or "period" in low_text:
        for m in _anchored(_A_YEAR_EARLIER, text, (("year", "period"), 40, 12), low_text):
            i = place(*m.span())
            if i is not None:
                base = sentences[i][0]
                taken[i].append((m.start() - base, m.end() - base))
                out[i].append(TimeExpr(m.start() - base, m.end() - base, None, "basis"))
    month_hits = list(_month_re().finditer(text))
    triggers = _triggers(text, low_text, bool(month_hits))
    for kind in _ORDER:
        if not triggers[kind]:
            continue
        for m in _matches(kind, pats[kind], text, low_text, month_hits):
            i = place(*m.span())
            if i is None:
                continue
            sentence = sentence_of(i)
            base = sentences[i][0]
            a, b = m.start() - base, m.end() - base
            if not free(i, a, b) or (a and sentence[a - 1].isalnum()) or (
                    b < len(sentence) and sentence[b].isalnum() and kind != "relative"):
                continue
            if kind in ("year", "year_range") and a and sentence[a - 1] in "$€¥₸£":
                continue
            if kind == "month" and not m.group("y") and not _month_alone_ok(sentence, a, m.group("m")):
                continue
            label, year = _label(kind, m, ref, sentence)
            if kind == "date" and not (m.group("y1") or m.group("y2")):
                label = _date_label(m, ref)
            taken[i].append((a, b))
            out[i].append(TimeExpr(a, b, label, _role(sentence, a, b, kind), year, _yearless(kind, m)))
    if "day" in low_text and any(d in text for d in en.WEEKDAYS):
        for m in _WEEKDAY.finditer(text):
            i = place(*m.span())
            if i is not None:
                a, b = m.start() - sentences[i][0], m.end() - sentences[i][0]
                if free(i, a, b):
                    taken[i].append((a, b))
                    out[i].append(TimeExpr(a, b, None, "relative"))
    if " ago" in low_text:
        for m in _anchored(_YEAR_AGO, text, _ANCHORS["ago"], low_text):
            i = place(*m.span())
            if i is not None:
                a, b = m.start() - sentences[i][0], m.end() - sentences[i][0]
                if free(i, a, b):
                    out[i].append(TimeExpr(a, b, None, "ago"))
    for times in out:
        times.sort(key=lambda t: t.start)
    return out


# Patterns that cannot be scanned for quickly (they open with alternatives or ignore case)
# are tried only around a word they must contain: (literal words, characters before, after).
_ANCHORS: dict[str, tuple[tuple[str, ...], int, int]] = {
    "months": (("months", "quarters"), 30, 40), "half": (("half", "h1", "h2"), 12, 30),
    "quarter": (("quarter", "q1", "q2", "q3", "q4"), 12, 30),
    "relative": (("year", "month", "current", "present", "now", "date", "far", "decade"), 40, 12),
    "ago": ((" ago",), 22, 6),
}
_BY_MONTH = ("month_range", "date")


def _anchored(pattern: re.Pattern[str] | LazyPattern, text: str, anchor: tuple[tuple[str, ...], int, int], low_text: str,
              back: int | None = None, fwd: int | None = None) -> list[re.Match[str]]:
    """Matches of `pattern` that hold one of the anchor words, searched only near them."""
    words, b0, f0 = anchor
    back = b0 if back is None else back
    fwd = f0 if fwd is None else fwd
    out: list[re.Match[str]] = []
    seen: set[tuple[int, int]] = set()
    n = len(text)
    for word in words:
        at = low_text.find(word)
        while at >= 0:
            for m in pattern.finditer(text, max(0, at - back), min(n, at + len(word) + fwd)):
                if m.start() <= at < m.end() + 1 and m.span() not in seen:
                    seen.add(m.span())
                    out.append(m)
            at = low_text.find(word, at + len(word))
    out.sort(key=lambda m: m.start())
    return out


_DAY_BEFORE = lazy(r"(?<![\w.,])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\.?\s+(?:of\s+)?$")
_ISO_HINT = lazy(r"\d{4}-\d\d-\d\d")


def _matches(kind: str, pattern: re.Pattern[str], text: str, low_text: str,
             month_hits: list[re.Match[str]] | None = None) -> list[re.Match[str]]:
    """The pattern's matches in the text, found from what each must contain, so no slow
    pattern scans the whole text (`month_hits`: where month names are, when known)."""
    if month_hits is None and kind in ("month_range", "date", "month"):
        month_hits = list(_month_re().finditer(text))
    if kind == "relative":
        if len(low_text) != len(text):  # a character that lowercases to two: offsets would drift
            return list(re.compile(pattern.pattern, re.I).finditer(text))
        return _anchored(pattern, low_text, _ANCHORS[kind], low_text)
    if kind in _ANCHORS:
        return _anchored(pattern, text, _ANCHORS[kind], low_text)
    if kind == "month":
        return [m for a in month_hits or () if (m := pattern.match(text, a.start()))]
    if kind == "month_range":
        out = []
        for a in month_hits or ():
            after = text[a.end():a.end() + 6]
            if "-" in after or "–" in after or "—" in after or " to " in after or "thro" in after or "till" in after \
                    or "unti" in after or (" and " in after and text[max(0, a.start() - 8):a.start()].lower() == "between "):
                m = pattern.match(text, a.start())
                if m:
                    out.append(m)
            elif " and " in after and _IN_BEFORE.search(text, max(0, a.start() - 8), a.start()):
                m = pattern.match(text, a.start())  # "in March and April": two months in a row are one span
                if m and en.MONTHS[m.group("m2").lower().rstrip(".")] == en.MONTHS[m.group("m1").lower().rstrip(".")] + 1:
                    out.append(m)
            elif after.startswith(",") and _IN_BEFORE.search(text, max(0, a.start() - 8), a.start()):
                m = _patterns()["month_list"].match(text, a.start())
                if m and _in_a_row(m):
                    out.append(m)
        return out
    if kind == "date":
        out = []
        md = _patterns()["date_md"]
        for a in month_hits or ():
            left = _DAY_BEFORE.search(text, max(0, a.start() - 12), a.start())
            m = pattern.match(text, left.start()) if left else None
            m = m or md.match(text, a.start())
            if m:
                out.append(m)
        return out
    if kind == "iso" and ("-0" not in text and "-1" not in text or not _ISO_HINT.search(text)):
        return []
    if kind == "fiscal" and "fiscal" not in low_text and "FY" not in text:
        return []
    return list(pattern.finditer(text))


def find_times(sentence: str, ref: Reference | None = None) -> list[TimeExpr]:
    """Time expressions in one sentence, left to right, without overlaps."""
    ref = ref or Reference()
    pats = _patterns()
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    low = sentence.lower()
    if "year" in low or "period" in low:
        for m in _A_YEAR_EARLIER.finditer(sentence):
            taken.append(m.span())
            out.append(TimeExpr(m.start(), m.end(), None, "basis"))
    triggers = _triggers(sentence, low)
    for kind in _ORDER:
        if not triggers[kind]:
            continue
        for m in _matches(kind, pats[kind], sentence, low):
            a, b = m.span()
            if not free(a, b) or (a and sentence[a - 1].isalnum()) or (b < len(sentence) and sentence[b].isalnum()
                                                                       and kind != "relative"):
                continue
            if kind in ("year", "year_range") and a and sentence[a - 1] in "$€¥₸£":
                continue
            label, year = _label(kind, m, ref, sentence)
            if kind == "month" and not m.group("y") and not _month_alone_ok(sentence, a, m.group("m")):
                continue
            if kind == "date" and not (m.group("y1") or m.group("y2")):
                label = _date_label(m, ref)
            taken.append((a, b))
            out.append(TimeExpr(a, b, label, _role(sentence, a, b, kind), year, _yearless(kind, m)))
    if "day" in low:
        for m in _WEEKDAY.finditer(sentence):  # "on Wednesday": when something happened, never a period
            if free(m.start(), m.end()):
                taken.append(m.span())
                out.append(TimeExpr(m.start(), m.end(), None, "relative"))
    if " ago" in low:
        for m in _YEAR_AGO.finditer(sentence):  # "31 years ago": a time, not a period (the length is a figure)
            if free(m.start(), m.end()):
                out.append(TimeExpr(m.start(), m.end(), None, "ago"))
    out.sort(key=lambda t: t.start)
    return out


_YEARISH = lazy(r"(?:1[89]|20)\d\d")
_RELATIVE_HINTS = ("year", "month", "current", "present", "now", "date", "far", "decade")


def _triggers(sentence: str, low: str, month: bool | None = None) -> dict[str, bool]:
    """Which patterns can match at all, from cheap substring tests: most sentences name no
    quarter, no half and no month, and skip those patterns."""
    year = _YEARISH.search(sentence) is not None
    if month is None:
        month = _month_re().search(sentence) is not None
    return {
        "iso": year and "-" in sentence, "months": "month" in low or "quarters" in low,
        "half": "half" in low or "h1" in low or "h2" in low,
        "quarter": "quarter" in low or bool(_Q.search(sentence)), "month_range": month, "date": month,
        "fiscal": year and ("fiscal" in low or "fy" in low), "year_range": year, "month": month, "year": year,
        "relative": any(h in low for h in _RELATIVE_HINTS),
    }


_Q = lazy(r"Q[1-4]")


@lru_cache(maxsize=1)
def _month_re() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(en.MONTH_WORDS) + r")(?![a-z])")


def _in_a_row(m: re.Match[str]) -> bool:
    """The months of a list ("March, April and May") follow each other."""
    names = [m.group("m1"), *re.findall(r"[A-Za-z]+", m.group("mid")), m.group("m2")]
    months = [en.MONTHS.get(n.lower().rstrip(".")) for n in names]
    return all(a is not None and b == a + 1 for a, b in pairwise(months))


def _month_alone_ok(sentence: str, a: int, word: str) -> bool:
    """A month without a year is a time only after 'in', 'of', 'during', 'for', 'since', 'by',
    'from', 'until' ("in October"); "May" also needs that ("may" is a verb)."""
    left = sentence[max(0, a - 25):a].lower()
    if _MONTH_LIST_AFTER.match(sentence, a + len(word)):
        return False  # "in March and May": no one period (two months in a row are a range, found before)
    return bool(re.search(r"\b(?:in|of|during|for|since|by|from|until|over|end of|through|last|early|late|mid)\s+$",
                          left))


_MONTH_LIST_AFTER = lazy(r"(?:\s+and|,)\s+(?:" + "|".join(en.MONTH_NAMES) + r")\b")


# A word each role pattern must contain: on ASCII text, where ignoring case is lowercasing,
# a substring test rules most patterns out without running them.
_BASIS_WORDS = ("than", "compared", "versus", "vs", "against", "same", "from")
_SINCE_WORDS = ("since", "from", "starting", "beginning")
_END_OF_WORDS = ("end", "as")
_BY_WORDS = ("by", "before", "until", "till", "later")


def _role(sentence: str, a: int, b: int, kind: str) -> str:
    left = sentence[max(0, a - 45):a]
    low = left.lower() if left.isascii() else None

    def may(words: tuple[str, ...]) -> bool:
        return low is None or any(w in low for w in words)

    if may(_BASIS_WORDS) and _BASIS_LEFT.search(left) and not _STARTING_FROM.search(left):
        return "basis"  # ("starting from April 15" is when something starts)
    if may(_SINCE_WORDS) and _SINCE_LEFT.search(left):
        return "since"
    if "ince " in sentence[max(0, a - 100):a] and _SINCE_CLAUSE_LEFT.search(sentence[max(0, a - 100):a]):
        return "since"
    if may(_END_OF_WORDS) and _END_OF_LEFT.search(left):
        return "at"
    if may(_BY_WORDS) and _BY_LEFT.search(left):
        return "by"
    if kind == "relative" and sentence[a:b].lower().endswith(("decade", "years")):
        return "since"
    return "at" if kind != "relative" else "relative"


def _year_of(m: re.Match[str], ref: Reference) -> int | None:
    g = m.groupdict()
    for key in ("y", "oy", "hy", "qy"):
        if g.get(key):
            return int(g[key])
    rel = (g.get("orel") or "").lower()
    if rel in ("last", "the previous") and ref.year:
        return ref.year - 1
    if rel == "next" and ref.year:
        return ref.year + 1
    if rel in ("this", "the", "the current") or rel == "":
        return ref.year
    return None


def _count_of(raw: str) -> int:
    """'10' or 'ten' months, 'three' quarters: the number (0 when unknown)."""
    low = raw.lower()
    return int(low) if low.isdigit() else _COUNTS.get(low, 0)


def _yearless(kind: str, m: re.Match[str]) -> bool:
    """A month, months or a day named without a year ("in May", "on April 15")."""
    g = m.groupdict()
    if kind == "month":
        return not g.get("y")
    if kind == "date":
        return not (g.get("y1") or g.get("y2"))
    if kind == "month_range":
        return not (g.get("y") or g.get("oy") or g.get("orel"))
    return False


def ahead(label: str, ref: Reference) -> str:
    """A yearless month or day of a plan at its next occurrence: read against a release of 3
    March 2025, "will reach 10 million tons in May" is May 2025, not the May before it."""
    if ref.date is None:
        return label
    first = re.match(r"(\d{4})-(\d{2})(?:-(\d{2}))?", label)
    if first is None:
        return label
    year, month, day = int(first.group(1)), int(first.group(2)), int(first.group(3) or 0)
    shift = 0
    while (year + shift, month, day) < (ref.date.year, ref.date.month, ref.date.day if day else 0) and shift < 2:
        shift += 1
    if not shift:
        return label
    return re.sub(r"\b(\d{4})(?=-\d{2})", lambda y: str(int(y.group(1)) + shift), label)


def _month_year(month: int, ref: Reference) -> int | None:
    """The year of a month named without one: the latest such month not after the reference."""
    if ref.year is None:
        return None
    if ref.month is not None and month > ref.month:
        return ref.year - 1
    return ref.year


def _label(kind: str, m: re.Match[str], ref: Reference, sentence: str) -> tuple[str | None, int | None]:
    y: int | None
    if kind == "year":
        y = int(m.group("y"))
        return str(y), y
    if kind == "fiscal":
        y = int(m.group("y"))
        return str(y), y
    if kind == "iso":
        y = int(m.group("y"))
        return f"{y}-{m.group('m')}-{m.group('d')}", y
    if kind == "year_range":
        a = int(m.group("a"))
        b_raw = m.group("b")
        b = int(b_raw) if len(b_raw) == 4 else (a // 100) * 100 + int(b_raw)
        if b <= a:
            return str(a), a
        return f"{a}..{b}", b
    if kind == "months" and m.group("n2"):
        end_month = en.MONTHS.get(m.group("em").lower().rstrip("."))
        n, ey = _count_of(m.group("n2")), int(m.group("ey"))
        if not 1 <= n <= 12 or end_month is None:
            return None, ey
        sm, sy = end_month - n + 1, ey
        if sm < 1:
            sm, sy = sm + 12, sy - 1
        return f"{sy}-{sm:02d}..{ey}-{end_month:02d}", ey
    if kind == "months" and m.group("n3"):
        n, y3 = _count_of(m.group("n3")), int(m.group("y3"))
        return (f"{y3}-01..{y3}-{n:02d}" if 1 < n <= 12 else None), y3
    if kind == "months":
        n = 3 * _count_of(m.group("nq")) if m.group("nq") else _count_of(m.group("n"))
        y = _year_of(m, ref)
        if not 1 <= n <= 12 or y is None:
            return None, y
        return (f"{y}-01..{y}-{n:02d}" if n > 1 else f"{y}-01"), y
    if kind == "half":
        if m.group("h"):
            y = int(m.group("hy"))
            return f"{y}-{m.group('h')}", y
        y = _year_of(m, ref)
        n = _ORDINALS[m.group("ord").lower()]
        return (f"{y}-H{n}" if y else None), y
    if kind == "quarter":
        if m.group("q"):
            y = int(m.group("qy"))
            return f"{y}-{m.group('q')}", y
        y = _year_of(m, ref)
        n = _ORDINALS[m.group("ord").lower()]
        return (f"{y}-Q{n}" if y else None), y
    if kind == "month_range":
        a = en.MONTHS[m.group("m1").lower().rstrip(".")]
        b = en.MONTHS[m.group("m2").lower().rstrip(".")]
        y = _year_of(m, ref) if (m.group("y") or m.group("oy") or m.group("orel")) else _month_year(b, ref)
        if y is None or b <= a:
            return None, y
        return f"{y}-{a:02d}..{y}-{b:02d}", y
    if kind == "date":
        y_raw = m.group("y1") or m.group("y2")
        if not y_raw:
            return None, None
        month = en.MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        d = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group(0))  # type: ignore[union-attr]
        return f"{int(y_raw)}-{month:02d}-{d:02d}", int(y_raw)
    if kind == "month":
        month = en.MONTHS[m.group("m").lower().rstrip(".")]
        y = int(m.group("y")) if m.group("y") else _month_year(month, ref)
        return (f"{y}-{month:02d}" if y else None), y
    # relative
    w = " ".join(m.group("w").lower().split())
    if ref.year is None:
        return None, None
    if w in ("last year", "the previous year", "the past year", "the last year"):
        return str(ref.year - 1), ref.year - 1
    if w in ("next year",):
        return str(ref.year + 1), ref.year + 1
    if w.endswith("decade"):
        return str(ref.year - 10), ref.year - 10  # its role is "since" (_role)
    if w.endswith(" years"):
        n = _count_of(w.split()[-2])  # "the past five years": since five years ago (_role)
        return (str(ref.year - n), ref.year - n) if 1 < n <= 10 else (None, None)
    if w in ("this month",) and ref.date:
        return f"{ref.year}-{ref.date.month:02d}", ref.year
    if w in ("last month",) and ref.date:
        last = ref.date.replace(day=1) - dt.timedelta(days=1)
        return f"{last.year}-{last.month:02d}", last.year
    if w.startswith(("so far", "since the", "year")) and ref.date:
        return f"{ref.year}-01-01..{ref.date.isoformat()}", ref.year
    return str(ref.year), ref.year


def _date_label(m: re.Match[str], ref: Reference) -> str | None:
    """A day without a year ("on 8 November") in the reference year, when that is known."""
    month = en.MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
    d = int(re.match(r"\d+", m.group("d1") or m.group("d2")).group(0))  # type: ignore[union-attr]
    y = _month_year(month, ref)
    if y is None:
        return None
    return f"{y}-{month:02d}-{d:02d}"


# ---------------------------------------------------------------- the reference date

_SAME_PERIOD_YEAR = lazy(
    r"\b(?:same\s+period\s+(?:(?:of|in)\s+|last\s+year,?\s+)?|compared\s+(?:to|with)\s+(?:the\s+)?(?:same\s+period\s+of\s+)?)"
    r"(?P<y>1[89]\d\d|20\d\d)\b", re.I)


def reference_for(text: str, published: dt.date | None, dateline: tuple[int | None, int | None, int | None] | None
                  ) -> Reference:
    """The date 'this year' is counted from: the publication date, else the dateline's date,
    else a year the text implies ("up 5% from the same period of 2012": said in 2013)."""
    if published is not None:
        return Reference(published.year, published)
    if dateline and dateline[0]:
        y, (_, mo, d) = dateline[0], dateline
        try:
            return Reference(y, dt.date(y, mo or 1, d or 1) if mo else None)
        except ValueError:
            return Reference(y)
    return Reference(text=text)


def _implied_year(text: str) -> int | None:
    """A year the text implies: "up 5% from the same period of 2012" is said in 2013; a
    release that reports a year's statistics in the past tense ("exceeded $32 billion in
    2022") is written after that year, unless it names a later one."""
    years = [int(m.group("y")) for m in _SAME_PERIOD_YEAR.finditer(text)]
    if years:
        return max(years) + 1
    stated = []
    later = []
    for m in _YEAR_IN.finditer(text):
        y = int(m.group("y"))
        left = text[max(0, m.start() - 110):m.start()]
        if m.group("p") and _STAT_BEFORE.search(left):
            stated.append(y)
        elif not _DEADLINE_LEFT.search(left[-12:]):
            later.append(y)
    if stated and not any(y > max(stated) for y in later):
        return max(stated) + 1
    return None


_YEAR_IN = lazy(r"(?P<p>\b(?:in|by\s+the\s+end\s+of|at\s+the\s+end\s+of|for)\s+)?(?<![\d.,$])"
                      r"(?P<y>(?:19|20)\d\d)\b(?!\s*[-–/]\s*\d)", re.I)
_DEADLINE_LEFT = lazy(r"\b(?:by|until|before|to)\s+$", re.I)


_STAT_PAST = (r"(?:reached|reaching|exceeded|exceeding|amounted|totall?ed|grew|rose|increased|decreased|fell|"
              r"declined|stood|hit|topped|surpassed)")
# a past statistic verb then a number, in the same sentence, before "in <year>"
_STAT_BEFORE = lazy(rf"\b{_STAT_PAST}\b[^.;\n]*\d[^.;\n]*$", re.I)
