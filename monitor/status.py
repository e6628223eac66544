"""`prwatch status`: each feed's schedule and health, and whether polling is alive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from monitor.config import Settings
from storage import queries as q
from storage.migrate import HEAD

STALE_INTERVALS = 3


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


@dataclass(frozen=True, slots=True)
class Status:
    feeds: tuple[FeedStatus, ...]
    last_poll_at: datetime | None
    stale: bool
    interval_minutes: float

    @property
    def failing(self) -> tuple[FeedStatus, ...]:
        return tuple(f for f in self.feeds if f.error_count or not f.enabled and f.disabled_reason != "removed from config.toml")

    def to_json(self) -> dict[str, Any]:
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "schema_version": HEAD,
            "last_successful_poll": iso(self.last_poll_at),
            "stale": self.stale,
            "poll_interval_minutes": self.interval_minutes,
            "failing_feeds": [f.name for f in self.failing],
            "feeds": [
                {"name": f.name, "url": f.url, "origin": f.origin, "enabled": f.enabled,
                 "last_fetched_at": iso(f.last_fetched_at), "last_success_at": iso(f.last_success_at),
                 "last_status": f.last_status, "error_count": f.error_count, "last_error": f.last_error,
                 "next_check_at": iso(f.next_check_at), "disabled_reason": f.disabled_reason}
                for f in self.feeds
            ],
        }


def collect_status(session: Session, settings: Settings, now: datetime) -> Status:
    feeds = tuple(FeedStatus(f.name, f.url, f.origin, f.enabled, f.last_fetched_at, f.last_success_at, f.last_status,
                             f.error_count, f.last_error, f.next_check_at, f.disabled_reason)
                  for f in q.list_feeds(session))
    last = q.last_poll_run(session)
    last_at = last.finished_at if last else None
    stale = last_at is None or now - last_at > timedelta(minutes=STALE_INTERVALS * settings.poll.interval_minutes)
    return Status(feeds, last_at, stale, settings.poll.interval_minutes)


def render_status(console, st: Status) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    t = Table(title="Feeds")
    for col in ("feed", "last fetch", "status", "errors", "next check", "note"):
        t.add_column(col)
    fmt = lambda d: d.strftime("%Y-%m-%d %H:%M") if d else "never"  # noqa: E731
    for f in st.feeds:
        note = f.disabled_reason if not f.enabled else (f.last_error or "")
        style = "red" if f.error_count or not f.enabled else ""
        t.add_row(f.name, fmt(f.last_fetched_at), f.last_status or "—", str(f.error_count),
                  fmt(f.next_check_at) if f.enabled else "disabled", (note or "")[:80], style=style)
    console.print(t)
    when = st.last_poll_at.strftime("%Y-%m-%d %H:%M UTC") if st.last_poll_at else "never"
    console.print(f"last completed poll: {when}" + (" — STALE (older than three poll intervals)" if st.stale else ""))
