"""Plain values passed between the stages of prwatch.

Parsing, topic matching, extraction and rendering are pure functions over these frozen
values, so they are tested without a database or a network. Storage converts them to and
from rows; nothing here knows about SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Literal, NamedTuple

FigureKind = Literal["money", "percent", "count", "quantity"]
MilestoneStatus = Literal["happened", "announced"]


@dataclass(frozen=True, slots=True)
class ReleaseDraft:
    """One feed entry as parsed, before analysis: what the feed said about a release."""

    guid: str
    url: str | None
    title: str
    published_at: datetime | None
    text: str  # plain text of the body (summary or content, HTML stripped)
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number stated in a release, normalised.

    `value` is in base units ($41 billion -> 41e9); `text` is the span as written;
    `subject` says what it measures ("two-way trade"); `period` the time it refers to
    when the sentence says ("2023", "January-June 2024"); `measure` is a canonical key of
    which measure it states ("trade/cn-kz"), equal in every release that states it.
    """

    kind: FigureKind
    value: float
    unit: str | None
    text: str
    sentence: str
    subject: str | None = None
    period: str | None = None
    measure: str | None = None
    qualifier: str | None = None  # "more than", "nearly", "about", ...
    direction: str | None = None  # "up", "down" for changes
    basis: str | None = None  # "year-on-year", ...
    value_high: float | None = None  # upper bound of a range
    start: int = 0  # character offset of `text` in the analysed document

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MeasureDef:
    """One measure of a topic's vocabulary (config.toml, `[[topics.measures]]`).

    `id` is the canonical key figures of this measure get ("trade/cn-kz"); a figure of its
    change, share or value gets `id` + "/growth", "/share" or "/value", and one that names
    more than the measure ("Kazakh wheat exports to China") `id` + "/" + the extra words
    ("exports/kz-to-cn/wheat"). `label` is how digests name it, `key` marks a key measure
    (shown first). The other fields say which figures state it: one of `words` in the
    subject, the parties `between` named (or "bilateral", "the two countries"), or a flow
    `source` -> `dest`, one of `places`, and the unit family (`unit`: "money", "mass", ...).
    """

    id: str
    label: str
    key: bool = False
    words: tuple[str, ...] = ()
    between: tuple[str, ...] = ()
    source: str | None = None
    dest: str | None = None
    places: tuple[str, ...] = ()
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated event: the year (and date as precise as the text), a short event phrase,
    the sentence, and whether it happened or is announced/planned."""

    year: int
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    event: str
    sentence: str
    status: MilestoneStatus = "happened"
    start: int = 0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["text"] = d.pop("sentence")
        return d


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Why a release belongs to a topic: a score in [0, 1] and the words that decided it."""

    topic_id: str
    score: float
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.topic_id, "score": round(self.score, 3), "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class NearMiss:
    """A topic a release came close to without matching: its score fell short of the topic's
    threshold (min_score, as configured when the release was analysed) by at most
    monitor.analysis.near_misses.NEAR_MISS. Kept so people see what a threshold change would do."""

    topic_id: str
    score: float
    threshold: float
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.topic_id, "score": round(self.score, 3), "threshold": self.threshold,
                "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything prwatch derives from one release's text."""

    topics: tuple[TopicMatch, ...] = ()
    figures: tuple[Figure, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    near_misses: tuple[NearMiss, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "topics": [t.to_json() for t in self.topics],
            "figures": [f.to_json() for f in self.figures],
            "milestones": [m.to_json() for m in self.milestones],
            "near_misses": [n.to_json() for n in self.near_misses],
        }


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document parsed from bytes: its title, TTL hint and entries."""

    title: str | None
    entries: tuple[ReleaseDraft, ...] = field(default_factory=tuple)
    ttl_minutes: int | None = None
    warning: str | None = None  # a recoverable problem (feedparser "bozo") worth recording
    sources: tuple[str, ...] | None = None  # source hash of each entry (monitor.ingest.items), when known for all


# ------------------------------------------------------------------ what a poll hands to storage

TOMBSTONE = "tombstone"  # value in `known` for purged identities


@dataclass(frozen=True, slots=True)
class FeedJob:
    """A claimed feed: what a poll needs to fetch it, detached from any session."""

    id: int
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    error_count: int
    full_text: bool


@dataclass(frozen=True, slots=True)
class ProcessedEntry:
    """A new or changed entry of a fetched feed, analysed: what storage keeps of it.

    `measure_keys` and `event_keys` are the identities of its figures and milestones across
    releases (monitor.analysis.identity), in the order of `analysis.figures` and
    `analysis.milestones`."""

    draft: ReleaseDraft
    content_hash: str
    analysis: Analysis
    signature: bytes | None = None  # near-duplicate signature, for topic matches only
    band_keys: tuple[int, ...] = ()
    source_hash: str | None = None  # hash of the item's bytes in the feed (monitor.ingest.items)
    analysis_note: str | None = None  # what of the release was not analysed, and why (monitor.ingest.process)
    measure_keys: tuple[str, ...] = ()
    event_keys: tuple[str, ...] = ()

    @property
    def analysed(self) -> bool:
        """Whether it carries more than the release itself: topics, near misses, figures,
        milestones or a signature."""
        a = self.analysis
        return bool(a.topics or a.figures or a.milestones or a.near_misses or self.signature)


@dataclass(frozen=True, slots=True)
class ProcessedFeed:
    title: str | None
    ttl_minutes: int | None
    warning: str | None
    changed: tuple[ProcessedEntry, ...]  # new or revised entries
    unchanged: int  # entries the store already had with the same content (or the same bytes)
    skipped: int  # purged identities not re-ingested
    restamped: tuple[tuple[str, str], ...] = ()  # (guid, source hash) of unchanged entries whose bytes changed


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """A release storage has just stored: its id, what was stored, and for a revision the
    analysis of the version it replaced (read before it was overwritten)."""

    release_id: int
    entry: ProcessedEntry
    earlier: Analysis | None = None
    backfill: bool = False  # stored by the feed's first poll: its history, not news


@dataclass(frozen=True, slots=True)
class StoreCounts:
    new: int = 0
    revised: int = 0
    stored: tuple[StoredEntry, ...] = ()  # only when asked for (report_stored): what listeners are told


@dataclass(frozen=True, slots=True)
class StoredRelease:
    """A release a poll has just stored, as listeners of the storing transaction see it
    (monitor.ingest.events): what was stored, and for a revision what it replaced."""

    release_id: int
    feed_id: int
    feed: str  # the feed's name
    draft: ReleaseDraft
    analysis: Analysis
    stored_at: datetime  # when this poll stored it (a new release's first_seen_at)
    revised: bool = False
    earlier: Analysis | None = None  # a revision: the analysis of the version it replaced
    first_poll: bool = False  # stored by the feed's first successful fetch: its archive, not news
    poll_run: int | None = None  # the poll run that stored it (one poll, one batch of alerts)




# ---------------------------------------------------------------- asking the store: search

@dataclass(frozen=True, slots=True)
class Words:
    """Words to find in a release: one word, or a phrase (`phrase`: these words in this
    order). The text is as the user typed it; each backend tokenises it as it tokenises
    releases, so nothing in it is ever read as query syntax."""

    text: str
    phrase: bool = False


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every one of `parts`, and none of `excluded` (`wheat exports -russia`). At least one
    part: a query cannot consist of exclusions only."""

    parts: tuple[SearchExpr, ...]
    excluded: tuple[SearchExpr, ...] = ()


@dataclass(frozen=True, slots=True)
class AnyOf:
    """At least one of `parts` (`wheat OR grain`)."""

    parts: tuple[SearchExpr, ...]


SearchExpr = Words | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class ReleaseFilter:
    """Which releases a search, a history or an export looks at. Times are UTC bounds on a
    release's date (when it was published, else when first seen): since <= date < until."""

    topic: str | None = None
    feeds: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


Marked = tuple[tuple[str, bool], ...]  # text in pieces, each highlighted (a search hit) or not


@dataclass(frozen=True, slots=True)
class Carrier:
    """A release of the same story from another feed ("also carried by")."""

    feed: str
    title: str
    url: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One story found by a search: its best-matching release, with the words that matched
    highlighted in its title and in a snippet of its text, and the story's other copies."""

    release_id: int
    story_id: int
    feed: str
    title: Marked
    snippet: Marked
    url: str | None
    published_at: datetime | None
    first_seen_at: datetime
    revision: int
    score: float  # higher is better; comparable within one search only
    also: tuple[Carrier, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchPage:
    """A page of search results, best first; `more` when further stories match (among those
    ranked: when `capped`, only the most recently stored matches were)."""

    hits: tuple[SearchHit, ...]
    more: bool
    capped: bool = False  # more releases matched than are ranked: the most recently stored were
    only_common_words: bool = False  # the backend ignores every word asked for (the, of, and, ...)


# ---------------------------------------------------------------- asking the store: a measure's history

@dataclass(frozen=True, slots=True)
class FigureStatement:
    """One figure as stored, with its release: who stated what value of a measure, for which
    period, when. `origin` is the feed of the story's first release (a copy speaks for it)."""

    release_id: int
    position: int
    story_id: int
    feed: str
    origin: str
    title: str
    url: str | None
    released_at: datetime  # the release's place in the calendar: published, else first seen
    revision: int  # of the release (1: never revised)
    kind: str
    value: float
    unit: str | None
    text: str
    subject: str | None
    period: str | None
    measure: str | None
    qualifier: str | None
    sentence: str


@dataclass(frozen=True, slots=True)
class MeasureCount:
    """A measure the store knows: how many figures state it, from how many feeds, for how
    many periods, and the dates of the first and last release that stated it."""

    measure: str
    figures: int
    feeds: int
    periods: int
    first: datetime | None
    last: datetime | None


# ---------------------------------------------------------------- asking the store: export

# One row of `prwatch export` each. They are tuples whose fields are the export's columns, in
# order (the README says what each means): rows stream by the hundred thousand, and a tuple is
# both the cheapest value to make and the row a CSV writer takes. Columns are only ever added
# at the end, so a script that reads them by position keeps working.

class ExportedRelease(NamedTuple):
    release_id: int
    story_id: int  # releases that are copies of one story share it (the first release's id)
    feed: str
    released_at: datetime  # its place in the calendar (published, else first seen): what --since/--until select
    published_at: datetime | None  # as the feed gave it
    first_seen_at: datetime
    title: str
    url: str | None
    topics: tuple[str, ...]  # the ids of the topics it matched, sorted
    revision: int  # 1: never revised
    analysis_note: str | None  # what of it was not analysed, and why; None: all of it was


class ExportedFigure(NamedTuple):
    release_id: int
    position: int  # the figure's place among its release's figures
    story_id: int
    feed: str
    released_at: datetime
    measure: str | None  # the canonical measure (trade/cn-kz) when extraction knows it
    subject: str | None
    period: str | None
    value: float
    unit: str | None
    kind: str  # FigureKind
    qualifier: str | None
    text: str  # the figure as written
    measure_key: str  # what the store compares figures by: kind|unit|measure or subject|period
    url: str | None  # the release's link
    sentence: str


class ExportedMilestone(NamedTuple):
    release_id: int
    position: int
    story_id: int
    feed: str
    released_at: datetime
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    year: int
    event: str
    status: str  # MilestoneStatus: happened or announced
    event_key: str
    url: str | None
    sentence: str


# ------------------------------------------------------------------ feeds as stored

FeedOrigin = Literal["config", "command"]
REMOVED_FROM_CONFIG = "removed from config.toml"  # the disabled reason of a feed that left the config
MOVED_PERMANENTLY = "moved permanently"  # the note on a feed whose URL a 301/308 changed


@dataclass(frozen=True, slots=True)
class NewFeed:
    """A feed to subscribe by command or import."""

    name: str
    url: str
    full_text: bool = False
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subscription:
    """What config reconciliation needs of a stored feed: where it is and whether it is polled."""

    id: int
    name: str
    url: str
    origin: str  # FeedOrigin
    full_text: bool
    enabled: bool
    disabled_reason: str | None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SubscriptionChange:
    """One change that makes the feeds table agree with config.toml (monitor.ingest.subscriptions).

    "add" inserts a config feed; "update" makes the feed `id` a config feed with these
    `url`, `full_text` and `tags` (`new_url`: the URL changed, so its validators and schedule
    are reset; `enable`: it is enabled and its disabled reason cleared; `reset_errors`: its
    error count goes back to 0); "disable" disables the feed `id` with `reason`."""

    kind: Literal["add", "update", "disable"]
    name: str
    url: str = ""
    full_text: bool = False
    tags: tuple[str, ...] = ()
    id: int | None = None
    new_url: bool = False
    enable: bool = False
    reset_errors: bool = False
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """A stored feed with its whole fetch state, as `prwatch status` and `feeds list` show it."""

    id: int
    name: str
    url: str
    origin: str  # FeedOrigin
    full_text: bool
    enabled: bool
    disabled_reason: str | None
    tags: tuple[str, ...]
    etag: str | None
    last_modified: str | None
    next_check_at: datetime | None
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_status: str | None
    last_error: str | None
    error_count: int
    claimed_by: str | None
    claim_expires_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class FetchSucceeded:
    """A feed's state after a fetch that worked (a new body stored, a 304, the same body)."""

    status: str  # "200", "304", "200 same"
    next_check_at: datetime
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    new_url: str | None = None  # a 301/308 taught a new URL
    warning: str | None = None  # read leniently: what was wrong


@dataclass(frozen=True, slots=True)
class FetchFailed:
    """A feed's state after a fetch that failed; `disable` for a 410 Gone."""

    status: str  # "404", "error", "parse error", "store error", ...
    error: str
    next_check_at: datetime
    disable: bool = False


@dataclass(frozen=True, slots=True)
class ClaimHolder:
    """A feed claimed by a worker ("host:pid:nonce")."""

    feed_id: int
    name: str
    holder: str


@dataclass(frozen=True, slots=True)
class FeedFailures:
    """How often a feed failed in a period, and its last error (a digest's feed-health note)."""

    name: str
    failures: int
    last_error: str


# ------------------------------------------------------------------ releases as stored

@dataclass(frozen=True, slots=True)
class ReleaseRecord:
    """A stored release, without its analysis. `placed_at` is its place in the news calendar
    (published, unless the feed gave no date or a future one: then first seen)."""

    id: int
    feed_id: int
    feed: str  # the feed's name
    guid: str
    url: str | None
    title: str
    text: str
    author: str | None
    published_at: datetime | None
    first_seen_at: datetime
    placed_at: datetime | None
    revision: int
    story_id: int | None
    content_hash: str
    signature: bytes | None = None


@dataclass(frozen=True, slots=True)
class ListedRelease:
    """A stored release as a digest lists it: without its text, which a month's tens of
    thousands of releases would carry into memory for the few stories shown in full
    (ReleaseStore.texts reads theirs)."""

    id: int
    feed_id: int
    feed: str  # the feed's name
    url: str | None
    title: str
    published_at: datetime | None
    first_seen_at: datetime
    placed_at: datetime | None  # as ReleaseRecord.placed_at
    revision: int
    story_id: int | None
    analysis_note: str | None = None  # what of it was not analysed, and why (ProcessedEntry.analysis_note)


@dataclass(frozen=True, slots=True)
class StoredFigure:
    """A figure as stored with its release: its place in it and its measure key."""

    release_id: int
    position: int
    kind: str  # FigureKind
    value: float
    unit: str | None
    text: str
    sentence: str
    subject: str | None
    period: str | None
    measure: str | None
    qualifier: str | None
    measure_key: str


@dataclass(frozen=True, slots=True)
class PriorFigure:
    """The latest statement of a measure by one feed before some time, with its source."""

    measure_key: str
    value: float
    unit: str | None
    text: str
    release_id: int
    position: int
    feed_id: int
    stated_at: datetime
    feed: str  # the feed's name
    title: str
    url: str | None
    published_at: datetime | None
    first_seen_at: datetime


@dataclass(frozen=True, slots=True)
class NearMissRecord:
    """A stored near miss with its release, as `prwatch topics near-misses` lists it.
    `placed_at` is the release's place in the news calendar (ReleaseRecord.placed_at)."""

    release_id: int
    topic_id: str
    score: float
    threshold: float
    reasons: tuple[str, ...]
    feed: str
    title: str
    url: str | None
    published_at: datetime | None
    placed_at: datetime


@dataclass(frozen=True, slots=True)
class StoredMilestone:
    release_id: int
    position: int
    year: int
    date: str
    event: str
    sentence: str
    status: str  # MilestoneStatus
    event_key: str


@dataclass(frozen=True, slots=True)
class StoryCandidate:
    """A stored release that may be a copy of a new one: it shares an LSH band key with it."""

    release_id: int
    story_id: int
    signature: bytes | None
    published: datetime | None = None  # when it was published (else first seen): copies come within days


@dataclass(frozen=True, slots=True)
class DigestRecord:
    """A digest prwatch wrote: where, with which content, when it last changed."""

    topic_id: str
    period: str  # day, week, month
    period_key: str  # 2024-07-04, 2024-W27, 2024-07
    path: str
    content_hash: str
    summary: str
    generated_at: datetime
    html: str | None = None  # the Atom entry's HTML (summary and Highlights) of this content


# ------------------------------------------------------------------ the alert outbox

@dataclass(frozen=True, slots=True)
class AlertItem:
    """What one rule picked from one stored release, written to the outbox with the release."""

    rule: str
    topic_id: str
    poll_run: int | None
    item: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AlertBatch:
    """The items of one rule from one poll, ready to become messages."""

    rule: str
    topic_id: str
    poll_run: int | None
    event_ids: tuple[int, ...]
    items: tuple[dict[str, Any], ...]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    key: str
    kind: str
    rule: str | None
    channel: str
    topic_id: str | None
    title: str
    payload: dict[str, Any]
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class OutboxHealth:
    pending: int
    retrying: int  # pending after at least one failed attempt
    failed: int  # given up, in the kept window
    oldest_pending: datetime | None
    last_failure: OutboxMessage | None  # the latest given-up message, or failing one
