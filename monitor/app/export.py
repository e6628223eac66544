"""Export rows as CSV cells and JSON objects: the columns, and how each value is written.

The columns of an export are the fields of its monitor.domain row type, in order (README,
"Export"). Both formats are UTF-8 and carry the same values: missing is an empty cell in
CSV and null in JSON, times are ISO 8601 in UTC, a release's topics are one cell of ids
joined by ";" in CSV and a list in JSON, a figure's value is a plain number.

CSV is written for spreadsheets: a text cell that starts with = + - @, a tab or a carriage
return would be read as a formula by Excel, LibreOffice or Google Sheets (a title such as
`=HYPERLINK(...)` coming from a feed), so such a cell gets a leading apostrophe, which the
spreadsheet shows as text (OWASP's advice for CSV injection). Numbers are never changed:
a negative value stays a number. JSON lines are for programs and keep every text as stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, get_type_hints

from monitor.domain import ExportedFigure, ExportedMilestone, ExportedRelease

ROWS: dict[str, type[tuple[Any, ...]]] = {"releases": ExportedRelease, "figures": ExportedFigure,
                                          "milestones": ExportedMilestone}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TOPIC_SEPARATOR = ";"

Cell = Callable[[Any], Any]


def columns(what: str) -> tuple[str, ...]:
    """The column names of an export (releases, figures, milestones), in order."""
    fields: tuple[str, ...] = ROWS[what]._fields  # type: ignore[attr-defined]
    return fields


def spreadsheet_text(text: str) -> str:
    """Text a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float) -> str:
    """A value as a spreadsheet reads it: no exponent for whole numbers, no trailing `.0`."""
    return f"{value:.0f}" if value.is_integer() else repr(value)


def _time(v: datetime | None) -> str | None:
    return None if v is None else v.isoformat()


_TEXT, _NUMBER, _TIME, _NAMES = "text", "number", "time", "names"
_CSV_KIND: dict[Any, str | None] = {int: None, str: _TEXT, str | None: _TEXT, float: _NUMBER, datetime: _TIME,
                                    datetime | None: _TIME, tuple[str, ...]: _NAMES}
_JSON_VALUE: dict[Any, Cell] = {datetime: _time, datetime | None: _time, tuple[str, ...]: list}


def csv_cells(what: str, *, clean: Cell | None = None) -> Callable[[Sequence[Any]], list[Any]]:
    """A function from a row of `what` to its CSV cells (None: an empty cell, as the csv
    module writes it). `clean` is applied to text too (for a terminal). Rows come by the
    hundred thousand: each kind of column is converted in one loop, without a call per cell."""
    kinds = [_CSV_KIND[t] for t in _types(what)]
    text, numbers, times, names = ([i for i, k in enumerate(kinds) if k == kind] for kind in (_TEXT, _NUMBER, _TIME, _NAMES))
    text = sorted(text + names)  # a topic id may start with "=" too

    def row_cells(row: Sequence[Any]) -> list[Any]:
        cells = list(row)
        for i in names:
            cells[i] = TOPIC_SEPARATOR.join(cells[i])
        for i in times:
            v = cells[i]
            if v is not None:
                cells[i] = v.isoformat()
        for i in numbers:
            cells[i] = number(cells[i])
        for i in text:  # spreadsheet_text, inline: ten text cells a row
            v = cells[i]
            if v and v.startswith(FORMULA_START):
                cells[i] = "'" + v
        return cells

    if clean is None:
        return row_cells
    def cleaned(row: Sequence[Any]) -> list[Any]:
        cells = row_cells(row)
        for i in text:
            if cells[i] is not None:
                cells[i] = clean(cells[i])
        return cells
    return cleaned


def json_line(what: str) -> Callable[[Sequence[Any]], str]:
    """A function from a row of `what` to its JSON object on one line (no newline)."""
    names = columns(what)
    convert = [(i, _JSON_VALUE[t]) for i, t in enumerate(_types(what)) if t in _JSON_VALUE]
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    def line(row: Sequence[Any]) -> str:
        values = list(row)
        for i, f in convert:
            values[i] = f(values[i])
        return encode(dict(zip(names, values, strict=True)))
    return line


def _types(what: str) -> list[Any]:
    hints = get_type_hints(ROWS[what])
    return [hints[name] for name in columns(what)]
