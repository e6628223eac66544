"""Output shared by several commands: the poll table and writing digests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from monitor.app.cli.base import untrusted
from monitor.errors import PrwatchError

if TYPE_CHECKING:
    from digests.write import Written
    from monitor.config import Settings
    from storage.port import Store


def print_poll_report(console: Any, report: Any, *, table: bool) -> None:
    if table and report.outcomes:
        from rich.table import Table

        from monitor.app.states import outcome_state

        t = Table(title="Poll results", show_lines=False)
        for col, just in (("feed", "left"), ("state", "left"), ("new", "right"), ("revised", "right"),
                          ("ms", "right"), ("error", "left")):
            t.add_column(col, justify=just, overflow="fold")  # type: ignore[arg-type]
        for o in sorted(report.outcomes, key=lambda o: o.name):
            style = "red" if o.failed else ("green" if o.new or o.revised else "")
            t.add_row(untrusted(o.name), outcome_state(o), str(o.new), str(o.revised), str(o.ms),
                      untrusted(o.error or ""), style=style)
        console.print(t)
    console.print(f"{len(report.outcomes)} feeds polled: {report.new} new, {report.revised} revised, "
                  f"{report.failed} failed.")
    lost = sum(o.unstored for o in report.outcomes)
    if lost:
        console.print(f"{lost} feeds could not be stored: the database refused the write (see the error column); "
                      "they are polled again at the next run.", style="red")
    if report.unfinished:
        console.print(f"the end of the poll could not be recorded: {untrusted(report.unfinished)}", style="red")


def today(settings: Settings) -> date:
    from digests.periods import today_in

    return today_in(settings.digests.timezone)


def write_digests_checked(store: Store, settings: Settings, topics: Sequence[str] | None = None,
                          kinds: Sequence[str] | None = None, day: date | None = None, *,
                          since: date | None = None, polled_since: datetime | None = None) -> list[Written]:
    """Write the digests of the period containing `day` (default today), or of every period
    from `since` up to today, or (`polled_since`) of every period a poll begun then stored
    releases for and the current ones. A full disk or an unwritable folder is one line naming
    the folder."""
    from datetime import timedelta

    from digests.write import write_after_poll, write_periods

    folder = settings.digests.directory
    now = today(settings)
    try:
        if polled_since is not None:
            return write_after_poll(store, settings, polled_since, now, topic_ids=topics)
        first = since or day or now
        last = now if since else first
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        return write_periods(store, settings, [(t, k, d) for d in days for k in kinds or settings.digests.periods
                                               for t in topics or [t.id for t in settings.topics]])
    except OSError as e:
        why = e.strerror or str(e)
        raise PrwatchError(f"cannot write digests in {folder}: {why} (make the folder writable or free space, "
                           "or set digests.directory)") from None
