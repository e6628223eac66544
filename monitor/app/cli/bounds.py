"""What `search`, `figures` and `export` share: dates as people write them, and the release
filter (`--topic`, `--feed`, `--since`, `--until`) built from them.

A date is a year, a month or a day (`2019`, `2024-06`, `2024-06-30`), read in the digests'
time zone: `--since 2024-06` starts at the first moment of June, `--until 2024-06` ends
with its last (the whole month is included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from monitor.config import Settings
    from monitor.domain import ReleaseFilter
    from storage.port import Store

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class Span:
    """A year, month or day as typed: its first day and the first day after it."""

    text: str
    first: date
    after: date

    def start(self, tz: str) -> datetime:
        return _at(self.first, tz)

    def end(self, tz: str) -> datetime:
        return _at(self.after, tz)


def _at(day: date, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).astimezone(timezone.utc)


class PartialDate(click.ParamType["Span"]):
    """YYYY, YYYY-MM or YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Span:
        if isinstance(value, Span):
            return value
        m = _PARTIAL.match(str(value).strip())
        try:
            if not m:
                raise ValueError
            year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
            first = date(year, month, day)
            if m.group(3):
                after = first + timedelta(days=1)
            elif m.group(2):
                after = date(year + month // 12, month % 12 + 1, 1)
            else:
                after = date(year + 1, 1, 1)
        except (ValueError, OverflowError):
            self.fail(f"must be a year, month or day (2019, 2024-06, 2024-06-30), got {value!r}", param, ctx)
        return Span(str(value).strip(), first, after)


DATE = PartialDate()


def release_filter(settings: Settings, store: Store, *, topic: str | None, feeds: tuple[str, ...],
                   since: Span | None, until: Span | None) -> ReleaseFilter:
    """The filter for these options, each checked: an unknown topic or feed, or dates the
    wrong way round, is one line naming the option."""
    from monitor.app.cli.base import check_feed_names
    from monitor.domain import ReleaseFilter

    if topic:
        settings.topic(topic)  # an unknown id: a config error naming the configured ones
    if feeds:
        check_feed_names(store, settings, feeds)
    tz = settings.digests.timezone
    if since and until and since.first >= until.after:
        raise click.BadParameter(f"--since {since.text} is after --until {until.text}", param_hint="--since")
    return ReleaseFilter(topic=topic, feeds=tuple(feeds), since=since.start(tz) if since else None,
                         until=until.end(tz) if until else None)


def local_time(at: datetime | None, tz: str, *, with_time: bool = True) -> str:
    """A stored UTC time in the digests' time zone: `2024-07-02 09:30` (or the day only)."""
    if at is None:
        return ""
    from zoneinfo import ZoneInfo

    local = at.astimezone(ZoneInfo(tz))
    return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
