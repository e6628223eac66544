"""`prwatch export releases|figures|milestones`: stored rows as CSV or JSON lines, for a
spreadsheet, pandas or a BI tool.

Rows stream from a read-only snapshot of the store (storage.port.ExportStore) to the output
in batches, so memory stays flat at any store size and a daemon polling meanwhile is not held
up. Cells are written as monitor.app.export says (columns in the README). A file named with
--output appears whole or not at all (written beside it, then renamed); a reader that goes
away (`| head`) ends the export quietly.
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from monitor.app.cli.base import (
    EXIT_OK,
    clean,
    command,
    complete_feed_names,
    complete_topic_ids,
    say,
    settings_and_store,
)
from monitor.app.cli.bounds import DATE, Span, release_filter
from monitor.app.export import ROWS, columns, csv_cells, json_line

if TYPE_CHECKING:
    from monitor.domain import ReleaseFilter
    from storage.port import ExportStore

FORMATS = ("csv", "jsonl")
FLUSH_ROWS = 1000  # rows encoded together and written at once


@command(name="export")
@click.argument("what", type=click.Choice(tuple(ROWS)))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="CSV with a header row, or one JSON object per line.")
@click.option("--topic", metavar="ID", shell_complete=complete_topic_ids, help="Only rows of this topic's releases.")
@click.option("--feed", "feeds", multiple=True, metavar="NAME", shell_complete=complete_feed_names,
              help="Only rows of this feed's releases (repeatable).")
@click.option("--since", type=DATE, help="Only rows of releases dated from then on (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", type=DATE, help="Only rows of releases dated up to the end of then.")
@click.option("--output", "-o", metavar="FILE", help="Write to this file instead of standard output.")
def export(what: str, fmt: str, topic: str | None, feeds: tuple[str, ...], since: Span | None,
           until: Span | None, output: str | None) -> int:
    """Export stored releases, figures or milestones as CSV or JSON lines.

    One row per release, figure or milestone, in release order, with ids that join them
    (release_id, story_id). The columns are fixed and documented in the README; CSV is UTF-8
    and safe to open in a spreadsheet (a text cell starting with = + - @ gets a leading ').
    --since/--until select by the release's date (published, else first seen)."""
    target = _target(output)
    with settings_and_store("export") as (settings, store):
        where = release_filter(settings, store, topic=topic, feeds=feeds, since=since, until=until)
        with _opened(target) as out, store.snapshot() as rows:
            n = write(_rows(rows, what, where), what, fmt, out, for_terminal=target is None and out.isatty())
    if target is not None:
        say(f"wrote {n:,} {what if n != 1 else what[:-1]} to {output}")
    return EXIT_OK


def _target(output: str | None) -> Path | None:
    """The file to write (None: standard output), its folder checked before anything is read."""
    if output is None or output == "-":
        return None
    path = Path(output)
    if path.is_dir():
        raise click.BadParameter(f"{output} is a folder; name a file in it", param_hint="--output")
    if not path.parent.is_dir():
        raise click.BadParameter(f"the folder {path.parent} does not exist (create it first)", param_hint="--output")
    return path


def _rows(store: ExportStore, what: str, where: ReleaseFilter) -> Iterator[Sequence[Any]]:
    if what == "releases":
        return store.releases(where)
    if what == "figures":
        return store.figures(where)
    return store.milestones(where)


def write(rows: Iterable[Sequence[Any]], what: str, fmt: str, out: IO[bytes], *, for_terminal: bool = False) -> int:
    """Write the rows of `what` to `out` as UTF-8 CSV (with its header) or JSON lines, a batch
    at a time; how many rows. Text for a terminal is cleaned of control sequences."""
    chunk = _Chunk(out)
    n = 0
    if fmt == "csv":
        writer = csv.writer(chunk)  # RFC 4180: quotes where needed, CRLF between rows
        writer.writerow(columns(what))
        cells = csv_cells(what, clean=clean if for_terminal else None)
        for n, row in enumerate(rows, 1):
            writer.writerow(cells(row))
            if n % FLUSH_ROWS == 0:
                chunk.flush()
    else:
        line = json_line(what)
        for n, row in enumerate(rows, 1):
            chunk.write(line(row) + "\n")
            if n % FLUSH_ROWS == 0:
                chunk.flush()
    chunk.flush()
    return n


class _Chunk:
    """Text gathered and written to a binary stream as UTF-8 when flushed (the csv module
    writes one row at a time; the output should not be one system call per row, nor depend
    on the locale's encoding)."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._parts: list[str] = []
        self.write: Callable[[str], None] = self._parts.append

    def flush(self) -> None:
        if self._parts:
            data = memoryview("".join(self._parts).encode("utf-8", "replace"))  # a lone surrogate: "?"
            self._parts.clear()
            while data:  # a pipe may take part of it (its reader went away: the next write says so)
                data = data[self._out.write(data):]


@contextmanager
def _opened(target: Path | None) -> Iterator[IO[bytes]]:
    """Standard output, or a temporary file beside `target` renamed to it when the block
    succeeds (removed when it does not: no half-written export)."""
    if target is None:
        sys.stdout.flush()
        out = sys.stdout.buffer
        yield out
        out.flush()
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


COMMANDS = [export]
