"""`prwatch status`: each feed's state, and whether a daemon is polling (a health check)."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from monitor.app.cli.base import EXIT_ATTENTION, EXIT_FAIL, EXIT_OK, command, console, print_json, settings_and_health_source


@command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys, for scripts).")
def status(as_json: bool) -> int:
    """Show each feed's last fetch, state, errors and next check, and the alert outbox.

    Exits 0 when all is well, 1 when no daemon finished a poll in the last three poll
    intervals (polling is down), 3 when polling is alive but a feed is failing or an alert
    message was given up in the last 7 days."""
    from monitor.app.status import collect_status, render_status

    with settings_and_health_source("status") as (settings, source):
        st = collect_status(source, settings, datetime.now(timezone.utc))
    if as_json:
        print_json(st.to_json())
    else:
        render_status(console(), st)
    return {"ok": EXIT_OK, "attention": EXIT_ATTENTION}.get(st.health, EXIT_FAIL)


COMMANDS = [status]
