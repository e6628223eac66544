"""`prwatch figures`: every statement of one measure across all sources, in period order,
with revisions and conflicts marked (monitor.analysis.history); `--list` shows the
measures the store knows. Tables for people, CSV and JSON for scripts (columns in the README).
"""

from __future__ import annotations

import csv
import sys
from typing import TYPE_CHECKING, Any

import click

from monitor.app.cli.base import (
    EXIT_OK,
    clean,
    command,
    complete_feed_names,
    complete_topic_ids,
    console,
    print_json,
    settings_and_store,
    state,
    untrusted,
)
from monitor.app.cli.bounds import DATE, Span, local_time, release_filter
from monitor.app.export import number, spreadsheet_text

if TYPE_CHECKING:
    from monitor.analysis.history import Line, Other
    from monitor.config import Settings
    from monitor.domain import MeasureCount
    from storage.port import Transaction

FORMATS = ("table", "csv", "json")
HISTORY_COLUMNS = ("measure", "period", "value", "unit", "kind", "text", "qualifier", "subject", "status",
                   "revised_from_value", "revised_from_feed", "revised_from_date", "conflicts", "feed", "carried_by",
                   "released_at", "release_id", "release_revision", "title", "url", "sentence")
LIST_COLUMNS = ("measure", "label", "figures", "feeds", "periods", "first", "last")


@command(name="figures")
@click.option("--measure", metavar="KEY", help="The measure's key, e.g. trade/cn-kz (`--list` shows them).")
@click.option("--subject", metavar="TEXT",
              help="Figures whose subject reads as TEXT (case, plurals and word order aside), for figures "
                   "stored before measure keys.")
@click.option("--list", "list_", is_flag=True, help="List the measures the store knows, with counts.")
@click.option("--topic", metavar="ID", shell_complete=complete_topic_ids, help="Only figures of this topic's releases.")
@click.option("--feed", "feeds", multiple=True, metavar="NAME", shell_complete=complete_feed_names,
              help="Only figures from this feed (repeatable).")
