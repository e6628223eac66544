"""`prwatch status`: each feed's state, and whether a daemon is polling (a health check)."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from monitor.app.cli.base import EXIT_FAIL, EXIT_OK, command, console, print_json, settings_and_store


@command(name="status")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (stable keys, for scripts).")
def status(as_json: bool) -> int:
    """Show each feed's last fetch, state, errors and next check; exit 1 when no daemon polls."""
    from monitor.app.status import collect_status, render_status

    with settings_and_store("status") as (settings, store):
        st = collect_status(store, settings, datetime.now(timezone.utc))
    if as_json:
        print_json(st.to_json())
    else:
        render_status(console(), st)
    return EXIT_FAIL if st.stale else EXIT_OK


COMMANDS = [status]
