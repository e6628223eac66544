"""CPU-bound work of a poll, run in worker processes: parse a feed body and analyse the
entries that are new or changed.

Items whose bytes the store has seen already (their source hash, monitor.ingest.items) are cut
from the document before feedparser reads it; entries whose content hash the store already
has are not analysed again; identities that were purged (tombstones) are skipped. The result
is plain picklable values for the parent, which alone writes to the database.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from monitor.domain import TOMBSTONE, Analysis, ParsedFeed, ProcessedEntry, ProcessedFeed, ReleaseDraft
from monitor.errors import ParseError
from monitor.ingest.items import kept_indexes
from monitor.ingest.parse import content_hash
from monitor.ingest.parsers import REGISTRY

if TYPE_CHECKING:
    from monitor.analysis.topics import Topic

log = logging.getLogger("prwatch.poll")

# Analysis reads at most this much of a release (the whole text is stored): a press release
# is a few thousand characters, and a megabyte item must not take a worker for minutes.
MAX_ANALYSED_CHARS = 128 * 1024
ANALYSIS_BUDGET_SECONDS = 30.0  # a worker process gives up analysing one release after this

# what process_entry and the parser import on first use, imported by worker processes at their
# start (monitor.ingest.workpool) rather than on their first task
WORKER_MODULES = ("feedparser", "monitor.analysis.analyse", "monitor.analysis.identity", "monitor.analysis.stories")

_topics: tuple[Topic, ...] = ()
_budget_here = False  # True in a worker process, whose main thread may use SIGALRM


class AnalysisTimeout(Exception):
    """The time budget for one release's analysis ran out."""


def enable_time_budget() -> None:
    """Called in each worker process: analysis there runs under ANALYSIS_BUDGET_SECONDS. The
    SIGALRM handler is installed once here (nothing else in a worker uses the signal); each
    release then only arms and disarms the timer."""
    global _budget_here
    _budget_here = True
    signal.signal(signal.SIGALRM, _expire)


def _expire(_signum: int, _frame: object) -> None:
    raise AnalysisTimeout


def init_worker(topics: Sequence[Topic]) -> None:
    """Process-pool initializer: the topics every task is matched against."""
    global _topics
    _topics = tuple(topics)


def process_entry(draft: ReleaseDraft, topics: Sequence[Topic], digest: str | None = None,
                  source_hash: str | None = None) -> ProcessedEntry:
    """Analyse one release: at most MAX_ANALYSED_CHARS of its text, within the time budget in
    a worker process; what was left out is said in the entry's analysis_note."""
    # imported here: topic matching and extraction compile many patterns, and a poll where
    # nothing changed (all 304) never needs them
    from monitor.analysis.analyse import analyse
    from monitor.analysis.identity import event_key, measure_key

    text, note = analysed_part(draft.text)
    sig = keys = None
    try:
        with _time_budget(ANALYSIS_BUDGET_SECONDS):
            analysis = analyse(draft.title, text, topics, draft.published_at)
            if analysis.topics:
                sig, keys = _story_identity(draft.title, text)
    except AnalysisTimeout:
        analysis, sig, keys, lost = _unextracted(draft.title, text, topics)
        note = "; ".join(filter(None, [note, f"analysis stopped after {ANALYSIS_BUDGET_SECONDS:g} s: {lost}"]))
    except Exception as e:  # noqa: BLE001 - a bug in the rules costs this release its analysis, not the feed
        log.exception("analysis of %r failed", draft.title)
        analysis, sig, keys, lost = _unextracted(draft.title, text, topics)
        note = "; ".join(filter(None, [note, f"analysis failed ({type(e).__name__}): {lost}"]))
    return ProcessedEntry(draft, digest or content_hash(draft.title, draft.text, draft.url), analysis,
                          sig, keys or (), source_hash, note, tuple(measure_key(f) for f in analysis.figures),
                          tuple(event_key(m) for m in analysis.milestones))


def _story_identity(title: str, text: str) -> tuple[bytes, tuple[int, ...]]:
    """The near-duplicate signature and its band keys: how copies of one story find each other."""
    from monitor.analysis.stories import signature, story_keys

    s = signature(title, text)
    return s.to_bytes(), tuple(story_keys(s))


