"""Claims and leases on feeds: which worker polls which feed right now.

On PostgreSQL rows are claimed with SKIP LOCKED, so concurrent daemons never claim the same
feed; a lease that runs out (its holder died) makes the feed claimable again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from monitor.domain import ClaimHolder, FeedJob
from storage.sql.models import Feed


class SqlClaims:
    """storage.port.ClaimStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def claim(self, worker: str, now: datetime, *, lease: timedelta, due_only: bool,
              names: Sequence[str] | None = None, limit: int | None = None) -> list[FeedJob]:
        q = select(Feed).where(Feed.enabled.is_(True),
                               or_(Feed.claim_expires_at.is_(None), Feed.claim_expires_at < now))
        if due_only:
            q = q.where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
        if names:
            q = q.where(Feed.name.in_(list(names)))
        q = q.order_by(Feed.next_check_at.is_not(None), Feed.next_check_at, Feed.id)
        if limit:
            q = q.limit(limit)
        if self._s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        rows = list(self._s.scalars(q))
        if rows:
            self._s.execute(update(Feed).where(Feed.id.in_([r.id for r in rows]))
                            .values(claimed_by=worker, claim_expires_at=now + lease))
        return [FeedJob(r.id, r.name, r.url, r.etag, r.last_modified, r.body_hash, r.error_count, r.full_text)
                for r in rows]

    def release(self, worker: str) -> None:
        self._s.execute(update(Feed).where(Feed.claimed_by == worker).values(claimed_by=None, claim_expires_at=None))

    def renew(self, worker: str, now: datetime, *, lease: timedelta) -> int:
        """On PostgreSQL the rows are taken with SKIP LOCKED: a row locked by the same daemon's
        group commit (which is storing that feed and releasing its claim) is skipped, not waited
        for, so the heartbeat never waits on a lock and can never be one side of a deadlock; a
        skipped feed is renewed at the next beat if it is still claimed."""
        held = select(Feed.id).where(Feed.claimed_by == worker, Feed.claim_expires_at >= now)
        if self._s.get_bind().dialect.name == "postgresql":
            held = held.with_for_update(skip_locked=True)
        result = self._s.execute(update(Feed).where(Feed.id.in_(held.scalar_subquery()))
                                 .values(claim_expires_at=now + lease))
        return getattr(result, "rowcount", 0) or 0

    def held_by_host(self, host: str) -> list[ClaimHolder]:
        """startswith with autoescape: a host name's "_" or "%" is no LIKE wildcard ("node_1"
        must not match "node-1"); and compared exactly here too, as SQLite's LIKE ignores case."""
        prefix = f"{host}:"
        return [ClaimHolder(i, n, h) for i, n, h in self._s.execute(
            select(Feed.id, Feed.name, Feed.claimed_by).where(Feed.claimed_by.startswith(prefix, autoescape=True)))
            if h is not None and h.startswith(prefix)]

    def release_one(self, feed_id: int, holder: str) -> None:
        self._s.execute(update(Feed).where(Feed.id == feed_id, Feed.claimed_by == holder)
                        .values(claimed_by=None, claim_expires_at=None))
