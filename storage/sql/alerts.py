"""The alert outbox and its deliveries.

Items are written by the poll's listener in the transaction that stores their release
(add_events). A sender then, in one transaction each: composes the items of polls that
have finished into messages, one per rule, poll and channel (pending_batches, add_message);
claims due messages under a lease (claim_messages: FOR UPDATE SKIP LOCKED on PostgreSQL,
so daemons never claim the same message, and a compare-and-set on the claim everywhere);
and records each attempt's outcome (record_sent, record_failure). A message whose sender
died is claimed again when its lease runs out, or at once by a process of the same host
that sees the holder is gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.domain import AlertBatch, AlertItem, OutboxHealth, OutboxMessage
from storage.sql.health import outbox_health, outbox_message
from storage.sql.tables import ALERT_EVENTS, ALERT_MESSAGES, POLL_RUNS

_E = ALERT_EVENTS.c
_M = ALERT_MESSAGES.c
_P = POLL_RUNS.c


class SqlAlerts:
    """storage.port.AlertStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add_events(self, items: Sequence[AlertItem]) -> None:
        if items:
            self._s.execute(insert(ALERT_EVENTS), [
                dict(rule=i.rule, topic_id=i.topic_id, poll_run=i.poll_run, item=i.item, created_at=i.created_at)
                for i in items])

    def pending_batches(self, now: datetime, *, stale_before: datetime,
                        dead: Callable[[str], bool]) -> list[AlertBatch]:
        """Items not yet composed whose poll is over: it finished, its worker is `dead`, or the
        items are older than `stale_before` (a poll killed on another host). Locked (SKIP LOCKED
        on PostgreSQL) until the caller's transaction ends, so two senders never compose one."""
        q = (select(_E.id, _E.rule, _E.topic_id, _E.poll_run, _E.item, _E.created_at, _P.finished_at, _P.worker)
             .outerjoin(POLL_RUNS, _P.id == _E.poll_run)
             .where(_E.composed_at.is_(None)).order_by(_E.id))
        if self._s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True, of=ALERT_EVENTS)
        groups: dict[tuple[str, int | None], list[Any]] = {}
        for r in self._s.execute(q):
            over = r.poll_run is None or r.finished_at is not None or r.worker is None or r.created_at < stale_before \
                or dead(r.worker)
            if over:
                groups.setdefault((r.rule, r.poll_run), []).append(r)
        return [AlertBatch(rule, rows[0].topic_id, run, tuple(r.id for r in rows), tuple(r.item for r in rows),
                           rows[0].created_at) for (rule, run), rows in groups.items()]

    def mark_composed(self, event_ids: Iterable[int], now: datetime) -> None:
        ids = list(event_ids)
        for i in range(0, len(ids), 500):
            self._s.execute(update(ALERT_EVENTS).where(_E.id.in_(ids[i:i + 500])).values(composed_at=now))

    def add_message(self, *, key: str, kind: str, channel: str, title: str, payload: dict[str, Any],
                    now: datetime, rule: str | None = None, topic_id: str | None = None) -> int | None:
        """Queue a message; None when one with this key exists already (it is never queued twice)."""
        try:
            with self._s.begin_nested():
                new_id: int = self._s.execute(insert(ALERT_MESSAGES).returning(_M.id).values(
                    key=key, kind=kind, rule=rule, channel=channel, topic_id=topic_id, title=title, payload=payload,
                    status="pending", attempts=0, created_at=now, next_attempt_at=now)).scalar_one()
                return new_id
        except IntegrityError:
            return None

    def claim_messages(self, worker: str, now: datetime, *, lease: timedelta, limit: int = 50,
                       ids: Sequence[int] | None = None, due_only: bool = True) -> list[OutboxMessage]:
        """Claim pending messages that are due (or these `ids`) for `worker`, oldest first."""
        q = select(ALERT_MESSAGES).where(
            _M.status == "pending", or_(_M.claim_expires_at.is_(None), _M.claim_expires_at < now))
        if due_only:
            q = q.where(_M.next_attempt_at <= now)
        if ids is not None:
            q = q.where(_M.id.in_(list(ids)))
        q = q.order_by(_M.next_attempt_at, _M.id).limit(limit)
        if self._s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        out = []
        for r in self._s.execute(q).all():
            claimed = self._s.execute(update(ALERT_MESSAGES).where(
                _M.id == r.id, _M.status == "pending", or_(_M.claim_expires_at.is_(None), _M.claim_expires_at < now))
                .values(claimed_by=worker, claim_expires_at=now + lease))
            if getattr(claimed, "rowcount", 0):
                out.append(outbox_message(r))
        return out

    def record_sent(self, message_id: int, worker: str, now: datetime) -> None:
        self._s.execute(update(ALERT_MESSAGES).where(_M.id == message_id, _M.claimed_by == worker).values(
            status="sent", sent_at=now, last_attempt_at=now, attempts=_M.attempts + 1, last_error=None,
            claimed_by=None, claim_expires_at=None))

    def record_failure(self, message_id: int, worker: str, now: datetime, *, error: str,
                       retry_at: datetime | None) -> None:
        """A failed attempt: tried again at `retry_at`, or given up (status failed) when None."""
        values: dict[str, Any] = dict(last_attempt_at=now, attempts=_M.attempts + 1, last_error=error[:2000],
                                      claimed_by=None, claim_expires_at=None)
        if retry_at is None:
            values["status"] = "failed"
        else:
            values["next_attempt_at"] = retry_at
        self._s.execute(update(ALERT_MESSAGES).where(_M.id == message_id, _M.claimed_by == worker).values(**values))

    def release_message_claims(self, worker: str) -> None:
        self._s.execute(update(ALERT_MESSAGES).where(_M.claimed_by == worker, _M.status == "pending")
                        .values(claimed_by=None, claim_expires_at=None))

    def release_dead_message_claims(self, dead: Callable[[str], bool]) -> int:
        """Free the claims of senders that are gone (killed between sending and recording): their
        messages are sent again, with the same key, instead of waiting for the lease."""
        freed = 0
        for mid, holder in self._s.execute(select(_M.id, _M.claimed_by).where(_M.claimed_by.is_not(None),
                                                                              _M.status == "pending")).all():
            if dead(holder):
                released = self._s.execute(update(ALERT_MESSAGES).where(_M.id == mid, _M.claimed_by == holder)
                                           .values(claimed_by=None, claim_expires_at=None))
                freed += getattr(released, "rowcount", 0) or 0
        return freed

    def forget_old(self, before: datetime) -> None:
        """Delete delivered or given-up messages and composed items older than `before`."""
        self._s.execute(delete(ALERT_MESSAGES).where(_M.created_at < before, _M.status != "pending"))
        self._s.execute(delete(ALERT_EVENTS).where(_E.created_at < before, _E.composed_at.is_not(None)))

    def recent(self, limit: int = 50, status: str | None = None) -> list[OutboxMessage]:
        q = select(ALERT_MESSAGES)
        if status:
            q = q.where(_M.status == status)
        return [outbox_message(r) for r in self._s.execute(q.order_by(_M.created_at.desc(), _M.id.desc()).limit(limit))]

    def health(self, since: datetime) -> OutboxHealth:
        return outbox_health(self._s, since)
