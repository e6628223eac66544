"""Dates in press prose: where they are, and for milestones, how precise.

Figures need to know which numbers are dates (a day of the month is not a count);
milestones need dated mentions with their precision. The periods figures refer to are read
by `periods`; datelines are found by the text layer (`monitor.analysis.text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.numbers import cased_words, trie_pattern

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_TRIE = trie_pattern(
    list(MONTH_NAMES) + ["Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
                         "Nov.", "Dec.", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
                         "Oct", "Nov", "Dec"])
MONTH = "(?:" + _MONTH_TRIE + r")(?![a-z])"
YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|and|through)\s*"

# A mention of a date or month, with or without a year. Groups: day-first, month-first, month-year.
# Dates are found from their month name (a literal-first pattern, fast to scan for), then the
# day and year around it are read with anchored patterns.
_MONTH_RE = lazy(MONTH)
_DAY_LEFT = lazy(rf"(?<![\w.,])(?P<d>{_DAY})(?:{_DASH}{_DAY})?\.?\s+(?:of\s+)?$")
_AFTER_MONTH = lazy(rf"\s+(?P<d>{_DAY})\b(?!\s*(?:%|per|million|billion))(?:{_DASH}{_DAY}\b)?"
                    rf"(?:,?\s+(?P<y>{YEAR})\b)?")
_MONTH_YEAR = lazy(rf"(?:{_DASH}(?P<mb>{MONTH}))?,?\s+(?P<y>{YEAR})\b")
_YEAR_AFTER = lazy(rf",?\s+(?P<y>{YEAR})\b")
ISO_RE = lazy(rf"(?P<iso>{YEAR})-(?P<isom>0[1-9]|1[0-2])-(?P<isod>[0-2]\d|3[01])\b")
NUMERIC_DATE_RE = lazy(rf"(?P<d>\d{{1,2}})(?P<sep>[./])(?P<m>\d{{1,2}})(?P=sep)(?P<y>{YEAR})\b")
_NUMERIC_DATE_HEAD = lazy(r"(?<![\d.])\d{1,2}([./])\d{1,2}\1$")
YEAR_RE = lazy(rf"(?P<y>{YEAR})\b(?![,.]?\d)")
YEAR_RANGE_RE = lazy(rf"\b{YEAR}\s*(?:-|–|—|to)\s*{YEAR}\b|\b{YEAR}\s*(?:-|–|/)\s*\d\d\b")

def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date with a year written in the text, as precise as written."""

    start: int
    end: int
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _day(s: str | None) -> int | None:
    if not s:
        return None
    m = re.match(r"\d+", s)
    return int(m.group(0)) if m else None


def find_dates(text: str) -> list[DateMention | tuple[int, int]]:
    """Date mentions in `text`: DateMention when a year is written, else the bare span
    ("17 May 2023", "May 18-19", "January-April 2024", "2023-05-17")."""
    out: list[DateMention | tuple[int, int]] = []
    last_end = 0
    for m in _MONTH_RE.finditer(text):
        ms, me = m.span()
        if ms < last_end or (ms and text[ms - 1].isalpha()):
            continue
        month = month_number(m.group(0))
        day = year = None
        left = _DAY_LEFT.search(text, max(0, ms - 16), ms)
        if left:
            start, day = left.start(), _day(left.group("d"))
            y = _YEAR_AFTER.match(text, me)
            end, year = (y.end(), y.group("y")) if y else (me, None)
        else:
            a = _AFTER_MONTH.match(text, me)
            if a:
                start, end, day, year = ms, a.end(), _day(a.group("d")), a.group("y")
            else:
                b = _MONTH_YEAR.match(text, me)
                if not b:
                    continue  # a month name alone is no date mention
                start, end, year = ms, b.end(), b.group("y")
        last_end = end
        if year:
            out.append(DateMention(start, end, int(year), month, day))
        else:
            out.append((start, end))
    # Each scan only where its separators stand before a year ("./19", "-0" ...), tested at C speed.
    if ".19" in text or ".20" in text or "/19" in text or "/20" in text:
        for m in NUMERIC_DATE_RE.finditer(text):  # "17.05.2023", "17/05/2023": day first
            if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in ".,/"):
                continue
            day, month = int(m.group("d")), int(m.group("m"))
            if 1 <= month <= 12 and 1 <= day <= 31:
                out.append(DateMention(m.start(), m.end(), int(m.group("y")), month, day))
        out.sort(key=lambda d: d[0] if isinstance(d, tuple) else d.start)
    if "-0" in text or "-1" in text:
        for m in ISO_RE.finditer(text):
            if m.start() and text[m.start() - 1].isalnum():
                continue
            out.append(DateMention(m.start(), m.end(), int(m.group("iso")), int(m.group("isom")),
                                   int(m.group("isod"))))
        out.sort(key=lambda d: d[0] if isinstance(d, tuple) else d.start)
    return out


def iter_years(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
    """Four-digit years (1800-2099) standing alone: not inside a longer number or after '$'."""
    for m in YEAR_RE.finditer(text, pos, len(text) if endpos is None else endpos):
        i = m.start()
        if i and (text[i - 1].isalnum() or text[i - 1] in ",.$/"):
            if not (text[i - 1] in "./" and _NUMERIC_DATE_HEAD.search(text, max(0, i - 6), i)):
                continue
        yield m


def years_in(text: str, taken: list[tuple[int, int]]) -> list[DateMention]:
    """Bare years ("in 1992", "the 2017 Year of Tourism") outside spans already taken."""
    out = []
    for m in iter_years(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append(DateMention(m.start(), m.end(), int(m.group("y"))))
    return out


def as_date(published: object) -> dt.date | None:
    """The publication day from a date or datetime; None for anything else (never raises)."""
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    return None


_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
RELATIVE_RE = lazy(
    r"\b(?:(?:[Oo]n|[Ll]ast)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?P<yr>[Ll]ast year|[Tt]his year|[Nn]ext year)|(?P<mo>[Ll]ast month|[Tt]his month|[Nn]ext month)"
    r"|(?P<day>[Yy]esterday|[Tt]oday))\b"
)


# The same phrases as one literal-first trie: a fast scan of a whole release for sentences
# that may hold a relative date (RELATIVE_RE then reads them).
RELATIVE_HINT_RE = lazy("(?:" + cased_words(
    ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday",
     "last Monday", "last Tuesday", "last Wednesday", "last Thursday", "last Friday", "last Saturday",
     "last Sunday", "last year", "this year", "next year", "last month", "this month", "next month", "yesterday",
     "today"]) + r")\b")


def resolve_relative(m: re.Match[str], published: dt.date) -> tuple[int, str] | None:
    """(year, ISO date) for a RELATIVE_RE match against the publication date."""
    if m.group("wd"):
        back = (published.weekday() - _WEEKDAYS[m.group("wd").lower()]) % 7
        d = published - dt.timedelta(days=back)
        return d.year, d.isoformat()
    if m.group("day"):
        d = published - dt.timedelta(days=1 if m.group("day").lower() == "yesterday" else 0)
        return d.year, d.isoformat()
    if m.group("mo"):
        step = {"last month": -1, "this month": 0, "next month": 1}[m.group("mo").lower()]
        months = published.year * 12 + published.month - 1 + step
        y, month = divmod(months, 12)
        return y, f"{y:04d}-{month + 1:02d}"
    y = {"last year": -1, "this year": 0, "next year": 1}[m.group("yr").lower()] + published.year
    return y, str(y)