@click.option("--since", type=DATE, help="Only statements about periods from then on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", type=DATE, help="Only statements about periods up to the end of then.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="A table, CSV (one row per statement) or one JSON object.")
def figures(measure: str | None, subject: str | None, list_: bool, topic: str | None, feeds: tuple[str, ...],
            since: Span | None, until: Span | None, fmt: str) -> int:
    """The statements of one measure over time, across all sources.

    Each line is one source's statement of the measure for a period: its value, the
    release (date and link), and what it is against the others: first, repeat, revised
    (the source changed its number: the earlier one is shown), confirms (another source
    said so already), and conflicts (another source's value for the same period at the
    same time). Copies of a story count once, with the feeds that also carried them.
    --since/--until select the periods the statements are about (a statement without a
    period: by its release's date)."""
    chosen = [name for name, given in (("--measure", measure), ("--subject", subject), ("--list", list_)) if given]
    if len(chosen) != 1:
        raise click.UsageError("give one of --measure KEY, --subject TEXT or --list" +
                               (f" (not {' and '.join(chosen)} together)" if chosen else ""))
    with settings_and_store("figures") as (settings, store):
        where = release_filter(settings, store, topic=topic, feeds=feeds, since=None, until=None)
        with store.transaction() as tx:
            if list_:
                _print_list(settings, tx, where, fmt)
                return EXIT_OK
            lines, label, key = _history(settings, tx, where, measure, subject, since, until)
    _print_history(settings, lines, label, key, fmt)
    return EXIT_OK


def _history(settings: Settings, tx: Transaction, where: Any, measure: str | None, subject: str | None,
             since: Span | None, until: Span | None) -> tuple[list[Line], str, str]:
    from monitor.analysis.history import mark, within

    if measure is not None:
        measure = measure.strip()
        found = tx.measures.statements(measure=measure, where=where)
        if not found and measure not in _vocabulary(settings):
            _unknown_measure(tx, settings, measure)
        label, key = _label(settings, measure), measure
    else:
        from monitor.analysis.extract.keys import normalise_subject

        wanted = normalise_subject(subject)
        if not wanted:
            raise click.BadParameter("has no words to compare (give what the figures measure, e.g. "
                                     "\"two-way trade\")", param_hint="--subject")
        same = {x for x in tx.measures.subjects() if normalise_subject(x) == wanted}
        found = tx.measures.statements(subjects=same, where=where)
        label, key = f"figures whose subject reads as “{subject}”", ""
    kept = [st for st in found if within(st, since.first if since else None, until.after if until else None)]
    return mark(kept), label, key


def _vocabulary(settings: Settings) -> dict[str, str]:
    return {m.id: m.label for t in settings.topics for m in t.measures}


def _label(settings: Settings, key: str) -> str:
    """The measure's label from the topics' vocabulary: its own, or its parent's with the rest
    of the key (trade/cn-kz/growth: "China–Kazakhstan trade · growth"); else the key."""
    vocabulary = _vocabulary(settings)
    parts = key.split("/")
    for n in range(len(parts), 0, -1):
        parent = "/".join(parts[:n])
        if parent in vocabulary:
            rest = " ".join(parts[n:])
            return vocabulary[parent] + (f" · {rest}" if rest else "")
    return key


def _unknown_measure(tx: Transaction, settings: Settings, measure: str) -> None:
    from monitor.config_schema import did_you_mean

    known = {m.measure for m in tx.measures.known()} | set(_vocabulary(settings))
    raise click.BadParameter(f"no figure states the measure {measure!r}{did_you_mean(measure, known)}; "
                             "`prwatch figures --list` shows the measures", param_hint="--measure")


# ---------------------------------------------------------------- output

def _print_history(settings: Settings, lines: list[Line], label: str, key: str, fmt: str) -> None:
    tz = settings.digests.timezone
    if fmt == "json":
        print_json({"measure": key or None, "label": label, "statements": [_line_json(ln) for ln in lines]})
        return
    if fmt == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(HISTORY_COLUMNS)
        for ln in lines:
            out.writerow(_csv_cells(_line_row(ln)))
        return
    _history_table(lines, label, key, tz)


def _history_table(lines: list[Line], label: str, key: str, tz: str) -> None:
    from rich.table import Table

    out = console()
    title = f"{label} ({key})" if key and label != key else label
    if not lines:
        out.print(f"{clean(title)}: no statements" + ("" if state().quiet else " (the filters may exclude them)"),
                  soft_wrap=True)
        return
    sources = {ln.statement.origin for ln in lines}
    conflicts = sum(bool(ln.conflicts) for ln in lines)
    revised = sum(ln.status == "revised" for ln in lines)
    t = Table(title=untrusted(f"{title}: {len(lines)} statement{'s' * (len(lines) != 1)} from {len(sources)} "
                              f"source{'s' * (len(sources) != 1)}, "
                              f"{revised} revised, {conflicts} in conflict"), title_justify="left")
    for col, just, wrap in (("period", "left", False), ("value", "right", False), ("source", "left", True),
                            ("released", "left", False), ("status", "left", False), ("against the others", "left", True),
                            ("link", "left", True)):
        t.add_column(col, justify=just, overflow="fold", no_wrap=not wrap)  # type: ignore[arg-type]
    for ln in lines:
        st = ln.statement
        notes = []
        if ln.revised_from:
            notes.append(f"was {_value(ln.revised_from)} ({local_time(ln.revised_from.released_at, tz, with_time=False)})")
        if ln.cited_beside:
            notes.append(f"cited beside the release's {_value(ln.cited_beside)}")
        if ln.conflicts:
            notes.append("conflict: " + "; ".join(f"{o.feed} {_value(o)}" for o in ln.conflicts))
        if ln.carriers:
            notes.append("also carried by " + ", ".join(ln.carriers))
        if st.revision > 1:
            notes.append(f"release revised (revision {st.revision})")
        t.add_row(untrusted(st.period or "—"), untrusted(_value(st)), untrusted(st.origin if st.origin == st.feed
                                                                              else f"{st.feed} (for {st.origin})"),
                  local_time(st.released_at, tz, with_time=False), ln.status or "—", untrusted(" · ".join(notes)),
                  untrusted(st.url or ""), style="red" if ln.conflicts else "")
    out.print(t)


def _value(x: Any) -> str:
    from digests.render import format_value

    return format_value(x.value, x.unit, x.kind)


def _other_json(o: Other | None) -> dict[str, Any] | None:
    if o is None:
        return None
    return {"value": o.value, "unit": o.unit, "kind": o.kind, "text": o.text, "feed": o.feed,
            "released_at": o.released_at.isoformat()}


def _line_json(ln: Line) -> dict[str, Any]:
    st = ln.statement
    return {"measure": st.measure, "period": st.period, "value": st.value, "unit": st.unit, "kind": st.kind,
            "text": st.text, "qualifier": st.qualifier, "subject": st.subject, "status": ln.status,
            "revised_from": _other_json(ln.revised_from), "cited_beside": _other_json(ln.cited_beside),
            "conflicts": [_other_json(o) for o in ln.conflicts],
            "feed": st.feed, "speaks_for": st.origin, "carried_by": list(ln.carriers),
            "released_at": st.released_at.isoformat(), "release_id": st.release_id,
            "release_revision": st.revision, "title": st.title, "url": st.url, "sentence": st.sentence}


def _line_row(ln: Line) -> tuple[Any, ...]:
    st, was = ln.statement, ln.revised_from
    conflicts = "; ".join(f"{o.feed}={number(o.value)} {o.unit or ''}".rstrip() for o in ln.conflicts)
    return (st.measure, st.period, st.value, st.unit, st.kind, st.text, st.qualifier, st.subject, ln.status,
            was.value if was else None, was.feed if was else None, was.released_at.isoformat() if was else None,
            conflicts, st.feed, ";".join(ln.carriers), st.released_at.isoformat(), st.release_id, st.revision,
            st.title, st.url, st.sentence)


def _csv_cells(row: tuple[Any, ...]) -> list[str]:
    """CSV cells as `prwatch export` writes them: numbers plain, text a spreadsheet shows as
    text (never runs as a formula), and made safe for the terminal when the output is one."""
    safe = sys.stdout.isatty()
    return ["" if v is None else number(v) if isinstance(v, float) else str(v) if isinstance(v, int)
            else spreadsheet_text(clean(v) if safe else str(v)) for v in row]


def _print_list(settings: Settings, tx: Transaction, where: Any, fmt: str) -> None:
    known = tx.measures.known(where)
    without = tx.measures.unmeasured(where)
    tz = settings.digests.timezone

    def row(m: MeasureCount) -> tuple[Any, ...]:
        return (m.measure, _label(settings, m.measure), m.figures, m.feeds, m.periods,
                local_time(m.first, tz, with_time=False), local_time(m.last, tz, with_time=False))
    if fmt == "json":
        print_json({"measures": [dict(zip(LIST_COLUMNS, row(m), strict=True)) for m in known],
                    "figures_without_measure": without})
        return
    if fmt == "csv":
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(LIST_COLUMNS)
        for m in known:
            out.writerow(_csv_cells(row(m)))
        return
    from rich.table import Table

    c = console()
    if not known:
        c.print("no figure has a measure key yet" + (f" ({without} figures without one)" if without else ""))
        return
    from rich import box
    from rich.text import Text

    # the key is what `--measure` takes, so it is printed whole on its own line; the label
    # goes under it, dimmed, so that the table fits an 80-column terminal
    t = Table(title=f"{len(known)} measures", title_justify="left", box=box.SIMPLE_HEAD)
    for col, just in (("measure", "left"), ("figures", "right"), ("feeds", "right"), ("periods", "right"),
                      ("first", "left"), ("last", "left")):
        t.add_column(col, justify=just, overflow="fold", no_wrap=col != "measure",  # type: ignore[arg-type]
                     ratio=1 if col == "measure" else None)  # the counts take their width, the key the rest
    for m in known:
        key, label, *counts = row(m)
        cell = untrusted(key)
        if label and label != key:
            cell.append("\n")
            cell.append(Text(clean(label), style="dim"))
        t.add_row(cell, *(str(x) for x in counts))
    c.print(t)
    if without and not state().quiet:
        c.print(f"{without} figures have no measure key (stored before measure keys): `prwatch topics rematch` "
                "gives them one; `--subject TEXT` finds them meanwhile.", soft_wrap=True)


COMMANDS = [figures]
