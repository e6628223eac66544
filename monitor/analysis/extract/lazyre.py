"""Regexes compiled on first use, so `import monitor.analysis.extract` stays cheap.

The extractor's patterns are large (unit and currency tables, number words); compiling them
all at import costs tens of milliseconds that CLI commands which never extract should not pay.
After the first use the compiled pattern's methods sit in the instance dict, so later calls
cost the same as calling the compiled pattern directly.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A stand-in for `re.compile(pattern, flags)` that compiles when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only reached while the attribute is missing, i.e. before the first compile.
        compiled = re.compile(self._pattern, self._flags)
        for method in _METHODS:
            self.__dict__[method] = getattr(compiled, method)
        self.__dict__["pattern"] = compiled.pattern
        self.__dict__["flags"] = compiled.flags
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)


# Characters other than ASCII letters that match ASCII letters under re.IGNORECASE (and the one
# whose lowercase is two characters): with any of them in a text, `str.lower` offsets and
# literal finds do not tell where such a pattern can match.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def folds_to_ascii(text: str) -> bool:
    """Whether `text` holds a character that matches an ASCII letter under re.IGNORECASE."""
    if text.isascii():
        return False  # (the usual case, answered at C speed: every such character is non-ASCII)
    return any(c in text for c in _FOLDS_TO_ASCII)


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` can hold a match of a case-insensitive pattern every match of which
    contains one of `words` (lowercase literals): a few substring tests at C speed that let
    a caller skip a slow search (one that is end-anchored or tried at every position)."""
    low = text.lower()
    for w in words:  # (a plain loop: this runs for many short windows, where any() costs more)
        if w in low:
            return True
    return folds_to_ascii(text)


def search_at_words(pattern: re.Pattern[str] | LazyPattern, text: str, words: tuple[str, ...],
                    low: str | None = None) -> re.Match[str] | None:
    """`pattern.search(text)` for a case-insensitive pattern every match of which starts with one
    of `words` (lowercase literals): the pattern is tried only where a word starts, found with
    `str.find` at C speed, instead of at every position of a long text. `low` is text.lower()."""
    if folds_to_ascii(text):
        return pattern.search(text)
    low = text.lower() if low is None else low
    starts: set[int] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            starts.add(at)
            at = low.find(word, at + 1)
    for at in sorted(starts):
        m = pattern.match(text, at)
        if m:
            return m
    return None
