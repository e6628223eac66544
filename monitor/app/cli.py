"""The `prwatch` command.

Imports are lazy per command: `prwatch fetch` on a warm cache is dominated by start-up
when nothing changed, so a command loads only what it uses.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.errors import ConfigError, PrwatchError, StorageError

if TYPE_CHECKING:
    from monitor.config import Settings
    from storage.sql.engine import Store

EXIT_OK, EXIT_FAIL, EXIT_CONFIG = 0, 1, 2

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="prwatch",
        description="Monitor press-release wires: poll feeds, match topics, extract figures and milestones, "
                    "write Markdown digests.",
    )
    p.add_argument("--config", metavar="PATH", help="config file (default: $PRWATCH_CONFIG or ./config.toml)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    f = sub.add_parser("fetch", help="poll the feeds once now, then write the current digests")
    f.add_argument("--no-digest", action="store_true", help="do not write digests after polling")
    f.add_argument("--strict", action="store_true", help="exit 1 when any feed failed")
    f.add_argument("--due", action="store_true", help="poll only the feeds that are due")
    f.add_argument("--feed", action="append", metavar="NAME", help="poll only this feed (repeatable)")
    f.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no table")

    d = sub.add_parser("digest", help="write the digest(s) of a period and print their paths")
    d.add_argument("--topic", action="append", metavar="ID", help="topic id (default: every topic)")
    d.add_argument("--period", choices=("day", "week", "month"), help="period kind (default: those configured)")
    d.add_argument("--date", metavar="YYYY-MM-DD", help="a day inside the period (default: today)")

    r = sub.add_parser("run", help="run the daemon: poll on the interval, write digests on schedule")
    r.add_argument("--once", action="store_true", help="poll the due feeds and write due digests once, then exit")

    s = sub.add_parser("status", help="show each feed's last fetch, status, errors and next check")
    s.add_argument("--json", action="store_true", help="machine-readable output")

    e = sub.add_parser("extract", help="analyse one text or HTML document and print what a release would get")
    e.add_argument("--json", action="store_true", help="print exactly one JSON object")
    e.add_argument("path", help="file to read, or - for standard input")

    fe = sub.add_parser("feeds", help="manage subscriptions (add, list, remove, import, export)")
    fsub = fe.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    fa = fsub.add_parser("add", help="subscribe to a feed URL")
    fa.add_argument("url")
    fa.add_argument("--name", help="feed name (default: from the URL)")
    fa.add_argument("--full-text", action="store_true", help="fetch each release's page for its full text")
    fsub.add_parser("list", help="list subscribed feeds")
    fr = fsub.add_parser("remove", help="unsubscribe a feed added by command")
    fr.add_argument("name")
    fi = fsub.add_parser("import", help="subscribe to the feeds of an OPML file")
    fi.add_argument("file")
    fx = fsub.add_parser("export", help="print the subscriptions as OPML")
    fx.add_argument("--output", "-o", help="write to this file instead of standard output")

    t = sub.add_parser("topics", help="topic tools")
    tsub = t.add_subparsers(dest="topics_command", metavar="ACTION", required=True)
    tsub.add_parser("rematch", help="re-evaluate stored releases against the configured topics (no fetching)")
    tsub.add_parser("list", help="list configured topics")

    db = sub.add_parser("db", help="database tools")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    dbsub.add_parser("upgrade", help="create or migrate the schema to the latest version")

    pu = sub.add_parser("purge", help="delete releases first seen long ago (kept as tombstones: never re-ingested)")
    pu.add_argument("--older-than", type=float, required=True, metavar="DAYS", help="age in days of what to delete")
    return p

def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_CONFIG
    try:
        return _dispatch(args)
    except ConfigError as e:
        print(f"prwatch: config error: {e}", file=sys.stderr)
        return EXIT_CONFIG
    except StorageError as e:
        print(f"prwatch: database error: {e}", file=sys.stderr)
        return EXIT_FAIL
    except PrwatchError as e:
        print(f"prwatch: {e}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        # the poll has already rolled back what was in flight and released its claims; fetch
        # threads still blocked in a read would hold a normal exit until their timeout
        print("prwatch: interrupted", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)

def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "extract":
        return cmd_extract(args)
    settings = _settings(args)
    _logging(settings, args.command, args.verbose)
    handler = {
        "fetch": cmd_fetch, "digest": cmd_digest, "run": cmd_run, "status": cmd_status, "feeds": cmd_feeds,
        "topics": cmd_topics, "db": cmd_db, "purge": cmd_purge,
    }[args.command]
    return handler(args, settings)

def _settings(args: argparse.Namespace) -> Settings:
    from monitor.config import config_path, load_settings

    return load_settings(config_path(args.config))

def _logging(settings: Settings, command: str, verbose: int) -> None:
    """The daemon logs at the configured level; one-off commands print their own summary,
    so they log only errors unless -v asks for more."""
    level = {0: settings.log_level.upper(), 1: "INFO", 2: "DEBUG"}[min(verbose, 2)]
    if verbose == 0 and command != "run":
        level = "ERROR"
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger().setLevel(level)  # also when a handler was there before (basicConfig then does nothing)
    # httpx logs every request at INFO, which repeats prwatch's own line per feed; -vv shows it
    logging.getLogger("httpx").setLevel(logging.NOTSET if verbose >= 2 else logging.WARNING)

def _store(settings: Settings) -> Store:
    from storage.sql.engine import open_store

    return open_store(settings.storage.url)

def _console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=False, highlight=False)

# ------------------------------------------------------------------ fetch

def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.ingest.poll import poll

    store = _store(settings)
    console = _console()
    show = not args.quiet and console.is_terminal
    if args.feed:
        known = {f.name for f in settings.feeds}
        from storage.sql import queries as q

        with store.transaction() as s:
            known |= {f.name for f in q.list_feeds(s)}
        missing = [n for n in args.feed if n not in known]
        if missing:
            raise PrwatchError(f"no feed named {', '.join(missing)} (see `prwatch feeds list`)")
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("polling"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.fields[last]}"), console=console, transient=True) as progress:
            task = progress.add_task("poll", total=None, last="")
            report = poll(store, settings, due_only=args.due, names=args.feed,
                          on_claimed=lambda n: progress.update(task, total=n),
                          on_done=lambda o: progress.update(task, advance=1, last=o.name))
    else:
        report = poll(store, settings, due_only=args.due, names=args.feed)
    if not args.quiet:
        _print_report(console, report, table=console.is_terminal or len(report.outcomes) <= 50)
    if not args.no_digest:
        _write_and_print(store, settings, None, None, _today(settings), console)
    store.dispose()
    return EXIT_FAIL if args.strict and report.failed else EXIT_OK

def _print_report(console, report, *, table: bool) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    if table and report.outcomes:
        t = Table(title="Poll results", show_lines=False)
        for col, just in (("feed", "left"), ("status", "left"), ("new", "right"), ("revised", "right"),
                          ("ms", "right"), ("error", "left")):
            t.add_column(col, justify=just)  # type: ignore[arg-type]
        for o in sorted(report.outcomes, key=lambda o: o.name):
            style = "red" if o.failed else ("green" if o.new or o.revised else "")
            t.add_row(o.name, o.status, str(o.new), str(o.revised), str(o.ms), o.error or "", style=style)
        console.print(t)
    console.print(f"{len(report.outcomes)} feeds polled: {report.new} new, {report.revised} revised, "
                  f"{report.failed} failed.")

def _today(settings: Settings) -> date:
    from digests.periods import today_in

    return today_in(settings.digests.timezone)

def _write_and_print(store, settings, topics, kinds, day, console) -> None:  # type: ignore[no-untyped-def]
    from digests.write import write_digests

    for w in write_digests(store, settings, topic_ids=topics, kinds=kinds, day=day):
        note = "" if w.changed else " (unchanged)"
        console.print(f"digest: {w.path}{note}", soft_wrap=True)

# ------------------------------------------------------------------ digest

def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    if args.topic:
        for t in args.topic:
            settings.topic(t)  # clear error for an unknown id
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise PrwatchError(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    else:
        day = _today(settings)
    store = _store(settings)
    _write_and_print(store, settings, args.topic, [args.period] if args.period else None, day, _console())
    store.dispose()
    return EXIT_OK

# ------------------------------------------------------------------ run

def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.app.daemon import run_daemon

    return run_daemon(settings, once=args.once)

# ------------------------------------------------------------------ status

def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.app.status import collect_status, render_status

    store = _store(settings)
    with store.transaction() as s:
        st = collect_status(s, settings, datetime.now(timezone.utc))
    store.dispose()
    if args.json:
        print(json.dumps(st.to_json(), indent=2))
    else:
        render_status(_console(), st)
    return EXIT_FAIL if st.stale else EXIT_OK

# ------------------------------------------------------------------ extract

def cmd_extract(args: argparse.Namespace) -> int:
    from monitor.analysis.analyse import analyse
    from monitor.config import config_path, load_settings
    from monitor.analysis.text import html_to_text

    settings = load_settings(config_path(args.config))
    if args.path == "-":
        raw = sys.stdin.read()
    else:
        try:
            raw = Path(args.path).read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise PrwatchError(f"cannot read {args.path}: {e.strerror or e}") from None
    text = html_to_text(raw) if "<" in raw and ">" in raw else raw.strip()
    title, _, body = text.partition("\n")
    if not body.strip():
        title, body = "", text
    analysis = analyse(title.strip(), body.strip(), settings.topics, always_extract=True)
    if args.json:
        print(json.dumps(analysis.to_json(), ensure_ascii=False))
        return EXIT_OK
    _print_analysis(_console(), analysis, settings)
    return EXIT_OK

def _print_analysis(console, analysis, settings) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table

    matched = {t.topic_id for t in analysis.topics}
    console.print("[bold]Topics[/bold]")
    if not settings.topics:
        console.print("  (no topics configured)")
    for t in analysis.topics:
        console.print(f"  {t.topic_id}: score {t.score:.2f} — " + "; ".join(t.reasons))
    if not matched:
        console.print("  no topic matched")
    t = Table(title="Figures")
    for col in ("kind", "value", "unit", "text", "subject", "period"):
        t.add_column(col)
    for f in analysis.figures:
        t.add_row(f.kind, _plain_number(f.value), f.unit or "", f.text, f.subject or "", f.period or "")
    console.print(t)
    m = Table(title="Milestones")
    for col in ("date", "status", "event"):
        m.add_column(col)
    for ms in analysis.milestones:
        m.add_row(ms.date, ms.status, ms.event)
    console.print(m)

def _plain_number(v: float) -> str:
    """41000000000 as 41,000,000,000 and 33.33 as 33.33, never in exponent form."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ feeds

