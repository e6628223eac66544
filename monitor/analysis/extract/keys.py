"""A figure's identity across releases: what it measures, not what it says.

Two releases state "the same measure" when kind, unit family, subject and period agree after
normalisation; the digest then calls a figure new, unchanged or changed. Deliberately
simple and deterministic: lower-case, drop filler words, fold plurals, sort the words.
"""

from __future__ import annotations

import re

from monitor.analysis.extract.units import unit_family
from monitor.domain import Figure

_FILLER = frozenset(
    "the a an of and in on at to for from by with between its their this that these those "
    "total overall volume value amount level number figure sum combined annual".split())
_ALIASES = {"turnover": "trade", "two-way": "bilateral", "mutual": "bilateral", "export": "exports",
            "import": "imports", "kazakh": "kazakhstan", "chinese": "china", "prc": "china"}
_MONTHS = {m[:3]: m for m in ("january", "february", "march", "april", "may", "june", "july",
                              "august", "september", "october", "november", "december")}


def _fold(word: str) -> str:
    w = _ALIASES.get(word, word)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return _ALIASES.get(w, w)


_BETWEEN_TWO = re.compile(
    r"\bbetween\s+(?:the\s+two\s+(?:countries|sides|nations)|[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*)*\s+and\s+"
    r"[A-Z][\w'.]*(?:\s+[A-Z][\w'.]*)*)")
_PAIR = re.compile(r"\b[A-Z][a-z]+-[A-Z][a-z]+\b")  # "Kazakhstan-China"


def normalise_subject(subject: str | None) -> str:
    """'The two-way Trade turnover' -> 'bilateral trade' (sorted, de-duplicated words).

    Two named parties ("between Kazakhstan and China", "Kazakhstan-China") read as
    "bilateral", so releases that word the same measure differently share a key."""
    if not subject:
        return ""
    subject = _PAIR.sub("bilateral", _BETWEEN_TWO.sub("bilateral", subject))
    words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", subject.lower())
    folded = {_fold(w) for w in words if w not in _FILLER}
    folded.discard("")
    return " ".join(sorted(folded))


def normalise_period(period: str | None) -> str:
    """'Jan–Apr 2024' and 'January-April 2024' -> 'january-april 2024'."""
    if not period:
        return ""
    p = period.lower().replace("–", "-").replace("—", "-")
    p = re.sub(r"\s*-\s*", "-", p)
    p = re.sub(r"[a-z]+", lambda m: _MONTHS.get(m.group(0)[:3], m.group(0))
               if m.group(0)[:3] in _MONTHS and len(m.group(0)) <= 9 else m.group(0), p)
    return " ".join(p.split())


def figure_key(f: Figure) -> tuple[str, str, str, str]:
    """(kind, unit family, normalised subject, normalised period) of a figure."""
    return (f.kind, unit_family(f.kind, f.unit), normalise_subject(f.subject), normalise_period(f.period))
