"""How an export writes values: the columns are the row types' fields; a CSV text cell a
spreadsheet would run as a formula is shown as text, numbers are left alone; JSON keeps the
values as they are. No store needed."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from monitor.app.export import columns, csv_cells, json_line, number, spreadsheet_text
from monitor.domain import ExportedFigure, ExportedRelease

AT = datetime(2024, 7, 11, 9, 30, tzinfo=timezone.utc)


def release(title: str = "Wheat exports rise", topics: tuple[str, ...] = ("china-kazakhstan",),
            feed: str = "Astana Wire", url: str | None = "https://a.test/1") -> ExportedRelease:
    return ExportedRelease(7, 7, feed, AT, None, AT, title, url, topics, 1, None)


def figure(value: float, text: str) -> ExportedFigure:
    return ExportedFigure(7, 0, 7, "Astana Wire", AT, "trade/cn-kz", "two-way trade", "2023", value, "USD", "money",
                          None, text, "money|money|m:trade/cn-kz|2023", None, "Trade reached it.")


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("https://x.test")'])
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(cell: str) -> None:
    assert spreadsheet_text(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "1+1", "a=b", " =1", "'=1", "Қазақстан", "e-mail", "£5"])
def test_other_text_is_left_alone(cell: str) -> None:
    assert spreadsheet_text(cell) == cell


def test_numbers_are_plain_and_never_escaped() -> None:
    assert [number(v) for v in (41e9, 1.5e21, -3.2, 0.1, 0.0)] == ["41000000000", "1500000000000000000000", "-3.2",
                                                                    "0.1", "0"]
    cells = csv_cells("figures")(figure(-3.2, "-3.2%"))
    assert cells[8] == "-3.2" and cells[12] == "'-3.2%"


def test_csv_cells_write_times_topics_and_missing_values() -> None:
    cells = csv_cells("releases")(release(topics=("china-kazakhstan", "grain"), url=None))
    assert cells == [7, 7, "Astana Wire", "2024-07-11T09:30:00+00:00", None, "2024-07-11T09:30:00+00:00",
                     "Wheat exports rise", None, "china-kazakhstan;grain", 1, None]
    assert csv_cells("releases")(release(topics=("=evil",)))[8] == "'=evil"  # ids come from a config: text too


def test_text_for_a_terminal_is_cleaned_after_escaping() -> None:
    cells = csv_cells("releases", clean=lambda s: s.replace("\x1b", "?"))(release(title="=\x1b[2J", feed="\x1b]8;"))
    assert (cells[6], cells[2], cells[7]) == ("'=?[2J", "?]8;", "https://a.test/1")


def test_json_lines_keep_values_as_they_are() -> None:
    line = json_line("releases")(release(title='=A1 "quoted"\nnext', topics=()))
    assert "\n" not in line
    assert json.loads(line) == dict(zip(columns("releases"), [
        7, 7, "Astana Wire", "2024-07-11T09:30:00+00:00", None, "2024-07-11T09:30:00+00:00", '=A1 "quoted"\nnext',
        "https://a.test/1", [], 1, None], strict=True))
    assert json.loads(json_line("figures")(figure(41e9, "$41 billion")))["value"] == 41e9
