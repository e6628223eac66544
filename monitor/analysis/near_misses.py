"""Near misses: releases that came close to a topic without matching it.

A release scoring just under a topic's `min_score` (a gas-export story at 0.46 against 0.5)
is the kind of thing an analyst tunes a topic for; prwatch keeps them visible (`prwatch
extract`, the digest's footer, `prwatch topics near-misses`) instead of dropping them. They
are recorded with the threshold of the time, so `prwatch topics rematch` knows which
records a changed `min_score` makes stale.
"""

from __future__ import annotations

from collections.abc import Sequence

from monitor.analysis.topics import Topic
from monitor.domain import NearMiss, TopicMatch

NEAR_MISS = 0.1  # how far under a topic's threshold a score still counts as a near miss


def is_near_miss(score: float, threshold: float) -> bool:
    """Scored under the threshold, by at most NEAR_MISS (and above zero)."""
    return 0 < score < threshold and threshold - score <= NEAR_MISS + 1e-9


def near_misses(topics: Sequence[Topic], scores: Sequence[TopicMatch]) -> tuple[NearMiss, ...]:
    """Of every topic's score for one release (monitor.analysis.topics.score_topics, in the
    order of `topics`), the topics it came within NEAR_MISS of, closest first."""
    found = [NearMiss(m.topic_id, m.score, t.min_score, m.reasons)
             for m, t in zip(scores, topics, strict=True) if is_near_miss(m.score, t.min_score)]
    return tuple(sorted(found, key=lambda n: n.threshold - n.score))
