"""Which topics a release came close to without matching: within 0.1 under the topic's
min_score, recorded with the threshold they were judged against."""

from __future__ import annotations

from dataclasses import replace

from monitor.analysis.analyse import analyse
from monitor.analysis.near_misses import NEAR_MISS, is_near_miss, near_misses
from monitor.analysis.topics import Topic, score_topics

SIDES = (("China", "Chinese"), ("Kazakhstan", "Kazakh*"))
TOPIC = Topic(id="cn-kz", title="China–Kazakhstan", groups=SIDES, min_score=0.45)
TITLE, TEXT = "Gas exports", "Kazakhstan shipped more gas abroad this year. Buyers in China took most of it."


def test_a_score_just_under_the_threshold_is_a_near_miss_and_nothing_else_is() -> None:
    assert is_near_miss(0.40, 0.5) and is_near_miss(0.5 - NEAR_MISS, 0.5)
    assert not is_near_miss(0.39, 0.5)  # further than 0.1 under
    assert not is_near_miss(0.5, 0.5) and not is_near_miss(0.7, 0.5)  # a match
    assert not is_near_miss(0.0, 0.05)  # no evidence at all is never close


def test_analysis_records_the_near_miss_with_its_threshold_and_reasons() -> None:
    (score,) = score_topics([TOPIC], TITLE, TEXT)
    assert 0.35 < score.score < TOPIC.min_score  # the release is just under
    a = analyse(TITLE, TEXT, [TOPIC])
    assert a.topics == () and a.figures == ()  # no match: nothing extracted
    (near,) = a.near_misses
    assert (near.topic_id, near.score, near.threshold, near.reasons) == ("cn-kz", score.score, 0.45, score.reasons)


def test_far_below_or_a_match_is_not_a_near_miss() -> None:
    assert analyse(TITLE, TEXT, [replace(TOPIC, min_score=0.6)]).near_misses == ()
    matched = analyse(TITLE, TEXT, [replace(TOPIC, min_score=0.35)])
    assert [m.topic_id for m in matched.topics] == ["cn-kz"] and matched.near_misses == ()


def test_of_several_topics_only_the_close_ones_closest_first() -> None:
    topics = [replace(TOPIC, id="far", min_score=0.9), replace(TOPIC, id="close", min_score=0.4),
              replace(TOPIC, id="closer-still", min_score=0.39), replace(TOPIC, id="near", min_score=0.45)]
    found = near_misses(topics, score_topics(topics, TITLE, TEXT))
    assert [n.topic_id for n in found] == ["closer-still", "close", "near"]
