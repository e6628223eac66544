"""The Store protocol: everything prwatch keeps, as monitor.domain values in and out.

The rest of prwatch talks to storage only through these protocols, grouped by domain; no
ORM row, session or SQL leaves storage. storage.sql implements them with SQLAlchemy (SQLite
and PostgreSQL); only the composition root (monitor.app) builds one.

A `Transaction` is one unit of work: what is written through it commits when the block
that opened it ends, or not at all. A poll stores each feed in one (its releases, their
analysis, stories and the feed's fetch state), and runs the after-store hooks inside it,
so whatever a hook writes (an alert's outbox row) commits with the release or not at all.

Decisions are not made here: which story a release joins, how config feeds are reconciled,
what a figure's measure key is, are decided in monitor and handed over as values.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any, Protocol

from monitor.domain import (
    AlertBatch,
    AlertItem,
    Analysis,
    ClaimHolder,
    DigestRecord,
    ExportedFigure,
    ExportedMilestone,
    ExportedRelease,
    FeedFailures,
    FeedJob,
    FeedRecord,
    FetchFailed,
    FetchSucceeded,
    FigureStatement,
    ListedRelease,
    MeasureCount,
    NearMiss,
    NearMissRecord,
    NewFeed,
    OutboxHealth,
    OutboxMessage,
    PriorFigure,
    ProcessedEntry,
    ReleaseFilter,
    ReleaseRecord,
    SearchExpr,
    SearchPage,
    StoredFigure,
    StoredMilestone,
    StoryCandidate,
    Subscription,
    SubscriptionChange,
)


class FeedStore(Protocol):
    """Subscriptions and each feed's fetch state."""

    def subscriptions(self) -> list[Subscription]:
        """Every stored feed, as config reconciliation needs it (a cheap read: every poll does it)."""
        ...

    def lock_subscriptions(self) -> None:
        """Serialise subscription changes with other processes until the transaction ends."""
        ...

    def apply(self, changes: Sequence[SubscriptionChange], now: datetime) -> None:
        """Make these changes (monitor.ingest.subscriptions decides them)."""
        ...

    def add(self, feed: NewFeed, now: datetime) -> FeedRecord:
        """Subscribe one feed by command; FeedExistsError when its name or URL is taken."""
        ...

    def add_many(self, feeds: Sequence[NewFeed], now: datetime) -> None:
        """Subscribe many feeds at once (an OPML import); the caller made names and URLs unique."""
        ...

    def remove(self, name: str) -> FeedRecord | None:
        """Delete the feed `name` with its releases; None when there is none."""
        ...

    def all(self) -> list[FeedRecord]:
        """Every feed, by name."""
        ...

    def record_success(self, feed_id: int, now: datetime, state: FetchSucceeded) -> None:
        """A fetch worked: validators, schedule, no error; its claim is released."""
        ...

    def record_failure(self, feed_id: int, now: datetime, state: FetchFailed) -> None:
        """A fetch failed: one more error, the next check, maybe disabled; its claim is released."""
        ...

    def failures(self, start: datetime, end: datetime) -> list[FeedFailures]:
        """Feeds that failed in [start, end), by name."""
        ...


class ClaimStore(Protocol):
    """Which worker polls which feed: claims under a lease."""

    def claim(self, worker: str, now: datetime, *, lease: timedelta, due_only: bool,
              names: Sequence[str] | None = None, limit: int | None = None) -> list[FeedJob]:
        """Claim enabled feeds nobody holds (or whose lease ran out); no two workers get one feed."""
        ...

    def release(self, worker: str) -> None:
        """Give back every claim of `worker`."""
        ...

    def renew(self, worker: str, now: datetime, *, lease: timedelta) -> int:
        """Extend the lease of every feed `worker` holds; how many."""
        ...

    def held_by_host(self, host: str) -> list[ClaimHolder]:
        """The claims held by workers of `host` (worker ids are "host:pid:nonce")."""
        ...

    def release_one(self, feed_id: int, holder: str) -> None:
        """Give back one feed's claim, if `holder` still holds it."""
        ...


