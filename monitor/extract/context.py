"""What a figure measures, read from the words around it in its sentence.

`subject`, `qualifier`, `direction`, `basis` and `period` are what let a digest say
"two-way trade, 2023: $41 billion (up 32 % year-on-year)" and let `figure_key` compare
the same measure across releases. Cheap heuristics on one sentence, by design: no parser.
"""

from __future__ import annotations

import datetime as dt
import re

from monitor.extract.dates import Period, find_periods

QUALIFIER_RE = re.compile(
    r"\b(more than|over|above|in excess of|upwards of|nearly|almost|about|around|approximately|"
    r"approx\.|roughly|some|up to|at least|at most|less than|under|below|close to|an estimated|"
    r"estimated|just over|just under|well over|as many as|as much as|no more than|no less than)\s+$",
    re.I,
)
_UP = re.compile(
    r"\b(up|rose|risen|rising|rise|increased?|increasing|grew|grown|grow|growth|higher|gained?|"
    r"jump(?:ed)?|surged?|soared?|climbed?|expanded?|boost(?:ed)?|added)\b", re.I)
_DOWN = re.compile(
    r"\b(down|fell|fallen|fall|decreased?|decreasing|declined?|declining|dropped|drop|lower|"
    r"shrank|shrunk|contracted?|reduced|reduction|slumped?|plunged?|cut)\b", re.I)
BASIS_RE = re.compile(
    r"\b(year[- ]on[- ]year|y-o-y|yoy|month[- ]on[- ]month|quarter[- ]on[- ]quarter|"
    r"(?:compared (?:to|with)|versus|over|from) (?:the )?(?:same period (?:of|in) )?(?:the )?"
    r"(?:previous|last|prior|a) (?:year|month|quarter)(?: earlier| ago)?|"
    r"compared (?:to|with) [^,.;]{3,40}|from (?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b|from a year (?:earlier|ago))", re.I)
_STAT_VERB = re.compile(
    r"\b(reached|reaching|reach|grew|grown|rose|risen|increased|increase[sd]?|exceeded|exceeding|"
    r"exceeds?|amounted|amounts?|totaled|totalled|totals?|was|were|is|are|stood|hit|hits|fell|"
    r"declined|decreased|dropped|soared|jumped|climbed|surged|expanded|accounted|accounts|"
    r"topped|valued|estimated|costs?|invested|received|transported|shipped|sent|imported|"
    r"exported|handled|attracted|delivered|has|have|had)\b", re.I)
_LEAD_TRIM = re.compile(
    r"^(?:(?:according to [^,]*,\s*)|(?:meanwhile|however|overall|in addition|also|thus|so|and|but),?\s+)+",
    re.I)
_DET_TRIM = re.compile(
    r"^(?:the|a|an|its|their|his|her|this|that|these|those|our)\s+"
    r"(?:(?:total|overall|combined|annual)\s+)?(?:(?:volume|value|amount|number|level|size|sum)\s+of\s+"
    r"(?:the\s+)?)?", re.I)
_TAIL_TRIM = re.compile(r"\s+(?:has|have|had|was|were|is|are|will|would|also|already|have been|has been)$",
                        re.I)
_OF_PHRASE = re.compile(r"\s+(?:of|in)\s+((?:[A-Za-z][\w'-]*\s+){0,3}?[A-Za-z][\w'-]*)"
                        r"(?=\s+(?:from|to|in|on|at|for|by|with|through|via|and|over|was|were|is|are|"
                        r"has|have|had)\b|[,.;:)]|$)")
_CLAUSE_BREAK = re.compile(r"[,;:()\u2013\u2014]|\s-\s")
_STOP_OF = re.compile(r"^(?:the|a|an|this|that|which|it|them|its|their)\b", re.I)


def qualifier_before(left: str) -> str | None:
    """An approximator right before a number ('more than', 'nearly'), lower-cased."""
    m = QUALIFIER_RE.search(left[-30:])
    return m.group(1).lower() if m else None


def direction_near(sentence: str, start: int, end: int) -> str | None:
    """'up' or 'down' when a change verb sits close to the figure in its clause."""
    window = sentence[max(0, start - 60):start] + " " + sentence[end:end + 25]
    up = [m.start() for m in _UP.finditer(window)]
    down = [m.start() for m in _DOWN.finditer(window)]
    if not up and not down:
        return None
    if up and not down:
        return "up"
    if down and not up:
        return "down"
    anchor = min(60, start)
    return "up" if min(abs(p - anchor) for p in up) <= min(abs(p - anchor) for p in down) else "down"


def basis_after(sentence: str, end: int) -> tuple[str, int, int] | None:
    """The comparison basis stated after a change ('year-on-year', 'from September')."""
    m = BASIS_RE.search(sentence, end, min(len(sentence), end + 90))
    if not m:
        return None
    return m.group(1).lower(), m.start(), m.end()


def subject_of(sentence: str, start: int, end: int) -> str | None:
    """What the figure measures: 'X of <subject>' after it, else the subject of the verb before it."""
    m = _OF_PHRASE.match(sentence, end)
    if m and not _STOP_OF.match(m.group(1)):
        return _clean(m.group(1))
    left = sentence[:start]
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(left)]
    clause_start = breaks[-1] if breaks else 0
    clause = left[clause_start:]
    if not re.search(r"[A-Za-z]", clause) or not _STAT_VERB.search(clause):
        # "According to X, trade reached ...": the clause is the whole left side without the lead.
        clause = _LEAD_TRIM.sub("", left)
    verbs = list(_STAT_VERB.finditer(clause))
    if not verbs:
        return None
    head = clause[:verbs[0].start()].strip()
    head = _LEAD_TRIM.sub("", head)
    hb = [b.end() for b in _CLAUSE_BREAK.finditer(head)]
    if hb:
        head = head[hb[-1]:].strip()
    return _clean(head)


def _clean(phrase: str) -> str | None:
    p = " ".join(phrase.split()).strip(" ,;:\"'“”‘’")
    p = _TAIL_TRIM.sub("", p)
    p = _DET_TRIM.sub("", p)
    words = p.split()
    if not words:
        return None
    if len(words) > 8:
        words = words[-8:]
    out = " ".join(words)
    if out.lower() in ("it", "this", "that", "they", "which", "there", "he", "she", "we"):
        return None
    return out


def period_for(sentence: str, start: int, end: int, figure_spans: list[tuple[int, int]],
               published: dt.date | None, basis_span: tuple[int, int] | None = None) -> str | None:
    """The period a figure refers to: the nearest one after it before any other figure,
    else the nearest one before it. Periods inside a comparison basis are skipped."""
    periods: list[Period] = []
    for p in find_periods(sentence, published):
        if any(a < p.end and p.start < b for a, b in figure_spans):
            continue
        if basis_span and basis_span[0] <= p.start < basis_span[1]:
            continue
        periods.append(p)
    if not periods:
        return None
    others = [a for a, b in figure_spans if a >= end]
    next_fig = min(others) if others else len(sentence)
    after = [p for p in periods if p.start >= end and p.start < next_fig]
    if after:
        return after[0].label
    before = [p for p in periods if p.end <= start]
    if before:
        return before[-1].label
    return periods[0].label
