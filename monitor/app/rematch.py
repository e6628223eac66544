"""`prwatch topics rematch`: re-evaluate stored releases after topics changed, no fetching.

Releases whose topic matches did not change keep their stored figures and milestones; the
others are analysed again (and extracted when they now match), in batches, one transaction
per batch.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from monitor.config import Settings
from monitor.domain import ProcessedEntry
from monitor.ingest.process import process_entry
from monitor.analysis.topics import match_topics
from monitor.domain import ReleaseDraft
from storage.sql import analysis as sql_analysis, stories as sql_stories
from storage.sql.engine import Store
from storage.sql.models import Release, ReleaseTopic

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
        with store.transaction() as s:
            batch = list(s.scalars(select(Release).where(Release.id > last_id).order_by(Release.id).limit(BATCH)))
            if not batch:
                break
            stored: dict[int, dict[str, float]] = {}
            for rt in s.scalars(select(ReleaseTopic).where(ReleaseTopic.release_id.in_([r.id for r in batch]))):
                stored.setdefault(rt.release_id, {})[rt.topic_id] = rt.score
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
                sql_analysis.store_analysis(s, r.id, entry)
                if entry.signature and r.signature is None:
                    r.signature = entry.signature
                    sql_stories.assign_story(s, r.id, entry)
            last_id = batch[-1].id
    return RematchResult(total, added, removed, changed)
