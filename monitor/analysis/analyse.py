"""Analysis of one release: topics first (and the topics it came close to: near misses),
then figures and milestones.

Figures and milestones are extracted only for releases that belong to a topic (digests are
per topic, and most of what a wire carries is off-topic): that keeps a first poll of
thousands of releases cheap. `prwatch topics rematch` extracts for releases that start to
match later; `prwatch extract` always extracts, to show what the rules find.

Which measure each figure states comes from the topics' measure vocabularies: those of the
topics the release matched first, then the others (a figure outside every vocabulary keeps
the key made from its subject).

The closing boilerplate ("About X: the company employs 5,000 people ...", forward-looking
statements, contacts) is left out of extraction, as it is of topic scoring: it says the same
in every release of its issuer and is no news.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from monitor.analysis.extract import extract_figures, extract_milestones
from monitor.analysis.extract.measures import Vocabulary, apply_vocabularies
from monitor.analysis.near_misses import near_misses
from monitor.analysis.text import boilerplate_start
from monitor.analysis.topics import Topic, matched, score_topics
from monitor.domain import Analysis


def analyse(title: str, text: str, topics: Sequence[Topic], published: datetime | None = None, *,
            always_extract: bool = False) -> Analysis:
    """Topics, near misses, figures and milestones of a release (title is matched, only `text`
    is extracted)."""
    topical = topics_only(title, text, topics)
    matches, near = topical.topics, topical.near_misses
    if not matches and not always_extract:
        return topical
    day = published.date() if published else None
    text = text[:boilerplate_start(text)]
    figures = extract_figures(text, published=day)
    vocabs = vocabularies(topics, [m.topic_id for m in matches])
    if vocabs and figures:
        figures = apply_vocabularies(figures, vocabs, f"{title}\n{text}")
    return Analysis(
        topics=matches,
        figures=tuple(figures),
        milestones=tuple(extract_milestones(text, published=day)),
        near_misses=near,
    )


def topics_only(title: str, text: str, topics: Sequence[Topic]) -> Analysis:
    """The topics and near misses of a release, without figures or milestones: all of the
    analysis of an off-topic release, and what a release whose extraction failed still gets,
    so that it is in its topics' digests (marked there) rather than in none."""
    scores = score_topics(topics, title, text)
    return Analysis(topics=matched(topics, scores), near_misses=near_misses(topics, scores))


def vocabularies(topics: Sequence[Topic], first: Sequence[str] = ()) -> list[Vocabulary]:
    """The topics' measure vocabularies, those of the `first` topic ids first."""
    order = {tid: i for i, tid in enumerate(first)}
    ranked = sorted((t for t in topics if t.measures), key=lambda t: order.get(t.id, len(order)))
    return [Vocabulary(t.parties, t.measures) for t in ranked]
