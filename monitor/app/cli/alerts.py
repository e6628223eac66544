"""`prwatch alerts`: send what is waiting, test the channels, list recent deliveries."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from monitor.app.cli.base import EXIT_FAIL, EXIT_OK, command, console, group, print_json, say, settings_and_store, untrusted


@group("alerts")
def alerts() -> None:
    """Alert tools (send, test, list)."""


def _configured(settings) -> None:  # type: ignore[no-untyped-def]
    from monitor.errors import ConfigError

    if not settings.alerts.channels:
        raise ConfigError("alerts.channels", "no channel is configured: add an [[alerts.channels]] block with a "
                                             "name and an Apprise url (or a webhook) to config.toml")


@command(alerts, name="send")
@click.option("--now", "now_", is_flag=True, help="Also retry failed messages now, without waiting for their back-off.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as one JSON object.")
def send(now_: bool, as_json: bool) -> int:
    """Send the alert messages that are due (for cron; the daemon sends by itself).

    Exits 1 when an attempt failed (the message is retried later, or given up after
    alerts.give_up_after_hours)."""
    from monitor.app.alerts import send_due
    from monitor.ingest.workers import worker_id

    with settings_and_store("alerts") as (settings, store):
        _configured(settings)
        report = send_due(store, settings, worker_id(), due_only=not now_)
    if as_json:
        print_json({"composed": report.composed, "sent": report.sent, "failed": report.failed,
                    "given_up": report.given_up, "errors": report.errors})
    else:
        say(f"alerts: {report.sent} sent, {report.failed} failed" +
            (f" ({report.given_up} given up)" if report.given_up else ""))
        for e in report.errors:
            say(f"  {e}")
    return EXIT_FAIL if report.failed else EXIT_OK


@command(alerts, name="test")
@click.argument("rule", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the outcome per channel as one JSON object.")
def test(rule: str | None, as_json: bool) -> int:
    """Send a test message through each channel (of RULE only, when given)."""
    from monitor.app.alerts import queue_test, send_due
    from monitor.config_schema import did_you_mean
    from monitor.ingest.workers import worker_id

    with settings_and_store("alerts") as (settings, store):
        _configured(settings)
        if rule is None:
            channels = [c.name for c in settings.alerts.channels]
        else:
            names = [r.name for r in settings.alerts.rules]
            if rule not in names:
                raise click.BadParameter(f"no alert rule named {rule!r}{did_you_mean(rule, names)} "
                                         f"(rules: {', '.join(names) or 'none'})", param_hint="RULE")
            channels = list(next(r for r in settings.alerts.rules if r.name == rule).channels)
        ids = queue_test(store, settings, channels)
        send_due(store, settings, worker_id(), due_only=False, ids=ids, give_up_now=True)
        with store.transaction() as tx:
            done = {m.id: m for m in tx.alerts.recent(limit=len(ids) + 50) if m.id in ids}
    results = [(done[i].channel, done[i].status == "sent", done[i].last_error) for i in ids if i in done]
    if as_json:
        print_json({"channels": [{"channel": c, "sent": ok, "error": err} for c, ok, err in results]})
    else:
        for c, ok, err in results:
            say(f"{c}: sent" if ok else f"{c}: FAILED: {err}")
    return EXIT_OK if results and all(ok for _, ok, _ in results) else EXIT_FAIL


@command(alerts, name="list")
@click.option("-n", "--limit", type=click.IntRange(1, 10_000), default=30, show_default=True,
              help="How many messages, newest first.")
@click.option("--failed", is_flag=True, help="Only messages that were given up.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def list_(limit: int, failed: bool, as_json: bool) -> int:
    """Recent alert messages: when, rule, channel, state, attempts, last error."""
    with settings_and_store("alerts") as (_settings, store), store.transaction() as tx:
        messages = tx.alerts.recent(limit=limit, status="failed" if failed else None)
    def iso(d: datetime | None) -> str | None:
        return d.isoformat() if d else None
    if as_json:
        print_json({"messages": [
            {"key": m.key, "kind": m.kind, "rule": m.rule, "channel": m.channel, "topic": m.topic_id,
             "title": m.title, "status": m.status, "attempts": m.attempts, "created_at": iso(m.created_at),
             "sent_at": iso(m.sent_at), "last_attempt_at": iso(m.last_attempt_at),
             "next_attempt_at": iso(m.next_attempt_at) if m.status == "pending" else None, "error": m.last_error}
            for m in messages]})
        return EXIT_OK
    out = console()
    if not messages:
        say("no alert messages yet")
        return EXIT_OK
    from rich.table import Table

    t = Table(title="Alert messages")
    for col in ("created", "kind", "rule", "channel", "state", "tries", "message", "error"):
        t.add_column(col, overflow="fold")
    now = datetime.now(timezone.utc)
    for m in messages:
        state = m.status if m.status != "pending" else (
            "retrying" if m.attempts else "waiting") + (f" (next {m.next_attempt_at:%H:%M:%S})"
                                                        if m.next_attempt_at > now else "")
        t.add_row(f"{m.created_at:%Y-%m-%d %H:%M}", m.kind, untrusted(m.rule or ""), untrusted(m.channel), state,
                  str(m.attempts), untrusted(m.title[:120]), untrusted((m.last_error or "")[:200]),
                  style="red" if m.status == "failed" else "")
    out.print(t)
    return EXIT_OK


COMMANDS = [alerts]