def _unextracted(title: str, text: str, topics: Sequence[Topic]) -> tuple[Analysis, bytes | None, tuple[int, ...], str]:
    """After the full analysis failed or ran out of time: the topics alone (cheap and linear),
    so the release still reaches its topics' digests as one story, and what was lost."""
    from monitor.analysis.analyse import topics_only

    try:
        analysis = topics_only(title, text, topics)
        sig, keys = _story_identity(title, text) if analysis.topics else (None, ())
    except Exception:  # noqa: BLE001 - the same bug may be in topic matching: store the release unanalysed
        log.exception("topic matching of %r failed", title)
        return Analysis(), None, (), "stored unanalysed"
    return analysis, sig, keys, "figures and milestones not extracted"


def analysed_part(text: str) -> tuple[str, str | None]:
    """The part of a release's text that is analysed, cut at the last line or sentence end
    before MAX_ANALYSED_CHARS, and a note when that is not the whole text."""
    if len(text) <= MAX_ANALYSED_CHARS:
        return text, None
    head = text[:MAX_ANALYSED_CHARS]
    end = max(head.rfind("\n"), head.rfind(". "))
    head = head[:end + 1] if end > MAX_ANALYSED_CHARS // 2 else head
    return head, f"analysed the first {len(head):,} of {len(text):,} characters"


@contextmanager
def _time_budget(seconds: float) -> Iterator[None]:
    """Raise AnalysisTimeout in this block after `seconds`: only in a worker process's main
    thread (SIGALRM); elsewhere the text cap is the bound."""
    if not _budget_here or threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def process_feed(body: bytes, headers: Mapping[str, str], url: str, known: Mapping[str, str],
                 topics: Sequence[Topic] | None = None, sources: Mapping[str, str] | None = None) -> ProcessedFeed:
    """Parse `body` and analyse what changed against `known` (guid -> content hash) and
    `sources` (source hash -> guid of the stored items; None to parse every item)."""
    topics = _topics if topics is None else topics
    parsed, seen = _parse_new_items(body, headers, url, sources)
    changed: list[ProcessedEntry] = []
    restamped: list[tuple[str, str]] = []
    unchanged, skipped = seen, 0
    hashes = parsed.sources or (None,) * len(parsed.entries)
    for draft, source in zip(parsed.entries, hashes, strict=True):
        old = known.get(draft.guid)
        if old == TOMBSTONE:
            skipped += 1
            continue
        digest = content_hash(draft.title, draft.text, draft.url)
        if old == digest:
            unchanged += 1
            if source is not None:
                restamped.append((draft.guid, source))
            continue
        changed.append(process_entry(draft, topics, digest, source))
    return ProcessedFeed(parsed.title, parsed.ttl_minutes, parsed.warning, tuple(changed), unchanged, skipped,
                         tuple(restamped))


def _parse_new_items(body: bytes, headers: Mapping[str, str], url: str,
                     sources: Mapping[str, str] | None) -> tuple[ParsedFeed, int]:
    """Parse only the items whose source hash is not in `sources`, when the parser for the
    body's type can cut items; return the parse and how many items were left out as already
    seen. Whenever the cut document could read otherwise than the whole one would (a parse
    problem, another entry count, a kept entry sharing its guid with a dropped one), the
    whole document is parsed instead."""
    parser = REGISTRY.parser_for(headers)
    cutter = parser.cutter
    items = cutter.spans(body, headers) if cutter is not None else None
    if cutter is None or items is None:
        return parser.parse(body, headers, url, None), 0
    hashes = cutter.hashes(body, items)
    keep = kept_indexes(hashes, sources or {})
    if sources and len(keep) < len(hashes):
        kept = set(keep)
        try:
            parsed = parser.parse(cutter.without(body, items, kept), headers, url, [hashes[i] for i in keep])
        except ParseError:
            parsed = None
        if parsed is not None and parsed.warning is None and parsed.sources is not None:
            dropped_guids = {sources[h] for i, h in enumerate(hashes) if i not in kept}
            if not any(d.guid in dropped_guids for d in parsed.entries):
                return parsed, len(hashes) - len(keep)
    return parser.parse(body, headers, url, hashes), 0