def cmd_feeds(args: argparse.Namespace, settings: Settings) -> int:
    from monitor.app import feeds as fm

    store = _store(settings)
    console = _console()
    try:
        action = args.feeds_command
        if action == "add":
            feed = fm.add(store, settings, args.url, name=args.name, full_text=args.full_text)
            console.print(f"added {feed.name}: {feed.url}")
        elif action == "list":
            fm.print_list(console, fm.listing(store, settings))
        elif action == "remove":
            fm.remove(store, settings, args.name)
            console.print(f"removed {args.name}")
        elif action == "import":
            added, skipped = fm.import_opml(store, settings, Path(args.file))
            console.print(f"imported {len(added)} feeds" + (f"; skipped {len(skipped)} already present" if skipped else ""))
        elif action == "export":
            xml = fm.export_opml(store, settings)
            if args.output:
                Path(args.output).write_text(xml, encoding="utf-8")
                console.print(f"wrote {args.output}")
            else:
                sys.stdout.write(xml)
    finally:
        store.dispose()
    return EXIT_OK

# ------------------------------------------------------------------ topics, db

def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    console = _console()
    if args.topics_command == "list":
        for t in settings.topics:
            console.print(f"{t.id}: {t.title}")
        return EXIT_OK
    from monitor.app.rematch import rematch

    store = _store(settings)
    result = rematch(store, settings)
    store.dispose()
    console.print(f"re-evaluated {result.releases} releases: {result.added} now match a topic, "
                  f"{result.removed} no longer match, {result.changed} changed score.")
    return EXIT_OK

def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    from storage.sql.engine import open_store
    from storage.sql.migrate import current_revision, upgrade

    store = open_store(settings.storage.url, migrate=False)
    before = current_revision(store.engine)
    upgrade(store.engine)
    after = current_revision(store.engine)
    store.dispose()
    print(f"database schema: {before or 'empty'} -> {after}")
    return EXIT_OK

def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Delete old releases with their analysis; their identities stay as tombstones, so a
    feed that still carries one never brings it back as new."""
    from datetime import timedelta

    from storage.sql import queries as q

    if args.older_than < 0:
        raise PrwatchError("--older-than must be a number of days >= 0")
    cutoff = datetime.now(timezone.utc) - timedelta(days=args.older_than)
    store = _store(settings)
    with store.transaction() as s:
        n = q.purge_releases(s, cutoff)
    store.dispose()
    print(f"purged {n} releases first seen before {cutoff:%Y-%m-%d %H:%M} UTC (kept as tombstones)")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