class ReleaseStore(Protocol):
    """Releases and their revisions."""

    def known(self, feed_id: int) -> tuple[dict[str, str], dict[str, str]]:
        """guid -> content hash (TOMBSTONE for purged identities), and source hash -> guid."""
        ...

    def ids(self, feed_id: int, guids: Sequence[str]) -> dict[str, int]:
        """guid -> release id, of these guids the feed has stored."""
        ...

    def purged(self, feed_id: int, guids: Sequence[str]) -> set[str]:
        """Which of these identities of the feed were purged (tombstones)."""
        ...

    def is_first_of(self, feed_id: int) -> bool:
        """Whether the feed has no release stored yet (its first poll brings its history)."""
        ...

    def add(self, feed_id: int, entries: Sequence[ProcessedEntry], now: datetime, *, backfill: bool,
            all_ids: bool = False) -> list[int | None]:
        """Store new releases with their analysis; the id of each, in order (None for releases
        without analysis unless `all_ids`: fetching those costs more)."""
        ...

    def revise(self, release_id: int, entry: ProcessedEntry, now: datetime) -> int | None:
        """Keep the stored content as a revision, store the new one and its analysis; returns
        the release's story id before (None: it had none)."""
        ...

    def restamp(self, feed_id: int, sources: Sequence[tuple[str, str]]) -> None:
        """New source hashes (guid, hash) of releases whose bytes changed but not their content."""
        ...

    def batch_after(self, after_id: int, limit: int) -> list[ReleaseRecord]:
        """Up to `limit` releases with ids above `after_id`, by id (with their signature)."""
        ...

    def set_signature(self, release_id: int, signature: bytes) -> None:
        ...

    def count_before(self, before: datetime) -> int:
        """How many releases `purge(before)` would delete."""
        ...

    def purge(self, before: datetime, now: datetime) -> int:
        """Delete releases first seen before `before` with their analysis, keeping tombstones."""
        ...

    def of_topic(self, topic_id: str, start: datetime, end: datetime) -> list[ListedRelease]:
        """The topic's releases placed in [start, end), oldest first."""
        ...

    def arrived_late(self, topic_id: str, start: datetime, end: datetime) -> list[ListedRelease]:
        """The topic's releases first seen in [start, end) but placed before it (not backfill)."""
        ...

    def placed_since(self, since: datetime) -> list[tuple[str, datetime]]:
        """(topic, placed_at) of topic releases stored or revised at or after `since`."""
        ...

    def of_stories(self, story_ids: Iterable[int], topic_id: str) -> list[ListedRelease]:
        """Every release of the topic in these stories, whenever first seen."""
        ...

    def texts(self, release_ids: Iterable[int]) -> dict[int, str]:
        """Release id → its text, for these releases."""
        ...


class AnalysisStore(Protocol):
    """Topic matches, near misses, figures and milestones of stored releases, and the digest's look-backs."""

    def replace(self, release_id: int, entry: ProcessedEntry) -> None:
        """Replace a stored release's topics, near misses, figures and milestones by the entry's."""
        ...

    def of_release(self, release_id: int) -> Analysis:
        """A stored release's topics, near misses, figures and milestones as values (what a revision replaces)."""
        ...

    def near_misses_of(self, release_ids: Sequence[int]) -> dict[int, tuple[NearMiss, ...]]:
        """release id -> the near misses stored for it, closest first (releases without any left out)."""
        ...

    def replace_near_misses(self, release_id: int, near: Sequence[NearMiss]) -> None:
        """Replace a stored release's near misses only (its matches did not change)."""
        ...

    def near_misses(self, *, topic_id: str | None = None, since: datetime | None = None,
                    until: datetime | None = None) -> list[NearMissRecord]:
        """The near misses (of one topic, or all) of releases placed in [since, until), with
        their releases, newest first."""
        ...

    def near_miss_count(self, topic_id: str, start: datetime, end: datetime) -> int:
        """How many near misses of the topic releases placed in [start, end) have."""
        ...

    def topic_scores(self, release_ids: Sequence[int]) -> dict[int, dict[str, float]]:
        """release id -> topic id -> score."""
        ...

    def figures_of(self, release_ids: Sequence[int]) -> list[StoredFigure]:
        ...

    def milestones_of(self, release_ids: Sequence[int]) -> list[StoredMilestone]:
        ...

    def latest_by_feed(self, topic_id: str, before: datetime, *, measure_keys: Iterable[str] = (),
                       series_keys: Iterable[str] = (), excluding: int | None = None) -> list[PriorFigure]:
        """Per measure (of these, and of these series) and feed, the latest figure the topic's
        releases placed before `before` stated, oldest first; release `excluding` left out."""
        ...

    def latest(self, topic_id: str, before: datetime, *, measure_keys: Iterable[str] = (),
               series_keys: Iterable[str] = ()) -> list[PriorFigure]:
        """Per measure (of these, and of these series), the latest figure the topic's releases
        placed before `before` stated, whichever feed stated it; oldest first."""
        ...

    def latest_of_feeds(self, topic_id: str, before: datetime, pairs: Iterable[tuple[str, int]]) -> list[PriorFigure]:
        """Per (measure key, feed id) of `pairs`, that feed's latest figure of the measure among
        the topic's releases placed before `before`, for the pairs it stated; oldest first."""
        ...

    def values_stated_before(self, topic_id: str, numbers: Iterable[tuple[str, str | None, float]],
                             before: datetime) -> set[tuple[str, str | None, float]]:
        """Which of these (kind, unit, value) the topic stated before `before` (rounded to 9 decimals)."""
        ...

    def earlier_milestone_keys(self, topic_id: str, keys: Sequence[str], before: datetime,
                               excluding: int | None = None) -> set[str]:
        ...


