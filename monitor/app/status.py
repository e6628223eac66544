"""`prwatch status`: each feed's schedule and health, and whether polling is alive.

Healthy means a daemon (`prwatch run`, or `run --once` from cron) finished a poll within the
last three poll intervals; the daemon records a poll run on every tick, also when nothing was
due, so an idle daemon stays healthy. A one-off `prwatch fetch` is recorded as such and shown,
but never makes polling look alive. Beyond that, a failing feed and an alert message given up
both call for a person (monitor.app.states.health), and the exit code says so apart from
polling being down. The JSON form is stable for scripts and health checks: see `STATUS_FORMAT`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from monitor.app.states import health, stored_state
from monitor.config import Settings
from monitor.domain import OutboxHealth
from storage.port import HealthSource

STALE_INTERVALS = 3


def rounded(x: float) -> float | int:
    """A number as people write it: 90 not 90.00000000000001, 0.3 not 0.30000000000000004."""
    r = round(x, 2)
    return int(r) if r == int(r) else r
STATUS_FORMAT = 2  # bump when a key of the JSON output changes meaning or goes away
# 2: last_successful_poll and daemons count daemons only; last_fetch is the last one-off fetch


@dataclass(frozen=True, slots=True)
class FeedStatus:
    name: str
    url: str
    origin: str
    enabled: bool
    last_fetched_at: datetime | None
    last_success_at: datetime | None
    last_status: str | None
    error_count: int
    last_error: str | None
    next_check_at: datetime | None
    disabled_reason: str | None
    claimed_by: str | None = None
    claim_expires_at: datetime | None = None

    @property
    def state(self) -> str:
        """The feed's state in the words every command uses (monitor.app.states)."""
        return stored_state(enabled=self.enabled, error_count=self.error_count, last_status=self.last_status,
                            last_fetched_at=self.last_fetched_at)

    @property
    def failing(self) -> bool:
        """Its last fetch failed, or prwatch disabled it (410 Gone); not a feed removed from the config."""
        return bool(self.error_count) or (not self.enabled and self.disabled_reason not in
                                          (None, "removed from config.toml"))


@dataclass(frozen=True, slots=True)
class Status:
    feeds: tuple[FeedStatus, ...]
    last_poll_at: datetime | None
    stale: bool
    interval_minutes: float
    schema_version: str | None = None
    workers: tuple[tuple[str, datetime], ...] = ()
    last_fetch_at: datetime | None = None  # the last one-off `prwatch fetch`, for people; not health
    alerts: OutboxHealth | None = None  # messages waiting, retrying, given up

    def alerts_json(self) -> dict[str, Any] | None:
        a = self.alerts
        if a is None:
            return None
        last = a.last_failure
        return {"pending": a.pending, "retrying": a.retrying, "failed": a.failed,
                "oldest_pending": a.oldest_pending.isoformat() if a.oldest_pending else None,
                "last_error": None if last is None else {
                    "channel": last.channel, "rule": last.rule, "title": last.title, "status": last.status,
                    "attempts": last.attempts, "error": last.last_error,
                    "at": last.last_attempt_at.isoformat() if last.last_attempt_at else None}}
    code_schema_version: str | None = None  # the newest schema this prwatch knows

    @property
    def failing(self) -> tuple[FeedStatus, ...]:
        return tuple(f for f in self.feeds if f.failing)

    @property
    def given_up(self) -> int:
        """Alert messages given up in the window `alerts` covers (0 without alert rules)."""
        return self.alerts.failed if self.alerts is not None else 0

    @property
    def health(self) -> str:
        """ok, attention or stale (monitor.app.states); the exit code of `prwatch status` follows it."""
        return health(stale=self.stale, failing_feeds=len(self.failing), alerts_given_up=self.given_up)

    @property
    def attention(self) -> list[str]:
        """What needs a person, in words: failing feeds, alerts given up."""
        n = len(self.failing)
        return [x for x in (f"{n} failing feed{'s' if n != 1 else ''}" if n else "",
                            f"{self.given_up} alert{'s' if self.given_up != 1 else ''} given up in the last 7 days"
                            if self.given_up else "") if x]

    def to_json(self) -> dict[str, Any]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "format": STATUS_FORMAT,
            "schema_version": self.schema_version,
            "code_schema_version": self.code_schema_version,
            "healthy": not self.stale,
            "stale": self.stale,
            "health": self.health,
            "attention": self.attention,
            "last_successful_poll": iso(self.last_poll_at),
            "last_fetch": iso(self.last_fetch_at),
            "poll_interval_minutes": rounded(self.interval_minutes),
            "stale_after_minutes": rounded(STALE_INTERVALS * self.interval_minutes),
            "daemons": [{"worker": w, "last_poll": iso(at)} for w, at in self.workers],
            "alerts": self.alerts_json(),
            "failing_feeds": [
                {"name": f.name, "state": f.state, "last_status": f.last_status, "error": f.last_error,
                 "error_count": f.error_count,
                 "last_success_at": iso(f.last_success_at), "enabled": f.enabled,
                 "next_check_at": iso(f.next_check_at) if f.enabled else None}
                for f in self.failing
            ],
            "feeds": [
                {"name": f.name, "url": f.url, "origin": f.origin, "enabled": f.enabled, "state": f.state,
                 "last_fetched_at": iso(f.last_fetched_at), "last_success_at": iso(f.last_success_at),
                 "last_status": f.last_status, "error_count": f.error_count, "last_error": f.last_error,
                 "next_check_at": iso(f.next_check_at), "disabled_reason": f.disabled_reason,
                 "claimed_by": f.claimed_by, "claim_expires_at": iso(f.claim_expires_at)}
                for f in self.feeds
            ],
        }


