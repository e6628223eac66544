"""The database schema, as SQLAlchemy 2.x declarative models.

One row per release in `releases` (the identity a feed gives it); every earlier content of
a release lives in `release_revisions`, so a revised release is a new revision, never a
duplicate. Scheduling state (validators, next check, errors, claims) lives on `feeds`: the
database, not the scheduler, is the source of truth.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
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


class Base(DeclarativeBase):
    pass


def core_table(model: type[Base]) -> Table:
    """A model's Core table, typed as one (`__table__` is declared a FromClause); the
    statements a poll runs for every feed are built on tables, without ORM bookkeeping."""
    t = model.__table__
    assert isinstance(t, Table)
    return t


# made by migrations in each backend's own DDL, not described by the models: the full-text
# index (storage.sql.search), its SQLite shadow tables, its PostgreSQL GIN index
NOT_MODELLED = ("release_search",)


def modelled(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """alembic's include_object: compare the models with the database, except NOT_MODELLED."""
    return not (reflected and name is not None and name.startswith(NOT_MODELLED)
                or type_ == "index" and name is not None and name.startswith("ix_release_search"))


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(16), default="config")  # "config" or "command"
    full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    body_hash: Mapped[str | None] = mapped_column(String(64))
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status: Mapped[str | None] = mapped_column(String(40))  # "200", "304", "error", ...
    last_error: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    tags: Mapped[list[str] | None] = mapped_column(JSON)  # categories (OPML folders), for people and rules


class Release(Base):
    __tablename__ = "releases"
    __table_args__ = (UniqueConstraint("feed_id", "guid", name="uq_release_feed_guid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    guid: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    # hash of the item's bytes as the feed last sent them: an item with the same bytes is not
    # parsed again (monitor.ingest.items); NULL until the release's feed is next fetched with a change
    source_hash: Mapped[str | None] = mapped_column(String(32))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    story_id: Mapped[int | None] = mapped_column(Integer, index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    # when the release belongs in the news calendar: its publication time, or when first seen if
    # the feed gave none or a future one; digests put a release in the period of this time
    placed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True, default=lambda ctx: placed(
        ctx.get_current_parameters().get("published_at"), ctx.get_current_parameters()["first_seen_at"]))
    # stored by its feed's first poll (the feed's history): never today's news, never "arrived late"
    backfill: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # why the release was analysed only in part (its text past the cap, a time budget spent);
    # NULL when it was analysed whole
    analysis_note: Mapped[str | None] = mapped_column(Text)

    feed: Mapped[Feed] = relationship(lazy="joined")


def placed(published_at: datetime | None, first_seen_at: datetime) -> datetime:
    """A release's place in the news calendar: when it was published, unless the feed gave no
    date or one later than when prwatch first saw it (a future date is a feed's mistake)."""
    return published_at if published_at is not None and published_at <= first_seen_at else first_seen_at


class ReleaseRevision(Base):
    """An earlier content of a release, kept when the feed revised it."""

    __tablename__ = "release_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReleaseTopic(Base):
    __tablename__ = "release_topics"

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)


class NearMissRow(Base):
    """A topic a release came close to without matching (monitor.domain.NearMiss), with the
    topic's threshold when it was analysed; replaced with the rest of its analysis (a revision,
    `prwatch topics rematch`) and purged with its release."""

    __tablename__ = "near_misses"

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)


def _series_key(context) -> str:  # type: ignore[no-untyped-def]
    """The measure key without its period: one measure's history across periods (digest charts)."""
    return str(context.get_current_parameters()["measure_key"]).rsplit("|", 1)[0]


def _of_release(column: str):  # type: ignore[no-untyped-def]
    """A figure's copy of its release's feed and times, for a row inserted without them (the
    store's own inserts give them: storage.sql.analysis._store_analysis)."""

    def default(context) -> object:  # type: ignore[no-untyped-def]
        r = context.connection.execute(
            select(Release.feed_id, Release.published_at, Release.first_seen_at)
            .where(Release.id == context.get_current_parameters()["release_id"])).one()
        stated = placed(r.published_at, r.first_seen_at)
        return dict(feed_id=r.feed_id, stated_at=stated, first_seen_at=r.first_seen_at)[column]
    return default


