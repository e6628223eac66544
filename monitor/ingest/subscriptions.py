"""Which feeds are polled: the feeds of config.toml and those added by command, in one table.

Config wins on a name conflict: a feed added by command under the same name becomes the
config's, with the config's URL. A feed removed from the config is disabled, not deleted,
so its releases stay; put back, it is enabled again. `reconcile` decides (pure); the store
applies what it decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from monitor.config import FeedSettings
from monitor.domain import MOVED_PERMANENTLY, REMOVED_FROM_CONFIG, Subscription, SubscriptionChange
from storage.port import Transaction


def reconcile(config: Sequence[FeedSettings], stored: Iterable[Subscription]) -> list[SubscriptionChange]:
    """The changes that make the stored feeds agree with the config; none when they agree."""
    rows = {s.name: s for s in stored}
    wanted = {f.name for f in config}
    changes: list[SubscriptionChange] = []
    for fs in config:
        tags = tuple(fs.tags)
        row = rows.get(fs.name)
        if row is None:
            changes.append(SubscriptionChange("add", fs.name, fs.url, fs.full_text, tags))
            continue
        if row.origin == "config" and row.url != fs.url and row.disabled_reason == MOVED_PERMANENTLY:
            continue  # keep a URL a 301/308 taught us until the config itself changes it again
        new_url = row.url != fs.url
        gone_back = new_url and not row.enabled  # disabled at its old URL (410 Gone): the new one gets a chance
        returned = not row.enabled and row.disabled_reason == REMOVED_FROM_CONFIG
        if new_url or gone_back or returned or row.origin != "config" or row.full_text != fs.full_text \
                or row.tags != tags:
            changes.append(SubscriptionChange("update", fs.name, fs.url, fs.full_text, tags, id=row.id,
                                              new_url=new_url, enable=gone_back or returned, reset_errors=gone_back))
    changes += [SubscriptionChange("disable", name, id=row.id, reason=REMOVED_FROM_CONFIG)
                for name, row in rows.items() if row.origin == "config" and row.enabled and name not in wanted]
    return changes


def sync_config_feeds(tx: Transaction, config: Sequence[FeedSettings], now: datetime) -> None:
    """Make the stored feeds agree with the config. Every poll calls this; when nothing
    differs it only reads. A change is decided again under the store's subscription lock, so
    daemons starting together with a new config do not both insert the same feed."""
    if not reconcile(config, tx.feeds.subscriptions()):
        return
    tx.feeds.lock_subscriptions()
    tx.feeds.apply(reconcile(config, tx.feeds.subscriptions()), now)
