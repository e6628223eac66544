"""Dates, periods and datelines in press prose.

Figures need to know which numbers are dates (a day of the month is not a count) and what
period a statistic refers to; milestones need dated mentions with their precision. Both
must ignore the dateline ("ASTANA, July 3 (Xinhua) --"), which dates the release, not an event.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
         r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|and|through)\s*"

# A mention of a date or month, with or without a year. Groups: day-first, month-first, month-year.
DATE_RE = re.compile(
    rf"\b(?P<d1>{_DAY})(?:{_DASH}{_DAY})?\.?\s+(?:of\s+)?(?P<m1>{MONTH})(?:,?\s+(?P<y1>{YEAR})\b)?"
    rf"|\b(?P<m2>{MONTH})\s+(?P<d2>{_DAY})\b(?!\s*(?:%|per|million|billion))(?:{_DASH}{_DAY}\b)?(?:,?\s+(?P<y2>{YEAR})\b)?"
    rf"|\b(?P<m3>{MONTH})(?:{_DASH}(?P<m3b>{MONTH}))?,?\s+(?P<y3>{YEAR})\b"
    rf"|\b(?P<iso>{YEAR})-(?P<isom>0[1-9]|1[0-2])-(?P<isod>[0-2]\d|3[01])\b"
)
YEAR_RE = re.compile(rf"(?<![\d,.$])\b(?P<y>{YEAR})\b(?![,.]?\d)")
YEAR_RANGE_RE = re.compile(rf"\b{YEAR}\s*(?:-|–|—|to)\s*{YEAR}\b|\b{YEAR}\s*(?:-|–|/)\s*\d\d\b")

# "ASTANA –", "NUR-SULTAN, Sept. 30 (Xinhua) --", "BEIJING, 19. May 2023 /PRNewswire/ —",
# "ATLANTA, Feb. 20, 2014 /PRNewswire/ --", "ASTANA, July 3. /TASS/."
DATELINE_RE = re.compile(
    rf"^[ \t]*(?:[A-Z][A-Za-z'.-]*[A-Z][A-Za-z'.-]*|[A-Z]{{2,}})(?:[ -][A-Z][A-Za-z'.-]+)*"
    rf"(?:,\s*[A-Z][A-Za-z.]+)?"
    rf"(?:,?\s*(?:{MONTH}\s+{_DAY}\.?|{_DAY}\.?\s+{MONTH})(?:,?\s+{YEAR})?\.?)?"
    rf"\s*(?:\([A-Za-z .]+\)|/[A-Za-z .]+/\.?)?\s*(?:--|–|—|-|:)?(?=\s)",
    re.M,
)
_DATELINE_MARK = re.compile(r"[–—]|--|\(|/")

PERIOD_RE = re.compile(
    rf"\b(?:(?P<part>first|second|third|fourth|1st|2nd|3rd|4th|last)\s+(?P<pk>quarter|half)\s+of\s+(?:the\s+year\s+)?(?P<py>{YEAR})"
    rf"|(?P<q>Q[1-4]|H[12])\s*(?P<qy>{YEAR})"
    rf"|(?P<ma>{MONTH})\s*(?:-|–|—|to|through)\s*(?P<mb>{MONTH})(?:,?\s+(?P<my>{YEAR}))?"
    rf"|(?P<mo>{MONTH})\s+(?P<moy>{YEAR})"
    rf"|(?:in|of|during|for|by the end of|at the end of|over)\s+(?P<mm>{MONTH})\b(?!\s+\d)"
    rf"|(?P<rel>(?:last|this|next|the previous|the past)\s+year)"
    rf"|(?P<y>{YEAR})(?!\s*(?:-|–)\s*\d))\b"
)

_PARTS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


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


def dateline_end(text: str) -> int:
    """Offset where the dateline of a release ends (0 when there is none).

    Only the first line is considered: a dateline is a place name in capitals, maybe a date
    and a wire name, then a dash. A bare capitalised word without a dash is not one.
    """
    m = DATELINE_RE.match(text)
    if not m or not _DATELINE_MARK.search(m.group(0)):
        return 0
    head = m.group(0).strip()
    first = head.split(",")[0].split("(")[0].strip(" -–—/")
    letters = [c for c in first if c.isalpha()]
    if not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters) or len(letters) < 3:
        return 0
    return m.end()


def datelines(text: str) -> list[tuple[int, int]]:
    """Spans of datelines at the start of any paragraph (syndicated copies repeat them)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        end = dateline_end(line)
        if end:
            spans.append((pos, pos + end))
        pos += len(line) + 1
    return spans


