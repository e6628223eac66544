"""The database schema as SQLAlchemy Core tables: what every statement is built on.

One row per release in `releases` (the identity a feed gives it); every earlier content of
a release lives in `release_revisions`, so a revised release is a new revision, never a
duplicate. Scheduling state (validators, next check, errors, claims) lives on `feeds`: the
database, not the scheduler, is the source of truth.

The tables are apart from the ORM classes mapped onto them (storage.sql.models) so that a
command which only reads, such as `prwatch status`, builds its statements on Core alone and
never imports SQLAlchemy's ORM (a tenth of a second at every start).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):  # type: ignore[no-untyped-def]
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


METADATA = MetaData()

# made by migrations in each backend's own DDL, not described here: the full-text index
# (storage.sql.search), its SQLite shadow tables, its PostgreSQL GIN index
NOT_MODELLED = ("release_search",)


def modelled(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """alembic's include_object: compare the tables with the database, except NOT_MODELLED."""
    return not (reflected and name is not None and name.startswith(NOT_MODELLED)
                or type_ == "index" and name is not None and name.startswith("ix_release_search"))


def _required(name: str, type_: Any, *fk: ForeignKey, **kw: Any) -> Column[Any]:
    """A NOT NULL column (the ORM's `Mapped[X]`); a plain Column is nullable (`Mapped[X | None]`)."""
    return Column(name, type_, *fk, nullable=False, **kw)


def _pk(name: str = "id", type_: Any = Integer, *fk: ForeignKey) -> Column[Any]:
    return Column(name, type_, *fk, primary_key=True)


def _fk(name: str, target: str, *, index: bool = True, primary_key: bool = False) -> Column[Any]:
    """An integer reference whose rows go with the row they refer to."""
    if primary_key:
        return _pk(name, Integer, ForeignKey(target, ondelete="CASCADE"))
    return _required(name, Integer, ForeignKey(target, ondelete="CASCADE"), index=index)


