"""How a figure is stated, read from the words right around it: its approximator ("more
than"), the direction of a change ("up", "down") and the basis it is compared with
("year-on-year"). What it measures and when are read by `subjects` and `periods`.
"""

from __future__ import annotations

import re

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.lang import en

QUALIFIERS = en.APPROXIMATORS
_UP = lazy(
    r"\b(up|rose|risen|rising|rise|increased?|increasing|grew|grown|grow|growth|higher|gained?|"
    r"jump(?:ed)?|surged?|soared?|climbed?|expanded?|boost(?:ed)?|added|improved?|widened?)\b", re.I)
_DOWN = lazy(
    r"\b(down|fell|fallen|fall|decreased?|decreasing|declined?|declining|dropped|drop|lower|"
    r"shrank|shrunk|contracted?|reduced?|reducing|reduction|slumped?|plunged?|cut|cutting|lowered|lower|"
    r"narrowed?)\b", re.I)
BASIS_RE = lazy(
    r"\b(year[- ]on[- ]year|y-o-y|yoy|month[- ]on[- ]month|quarter[- ]on[- ]quarter|"
    r"(?:compared (?:to|with)|versus|over|from) (?:the )?(?:same period (?:of|in) )?(?:the )?"
    r"(?:previous|last|prior|a) (?:year|month|quarter)(?: earlier| ago)?|"
    r"compared (?:to|with) [^,.;]{3,40}|from (?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b|from a year (?:earlier|ago))", re.I)


def qualifier_before(left: str) -> str | None:
    """An approximator right before a number ('more than', 'nearly'), lower-cased: the last
    one, two or three words before it looked up in a set (no regex: this runs per figure)."""
    if not left or not left[-1].isspace():
        return None
    words = [w.lstrip("([{\"'“‘—–-") for w in left[-30:].lower().split()[-3:]]
    for n in (3, 2, 1):
        if len(words) >= n:
            phrase = " ".join(words[-n:])
            if phrase in QUALIFIERS:
                return phrase
    return None


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
