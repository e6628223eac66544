"""Alerts in the running product: the listener that writes the outbox as releases are
stored, and the sender that turns it into delivered messages.

The listener runs inside each feed's storing transaction (monitor.ingest.events): for every
release of a topic with rules it reads what the store knew before (each source's latest
statement of the release's measures, the milestones already stated), lets the rules pick
items (monitor.alerts.rules), and writes them to the outbox in that same transaction. A
release is never stored without its alerts, nor an alert written for a release that was not.

The sender (the daemon after each poll and every few seconds; `prwatch alerts send` from
cron; `prwatch fetch` at its end) composes the items of each finished poll into one message
per rule and channel, claims due messages, sends them and records each outcome: retried with
back-off, given up after `alerts.give_up_after_hours` (the error stays for `prwatch status`
and `prwatch alerts list`). Delivery is at least once: a sender killed after sending and
before recording sends again with the same idempotency key.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from monitor.alerts.rules import Known, alert_items
from monitor.alerts.settings import AlertSettings, Rule
from monitor.analysis.identity import event_key, measure_key
from monitor.config import Settings
from monitor.domain import AlertItem, OutboxMessage, StoredRelease
from monitor.ingest.events import ReleaseEvents
from monitor.ingest.workers import worker_is_dead
from storage.port import Store, Transaction

log = logging.getLogger("prwatch.alerts")
CLAIM_LEASE = timedelta(minutes=5)  # a sender holds a message this long at most (a send times out in 30 s)
MAX_RETRY_SECONDS = 3600.0
SEND_BATCH = 50
FAILED_SHOWN_FOR = timedelta(days=7)  # given-up messages `prwatch status` reports
KEPT = timedelta(days=30)  # delivered messages and composed items are kept this long (alerts list)


def release_events(settings: Settings) -> ReleaseEvents:
    """The listeners a poll of this config needs: the alert outbox when rules exist."""
    events = ReleaseEvents()
    if settings.alerts.rules:
        events.subscribe(AlertListener(settings))
    return events


class AlertListener:
    """Writes what the rules pick from each stored release to the outbox, in its transaction."""

    __name__ = "alerts"

    def __init__(self, settings: Settings) -> None:
        self.alerts: AlertSettings = settings.alerts
        self.by_topic: dict[str, tuple[Rule, ...]] = {t.id: settings.alerts.rules_of(t.id) for t in settings.topics}
        self.labels = {t.id: {m.id: m.label for m in getattr(t, "measures", ()) or ()} for t in settings.topics}

    def __call__(self, tx: Transaction, stored: Sequence[StoredRelease]) -> None:
        rows: list[AlertItem] = []
        for s in stored:
            if s.first_poll and not self.alerts.first_fetch:
                continue  # a feed's archive is not news
            for match in s.analysis.topics:
                rules = self.by_topic.get(match.topic_id)
                if not rules:
                    continue
                known = self._known(tx, s, match.topic_id, rules)
                rows += [AlertItem(rule.name, match.topic_id, s.poll_run, item, s.stored_at)
                         for rule, item in alert_items(rules, s, known, measure_key, event_key)]
        tx.alerts.add_events(rows)

    def _known(self, tx: Transaction, s: StoredRelease, topic_id: str, rules: Sequence[Rule]) -> Known:
        from digests.novelty import Statement, prior_statement  # the digest's own reading of a stored figure

        prior: list[Any] = []
        origin = ""
        if any(r.on in ("figure", "conflict") for r in rules) and s.analysis.figures:
            series = sorted({k.rsplit("|", 1)[0] for k in map(measure_key, s.analysis.figures)
                             if Statement.subject_of(k)})
            prior = [prior_statement(r) for r in tx.analysis.latest_by_feed(
                topic_id, s.stored_at, series_keys=series, excluding=s.release_id)] if series else []
            origin = tx.stories.origin_feed(s.release_id) or s.feed
        events: frozenset[str] = frozenset()
        if any(r.on == "milestone" for r in rules) and s.analysis.milestones:
            events = frozenset(tx.analysis.earlier_milestone_keys(
                topic_id, [event_key(m) for m in s.analysis.milestones], s.stored_at, excluding=s.release_id))
        return Known(prior=prior, events=events, origin=origin, labels=self.labels.get(topic_id, {}))


# ------------------------------------------------------------------ sending

@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later, or given up)
    given_up: int = 0
    composed: int = 0
    errors: list[str] = field(default_factory=list)


def idempotency_key(*parts: object) -> str:
    """A message's key: the same for every attempt, different for every message."""
    return "prw-" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]