def find_dates(text: str) -> list[DateMention | tuple[int, int]]:
    """Date mentions in `text`: DateMention when a year is written, else the bare span."""
    out: list[DateMention | tuple[int, int]] = []
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        if g["iso"]:
            out.append(DateMention(m.start(), m.end(), int(g["iso"]), int(g["isom"]), int(g["isod"])))
            continue
        month_word = g["m1"] or g["m2"] or g["m3"]
        if month_word == "May" and g["m2"] and not g["y2"] and not g["d2"]:
            continue
        month = month_number(month_word) if month_word else None
        year = g["y1"] or g["y2"] or g["y3"]
        day = _day(g["d1"] or g["d2"])
        if year:
            out.append(DateMention(m.start(), m.end(), int(year), month, day))
        else:
            out.append((m.start(), m.end()))
    return out


def years_in(text: str, taken: list[tuple[int, int]]) -> list[DateMention]:
    """Bare years ("in 1992", "the 2017 Year of Tourism") outside spans already taken."""
    out = []
    for m in YEAR_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        out.append(DateMention(m.start(), m.end(), int(m.group("y"))))
    return out


@dataclass(frozen=True, slots=True)
class Period:
    """A statistic's period as the sentence states it, normalised ("January-April 2024")."""

    start: int
    end: int
    label: str


def find_periods(sentence: str, published: dt.date | None = None) -> list[Period]:
    """Periods mentioned in a sentence; relative years resolve against `published`."""
    out = []
    for m in PERIOD_RE.finditer(sentence):
        g = m.groupdict()
        if g["pk"]:
            n = _PARTS.get(g["part"].lower(), 0)
            if g["pk"] == "quarter":
                label = f"Q{n or 4} {g['py']}"
            else:
                label = f"H{n or 2} {g['py']}"
        elif g["q"]:
            label = f"{g['q']} {g['qy']}"
        elif g["ma"]:
            a, b = month_number(g["ma"]), month_number(g["mb"])
            if not a or not b:
                continue
            label = f"{MONTH_NAMES[a - 1]}-{MONTH_NAMES[b - 1]}" + (f" {g['my']}" if g["my"] else "")
        elif g["mo"]:
            mo = month_number(g["mo"])
            if not mo:
                continue
            label = f"{MONTH_NAMES[mo - 1]} {g['moy']}"
        elif g["mm"]:
            mo = month_number(g["mm"])
            if not mo or g["mm"] == "May":
                continue
            label = MONTH_NAMES[mo - 1]
        elif g["rel"]:
            label = resolve_relative_year(g["rel"], published) or g["rel"].lower()
        else:
            label = g["y"]
        out.append(Period(m.start(), m.end(), label))
    return out


def resolve_relative_year(phrase: str, published: dt.date | None) -> str | None:
    """'last year' -> '2022' when published in 2023; None when it cannot be resolved."""
    if published is None:
        return None
    p = phrase.lower()
    if p.startswith(("last", "the previous", "the past")):
        return str(published.year - 1)
    if p.startswith("this"):
        return str(published.year)
    if p.startswith("next"):
        return str(published.year + 1)
    return None


_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
             "saturday": 5, "sunday": 6}
RELATIVE_RE = re.compile(
    r"\b(?:(?:on|last)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?P<yr>last year|this year|next year)|(?P<day>yesterday|today))\b"
)


def resolve_relative(m: re.Match[str], published: dt.date) -> tuple[int, str] | None:
    """(year, ISO date) for a RELATIVE_RE match against the publication date."""
    if m.group("wd"):
        back = (published.weekday() - _WEEKDAYS[m.group("wd").lower()]) % 7
        d = published - dt.timedelta(days=back)
        return d.year, d.isoformat()
    if m.group("day"):
        d = published - dt.timedelta(days=1 if m.group("day") == "yesterday" else 0)
        return d.year, d.isoformat()
    y = {"last year": -1, "this year": 0, "next year": 1}[m.group("yr")] + published.year
    return y, str(y)
