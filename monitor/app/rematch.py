"""`prwatch topics rematch`: re-evaluate stored releases after topics changed, no fetching.

Releases whose topic matches did not change keep their stored figures and milestones; the
others are analysed again (and extracted when they now match), in batches, one transaction
per batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.analysis.topics import match_topics
from monitor.config import Settings
from monitor.domain import ProcessedEntry, ReleaseDraft
from monitor.ingest.process import process_entry
from monitor.ingest.storing import place_in_story
from storage.port import Store

BATCH = 500


@dataclass(frozen=True, slots=True)
class RematchResult:
    releases: int = 0
    added: int = 0
    removed: int = 0
    changed: int = 0


def rematch(store: Store, settings: Settings) -> RematchResult:
    total = added = removed = changed = 0
    last_id = 0
    while True:
        with store.transaction() as tx:
            batch = tx.releases.batch_after(last_id, BATCH)
            if not batch:
                break
            stored = tx.analysis.topic_scores([r.id for r in batch])
            for r in batch:
                total += 1
                now = {m.topic_id: m.score for m in match_topics(settings.topics, r.title, r.text)}
                before = stored.get(r.id, {})
                if set(now) == set(before) and all(abs(now[k] - before[k]) < 1e-9 for k in now):
                    continue
                if now and not before:
                    added += 1
                elif before and not now:
                    removed += 1
                else:
                    changed += 1
                draft = ReleaseDraft(r.guid, r.url, r.title, r.published_at, r.text, r.author)
                entry: ProcessedEntry = process_entry(draft, settings.topics, r.content_hash)
                tx.analysis.replace(r.id, entry)
                if entry.signature and r.signature is None:
                    tx.releases.set_signature(r.id, entry.signature)
                    place_in_story(tx, r.id, entry)
            last_id = batch[-1].id
    return RematchResult(total, added, removed, changed)