def retry_delay(settings: AlertSettings, attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failed ones: doubling, ±20 %, at most an hour."""
    delay: float = min(MAX_RETRY_SECONDS, settings.retry_seconds * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)


def compose(store: Store, settings: Settings, now: datetime | None = None) -> int:
    """Turn the outbox items of finished polls into messages (one per rule, poll and
    channel); returns how many messages were queued."""
    from monitor.alerts.message import alert_message

    now = now or datetime.now(timezone.utc)
    stale = now - timedelta(minutes=settings.poll.lease_minutes)
    titles = {t.id: t.title for t in settings.topics}
    queued = 0
    with store.transaction() as tx:
        for batch in tx.alerts.pending_batches(now, stale_before=stale, dead=worker_is_dead):
            rule = next((r for r in settings.alerts.rules if r.name == batch.rule), None)
            if rule is None:
                log.warning("alert rule %r is no longer in the config: %d of its items are dropped", batch.rule,
                            len(batch.items))
            else:
                topic = {"id": batch.topic_id, "title": titles.get(batch.topic_id, batch.topic_id)}
                for channel in rule.channels:
                    key = idempotency_key("alert", rule.name, batch.poll_run, batch.event_ids[0], channel)
                    m = alert_message(key, rule.name, rule.on, topic, batch.items, batch.created_at.isoformat())
                    if tx.alerts.add_message(key=key, kind="alert", channel=channel, title=m.title, now=now,
                                             payload=_payload(m), rule=rule.name, topic_id=batch.topic_id):
                        queued += 1
            tx.alerts.mark_composed(batch.event_ids, now)
        tx.alerts.forget_old(now - KEPT)
    return queued


def send_due(store: Store, settings: Settings, worker: str, *, now: datetime | None = None, due_only: bool = True,
             ids: Sequence[int] | None = None, give_up_now: bool = False) -> SendReport:
    """Compose, then send every due message (all pending ones with due_only=False)."""
    report = SendReport()
    report.composed = compose(store, settings, now) if ids is None else 0
    with store.transaction() as tx:
        tx.alerts.release_dead_message_claims(worker_is_dead)
    while True:
        start = now or datetime.now(timezone.utc)
        with store.transaction() as tx:
            claimed = tx.alerts.claim_messages(worker, start, lease=CLAIM_LEASE, limit=SEND_BATCH, ids=ids,
                                               due_only=due_only)
        for m in claimed:
            _send_one(store, settings, worker, m, report, give_up_now=give_up_now)
        if len(claimed) < SEND_BATCH or ids is not None:
            return report


def _send_one(store: Store, settings: Settings, worker: str, m: OutboxMessage, report: SendReport, *,
              give_up_now: bool) -> None:
    from monitor.alerts.channels import DeliveryError, send

    error = None
    try:
        channel = settings.alerts.channel(m.channel)
    except StopIteration:
        error, channel = f"channel {m.channel!r} is no longer in the config", None
    if channel is not None:
        try:
            send(channel, _message(m))
        except DeliveryError as e:
            error = str(e)
        except Exception as e:  # noqa: BLE001 - a bug in a channel: the message waits, the others go on
            log.exception("sending alert %s failed unexpectedly", m.key)
            error = f"internal error: {e.__class__.__name__}: {e}"
    now = datetime.now(timezone.utc)
    with store.transaction() as tx:
        if error is None:
            tx.alerts.record_sent(m.id, worker, now)
            report.sent += 1
            log.info("alert %s sent to %s: %s", m.key, m.channel, m.title)
            return
        over = give_up_now or channel is None or now - m.created_at >= timedelta(hours=settings.alerts.give_up_after_hours)
        retry_at = None if over else now + timedelta(seconds=retry_delay(settings.alerts, m.attempts + 1))
        tx.alerts.record_failure(m.id, worker, now, error=error, retry_at=retry_at)
    report.failed += 1
    report.given_up += retry_at is None
    report.errors.append(f"{m.channel}: {error}")
    if retry_at is None:
        log.error("alert %s to %s given up after %d attempts: %s", m.key, m.channel, m.attempts + 1, error)
    else:
        log.warning("alert %s to %s failed (attempt %d, next at %s): %s", m.key, m.channel, m.attempts + 1,
                    f"{retry_at:%H:%M:%S}", error)


def _payload(m: Any) -> dict[str, Any]:
    return {"markdown": m.markdown, "body": m.body, "attachment": m.attachment, "html": m.html}


def _message(m: OutboxMessage) -> Any:
    from monitor.alerts.message import Message

    p = m.payload
    return Message(m.key, m.title, p["markdown"], p["body"], p.get("attachment"), p.get("html"))


# ------------------------------------------------------------------ tests and digests

def queue_test(store: Store, settings: Settings, channels: Sequence[str]) -> list[int]:
    """Queue one test message per channel (sent at once by the caller)."""
    from monitor.alerts.message import test_message

    now = datetime.now(timezone.utc)
    ids = []
    with store.transaction() as tx:
        for name in channels:
            key = idempotency_key("test", name, now.isoformat(), random.random())
            m = test_message(key, name, now.isoformat())
            mid = tx.alerts.add_message(key=key, kind="test", channel=name, title=m.title, payload=_payload(m), now=now)
            if mid is not None:
                ids.append(mid)
    return ids


def queue_digests(store: Store, settings: Settings, kind: str, day: date) -> int:
    """Queue the digest of each topic for the period of `day` to every digest channel (the
    period has closed); each digest goes to a channel once, whoever queues it again."""
    from digests.periods import period_for
    from monitor.alerts.message import digest_html, digest_message

    channels = settings.alerts.digest_channels
    if not channels:
        return 0
    key_of_period = period_for(kind, day, settings.digests.timezone).key
    now = datetime.now(timezone.utc)
    queued = 0
    with store.transaction() as tx:
        rows = {(r.topic_id, r.period_key): r for r in tx.digests.all()}
        for topic in settings.topics:
            row = rows.get((topic.id, key_of_period))
            if row is None:
                continue
            from pathlib import Path

            path = Path(row.path)
            try:
                markdown = path.read_text(encoding="utf-8")
            except OSError as e:
                log.error("digest %s cannot be mailed: %s", path, e)
                continue
            for channel in channels:
                key = idempotency_key("digest", topic.id, key_of_period, channel)
                m = digest_message(key, {"id": topic.id, "title": topic.title}, key_of_period, row.summary, markdown,
                                   digest_html(markdown), str(path), now.isoformat())
                if tx.alerts.add_message(key=key, kind="digest", channel=channel, title=m.title,
                                         payload=_payload(m), now=now, topic_id=topic.id):
                    queued += 1
    return queued