class StoryStore(Protocol):
    """Stories: which stored releases are copies of one another."""

    def candidates(self, band_keys: Sequence[int], exclude: int, limit: int) -> list[StoryCandidate]:
        """Releases in a story that share a band key, most recent first, at most `limit`."""
        ...

    def assign(self, release_id: int, story_id: int, band_keys: Sequence[int]) -> None:
        """Put the release in the story and index its band keys."""
        ...

    def merge(self, stories: Sequence[int], into: int) -> None:
        """Move every release of these stories into story `into` (a copy joined them)."""
        ...

    def origin_feed(self, release_id: int) -> str | None:
        """The feed of the first release of the release's story (a copy speaks for it)."""
        ...


class DigestStore(Protocol):
    """Digests written, and up to when stored releases are in them."""

    def record(self, record: DigestRecord) -> None:
        """Remember a written digest; its time moves only when its content or place changed."""
        ...

    def all(self) -> list[DigestRecord]:
        """Every digest written, newest first."""
        ...

    def written_through(self) -> datetime | None:
        ...

    def mark_written(self, through: datetime) -> None:
        """Every release stored before `through` is in the digests (the mark never moves back)."""
        ...


class PollRunStore(Protocol):
    """Poll runs: the heartbeat that tells whether polling is alive."""

    def start(self, worker: str, now: datetime, kind: str) -> int:
        ...

    def finish(self, run_id: int, now: datetime, *, feeds: int, failed: int, new: int, revised: int) -> None:
        ...

    def last_finished(self, kind: str | None = None) -> datetime | None:
        """When the latest finished poll (of this kind, "daemon" or "fetch") finished."""
        ...

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        """(worker, last finished poll) of the workers that finished a poll since `since`."""
        ...


class AlertStore(Protocol):
    """The alert outbox: items written with their release, composed into messages, delivered."""

    def add_events(self, items: Sequence[AlertItem]) -> None:
        ...

    def pending_batches(self, now: datetime, *, stale_before: datetime,
                        dead: Callable[[str], bool]) -> list[AlertBatch]:
        """Items not yet composed whose poll is over (finished, its worker `dead`, or older than
        `stale_before`), locked until the transaction ends so two senders never compose one."""
        ...

    def mark_composed(self, event_ids: Iterable[int], now: datetime) -> None:
        ...

    def add_message(self, *, key: str, kind: str, channel: str, title: str, payload: dict[str, Any],
                    now: datetime, rule: str | None = None, topic_id: str | None = None) -> int | None:
        """Queue a message; None when one with this key exists already (never queued twice)."""
        ...

    def claim_messages(self, worker: str, now: datetime, *, lease: timedelta, limit: int = 50,
                       ids: Sequence[int] | None = None, due_only: bool = True) -> list[OutboxMessage]:
        ...

    def record_sent(self, message_id: int, worker: str, now: datetime) -> None:
        ...

    def record_failure(self, message_id: int, worker: str, now: datetime, *, error: str,
                       retry_at: datetime | None) -> None:
        """A failed attempt: tried again at `retry_at`, or given up when None."""
        ...

    def release_message_claims(self, worker: str) -> None:
        ...

    def release_dead_message_claims(self, dead: Callable[[str], bool]) -> int:
        ...

    def forget_old(self, before: datetime) -> None:
        ...

    def recent(self, limit: int = 50, status: str | None = None) -> list[OutboxMessage]:
        ...

    def health(self, since: datetime) -> OutboxHealth:
        ...


