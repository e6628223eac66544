"""`prwatch fetch`: one poll now, then the digests it changed and the alerts."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import click

from monitor.app.cli.base import (
    EXIT_FAIL,
    EXIT_OK,
    check_feed_names,
    command,
    complete_feed_names,
    console,
    print_json,
    settings_and_store,
    state,
)
from monitor.app.cli.output import print_poll_report, write_digests_checked


@command(name="fetch")
@click.option("--no-digest", is_flag=True, help="Do not write digests after polling.")
@click.option("--strict", is_flag=True, help="Exit 1 when any feed failed.")
@click.option("--due", is_flag=True, help="Poll only the feeds that are due.")
@click.option("--feed", "feeds", multiple=True, metavar="NAME", shell_complete=complete_feed_names,
              help="Poll only this feed (repeatable).")
@click.option("--no-alerts", is_flag=True, help="Queue alerts but do not send them now (the daemon or "
                                               "`prwatch alerts send` will).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON object.")
def fetch(no_digest: bool, strict: bool, due: bool, feeds: tuple[str, ...], no_alerts: bool, as_json: bool) -> int:
    """Poll the feeds once now, then write the digests it changed and the current ones, and send the alerts."""
    from monitor.app.states import outcome_state
    from monitor.ingest.poll import poll

    started = datetime.now(timezone.utc)
    with settings_and_store("fetch") as (settings, store):
        events = None
        if settings.alerts.rules:
            from monitor.app.alerts import release_events

            events = release_events(settings)
        extra: dict[str, Any] = {"events": events} if events else {}
        if feeds:
            check_feed_names(store, settings, feeds)
        out = console()
        show = not state().quiet and not as_json and out.is_terminal
        if show:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("polling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.fields[last]}", markup=False), console=out, transient=True) as progress:
                task = progress.add_task("poll", total=None, last="")
                report = poll(store, settings, due_only=due, names=list(feeds) or None,
                              on_claimed=lambda n: progress.update(task, total=n),
                              on_done=lambda o: progress.update(task, advance=1, last=o.name), **extra)
        else:
            report = poll(store, settings, due_only=due, names=list(feeds) or None, **extra)
        # the periods this poll stored releases for (a feed's first poll: its history's days), then today
        written = [] if no_digest else write_digests_checked(store, settings, polled_since=started)
        sent = None
        if events and not no_alerts:
            from monitor.app.alerts import send_due

            sent = send_due(store, settings, report.worker)
        if as_json:
            print_json({
                "feeds": [{"name": o.name, "state": outcome_state(o), "http_status": o.http_status, "new": o.new,
                           "revised": o.revised, "ms": o.ms, "error": o.error}
                          for o in sorted(report.outcomes, key=lambda o: o.name)],
                "new": report.new, "revised": report.revised, "failed": report.failed,
                "unstored": [o.name for o in report.outcomes if o.unstored], "unfinished": report.unfinished,
                "digests": [{"path": str(w.path), "changed": w.changed} for w in written],
                "alerts": None if sent is None else {"sent": sent.sent, "failed": sent.failed, "errors": sent.errors},
            })
        elif not state().quiet:
            print_poll_report(out, report, table=out.is_terminal or len(report.outcomes) <= 50)
            for w in written:
                out.print(f"digest: {w.path}" + ("" if w.changed else " (unchanged)"), soft_wrap=True)
            if sent is not None and (sent.sent or sent.failed):
                out.print(f"alerts: {sent.sent} sent" + (f", {sent.failed} failed (retried later; "
                                                          "`prwatch alerts list` shows why)" if sent.failed else ""),
                          soft_wrap=True)
    if report.unstored:  # the database refused writes: the run failed, whatever the feeds did
        return EXIT_FAIL
    return EXIT_FAIL if strict and report.failed else EXIT_OK


COMMANDS = [fetch]
