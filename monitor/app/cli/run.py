"""`prwatch run`: the daemon (and `run --once` for cron)."""

from __future__ import annotations

import click

from monitor.app.cli.base import command, with_logging


@command(name="run")
@click.option("--once", is_flag=True, help="Poll the due feeds and write due digests once, then exit (for cron).")
def run(once: bool) -> int:
    """Run the daemon: poll on the interval, write digests on schedule."""
    from monitor.app.daemon import run_daemon

    return run_daemon(with_logging("run"), once=once)


COMMANDS = [run]