class SearchStore(Protocol):
    """Full-text search of stored releases."""

    def releases(self, expr: SearchExpr, where: ReleaseFilter = ReleaseFilter(), *, limit: int = 20,
                 offset: int = 0) -> SearchPage:
        """The stories whose releases match `expr` among those `where` selects, best first:
        `limit` of them after skipping `offset`."""
        ...

    def index_waiting(self) -> int:
        """Index, in one go, the releases stored but not yet in the full-text index (where the
        backend defers it: indexing each feed's releases in its own transaction costs more);
        how many. A search does it first by itself; a poll does it when it ends."""
        ...


class MeasureStore(Protocol):
    """A measure's statements across releases."""

    def statements(self, *, measure: str | None = None, subjects: Collection[str] = (),
                   where: ReleaseFilter = ReleaseFilter()) -> list[FigureStatement]:
        """Every figure stating `measure` (or with one of these exact `subjects`), oldest first."""
        ...

    def known(self, where: ReleaseFilter = ReleaseFilter()) -> list[MeasureCount]:
        """Every measure key figures state, most stated first."""
        ...

    def unmeasured(self, where: ReleaseFilter = ReleaseFilter()) -> int:
        """How many figures have no measure key."""
        ...

    def subjects(self) -> list[str]:
        """Every subject figures state, as written."""
        ...


class ExportStore(Protocol):
    """Every stored release, figure or milestone a filter selects, streamed: rows come as the
    caller takes them, a bounded batch at a time, so an export's memory does not grow with
    the store. Each is in release id order (then position), so two exports line up."""

    def releases(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedRelease]:
        ...

    def figures(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedFigure]:
        """By their release's date (not the period they are about), topic and feed."""
        ...

    def milestones(self, where: ReleaseFilter = ReleaseFilter()) -> Iterator[ExportedMilestone]:
        """By their release's date (not the milestone's own), topic and feed."""
        ...


class Transaction(Protocol):
    """One unit of work on the store, grouped by domain."""

    @property
    def feeds(self) -> FeedStore: ...

    @property
    def claims(self) -> ClaimStore: ...

    @property
    def releases(self) -> ReleaseStore: ...

    @property
    def analysis(self) -> AnalysisStore: ...

    @property
    def stories(self) -> StoryStore: ...

    @property
    def digests(self) -> DigestStore: ...

    @property
    def polls(self) -> PollRunStore: ...

    @property
    def alerts(self) -> AlertStore: ...

    @property
    def search(self) -> SearchStore: ...

    @property
    def measures(self) -> MeasureStore: ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested unit of work: what is written inside is undone alone if the block raises."""
        ...


class HealthView(Protocol):
    """What a health check reads (`prwatch status`), in one read-only transaction: the same
    answers as FeedStore.all, PollRunStore.last_finished and active_workers, AlertStore.health."""

    def feeds(self) -> list[FeedRecord]:
        """Every stored feed with its fetch state, by name."""
        ...

    def last_finished(self, kind: str | None = None) -> datetime | None:
        ...

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        ...

    def outbox_health(self, since: datetime) -> OutboxHealth:
        ...


class Locks(Protocol):
    """Locks between processes that share the store."""

    def digest_writer(self) -> AbstractContextManager[bool]:
        """Held while writing digests: True for the one process that got it."""
        ...

    def single_daemon(self) -> AbstractContextManager[None]:
        """Held for a daemon's life where the store allows one daemon (SQLite); StorageError,
        naming the holder, when another has it."""
        ...


class HealthSource(Protocol):
    """What a health check opens (`prwatch status`): the full store, or a reader that does
    only this, lighter to start (storage.sql.sqlite_health)."""

    @property
    def description(self) -> str:
        """Where it is, for messages (no password)."""
        ...

    def health_view(self) -> AbstractContextManager[HealthView]:
        """A read-only view for a health check, lighter to start than `transaction` (no unit
        of work to set up), so that a command which only looks starts fast."""
        ...

    def schema_version(self) -> str | None:
        """The schema revision the store is at (None: no schema)."""
        ...

    @property
    def code_schema_version(self) -> str:
        """The newest schema revision this code knows."""
        ...

    def dispose(self) -> None:
        ...


class Store(HealthSource, Protocol):
    """An open store."""

    @property
    def locks(self) -> Locks: ...

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One unit of work: committed when the block ends, rolled back if it raises. A
        failure of the store itself raises StorageError."""
        ...

    def snapshot(self) -> AbstractContextManager[ExportStore]:
        """A read-only view of the store as it is when the block starts, for a long read (an
        export): it neither waits for writers nor holds them up while the caller streams."""
        ...
