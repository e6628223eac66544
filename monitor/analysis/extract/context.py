"""What a figure measures, read from the words around it in its sentence.

`subject`, `qualifier`, `direction`, `basis` and `period` are what let a digest say
"two-way trade, 2023: $41 billion (up 32 % year-on-year)" and let `figure_key` compare
the same measure across releases. Cheap heuristics on one sentence, by design: no parser.
"""

from __future__ import annotations

import bisect
import re

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.dates import Period
from monitor.analysis.extract.numbers import cased_words

QUALIFIERS = frozenset(
    ["more than", "over", "above", "in excess of", "upwards of", "nearly", "almost", "about", "around",
     "approximately", "approx.", "roughly", "some", "up to", "at least", "at most", "less than", "under",
     "below", "close to", "an estimated", "estimated", "just over", "just under", "well over",
     "as many as", "as much as", "no more than", "no less than"])
_UP = lazy(
    r"\b(up|rose|risen|rising|rise|increased?|increasing|grew|grown|grow|growth|higher|gained?|"
    r"jump(?:ed)?|surged?|soared?|climbed?|expanded?|boost(?:ed)?|added)\b", re.I)
_DOWN = lazy(
    r"\b(down|fell|fallen|fall|decreased?|decreasing|declined?|declining|dropped|drop|lower|"
    r"shrank|shrunk|contracted?|reduced|reduction|slumped?|plunged?|cut)\b", re.I)
BASIS_RE = lazy(
    r"\b(year[- ]on[- ]year|y-o-y|yoy|month[- ]on[- ]month|quarter[- ]on[- ]quarter|"
    r"(?:compared (?:to|with)|versus|over|from) (?:the )?(?:same period (?:of|in) )?(?:the )?"
    r"(?:previous|last|prior|a) (?:year|month|quarter)(?: earlier| ago)?|"
    r"compared (?:to|with) [^,.;]{3,40}|from (?:January|February|March|April|May|June|July|"
    r"August|September|October|November|December)\b|from a year (?:earlier|ago))", re.I)
_STAT_VERB = lazy(r"[^A-Za-z0-9](?:" + cased_words(
    "reached reaching reach grew grown rose risen increased increase increases exceeded exceeding exceeds "
    "exceed amounted amounts amount totaled totalled totals total was were is are stood hit hits fell "
    "declined decreased dropped soared jumped climbed surged expanded accounted accounts topped valued "
    "estimated costs cost invested received transported shipped sent imported exported handled attracted "
    "delivered has have had raise raised raising boost boosted boosting bring brought bringing increasing "
    "put puts putting placed places pegged pegs".split()) + r")\b")
_LEAD_TRIM = lazy(
    r"^(?:(?:according to [^,]*,\s*)|(?:(?:in|during|over|for|by|as of)\s+[^,]{0,40}\d,\s*)|"
    r"(?:meanwhile|however|overall|in addition|also|thus|so|and|but|"
    r"while|whereas|whilst),?\s+)+",
    re.I)
_OF_PHRASE = lazy(r"\s+of\s+((?:[A-Za-z][\w'-]*\s+){0,3}?[A-Za-z][\w'-]*)"
                        r"(?=\s+(?:from|to|in|on|at|for|by|with|through|via|and|over|was|were|is|are|"
                        r"has|have|had|go|goes|went|come|comes|came|will|would|accounted|reached|in|between|"
                        r"worth|during|last|this|since|annually|yearly|daily|monthly|each|every|per|a)\b|[,.;:)]|$)")
_CLAUSE_BREAK = lazy(r"[-,;:()\u2013\u2014]")  # a hyphen only counts with spaces around it
_STOP_OF = lazy(r"^(?:the|a|an|this|that|which|it|them|its|their)\b", re.I)


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


class SentenceMarks:
    """Positions of clause breaks and statistic verbs in one sentence, found once and shared by
    all the figures of that sentence (most sentences hold several)."""

    __slots__ = ("text", "breaks", "verbs")

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks = [m.end() for m in _CLAUSE_BREAK.finditer(text)
                       if m.group(0) != "-" or text[m.start() - 1:m.start()] == " " == text[m.end():m.end() + 1]]
        # The pattern starts on the character before the verb (fast scanning); skip it.
        self.verbs = [(m.start() + 1, m.end()) for m in _STAT_VERB.finditer(text)]


