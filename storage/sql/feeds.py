"""The feeds table: subscriptions (from config.toml and by command) and each feed's fetch state.

Fetch-state updates run for every feed of every poll, so they are Core statements built once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from monitor.config import FeedSettings
from monitor.domain import FeedJob
from monitor.errors import PrwatchError
from storage.sql.locks import SYNC_LOCK
from storage.sql.models import Feed, FetchEvent

_FEEDS = Feed.__table__


def sync_config_feeds(session: Session, feeds: Sequence[FeedSettings], now: datetime) -> None:
    """Make the feeds table agree with config.toml. Config wins on a name conflict: a feed
    added by command under the same name takes the config's URL. Feeds removed from the
    config are disabled, not deleted, so their releases stay.

    Every poll calls this; when nothing differs it only reads. On PostgreSQL a change is made
    under a transaction-scoped advisory lock, so daemons starting together with a new config
    do not both insert the same feed."""
    if _config_feeds_in_sync(session, feeds):
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(SYNC_LOCK)))
    existing = {f.name: f for f in session.scalars(select(Feed).execution_options(populate_existing=True))}
    wanted = {f.name for f in feeds}
    for fs in feeds:
        row = existing.get(fs.name)
        if row is None:
            session.add(Feed(name=fs.name, url=fs.url, origin="config", full_text=fs.full_text, enabled=True,
                             error_count=0, created_at=now, tags=list(fs.tags) or None))
            continue
        if row.origin == "config" and row.url != fs.url and row.disabled_reason == "moved permanently":
            continue  # keep a URL a 301/308 taught us until the config itself changes it again
        if row.url != fs.url:
            row.url, row.etag, row.last_modified, row.body_hash = fs.url, None, None, None
            row.next_check_at = None
            if not row.enabled:  # disabled at its old URL (410 Gone): the new one gets a chance
                row.enabled, row.disabled_reason, row.error_count = True, None, 0
        row.origin, row.full_text, row.tags = "config", fs.full_text, list(fs.tags) or None
        if not row.enabled and row.disabled_reason == "removed from config.toml":
            row.enabled, row.disabled_reason = True, None
    for name, row in existing.items():
        if row.origin == "config" and name not in wanted and row.enabled:
            row.enabled, row.disabled_reason = False, "removed from config.toml"


def _config_feeds_in_sync(session: Session, feeds: Sequence[FeedSettings]) -> bool:
    rows = {r.name: r for r in session.execute(select(Feed.name, Feed.url, Feed.origin, Feed.full_text, Feed.enabled,
                                                      Feed.disabled_reason, Feed.tags))}
    wanted = {f.name for f in feeds}
    for fs in feeds:
        r = rows.get(fs.name)
        if r is None or r.origin != "config" or r.full_text != fs.full_text or (r.tags or []) != list(fs.tags):
            return False
        if r.url != fs.url and r.disabled_reason != "moved permanently":
            return False
        if not r.enabled and r.disabled_reason == "removed from config.toml":
            return False
    return not any(r.origin == "config" and r.enabled and name not in wanted for name, r in rows.items())


def add_feed(session: Session, name: str, url: str, full_text: bool, now: datetime,
             tags: Sequence[str] = ()) -> Feed:
    if session.scalar(select(Feed).where(Feed.name == name)) is not None:
        raise PrwatchError(f"a feed named {name!r} already exists")
    if session.scalar(select(Feed).where(Feed.url == url)) is not None:
        raise PrwatchError(f"{url} is already subscribed")
    feed = Feed(name=name, url=url, origin="command", full_text=full_text, enabled=True, error_count=0,
                created_at=now, tags=list(tags) or None)
    session.add(feed)
    session.flush()
    return feed


class NewFeed(NamedTuple):
    """A feed to subscribe by command or import (see add_feeds)."""

    name: str
    url: str
    full_text: bool = False
    tags: Sequence[str] = ()


def add_feeds(session: Session, feeds: Sequence[NewFeed], now: datetime) -> None:
    """Subscribe many feeds in one statement (an OPML import of 50,000 outlines); the caller
    has made names and URLs unique."""
    if feeds:
        session.execute(insert(Feed.__table__), [
            dict(name=f.name, url=f.url, origin="command", full_text=f.full_text, enabled=True, error_count=0,
                 created_at=now, tags=list(f.tags) or None) for f in feeds])


def remove_feed(session: Session, name: str) -> Feed | None:
    feed = session.scalar(select(Feed).where(Feed.name == name))
    if feed is not None:
        session.delete(feed)
    return feed


def list_feeds(session: Session) -> list[Feed]:
    return list(session.scalars(select(Feed).order_by(Feed.name)))


def save_not_modified(session: Session, job: FeedJob, now: datetime, *, status: str, next_check_at: datetime,
                      etag: str | None = None, last_modified: str | None = None, new_url: str | None = None) -> None:
    _mark_success(session, job.id, now, etag=etag or job.etag, last_modified=last_modified or job.last_modified,
                  body_hash=job.body_hash, status=status, next_check_at=next_check_at, new_url=new_url, warning=None)


def save_failure(session: Session, job: FeedJob, now: datetime, *, status: str, error: str,
                 next_check_at: datetime, disable: bool = False) -> None:
    values: dict[str, object] = dict(last_fetched_at=now, last_status=status, last_error=error,
                                     error_count=_FEEDS.c.error_count + 1, next_check_at=next_check_at,
                                     claimed_by=None, claim_expires_at=None)
    if disable:
        values.update(enabled=False, disabled_reason=error)
    session.execute(update(_FEEDS).where(_FEEDS.c.id == job.id).values(**values))
    session.execute(insert(FetchEvent.__table__).values(feed_id=job.id, at=now, status=status, error=error))


# Built once: a poll runs these for every feed, and building an UPDATE with a dozen values
# costs more than executing it.
_MARK_SUCCESS = update(_FEEDS).where(_FEEDS.c.id == bindparam("p_feed")).values(
    etag=bindparam("p_etag"), last_modified=bindparam("p_last_modified"), body_hash=bindparam("p_body_hash"),
    last_fetched_at=bindparam("p_now"), last_success_at=bindparam("p_now"), last_status=bindparam("p_status"),
    last_error=bindparam("p_warning"), error_count=0, next_check_at=bindparam("p_next"),
    claimed_by=None, claim_expires_at=None)


_MOVED = update(_FEEDS).where(_FEEDS.c.id == bindparam("p_feed")).values(
    url=bindparam("p_url"), disabled_reason="moved permanently")


def _mark_success(session: Session, feed_id: int, now: datetime, *, etag: str | None, last_modified: str | None,
                  body_hash: str | None, status: str, next_check_at: datetime, new_url: str | None,
                  warning: str | None) -> None:
    session.execute(_MARK_SUCCESS, dict(p_feed=feed_id, p_etag=etag, p_last_modified=last_modified,
                                        p_body_hash=body_hash, p_now=now, p_status=status, p_warning=warning,
                                        p_next=next_check_at))
    if new_url:
        session.execute(_MOVED, dict(p_feed=feed_id, p_url=new_url))


def feed_failures(session: Session, start: datetime, end: datetime) -> list[tuple[str, int, str]]:
    """(feed name, failures, last error) for feeds that failed in [start, end)."""
    rows = session.execute(
        select(Feed.name, func.count(FetchEvent.id), func.max(FetchEvent.at))
        .join(FetchEvent, FetchEvent.feed_id == Feed.id)
        .where(FetchEvent.at >= start, FetchEvent.at < end)
        .group_by(Feed.name).order_by(Feed.name)
    ).all()
    out = []
    for name, count, _last in rows:
        err = session.scalar(select(FetchEvent.error).join(Feed, Feed.id == FetchEvent.feed_id)
                             .where(Feed.name == name, FetchEvent.at >= start, FetchEvent.at < end)
                             .order_by(FetchEvent.at.desc()).limit(1))
        out.append((name, int(count), err or ""))
    return out

