"""Claims and leases on feeds: which worker polls which feed right now.

On PostgreSQL rows are claimed with SKIP LOCKED, so concurrent daemons never claim the same
feed; a lease that runs out (its holder died) makes the feed claimable again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from monitor.domain import FeedJob
from storage.sql.models import Feed


def claim_feeds(session: Session, worker: str, now: datetime, *, lease: timedelta, due_only: bool,
                names: Sequence[str] | None = None, limit: int | None = None) -> list[FeedJob]:
    """Claim feeds for this worker under a lease. On PostgreSQL rows are locked with SKIP
    LOCKED, so concurrent daemons never claim the same feed; an expired lease (its holder
    died) makes the feed claimable again."""
    q = select(Feed).where(Feed.enabled.is_(True),
                           or_(Feed.claim_expires_at.is_(None), Feed.claim_expires_at < now))
    if due_only:
        q = q.where(or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now))
    if names:
        q = q.where(Feed.name.in_(list(names)))
    q = q.order_by(Feed.next_check_at.is_not(None), Feed.next_check_at, Feed.id)
    if limit:
        q = q.limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    rows = list(session.scalars(q))
    if rows:
        session.execute(update(Feed).where(Feed.id.in_([r.id for r in rows]))
                        .values(claimed_by=worker, claim_expires_at=now + lease))
    return [FeedJob(r.id, r.name, r.url, r.etag, r.last_modified, r.body_hash, r.error_count, r.full_text)
            for r in rows]


def release_claims(session: Session, worker: str) -> None:
    session.execute(update(Feed).where(Feed.claimed_by == worker).values(claimed_by=None, claim_expires_at=None))


def renew_claims(session: Session, worker: str, now: datetime, *, lease: timedelta) -> int:
    """Extend the lease of every feed `worker` holds (a live daemon's heartbeat); returns how many.

    On PostgreSQL the rows are taken with SKIP LOCKED: a row locked by the same daemon's
    group commit (which is storing that feed and releasing its claim) is skipped, not waited
    for, so the heartbeat never waits on a lock and can never be one side of a deadlock; a
    skipped feed is renewed at the next beat if it is still claimed."""
    held = select(Feed.id).where(Feed.claimed_by == worker, Feed.claim_expires_at >= now)
    if session.get_bind().dialect.name == "postgresql":
        held = held.with_for_update(skip_locked=True)
    return session.execute(update(Feed).where(Feed.id.in_(held.scalar_subquery()))
                           .values(claim_expires_at=now + lease)).rowcount or 0


def worker_is_dead(worker: str, host: str | None = None, alive: Callable[[int], bool] | None = None) -> bool:
    """Whether a worker id ("host:pid:nonce") names a process of this host that is gone
    (workers of other hosts are never judged dead: their leases tell)."""
    host = host or worker_host()
    if not worker.startswith(f"{host}:"):
        return False
    pid = worker[len(host) + 1:].split(":", 1)[0]
    return pid.isdigit() and not (alive or _pid_alive)(int(pid))


def release_dead_claims(session: Session, host: str | None = None,
                        alive: Callable[[int], bool] | None = None) -> list[str]:
    """Release the claims held by workers of this host whose process is gone (a daemon or a
    `prwatch fetch` killed mid-poll), instead of waiting for their leases to expire. Worker
    ids are "host:pid:nonce"; workers of other hosts are left to their leases. Returns the
    feed names."""
    host = host or worker_host()
    alive = alive or _pid_alive
    freed = []
    prefix = f"{host}:"
    # startswith with autoescape: a host name's "_" or "%" is no LIKE wildcard ("node_1" must
    # not match "node-1"); and compared exactly here too, as SQLite's LIKE ignores case
    for feed_id, name, holder in session.execute(select(Feed.id, Feed.name, Feed.claimed_by)
                                                 .where(Feed.claimed_by.startswith(prefix, autoescape=True))):
        if not holder.startswith(prefix):
            continue
        pid = holder[len(prefix):].split(":", 1)[0]
        if pid.isdecimal() and pid.isascii() and not alive(int(pid)):
            session.execute(update(Feed).where(Feed.id == feed_id, Feed.claimed_by == holder)
                            .values(claimed_by=None, claim_expires_at=None))
            freed.append(name)
    return freed


def worker_host() -> str:
    """The host part of worker ids: $PRWATCH_HOST, else the host name. Set it where several
    machines (or containers with their own process ids) share a host name."""
    import os
    import socket

    return os.environ.get("PRWATCH_HOST") or socket.gethostname()


def _pid_alive(pid: int) -> bool:
    import os

    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True

