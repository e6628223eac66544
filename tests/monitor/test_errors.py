"""Errors carry the ids they concern and pickle whole: a worker process's error reaches the
parent with its attributes."""

from __future__ import annotations

import pickle

import pytest

from monitor.errors import ConfigError, FeedExistsError, FetchError, ParseError, PrwatchError, StorageError

ERRORS = [
    ConfigError("poll.interval_minutes", "must be a number > 0, got 'often'"),
    FetchError("HTTP 503 Service Unavailable", status=503, retry_after=120.0, url="https://wire.test/rss"),
    ParseError("an HTML page, not a feed", url="https://wire.test/"),
    StorageError("OperationalError: disk I/O error", database="sqlite:///out/prwatch.db"),
    FeedExistsError("a feed named 'wire' already exists", name="wire"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_pickles_with_its_message_and_attributes(error: PrwatchError) -> None:
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error)
    assert vars(back) == vars(error) and vars(error)  # the ids it carries, all of them


def test_a_fetch_error_names_the_url_it_concerns() -> None:
    import asyncio

    from monitor.config import PollSettings
    from monitor.ingest.fetch import Fetcher

    async def go() -> FetchError:
        async with Fetcher(PollSettings(connect_timeout=2, total_timeout=3)) as f:
            try:
                await f.fetch("http://127.0.0.1:9/feed.xml")
            except FetchError as e:
                return e
        raise AssertionError("port 9 answered")
    error = asyncio.run(go())
    assert error.url == "http://127.0.0.1:9/feed.xml" and "connect" in str(error)
