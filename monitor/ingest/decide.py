"""What a poll does with one feed, decided without I/O (the model is reader's update decider).

A fetch outcome and the feed's stored state come in; an intent comes out, which the
pipeline (monitor.ingest.pipeline) carries out:

- `Record`: nothing to store but the feed's new state: a 304, the same body as last time,
  or a failure (back-off, Retry-After, a 410 that disables the feed);
- `Parse`: a new body; parse and analyse it, then decide again with `after_parse`;
- `Store`: the parsed releases and the feed's new state, in one transaction.

Each intent carries the next check time and what the poll reports for the feed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.config import PollSettings
from monitor.domain import FeedJob, FetchFailed, FetchSucceeded, ProcessedFeed
from monitor.errors import FetchError, ParseError
from monitor.ingest.fetch import FetchResult, cache_lifetime
from monitor.ingest.schedule import next_check_after_failure, next_check_after_success

GONE = 410  # the publisher removed the feed: it is disabled


@dataclass(frozen=True, slots=True)
class Record:
    """Store only the feed's new state; `outcome` is what the poll reports ("not modified",
    "unchanged", "error", "disabled")."""

    state: FetchSucceeded | FetchFailed
    outcome: str
    http_status: int | None = None


@dataclass(frozen=True, slots=True)
class Parse:
    """A body the feed did not send last time: parse it, then `after_parse`."""

    body_hash: str
    cache_seconds: float | None


@dataclass(frozen=True, slots=True)
class Store:
    """Store the parsed releases with the feed's new state (its warning included)."""

    state: FetchSucceeded
    http_status: int


def body_hash(body: bytes) -> str:
    """What tells one body from another, cheaply: 200s whose body has this hash again are 'same'."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def after_fetch(job: FeedJob, fetched: FetchResult | FetchError, now: datetime, poll: PollSettings) -> Record | Parse:
    """A 304 or the same body: record the success; an error: record the failure; else parse."""
    if isinstance(fetched, FetchError):
        status = str(fetched.status) if fetched.status else "error"
        return failed(job, status, str(fetched), now, poll, retry_after=fetched.retry_after,
                      disable=fetched.status == GONE)
    cache = cache_lifetime(fetched.headers, now=now)
    if fetched.not_modified or fetched.body is None:
        return Record(_unchanged("304", job, fetched, now, poll, cache), "not modified", 304)
    digest = body_hash(fetched.body)
    if digest == job.body_hash:
        return Record(_unchanged("200 same", job, fetched, now, poll, cache), "unchanged", fetched.status)
    return Parse(digest, cache)


def after_parse(job: FeedJob, fetched: FetchResult, parse: Parse, parsed: ProcessedFeed | ParseError, now: datetime,
                poll: PollSettings) -> Store | Record:
    """A body that is no feed: record a parse error; else store what it brought. Its
    validators are stored only now, with what was parsed (never for a body not stored)."""
    if isinstance(parsed, ParseError):
        return failed(job, "parse error", str(parsed), now, poll)
    nxt = next_check_after_success(now, poll, cache_seconds=parse.cache_seconds, ttl_minutes=parsed.ttl_minutes)
    return Store(FetchSucceeded(str(fetched.status), nxt, fetched.etag, fetched.last_modified, parse.body_hash,
                                fetched.permanent_url, parsed.warning), fetched.status)


def failed(job: FeedJob, status: str, error: str, now: datetime, poll: PollSettings, *,
           retry_after: float | None = None, disable: bool = False, rng: random.Random | None = None) -> Record:
    """A failure: back off by the error count (Retry-After wins when longer); 410 disables."""
    nxt = next_check_after_failure(now, poll, job.error_count + 1, retry_after=retry_after, rng=rng)
    return Record(FetchFailed(status, error, nxt, disable), "disabled" if disable else "error",
                  int(status) if status.isdecimal() else None)


def store_failed(job: FeedJob, reason: str, now: datetime, poll: PollSettings) -> Record:
    """The database refused the feed's writes: the feed is not at fault, so it is tried again
    after the shortest interval, whatever its error count."""
    retry = now + timedelta(minutes=max(poll.min_interval_minutes, 1.0))
    return Record(FetchFailed("store error", reason, retry), "error")


def _unchanged(status: str, job: FeedJob, fetched: FetchResult, now: datetime, poll: PollSettings,
               cache: float | None) -> FetchSucceeded:
    """Nothing new: the stored validators stay unless the server sent new ones."""
    return FetchSucceeded(status, next_check_after_success(now, poll, cache_seconds=cache),
                          fetched.etag or job.etag, fetched.last_modified or job.last_modified, job.body_hash,
                          fetched.permanent_url)
