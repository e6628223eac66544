"""Claims and leases on feeds: which worker polls which feed right now.

On PostgreSQL rows are claimed with SKIP LOCKED, so concurrent daemons never claim the same
feed; a lease that runs out (its holder died) makes the feed claimable again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from monitor.domain import ClaimHolder, FeedJob
from storage.sql.bind import SqlBind
from storage.sql.tables import FEEDS

_F = FEEDS.c
_JOB = (_F.id, _F.name, _F.url, _F.etag, _F.last_modified, _F.body_hash, _F.error_count,
        _F.full_text)  # a FeedJob's fields, in its order


class SqlClaims:
    """storage.port.ClaimStore on SQLAlchemy Core (a poll of no feed needs no ORM)."""

    def __init__(self, bind: SqlBind) -> None:
        self._s = bind

    def claim(self, worker: str, now: datetime, *, lease: timedelta, due_only: bool,
              names: Sequence[str] | None = None, limit: int | None = None) -> list[FeedJob]:
        q = select(*_JOB).where(_F.enabled.is_(True),
                               or_(_F.claim_expires_at.is_(None), _F.claim_expires_at < now))
        if due_only:
            q = q.where(or_(_F.next_check_at.is_(None), _F.next_check_at <= now))
        if names:
            q = q.where(_F.name.in_(list(names)))
        q = q.order_by(_F.next_check_at.is_not(None), _F.next_check_at, _F.id)
        if limit:
            q = q.limit(limit)
        if self._s.dialect_name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        self._s.autoflush()
        rows = list(self._s.execute(q))
        if rows:
            self._s.execute(update(FEEDS).where(_F.id.in_([r.id for r in rows]))
                            .values(claimed_by=worker, claim_expires_at=now + lease))
        return [FeedJob(*r) for r in rows]

    def release(self, worker: str) -> None:
        self._s.autoflush()
        self._s.execute(update(FEEDS).where(_F.claimed_by == worker).values(claimed_by=None, claim_expires_at=None))

    def renew(self, worker: str, now: datetime, *, lease: timedelta) -> int:
        """On PostgreSQL the rows are taken with SKIP LOCKED: a row locked by the same daemon's
        group commit (which is storing that feed and releasing its claim) is skipped, not waited
        for, so the heartbeat never waits on a lock and can never be one side of a deadlock; a
        skipped feed is renewed at the next beat if it is still claimed."""
        held = select(_F.id).where(_F.claimed_by == worker, _F.claim_expires_at >= now)
        if self._s.dialect_name == "postgresql":
            held = held.with_for_update(skip_locked=True)
        self._s.autoflush()
        result = self._s.execute(update(FEEDS).where(_F.id.in_(held.scalar_subquery()))
                                 .values(claim_expires_at=now + lease))
        return getattr(result, "rowcount", 0) or 0

    def held_by_host(self, host: str) -> list[ClaimHolder]:
        """startswith with autoescape: a host name's "_" or "%" is no LIKE wildcard ("node_1"
        must not match "node-1"); and compared exactly here too, as SQLite's LIKE ignores case."""
        prefix = f"{host}:"
        self._s.autoflush()
        return [ClaimHolder(i, n, h) for i, n, h in self._s.execute(
            select(_F.id, _F.name, _F.claimed_by).where(_F.claimed_by.startswith(prefix, autoescape=True)))
            if h is not None and h.startswith(prefix)]

    def release_one(self, feed_id: int, holder: str) -> None:
        self._s.autoflush()
        self._s.execute(update(FEEDS).where(_F.id == feed_id, _F.claimed_by == holder)
                        .values(claimed_by=None, claim_expires_at=None))
