"""Plain output prints what rich would print, without rich where rich would change nothing."""

from __future__ import annotations

import io

import pytest

from monitor.app.cli.plain import PlainConsole, rich_console, rich_width

TEXTS = ["0 feeds polled: 0 new, 0 revised, 0 failed.", "digest: digests/2026-01-05-energy.md (unchanged)", "",
         "  indented and trailing  ", "[bold]not markup[/bold] :smile: https://example.com/feed?a=1&b=2",
         "café, naïve, 東京 — wide and accented", "a\ttab", "a line\nand another", "bell\x07 and return\r",
         "x" * (rich_width() + 10), "word " * (rich_width() // 5 + 5)]


def printed(console: object, *objects: object, **options: object) -> str:
    console.print(*objects, **options)  # type: ignore[attr-defined]
    out = console.file  # type: ignore[attr-defined]
    assert isinstance(out, io.StringIO)
    return out.getvalue()


@pytest.mark.parametrize("soft_wrap", [None, True, False])
@pytest.mark.parametrize("text", TEXTS)
def test_a_line_comes_out_as_rich_prints_it(text: str, soft_wrap: bool | None) -> None:
    plain = PlainConsole(io.StringIO())
    assert printed(plain, text, soft_wrap=soft_wrap) == printed(rich_console(io.StringIO()), text, soft_wrap=soft_wrap)


@pytest.mark.parametrize("columns", ["30", "200", "wide"])
def test_the_width_is_the_one_rich_takes_from_columns(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for text in [*TEXTS, "y" * 45, "z" * 150]:
        assert printed(PlainConsole(io.StringIO()), text) == printed(rich_console(io.StringIO()), text), text


def test_a_short_plain_line_or_a_soft_wrapped_one_needs_no_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    plain = PlainConsole(io.StringIO())
    printed(plain, "0 feeds polled: 0 new, 0 revised, 0 failed.")
    printed(plain, "digest: " + "long/" * 40 + "café.md", soft_wrap=True)
    assert plain._rich is None
    assert not plain.is_terminal


@pytest.mark.parametrize("objects, options", [
    (("a line that rich styles",), {"style": "red"}),
    (("two", "objects"), {}),
    (("x" * (rich_width() + 1),), {}),
], ids=["a style", "two objects", "longer than the width"])
def test_what_rich_would_change_goes_to_rich(objects: tuple[object, ...], options: dict[str, object]) -> None:
    plain = PlainConsole(io.StringIO())
    assert printed(plain, *objects, **options) == printed(rich_console(io.StringIO()), *objects, **options)
    assert plain._rich is not None