def collect_status(store: HealthSource, settings: Settings, now: datetime) -> Status:
    window = timedelta(minutes=STALE_INTERVALS * settings.poll.interval_minutes)
    with store.health_view() as view:  # a light reader: a health check starts without the ORM
        feeds = tuple(FeedStatus(f.name, f.url, f.origin, f.enabled, f.last_fetched_at, f.last_success_at,
                                 f.last_status, f.error_count, f.last_error, f.next_check_at, f.disabled_reason,
                                 f.claimed_by, f.claim_expires_at)
                      for f in view.feeds())
        last_at = view.last_finished(kind="daemon")
        fetch_at = view.last_finished(kind="fetch")
        workers = tuple(view.active_workers(now - window, kind="daemon"))
        alerts = view.outbox_health(now - timedelta(days=7)) if settings.alerts.active else None
    stale = last_at is None or now - last_at > window
    return Status(feeds, last_at, stale, settings.poll.interval_minutes, store.schema_version(), workers, fetch_at,
                  alerts, store.code_schema_version)


def render_status(console, st: Status) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    from monitor.app.cli.base import untrusted

    t = Table(title="Feeds")
    for col in ("feed", "last fetch", "state", "errors", "next check", "note"):
        t.add_column(col, overflow="fold")
    def fmt(d: datetime | None) -> str:
        return d.strftime("%Y-%m-%d %H:%M") if d else "never"

    for f in st.feeds:
        note = f.disabled_reason if not f.enabled else (f.last_error or "")
        style = "red" if f.failing else ""
        t.add_row(untrusted(f.name), fmt(f.last_fetched_at), f.state, str(f.error_count),
                  fmt(f.next_check_at) if f.enabled else "disabled", untrusted((note or "")[:200]), style=style)
    console.print(t)
    when = st.last_poll_at.strftime("%Y-%m-%d %H:%M:%S UTC") if st.last_poll_at else "never"
    console.print(f"last completed daemon poll: {when}" + (
        f" — STALE (older than {STALE_INTERVALS} poll intervals: is `prwatch run` running?)" if st.stale else ""))
    if st.last_fetch_at:
        console.print(f"last one-off fetch: {st.last_fetch_at:%Y-%m-%d %H:%M:%S} UTC (not counted for health)")
    if st.workers:
        console.print(untrusted(f"daemons seen in that window: {len(st.workers)} ({', '.join(w for w, _ in st.workers)})"))
    console.print(f"schema version: {st.schema_version or 'none'}; failing feeds: {len(st.failing)}")
    a = st.alerts
    if a is not None:
        line = f"alerts: {a.pending} waiting" + (f" ({a.retrying} after a failed attempt)" if a.retrying else "") + \
            f", {a.failed} given up in the last 7 days"
        console.print(line, style="red" if a.failed or a.retrying else "")
        if a.last_failure is not None:
            m = a.last_failure
            console.print(untrusted(f"last alert error ({m.channel}, {m.attempts} attempts, {m.status}): "
                                    f"{(m.last_error or '')[:300]}"), style="red")
    if st.health == "attention":
        console.print(f"health: attention — {', '.join(st.attention)}", style="red")
    else:
        console.print(f"health: {st.health}", style="red" if st.health == "stale" else "")