FEEDS = Table(
    "feeds", METADATA,
    _pk(),
    _required("name", String(200), unique=True),
    _required("url", Text),
    _required("origin", String(16), default="config"),  # "config" or "command"
    _required("full_text", Boolean, default=False),
    _required("enabled", Boolean, default=True),
    Column("disabled_reason", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("body_hash", String(64)),
    Column("next_check_at", UTCDateTime, index=True),
    Column("last_fetched_at", UTCDateTime),
    Column("last_success_at", UTCDateTime),
    Column("last_status", String(40)),  # "200", "304", "error", ...
    Column("last_error", Text),
    _required("error_count", Integer, default=0),
    Column("claimed_by", String(120)),
    Column("claim_expires_at", UTCDateTime),
    _required("created_at", UTCDateTime),
    Column("tags", JSON),  # categories (OPML folders), for people and rules
)


def placed(published_at: datetime | None, first_seen_at: datetime) -> datetime:
    """A release's place in the news calendar: when it was published, unless the feed gave no
    date or one later than when prwatch first saw it (a future date is a feed's mistake)."""
    return published_at if published_at is not None and published_at <= first_seen_at else first_seen_at


def _placed_default(context) -> datetime:  # type: ignore[no-untyped-def]
    params = context.get_current_parameters()
    return placed(params.get("published_at"), params["first_seen_at"])


RELEASES = Table(
    "releases", METADATA,
    _pk(),
    _fk("feed_id", "feeds.id"),
    _required("guid", Text),
    Column("url", Text),
    _required("title", Text),
    Column("author", Text),
    Column("published_at", UTCDateTime),
    _required("first_seen_at", UTCDateTime, index=True),
    _required("updated_at", UTCDateTime),
    _required("text", Text),
    _required("content_hash", String(64)),
    # hash of the item's bytes as the feed last sent them: an item with the same bytes is not
    # parsed again (monitor.ingest.items); NULL until the release's feed is next fetched with a change
    Column("source_hash", String(32)),
    _required("revision", Integer, default=1),
    Column("story_id", Integer),  # indexed with the date and id: ix_releases_story_first, below
    Column("signature", LargeBinary),
    # when the release belongs in the news calendar: its publication time, or when first seen if
    # the feed gave none or a future one; digests put a release in the period of this time
    Column("placed_at", UTCDateTime, index=True, default=_placed_default),
    # stored by its feed's first poll (the feed's history): never today's news, never "arrived late"
    _required("backfill", Boolean, default=False, server_default="0"),
    # why the release was analysed only in part (its text past the cap, a time budget spent);
    # NULL when it was analysed whole
    Column("analysis_note", Text),
    UniqueConstraint("feed_id", "guid", name="uq_release_feed_guid"),
)
# a story's releases in date order (a release's date as storage.sql.search.release_date has
# it), so the first of a story is one index probe (storage.sql.measures)
Index("ix_releases_story_first", RELEASES.c.story_id, func.coalesce(RELEASES.c.placed_at, RELEASES.c.first_seen_at),
      RELEASES.c.id)

# an earlier content of a release, kept when the feed revised it
RELEASE_REVISIONS = Table(
    "release_revisions", METADATA,
    _pk(),
    _fk("release_id", "releases.id"),
    _required("revision", Integer),
    _required("title", Text),
    _required("text", Text),
    _required("content_hash", String(64)),
    _required("seen_at", UTCDateTime),
)

RELEASE_TOPICS = Table(
    "release_topics", METADATA,
    _fk("release_id", "releases.id", primary_key=True),
    Column("topic_id", String(100), primary_key=True, index=True),
    _required("score", Float),
    _required("reasons", JSON, default=list),
)

# a topic a release came close to without matching (monitor.domain.NearMiss), with the topic's
# threshold when it was analysed; replaced with the rest of its analysis (a revision, `prwatch
# topics rematch`) and purged with its release
NEAR_MISSES = Table(
    "near_misses", METADATA,
    _fk("release_id", "releases.id", primary_key=True),
    Column("topic_id", String(100), primary_key=True, index=True),
    _required("score", Float),
    _required("threshold", Float),
    _required("reasons", JSON, default=list),
)


def _series_key(context) -> str:  # type: ignore[no-untyped-def]
    """The measure key without its period: one measure's history across periods (digest charts)."""
    return str(context.get_current_parameters()["measure_key"]).rsplit("|", 1)[0]


def _of_release(column: str):  # type: ignore[no-untyped-def]
    """A figure's copy of its release's feed and times, for a row inserted without them (the
    store's own inserts give them: storage.sql.analysis._store_analysis)."""

    def default(context) -> object:  # type: ignore[no-untyped-def]
        r = RELEASES.c
        row = context.connection.execute(
            select(r.feed_id, r.published_at, r.first_seen_at)
            .where(r.id == context.get_current_parameters()["release_id"])).one()
        stated = placed(row.published_at, row.first_seen_at)
        return dict(feed_id=row.feed_id, stated_at=stated, first_seen_at=row.first_seen_at)[column]
    return default


FIGURES = Table(
    "figures", METADATA,
    _pk(),
    _fk("release_id", "releases.id"),
    _required("position", Integer),
    _required("kind", String(16)),
    _required("value", Float),
    Column("unit", String(32)),
    _required("text", Text),
    _required("sentence", Text),
    Column("subject", Text),
    Column("period", String(64)),
    Column("qualifier", String(32)),
    Column("measure", Text),  # canonical measure ("trade/cn-kz"), when extraction knows it
    _required("measure_key", Text),  # what it measures, for new/changed
    _required("series_key", Text, default=_series_key),  # filled from measure_key on insert
    # the release's: its feed, its place in the calendar (releases.placed_at), when first seen
    _required("feed_id", Integer, default=_of_release("feed_id")),
    _required("stated_at", UTCDateTime, default=_of_release("stated_at")),
    _required("first_seen_at", UTCDateTime, default=_of_release("first_seen_at")),
    # the digest asks "was this number stated before" and "the latest statement of a measure by
    # each feed, of releases first seen before a day": both indexed, the second covered (the
    # release's feed and times are copied onto its figures, which are rewritten with them)
    # The digest's look-backs probe, per measure, the latest statement overall (ix_figures_key_time)
    # and by one feed (ix_figures_latest), and list a series' measures (ix_figures_series_measure)
    # from the index alone
    Index("ix_figures_value_kind", "value", "kind"),
    Index("ix_figures_series_measure", "series_key", "measure_key"),
    Index("ix_figures_latest", "measure_key", "feed_id", "stated_at", "release_id", "position", "first_seen_at"),
    Index("ix_figures_key_time", "measure_key", "stated_at", "release_id", "position"),
    Index("ix_figures_measure", "measure"),  # a measure's history (prwatch figures)
)

MILESTONES = Table(
    "milestones", METADATA,
    _pk(),
    _fk("release_id", "releases.id"),
    _required("position", Integer),
    _required("year", Integer),
    _required("date", String(10)),
    _required("event", Text),
    _required("sentence", Text),
    _required("status", String(16)),
    _required("event_key", Text, index=True),
)

# a release identity that was purged: never ingested again as new
TOMBSTONES = Table(
    "tombstones", METADATA,
    _fk("feed_id", "feeds.id", primary_key=True),
    _pk("guid", Text),
    _required("purged_at", UTCDateTime),
)

# LSH band keys of a release's text signature: near-duplicates share at least one
STORY_KEYS = Table(
    "story_keys", METADATA,
    _fk("release_id", "releases.id", primary_key=True),
    _pk("key", BigInteger),
    Index("ix_story_keys_key", "key"),
)

# a failed fetch, kept for the digest's feed-health note and `prwatch status`
FETCH_EVENTS = Table(
    "fetch_events", METADATA,
    _pk(),
    _fk("feed_id", "feeds.id"),
    _required("at", UTCDateTime, index=True),
    _required("status", String(40)),
    _required("error", Text),
)

POLL_RUNS = Table(
    "poll_runs", METADATA,
    _pk(),
    _required("worker", String(120)),
    _required("started_at", UTCDateTime, index=True),
    Column("finished_at", UTCDateTime),
    _required("feeds", Integer, default=0),
    _required("failed", Integer, default=0),
    _required("new", Integer, default=0),
    _required("revised", Integer, default=0),
    Column("kind", String(16)),  # "daemon" (prwatch run) or "fetch"; None before 0003
)

DIGESTS = Table(
    "digests", METADATA,
    _pk(),
    _required("topic_id", String(100)),
    _required("period", String(8)),  # day, week, month
    _required("period_key", String(20)),  # 2024-07-04, 2024-W27, 2024-07
    _required("path", Text),
    _required("content_hash", String(64)),
    _required("summary", Text, default=""),
    _required("generated_at", UTCDateTime),
    # the Atom entry's HTML (summary and Highlights), rendered once per content_hash; NULL for a
    # digest recorded before 0008 (rendered from its file until it is next written)
    Column("html", Text),
    UniqueConstraint("topic_id", "period_key", name="uq_digest_topic_period"),
)

# up to when releases stored are in the digests: the time before which every stored or revised
# release's period was written by a digest run that finished. A run killed half-way leaves it,
# so the next run writes those periods too.
DIGEST_MARKS = Table(
    "digest_marks", METADATA,
    _pk(),
    _required("written_through", UTCDateTime),
)

# the alert outbox: one item a rule picked from a stored release, written in the transaction
# that stored the release, waiting to be put into its poll's message
ALERT_EVENTS = Table(
    "alert_events", METADATA,
    _pk(),
    _required("rule", String(100)),
    _required("topic_id", String(100)),
    Column("poll_run", Integer),  # one poll's items make one message per rule
    _required("item", JSON),
    _required("created_at", UTCDateTime, index=True),
    Column("composed_at", UTCDateTime, index=True),  # put into its messages
)

# one message to one channel, until it is delivered or given up. `key` is its idempotency key:
# every attempt sends the same one, so a receiver can drop a repeat.
ALERT_MESSAGES = Table(
    "alert_messages", METADATA,
    _pk(),
    _required("key", String(64), unique=True),
    _required("kind", String(16)),  # alert, digest, test
    Column("rule", String(100)),
    _required("channel", String(100)),
    Column("topic_id", String(100)),
    _required("title", Text),
    _required("payload", JSON),  # the message: text, webhook body, attachment
    _required("status", String(16)),  # pending, sent, failed (given up)
    _required("attempts", Integer, default=0),
    _required("created_at", UTCDateTime, index=True),
    _required("next_attempt_at", UTCDateTime),
    Column("last_attempt_at", UTCDateTime),
    Column("sent_at", UTCDateTime),
    Column("last_error", Text),
    Column("claimed_by", String(120)),
    Column("claim_expires_at", UTCDateTime),
    Index("ix_alert_messages_due", "status", "next_attempt_at"),
)