class FigureRow(Base):
    __tablename__ = "figures"
    # the digest asks "was this number stated before" and "the latest statement of a measure by
    # each feed, of releases first seen before a day": both indexed, the second covered (the
    # release's feed and times are copied onto its figures, which are rewritten with them)
    # The digest's look-backs probe, per measure, the latest statement overall (ix_figures_key_time)
    # and by one feed (ix_figures_latest), and list a series' measures (ix_figures_series_measure)
    # from the index alone
    __table_args__ = (Index("ix_figures_value_kind", "value", "kind"),
                      Index("ix_figures_series_measure", "series_key", "measure_key"),
                      Index("ix_figures_latest", "measure_key", "feed_id", "stated_at", "release_id", "position",
                            "first_seen_at"),
                      Index("ix_figures_key_time", "measure_key", "stated_at", "release_id", "position"),
                      Index("ix_figures_measure", "measure"))  # a measure's history (prwatch figures)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(64))
    qualifier: Mapped[str | None] = mapped_column(String(32))
    measure: Mapped[str | None] = mapped_column(Text)  # canonical measure ("trade/cn-kz"), when extraction knows it
    measure_key: Mapped[str] = mapped_column(Text)  # what it measures, for new/changed
    series_key: Mapped[str] = mapped_column(Text, default=_series_key)  # filled from measure_key on insert
    # the release's: its feed, its place in the calendar (Release.placed_at), when first seen
    feed_id: Mapped[int] = mapped_column(Integer, default=_of_release("feed_id"))
    stated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_of_release("stated_at"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=_of_release("first_seen_at"))


class MilestoneRow(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    date: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    event_key: Mapped[str] = mapped_column(Text, index=True)


class Tombstone(Base):
    """A release identity that was purged: never ingested again as new."""

    __tablename__ = "tombstones"

    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True)
    guid: Mapped[str] = mapped_column(Text, primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoryKey(Base):
    """LSH band keys of a release's text signature: near-duplicates share at least one."""

    __tablename__ = "story_keys"
    __table_args__ = (Index("ix_story_keys_key", "key"),)

    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class FetchEvent(Base):
    """A failed fetch, kept for the digest's feed-health note and `prwatch status`."""

    __tablename__ = "fetch_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feeds.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(40))
    error: Mapped[str] = mapped_column(Text)


class PollRun(Base):
    __tablename__ = "poll_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    feeds: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    revised: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str | None] = mapped_column(String(16))  # "daemon" (prwatch run) or "fetch"; None before 0003


class DigestRow(Base):
    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("topic_id", "period_key", name="uq_digest_topic_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(8))  # day, week, month
    period_key: Mapped[str] = mapped_column(String(20))  # 2024-07-04, 2024-W27, 2024-07
    path: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text, default="")
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the Atom entry's HTML (summary and Highlights), rendered once per content_hash; NULL for a
    # digest recorded before 0008 (rendered from its file until it is next written)
    html: Mapped[str | None] = mapped_column(Text)


class DigestMark(Base):
    """Up to when releases stored are in the digests: the time before which every stored or
    revised release's period was written by a digest run that finished. A run killed half-way
    leaves it, so the next run writes those periods too."""

    __tablename__ = "digest_marks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    written_through: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertEvent(Base):
    """The alert outbox: one item a rule picked from a stored release, written in the
    transaction that stored the release, waiting to be put into its poll's message."""

    __tablename__ = "alert_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(100))
    topic_id: Mapped[str] = mapped_column(String(100))
    poll_run: Mapped[int | None] = mapped_column(Integer)  # one poll's items make one message per rule
    item: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    composed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # put into its messages


class AlertMessage(Base):
    """One message to one channel, until it is delivered or given up. `key` is its
    idempotency key: every attempt sends the same one, so a receiver can drop a repeat."""

    __tablename__ = "alert_messages"
    __table_args__ = (Index("ix_alert_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # alert, digest, test
    rule: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(100))
    topic_id: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)  # the message: text, webhook body, attachment
    status: Mapped[str] = mapped_column(String(16))  # pending, sent, failed (given up)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
