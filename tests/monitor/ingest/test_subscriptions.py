"""Config feeds against stored feeds, decided without a database: what changes, and that
nothing changes when they agree (every poll asks)."""

from __future__ import annotations

from monitor.config import FeedSettings
from monitor.domain import MOVED_PERMANENTLY, REMOVED_FROM_CONFIG, Subscription, SubscriptionChange
from monitor.ingest.subscriptions import reconcile


def stored(name: str, url: str, *, origin: str = "config", enabled: bool = True, reason: str | None = None,
           full_text: bool = False, tags: tuple[str, ...] = (), id: int = 1) -> Subscription:
    return Subscription(id, name, url, origin, full_text, enabled, reason, tags)


def test_feeds_that_agree_need_no_change() -> None:
    assert reconcile([FeedSettings("a", "http://a/")], [stored("a", "http://a/")]) == []


def test_a_new_config_feed_is_added_and_one_that_left_is_disabled_not_deleted() -> None:
    changes = reconcile([FeedSettings("b", "http://b/", full_text=True)], [stored("a", "http://a/", id=7)])
    assert changes == [SubscriptionChange("add", "b", "http://b/", True),
                       SubscriptionChange("disable", "a", id=7, reason=REMOVED_FROM_CONFIG)]


def test_a_feed_put_back_in_the_config_is_enabled_again() -> None:
    [change] = reconcile([FeedSettings("a", "http://a/")],
                         [stored("a", "http://a/", enabled=False, reason=REMOVED_FROM_CONFIG)])
    assert (change.kind, change.enable, change.new_url, change.reset_errors) == ("update", True, False, False)


def test_a_new_url_resets_the_schedule_and_gives_a_gone_feed_another_chance() -> None:
    [change] = reconcile([FeedSettings("a", "http://new/")],
                         [stored("a", "http://old/", enabled=False, reason="HTTP 410 Gone")])
    assert (change.url, change.new_url, change.enable, change.reset_errors) == ("http://new/", True, True, True)


def test_a_gone_feed_at_the_same_url_stays_disabled() -> None:
    assert reconcile([FeedSettings("a", "http://a/")], [stored("a", "http://a/", enabled=False,
                                                                reason="HTTP 410 Gone")]) == []


def test_a_url_taught_by_a_permanent_redirect_is_kept() -> None:
    assert reconcile([FeedSettings("a", "http://old/")],
                     [stored("a", "http://moved/", reason=MOVED_PERMANENTLY)]) == []


def test_config_wins_a_name_conflict_with_a_feed_added_by_command() -> None:
    [change] = reconcile([FeedSettings("a", "http://config/", tags=("wire",))],
                         [stored("a", "http://command/", origin="command")])
    assert (change.kind, change.url, change.new_url, change.tags) == ("update", "http://config/", True, ("wire",))


def test_feeds_added_by_command_are_left_alone() -> None:
    assert reconcile([], [stored("mine", "http://mine/", origin="command")]) == []
