"""Digest periods: a day, an ISO week or a month in the digest's time zone, as UTC bounds."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from digests.model import Period


def period_for(kind: str, day: date, tz: str) -> Period:
    """The period of `kind` that contains `day` (a date in time zone `tz`)."""
    zone = ZoneInfo(tz)
    if kind == "day":
        first, last = day, day + timedelta(days=1)
        key, label = day.isoformat(), f"{day:%A} {day.day} {day:%B %Y}"
    elif kind == "week":
        first = day - timedelta(days=day.weekday())
        last = first + timedelta(days=7)
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
        end_day = last - timedelta(days=1)
        label = f"week {week} of {year} ({first.day} {first:%b} – {end_day.day} {end_day:%b %Y})"
    elif kind == "month":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1)
        key, label = f"{first:%Y-%m}", f"{first:%B %Y}"
    else:
        raise ValueError(f"unknown period {kind!r}: use day, week or month")
    start = datetime.combine(first, time(), zone)
    end = datetime.combine(last, time(), zone)
    return Period(kind=kind, key=key, start=start, end=end, timezone=tz, label=label)


def digest_filename(period_key: str, topic_id: str) -> str:
    """Stable per topic and period: 2024-07-04-x.md, 2024-W27-x.md, 2024-07-x.md."""
    return f"{period_key}-{topic_id}.md"


def today_in(tz: str) -> date:
    return datetime.now(ZoneInfo(tz)).date()


def period_from_key(key: str, tz: str) -> Period:
    """The period a file name's key stands for: 2024-07-04, 2024-W27 or 2024-07."""
    try:
        if "-W" in key:
            year, week = key.split("-W")
            return period_for("week", date.fromisocalendar(int(year), int(week), 1), tz)
        if key.count("-") == 1:
            return period_for("month", date.fromisoformat(key + "-01"), tz)
        return period_for("day", date.fromisoformat(key), tz)
    except ValueError:
        raise ValueError(f"not a digest period key: {key!r}") from None
