"""`prwatch topics rematch`: re-evaluate stored releases after topics changed, no fetching.

Releases whose topic matches did not change keep their stored figures and milestones (only
their near misses are brought up to date, for a changed `min_score`); the others are analysed
again (and extracted when they now match), in batches, one transaction per batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from monitor.analysis.near_misses import near_misses
from monitor.analysis.topics import matched, score_topics
from monitor.config import Settings
from monitor.domain import NearMiss, ProcessedEntry, ReleaseDraft
from monitor.ingest.process import analysed_part, process_entry
from monitor.ingest.storing import place_in_story
from storage.port import Store

BATCH = 500


@dataclass(frozen=True, slots=True)
class RematchResult:
    releases: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0
    near_misses: int = 0  # releases whose near misses changed (and nothing else)


def rematch(store: Store, settings: Settings) -> RematchResult:
    total = added = removed = changed = near_changed = 0
    last_id = 0
    topics = settings.topics
    while True:
        with store.transaction() as tx:
            batch = tx.releases.batch_after(last_id, BATCH)
            if not batch:
                break
            ids = [r.id for r in batch]
            stored, stored_near = tx.analysis.topic_scores(ids), tx.analysis.near_misses_of(ids)
            for r in batch:
                total += 1
                scores = score_topics(topics, r.title, analysed_part(r.text)[0])  # what analysis reads
                now = {m.topic_id: m.score for m in matched(topics, scores)}
                before = stored.get(r.id, {})
                if set(now) == set(before) and all(abs(now[k] - before[k]) < 1e-9 for k in now):
                    near = near_misses(topics, scores)
                    if _same(near) != _same(stored_near.get(r.id, ())):
                        tx.analysis.replace_near_misses(r.id, near)
                        near_changed += 1
                    continue
                if now and not before:
                    added += 1
                elif before and not now:
                    removed += 1
                else:
                    changed += 1
                draft = ReleaseDraft(r.guid, r.url, r.title, r.published_at, r.text, r.author)
                entry: ProcessedEntry = process_entry(draft, topics, r.content_hash)
                tx.analysis.replace(r.id, entry)  # its near misses with the rest
                if entry.signature and r.signature is None:
                    tx.releases.set_signature(r.id, entry.signature)
                    place_in_story(tx, r.id, entry)
            last_id = batch[-1].id
    return RematchResult(total, added, removed, changed, near_changed)


def _same(near: Iterable[NearMiss]) -> frozenset[tuple[str, float, float, tuple[str, ...]]]:
    """What makes two records of a release's near misses the same (the threshold too: a changed
    min_score moves a near miss's distance even when its score stays)."""
    return frozenset((n.topic_id, round(n.score, 6), round(n.threshold, 6), n.reasons) for n in near)
