"""CPU-bound work of a poll, run in worker processes: parse a feed body and analyse the
entries that are new or changed.

Entries whose content hash the store already has are not analysed again; identities that
were purged (tombstones) are skipped. The result is plain picklable values for the parent,
which alone writes to the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from typing import TYPE_CHECKING

from monitor.parse import content_hash, parse_feed
from monitor.types import Analysis, ReleaseDraft

if TYPE_CHECKING:
    from monitor.topics import Topic

TOMBSTONE = "tombstone"  # value in `known` for purged identities

_topics: tuple[Topic, ...] = ()


def init_worker(topics: Sequence[Topic]) -> None:
    """Process-pool initializer: the topics every task is matched against."""
    global _topics
    _topics = tuple(topics)


@dataclass(frozen=True, slots=True)
class ProcessedEntry:
    draft: ReleaseDraft
    content_hash: str
    analysis: Analysis
    signature: bytes | None = None  # near-duplicate signature, for topic matches only
    band_keys: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ProcessedFeed:
    title: str | None
    ttl_minutes: int | None
    warning: str | None
    changed: tuple[ProcessedEntry, ...]  # new or revised entries
    unchanged: int  # entries the store already had with the same content
    skipped: int  # purged identities not re-ingested


def process_entry(draft: ReleaseDraft, topics: Sequence[Topic], digest: str | None = None) -> ProcessedEntry:
    # imported here: topic matching and extraction compile many patterns, and a poll where
    # nothing changed (all 304) never needs them
    from monitor.analyse import analyse
    from monitor.stories import band_keys, signature

    analysis = analyse(draft.title, draft.text, topics, draft.published_at)
    sig = keys = None
    if analysis.topics:
        s = signature(draft.title, draft.text)
        sig, keys = s.to_bytes(), tuple(band_keys(s))
    return ProcessedEntry(draft, digest or content_hash(draft.title, draft.text, draft.url), analysis,
                          sig, keys or ())


def process_feed(body: bytes, headers: Mapping[str, str], url: str, known: Mapping[str, str],
                 topics: Sequence[Topic] | None = None) -> ProcessedFeed:
    """Parse `body` and analyse what changed against `known` (guid -> content hash)."""
    topics = _topics if topics is None else topics
    parsed = parse_feed(body, headers, url)
    changed: list[ProcessedEntry] = []
    unchanged = skipped = 0
    for draft in parsed.entries:
        old = known.get(draft.guid)
        if old == TOMBSTONE:
            skipped += 1
            continue
        digest = content_hash(draft.title, draft.text, draft.url)
        if old == digest:
            unchanged += 1
            continue
        changed.append(process_entry(draft, topics, digest))
    return ProcessedFeed(parsed.title, parsed.ttl_minutes, parsed.warning, tuple(changed), unchanged, skipped)
