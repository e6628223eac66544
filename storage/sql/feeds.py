"""The feeds table: subscriptions (from config.toml and by command) and each feed's fetch state.

Fetch-state updates run for every feed of every poll, so they are Core statements built once;
bringing the feeds in line with the config is Core too, so a poll of no feed needs no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update

from monitor.domain import (
    MOVED_PERMANENTLY,
    FeedFailures,
    FeedRecord,
    FetchFailed,
    FetchSucceeded,
    NewFeed,
    Subscription,
    SubscriptionChange,
)
from monitor.errors import FeedExistsError
from storage.sql.bind import SqlBind
from storage.sql.health import all_feeds, feed_record
from storage.sql.locks import SYNC_LOCK
from storage.sql.tables import FEEDS as _FEEDS
from storage.sql.tables import FETCH_EVENTS

_F = _FEEDS.c

_SUBSCRIPTIONS = select(_F.id, _F.name, _F.url, _F.origin, _F.full_text, _F.enabled, _F.disabled_reason, _F.tags)

# Built once: a poll runs these for every feed, and building an UPDATE with a dozen values
# costs more than executing it.
_MARK_SUCCESS = update(_FEEDS).where(_F.id == bindparam("p_feed")).values(
    etag=bindparam("p_etag"), last_modified=bindparam("p_last_modified"), body_hash=bindparam("p_body_hash"),
    last_fetched_at=bindparam("p_now"), last_success_at=bindparam("p_now"), last_status=bindparam("p_status"),
    last_error=bindparam("p_warning"), error_count=0, next_check_at=bindparam("p_next"),
    claimed_by=None, claim_expires_at=None)
_MOVED = update(_FEEDS).where(_F.id == bindparam("p_feed")).values(
    url=bindparam("p_url"), disabled_reason=MOVED_PERMANENTLY)


class SqlFeeds:
    """storage.port.FeedStore on SQLAlchemy."""

    def __init__(self, bind: SqlBind) -> None:
        self._s = bind

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(r.id, r.name, r.url, r.origin, r.full_text, r.enabled, r.disabled_reason,
                             tuple(r.tags or ())) for r in self._s.execute(_SUBSCRIPTIONS)]

    def lock_subscriptions(self) -> None:
        """On PostgreSQL a transaction-scoped advisory lock, so daemons starting together with a
        new config do not both insert the same feed; SQLite's write transaction already serialises."""
        if self._s.dialect_name == "postgresql":
            self._s.execute(select(func.pg_advisory_xact_lock(SYNC_LOCK)))

    def apply(self, changes: Sequence[SubscriptionChange], now: datetime) -> None:
        self._s.autoflush()
        added = [dict(name=c.name, url=c.url, origin="config", full_text=c.full_text, enabled=True, error_count=0,
                      created_at=now, tags=list(c.tags) or None) for c in changes if c.kind == "add"]
        # in the order the ORM's flush wrote them: the updates by id, then the inserts
        for c in sorted((c for c in changes if c.kind != "add"), key=lambda c: c.id or 0):
            values: dict[str, object]
            if c.kind == "disable":
                values = dict(enabled=False, disabled_reason=c.reason)
            else:
                values = {}
                if c.new_url:
                    values.update(url=c.url, etag=None, last_modified=None, body_hash=None, next_check_at=None)
                if c.enable:
                    values.update(enabled=True, disabled_reason=None)
                if c.reset_errors:
                    values.update(error_count=0)
                values.update(origin="config", full_text=c.full_text, tags=list(c.tags) or None)
            self._s.execute(update(_FEEDS).where(_F.id == c.id).values(**values))
        if added:
            self._s.execute(insert(_FEEDS), added)

    def add(self, feed: NewFeed, now: datetime) -> FeedRecord:
        from storage.sql.models import Feed

        s = self._s.session
        if s.scalar(select(Feed.id).where(Feed.name == feed.name)) is not None:
            raise FeedExistsError(f"a feed named {feed.name!r} already exists", name=feed.name)
        if s.scalar(select(Feed.id).where(Feed.url == feed.url)) is not None:
            raise FeedExistsError(f"{feed.url} is already subscribed", url=feed.url)
        row = Feed(name=feed.name, url=feed.url, origin="command", full_text=feed.full_text, enabled=True,
                   error_count=0, created_at=now, tags=list(feed.tags) or None)
        s.add(row)
        s.flush()
        return feed_record(row)

    def add_many(self, feeds: Sequence[NewFeed], now: datetime) -> None:
        """One statement for them all (an OPML import of 50,000 outlines)."""
        if feeds:
            self._s.execute(insert(_FEEDS), [
                dict(name=f.name, url=f.url, origin="command", full_text=f.full_text, enabled=True, error_count=0,
                     created_at=now, tags=list(f.tags) or None) for f in feeds])

    def remove(self, name: str) -> FeedRecord | None:
        from storage.sql.models import Feed

        s = self._s.session
        row = s.scalar(select(Feed).where(Feed.name == name))
        if row is None:
            return None
        record = feed_record(row)
        s.delete(row)
        return record

    def all(self) -> list[FeedRecord]:
        return all_feeds(self._s)

    def record_success(self, feed_id: int, now: datetime, state: FetchSucceeded) -> None:
        self._s.execute(_MARK_SUCCESS, dict(p_feed=feed_id, p_etag=state.etag, p_last_modified=state.last_modified,
                                            p_body_hash=state.body_hash, p_now=now, p_status=state.status,
                                            p_warning=state.warning, p_next=state.next_check_at))
        if state.new_url:
            self._s.execute(_MOVED, dict(p_feed=feed_id, p_url=state.new_url))

    def record_failure(self, feed_id: int, now: datetime, state: FetchFailed) -> None:
        values: dict[str, object] = dict(last_fetched_at=now, last_status=state.status, last_error=state.error,
                                         error_count=_F.error_count + 1, next_check_at=state.next_check_at,
                                         claimed_by=None, claim_expires_at=None)
        if state.disable:
            values.update(enabled=False, disabled_reason=state.error)
        self._s.execute(update(_FEEDS).where(_F.id == feed_id).values(**values))
        self._s.execute(insert(FETCH_EVENTS).values(feed_id=feed_id, at=now, status=state.status,
                                                            error=state.error))

    def failures(self, start: datetime, end: datetime) -> list[FeedFailures]:
        from storage.sql.models import Feed, FetchEvent

        s = self._s.session
        rows = s.execute(
            select(Feed.name, func.count(FetchEvent.id), func.max(FetchEvent.at))
            .join(FetchEvent, FetchEvent.feed_id == Feed.id)
            .where(FetchEvent.at >= start, FetchEvent.at < end)
            .group_by(Feed.name).order_by(Feed.name)
        ).all()
        out = []
        for name, count, _last in rows:
            err = s.scalar(select(FetchEvent.error).join(Feed, Feed.id == FetchEvent.feed_id)
                                 .where(Feed.name == name, FetchEvent.at >= start, FetchEvent.at < end)
                                 .order_by(FetchEvent.at.desc()).limit(1))
            out.append(FeedFailures(name, int(count), err or ""))
        return out

