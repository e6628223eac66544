"""A one-slot memo for functions of one release text.

Topic matching, figure and milestone extraction ask about the same release in turn
(datelines, figures, sentences); keeping the last answer saves recomputing it without
holding on to more than one text. The slot is replaced whole (one assignment), so
concurrent callers at worst recompute.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

T = TypeVar("T")


def remember_last(fn: Callable[[str], T]) -> Callable[[str], T]:
    """Wrap `fn(text)` so a call with the text of the previous call returns its answer."""
    slot: list[tuple[str, T]] = []

    @wraps(fn)
    def wrapper(text: str) -> T:
        last = slot[0] if slot else None
        if last is not None and (last[0] is text or last[0] == text):
            return last[1]
        result = fn(text)
        slot[:] = [(text, result)]
        return result

    return wrapper
