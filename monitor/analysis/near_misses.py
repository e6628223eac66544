"""Near misses: releases that came close to a topic without matching it.

A release scoring just under a topic's `min_score` (a gas-export story at 0.46 against 0.5)
is the kind of thing an analyst tunes a topic for; prwatch keeps them visible (`prwatch
extract`, the digest's footer, `prwatch topics near-misses`) instead of dropping them.
"""

from __future__ import annotations

NEAR_MISS = 0.1  # how far under a topic's threshold a score still counts as a near miss


def is_near_miss(score: float, threshold: float) -> bool:
    """Scored under the threshold, by at most NEAR_MISS (and above zero)."""
    return 0 < score < threshold and threshold - score <= NEAR_MISS + 1e-9