def subject_of(sentence: str, start: int, end: int, marks: SentenceMarks | None = None,
               is_verb: bool = False) -> str | None:
    """What the figure measures: 'X of <subject>' after it, else the subject of the verb before it."""
    m = _OF_PHRASE.match(sentence, end)
    if m and not _STOP_OF.match(m.group(1)):
        return _clean(m.group(1))
    window = sentence[max(0, start - 80):start]
    w = _WORTH_LEFT.search(window) if _WORTH_HINT.search(window[-40:]) else None
    if w:
        return _clean(w.group(1))  # "16 agreements worth $2.1 billion" -> "agreements"
    marks = marks or SentenceMarks(sentence)
    i = bisect.bisect_right(marks.breaks, start) - 1
    clause_start = marks.breaks[i] if i >= 0 else 0
    verbs = [v for v in marks.verbs if clause_start <= v[0] and v[1] <= start]
    if not verbs:
        # "According to X, trade reached ...": the clause is the whole left side without the lead.
        verbs = [v for v in marks.verbs if v[1] <= start]
        lead = _LEAD_TRIM.match(sentence, 0, start)
        clause_start = lead.end() if lead and (not verbs or lead.end() <= verbs[0][0]) else 0
        verbs = [v for v in verbs if v[0] >= clause_start]
    if not verbs:
        # "Shipments doubled": the words right before a figure that is itself the verb.
        clause = sentence[clause_start:start]
        return _clean(clause) if is_verb and 0 < len(clause.split()) <= 4 else None
    vs, ve = verbs[-1]
    between = _trim_tail(sentence[ve:start].split(), _PREP_WORDS)
    if between and any(len(w) > 2 and w.isalpha() for w in between) and not any(c.isdigit() for c in
                                                                                 "".join(between)):
        return _clean(" ".join(between))  # "increase trade to $35 billion" -> "trade"
    head = sentence[clause_start:vs].lstrip()
    # "raised rates by 50 points and inflation fell ...": the subject follows the earlier figure.
    parts = _AND_SPLIT.split(head)
    if len(parts) > 1 and any(c.isdigit() for c in "".join(parts[:-1])):
        head = parts[-1]
    lead = _LEAD_TRIM.match(head)
    if lead:
        head = head[lead.end():]
    said = _SAID_THAT.split(head) if _SAID_HINTS.intersection(head.lower().split()) else [head]
    if len(said) > 1:
        head = said[-1]  # "the minister said that bilateral trade" -> "bilateral trade"
    return _clean(head)


_TRAILING_PERIOD = lazy(r"\s+(?:in|during|for|over|of|as of|by)\s+(?:the\s+)?[^,;]*?(?:1[89]|20)\d\d\s*$")
_SAID_HINTS = frozenset("said says noted stated added announced reported stressed emphasised emphasized "
                        "recalled explained pointed underlined informed that".split())
_SAID_THAT = lazy(r"\b(?:said|says|noted|stated|added|announced|reported|stressed|emphasi[sz]ed|"
                  r"recalled|explained|pointed out|underlined|informed)\s+(?:that\s+)?|\bthat\s+")
_WORTH_HINT = lazy(r"(?:worth|valued at|totall?ing|amounting to|value of)\s+(?:\w+\s+){0,2}$")
_WORTH_LEFT = lazy(
    r"((?:[A-Za-z][\w'-]*\s+){0,3}[A-Za-z][\w'-]*)\s+(?:worth|valued at|totall?ing|amounting to|"
    r"with a (?:total )?value of)\s+(?:(?:more than|over|about|around|nearly|almost|some|up to)\s+)?$")
_PREP_WORDS = frozenset(
    "to by at of for from up down worth valued estimated expected set planned likely due been be more "
    "than over about around nearly almost some approximately roughly an a the estimated record total "
    "just".split())
_TAIL_WORDS = frozenset("has have had was were is are will would also already been be".split())
_DET_WORDS = frozenset("the a an its their his her this that these those our".split())
_DET_MEASURE = frozenset("total overall combined annual".split())
_MEASURE_OF = frozenset("volume value amount number level size sum".split())
_AND_SPLIT = lazy(r"\s(?:and|but|while|whereas)\s")
_PRONOUNS = frozenset(("it", "this", "that", "they", "which", "there", "he", "she", "we"))


def _trim_tail(words: list[str], drop: frozenset[str]) -> list[str]:
    while words and words[-1].lower().strip(",;:") in drop:
        words.pop()
    return words


def _clean(phrase: str) -> str | None:
    """Drop determiners, auxiliaries and 'the volume of' around a subject; keep 8 words at most."""
    if any(c.isdigit() for c in phrase):
        phrase = _TRAILING_PERIOD.sub("", phrase)  # "trade in January-June 2024" -> "trade"
    words = phrase.strip(" ,;:\"'“”‘’").split()
    words = _trim_tail(words, _TAIL_WORDS)
    if words and words[0].lower() in _DET_WORDS:
        words = words[1:]
        if words and words[0].lower() in _DET_MEASURE:
            words = words[1:]
        if len(words) > 2 and words[0].lower() in _MEASURE_OF and words[1].lower() == "of":
            words = words[2:]
            if words and words[0].lower() == "the":
                words = words[1:]
    if not words:
        return None
    out = " ".join(words[-8:]).strip(" ,;:\"'“”‘’")
    if not out or out.lower() in _PRONOUNS:
        return None
    return out


def period_for(found: list[Period], start: int, end: int, figure_spans: list[tuple[int, int]],
               basis_span: tuple[int, int] | None = None) -> str | None:
    """The period a figure refers to (from the sentence's `find_periods`): the nearest one after
    it before any other figure, else the nearest one before it. Periods inside a comparison
    basis are skipped."""
    periods: list[Period] = []
    for p in found:
        if any(a < p.end and p.start < b for a, b in figure_spans):
            continue
        if basis_span and basis_span[0] <= p.start < basis_span[1]:
            continue
        periods.append(p)
    if not periods:
        return None
    others = [a for a, b in figure_spans if a >= end]
    next_fig = min(others) if others else 1 << 30
    after = [p for p in periods if p.start >= end and p.start < next_fig]
    if after:
        return after[0].label
    before = [p for p in periods if p.end <= start]
    if before:
        return before[-1].label
    return periods[0].label
