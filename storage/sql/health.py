"""What a health check reads, on Core alone: the feeds with their fetch state, the poll runs'
heartbeat, the alert outbox's counts.

Each function takes an ORM session or a plain connection (both execute Core statements), so
the store's transactions (storage.sql.feeds, polls, alerts) and `SqlStore.health_view`, which
does without the ORM, give the same answers from the same statements.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, and_, func, or_, select

from monitor.domain import FeedRecord, OutboxHealth, OutboxMessage
from storage.sql.tables import ALERT_MESSAGES, FEEDS, POLL_RUNS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.sql.bind import SqlBind

    Bind = Session | Connection | SqlBind

_F, _P, _M = FEEDS.c, POLL_RUNS.c, ALERT_MESSAGES.c
_ALL_FEEDS = select(FEEDS).order_by(_F.name)


def all_feeds(bind: Bind) -> list[FeedRecord]:
    return [feed_record(r) for r in bind.execute(_ALL_FEEDS)]


def feed_record(row: Any) -> FeedRecord:
    """A feed's row (a Core row or an ORM object: the same attribute names) as the domain's record."""
    return FeedRecord(row.id, row.name, row.url, row.origin, row.full_text, row.enabled, row.disabled_reason,
                      tuple(row.tags or ()), row.etag, row.last_modified, row.next_check_at, row.last_fetched_at,
                      row.last_success_at, row.last_status, row.last_error, row.error_count, row.claimed_by,
                      row.claim_expires_at, row.created_at)


def last_finished(bind: Bind, kind: str | None = None) -> datetime | None:
    q = select(_P.finished_at).where(_P.finished_at.is_not(None))
    if kind:
        q = q.where(_P.kind == kind)
    at: datetime | None = bind.execute(q.order_by(_P.started_at.desc()).limit(1)).scalar()
    return at


def active_workers(bind: Bind, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
    q = select(_P.worker, func.max(_P.finished_at)).where(_P.finished_at >= since)
    if kind:
        q = q.where(_P.kind == kind)
    return [(w, at) for w, at in bind.execute(q.group_by(_P.worker).order_by(_P.worker)) if at is not None]


def outbox_health(bind: Bind, since: datetime) -> OutboxHealth:
    counts: dict[str, int] = {status: n for status, n in bind.execute(select(_M.status, func.count()).where(
        or_(_M.status == "pending", and_(_M.status == "failed", _M.created_at >= since))).group_by(_M.status))}
    retrying = bind.execute(select(func.count()).where(_M.status == "pending", _M.attempts > 0)).scalar() or 0
    oldest = bind.execute(select(func.min(_M.created_at)).where(_M.status == "pending")).scalar()
    last = bind.execute(select(ALERT_MESSAGES).where(
        _M.last_error.is_not(None), or_(_M.status == "pending", and_(_M.status == "failed", _M.created_at >= since)))
        .order_by(_M.last_attempt_at.desc()).limit(1)).first()
    return OutboxHealth(int(counts.get("pending", 0)), int(retrying), int(counts.get("failed", 0)), oldest,
                        outbox_message(last) if last is not None else None)


def outbox_message(r: Any) -> OutboxMessage:
    return OutboxMessage(r.id, r.key, r.kind, r.rule, r.channel, r.topic_id, r.title, r.payload, r.status,
                         r.attempts, r.created_at, r.next_attempt_at, r.last_attempt_at, r.sent_at, r.last_error)


class SqlHealthView:
    """storage.port.HealthView on one connection in a read-only transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def feeds(self) -> list[FeedRecord]:
        return all_feeds(self._conn)

    def last_finished(self, kind: str | None = None) -> datetime | None:
        return last_finished(self._conn, kind)

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        return active_workers(self._conn, since, kind)

    def outbox_health(self, since: datetime) -> OutboxHealth:
        return outbox_health(self._conn, since)
