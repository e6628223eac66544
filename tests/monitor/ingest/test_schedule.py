"""When a feed is checked next."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from monitor.config import PollSettings
from monitor.ingest.fetch import cache_lifetime, parse_retry_after
from monitor.ingest.schedule import backoff_delay, next_check_after_failure, next_check_after_success

NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)
POLL = PollSettings(interval_minutes=30, max_interval_minutes=600, backoff_cap_hours=24)


def test_success_waits_the_interval() -> None:
    assert next_check_after_success(NOW, POLL) == NOW + timedelta(minutes=30)


def test_server_hints_raise_the_interval_within_bounds_but_never_lower_it() -> None:
    assert next_check_after_success(NOW, POLL, cache_seconds=3600) == NOW + timedelta(minutes=60)
    assert next_check_after_success(NOW, POLL, ttl_minutes=120) == NOW + timedelta(minutes=120)
    assert next_check_after_success(NOW, POLL, cache_seconds=60) == NOW + timedelta(minutes=30)
    assert next_check_after_success(NOW, POLL, ttl_minutes=100000) == NOW + timedelta(minutes=600)


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, POLL, rng).total_seconds() / 60 for n in range(1, 8)]
    for n, d in enumerate(delays[:5], start=1):
        assert 0.8 * 30 * 2 ** (n - 1) <= d <= 1.2 * 30 * 2 ** (n - 1)
    assert all(d <= 24 * 60 for d in delays)
    assert backoff_delay(40, POLL, rng) <= timedelta(hours=24)


def test_retry_after_wins_when_longer_and_is_capped() -> None:
    nxt = next_check_after_failure(NOW, POLL, 1, retry_after=7200, rng=random.Random(0))
    assert nxt == NOW + timedelta(seconds=7200)
    capped = next_check_after_failure(NOW, POLL, 1, retry_after=10**9, rng=random.Random(0))
    assert capped == NOW + timedelta(hours=24)


def test_retry_after_and_cache_headers_are_parsed() -> None:
    assert parse_retry_after("120") == 120
    assert parse_retry_after("Wed, 01 Jan 2025 01:00:00 GMT", now=NOW) == 3600
    assert parse_retry_after("soon") is None
    assert cache_lifetime({"cache-control": "public, max-age=900"}) == 900
    assert cache_lifetime({"expires": "Wed, 01 Jan 2025 00:10:00 GMT"}, now=NOW) == 600
    assert cache_lifetime({}) is None


@pytest.mark.parametrize("value,seconds", [("120", 120.0), ("²", None), ("1²", None), ("9" * 400, 1e9),
                                           ("١٢٠", None)])
def test_retry_after_and_max_age_take_plain_ascii_seconds_only(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds
    assert cache_lifetime({"cache-control": f"public, max-age={value}"}) == seconds


def test_a_huge_ttl_or_retry_after_schedules_within_the_caps() -> None:
    assert next_check_after_success(NOW, POLL, cache_seconds=1e9, ttl_minutes=10**9) == \
        NOW + timedelta(minutes=POLL.max_interval_minutes)
    assert next_check_after_failure(NOW, POLL, 1, retry_after=1e9) <= NOW + timedelta(hours=POLL.retry_after_cap_hours)
