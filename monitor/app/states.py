"""The one vocabulary of feed states, used by `fetch`, `status`, `feeds list`, the JSON
outputs and the README, whatever HTTP said underneath.

    updated        the last fetch read a new body (the new/revised counts say what it brought)
    unchanged      the last fetch found nothing new: 304 Not Modified, or the same body again
    failing        the last fetch failed; the error says why, and prwatch backs off
    disabled       not polled: the publisher removed it (410 Gone) or it left config.toml
    never fetched  not polled yet
    skipped        (fetch only) the poll stopped before this feed finished

And of the whole installation, as `prwatch status` says it (and its exit code):

    ok             a daemon finished a poll within three poll intervals, no feed is failing
                   and no alert was given up
    attention      polling is alive, but a feed is failing or an alert message was given up
                   (its deliveries exhausted their retries) in the last 7 days
    stale          no daemon finished a poll within three poll intervals
"""

from __future__ import annotations

from typing import Any

STATES = ("updated", "unchanged", "failing", "disabled", "never fetched", "skipped")
_OUTCOMES = {"updated": "updated", "not modified": "unchanged", "unchanged": "unchanged", "error": "failing",
             "disabled": "disabled", "skipped": "skipped"}


def outcome_state(outcome: Any) -> str:
    """The state of a feed after this poll (a poll's FeedOutcome)."""
    status: str = outcome.status
    return _OUTCOMES.get(status, status)


def stored_state(*, enabled: bool, error_count: int, last_status: str | None, last_fetched_at: Any) -> str:
    """The state of a feed from what the database keeps of its last fetch."""
    if not enabled:
        return "disabled"
    if error_count:
        return "failing"
    if last_fetched_at is None or last_status is None:
        return "never fetched"
    if last_status in ("304", "200 same"):
        return "unchanged"
    return "updated"


HEALTH = ("ok", "attention", "stale")


def health(*, stale: bool, failing_feeds: int, alerts_given_up: int) -> str:
    """The installation's state: polling that stopped outweighs a feed or an alert that fails,
    and a failing feed and a given-up alert weigh the same (each needs a person to look)."""
    if stale:
        return "stale"
    return "attention" if failing_feeds or alerts_given_up else "ok"
