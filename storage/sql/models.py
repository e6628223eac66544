"""The ORM classes, mapped onto the Core tables of storage.sql.tables: rows as objects for the
code that adds, changes and deletes them through a session.

The schema itself (columns, indexes, defaults) is in storage.sql.tables; here each class only
names its table and types its attributes. Importing this module imports SQLAlchemy's ORM,
which a command that only reads does without.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Table
from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from storage.sql import tables as t
from storage.sql.tables import NOT_MODELLED, UTCDateTime, modelled, placed

__all__ = ["NOT_MODELLED", "UTCDateTime", "modelled", "placed"]  # re-exported: the schema's helpers


class Base(DeclarativeBase):
    metadata = t.METADATA


def core_table(model: type[Base]) -> Table:
    """A model's Core table, typed as one (`__table__` is declared a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


class Feed(Base):
    __table__ = t.FEEDS

    id: Mapped[int]
    name: Mapped[str]
    url: Mapped[str]
    origin: Mapped[str]
    full_text: Mapped[bool]
    enabled: Mapped[bool]
    disabled_reason: Mapped[str | None]
    etag: Mapped[str | None]
    last_modified: Mapped[str | None]
    body_hash: Mapped[str | None]
    next_check_at: Mapped[datetime | None]
    last_fetched_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    last_status: Mapped[str | None]
    last_error: Mapped[str | None]
    error_count: Mapped[int]
    claimed_by: Mapped[str | None]
    claim_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    tags: Mapped[list[str] | None]


class Release(Base):
    __table__ = t.RELEASES

    id: Mapped[int]
    feed_id: Mapped[int]
    guid: Mapped[str]
    url: Mapped[str | None]
    title: Mapped[str]
    author: Mapped[str | None]
    published_at: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    text: Mapped[str]
    content_hash: Mapped[str]
    source_hash: Mapped[str | None]
    revision: Mapped[int]
    story_id: Mapped[int | None]
    signature: Mapped[bytes | None]
    placed_at: Mapped[datetime | None]
    backfill: Mapped[bool]
    analysis_note: Mapped[str | None]

    feed: Mapped[Feed] = relationship(lazy="joined")


class ReleaseRevision(Base):
    __table__ = t.RELEASE_REVISIONS

    id: Mapped[int]
    release_id: Mapped[int]
    revision: Mapped[int]
    title: Mapped[str]
    text: Mapped[str]
    content_hash: Mapped[str]
    seen_at: Mapped[datetime]


class ReleaseTopic(Base):
    __table__ = t.RELEASE_TOPICS

    release_id: Mapped[int]
    topic_id: Mapped[str]
    score: Mapped[float]
    reasons: Mapped[list[str]]


class NearMissRow(Base):
    __table__ = t.NEAR_MISSES

    release_id: Mapped[int]
    topic_id: Mapped[str]
    score: Mapped[float]
    threshold: Mapped[float]
    reasons: Mapped[list[str]]


class FigureRow(Base):
    __table__ = t.FIGURES

    id: Mapped[int]
    release_id: Mapped[int]
    position: Mapped[int]
    kind: Mapped[str]
    value: Mapped[float]
    unit: Mapped[str | None]
    text: Mapped[str]
    sentence: Mapped[str]
    subject: Mapped[str | None]
    period: Mapped[str | None]
    qualifier: Mapped[str | None]
    measure: Mapped[str | None]
    measure_key: Mapped[str]
    series_key: Mapped[str]
    feed_id: Mapped[int]
    stated_at: Mapped[datetime]
    first_seen_at: Mapped[datetime]


class MilestoneRow(Base):
    __table__ = t.MILESTONES

    id: Mapped[int]
    release_id: Mapped[int]
    position: Mapped[int]
    year: Mapped[int]
    date: Mapped[str]
    event: Mapped[str]
    sentence: Mapped[str]
    status: Mapped[str]
    event_key: Mapped[str]


class Tombstone(Base):
    __table__ = t.TOMBSTONES

    feed_id: Mapped[int]
    guid: Mapped[str]
    purged_at: Mapped[datetime]


class StoryKey(Base):
    __table__ = t.STORY_KEYS

    release_id: Mapped[int]
    key: Mapped[int]


class FetchEvent(Base):
    __table__ = t.FETCH_EVENTS

    id: Mapped[int]
    feed_id: Mapped[int]
    at: Mapped[datetime]
    status: Mapped[str]
    error: Mapped[str]


class PollRun(Base):
    __table__ = t.POLL_RUNS

    id: Mapped[int]
    worker: Mapped[str]
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    feeds: Mapped[int]
    failed: Mapped[int]
    new: Mapped[int]
    revised: Mapped[int]
    kind: Mapped[str | None]


class DigestRow(Base):
    __table__ = t.DIGESTS

    id: Mapped[int]
    topic_id: Mapped[str]
    period: Mapped[str]
    period_key: Mapped[str]
    path: Mapped[str]
    content_hash: Mapped[str]
    summary: Mapped[str]
    generated_at: Mapped[datetime]
    html: Mapped[str | None]


class DigestMark(Base):
    __table__ = t.DIGEST_MARKS

    id: Mapped[int]
    written_through: Mapped[datetime]


class AlertEvent(Base):
    __table__ = t.ALERT_EVENTS

    id: Mapped[int]
    rule: Mapped[str]
    topic_id: Mapped[str]
    poll_run: Mapped[int | None]
    item: Mapped[dict[str, object]]
    created_at: Mapped[datetime]
    composed_at: Mapped[datetime | None]


class AlertMessage(Base):
    __table__ = t.ALERT_MESSAGES

    id: Mapped[int]
    key: Mapped[str]
    kind: Mapped[str]
    rule: Mapped[str | None]
    channel: Mapped[str]
    topic_id: Mapped[str | None]
    title: Mapped[str]
    payload: Mapped[dict[str, object]]
    status: Mapped[str]
    attempts: Mapped[int]
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None]
    claimed_by: Mapped[str | None]
    claim_expires_at: Mapped[datetime | None]
