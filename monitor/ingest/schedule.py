"""When to check a feed next: a pure decision from the outcome of a fetch.

Success: the configured interval, raised (never lowered) by what the server or feed asks
for (Cache-Control max-age / Expires, RSS <ttl>), within [min, max] interval bounds.
Failure: exponential back-off with jitter from the error count, capped; a Retry-After
from a 429/503 wins when it asks for longer, up to its own cap.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from monitor.config import PollSettings

NUMBER_CAP = 10**9  # the largest number a server or feed sends (ttl, Retry-After, ...) read as given; more is capped
_ASCII_DIGITS = re.compile(r"[0-9]+")


def ascii_number(text: str | None) -> int | None:
    """A number a server or feed sends (RSS <ttl>, Retry-After, max-age, Content-Length): ASCII digits only
    (str.isdigit also takes '²' and other scripts' digits, which int() then refuses), and a
    number of any length capped at NUMBER_CAP (a 400-digit ttl would overflow a timedelta)."""
    text = (text or "").strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    return NUMBER_CAP if len(text) > len(str(NUMBER_CAP)) else min(int(text), NUMBER_CAP)


def next_check_after_success(now: datetime, poll: PollSettings, *, cache_seconds: float | None = None,
                             ttl_minutes: int | None = None) -> datetime:
    minutes = poll.interval_minutes
    hints = [m for m in ((cache_seconds or 0) / 60.0, float(ttl_minutes or 0)) if m > 0]
    if hints:
        minutes = max(minutes, max(hints))
    minutes = min(max(minutes, poll.min_interval_minutes), poll.max_interval_minutes)
    return now + timedelta(minutes=minutes)


def backoff_delay(error_count: int, poll: PollSettings, rng: random.Random | None = None) -> timedelta:
    """Delay after the `error_count`-th consecutive failure (1 = first): interval × 2^(n-1),
    capped, with ±20 % jitter so failing feeds do not retry in lockstep."""
    uniform = (rng or random.Random()).uniform if rng is not None else random.uniform
    base = poll.interval_minutes * (2 ** max(0, min(error_count - 1, 20)))
    capped = min(base, poll.backoff_cap_hours * 60.0)
    return timedelta(minutes=capped * uniform(0.8, 1.2) if capped < poll.backoff_cap_hours * 60.0
                     else capped * uniform(0.9, 1.0))


def next_check_after_failure(now: datetime, poll: PollSettings, error_count: int, *,
                             retry_after: float | None = None, rng: random.Random | None = None) -> datetime:
    delay = backoff_delay(error_count, poll, rng)
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=min(retry_after, poll.retry_after_cap_hours * 3600.0)))
    return now + delay
