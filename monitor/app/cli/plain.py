"""Standard output without rich when rich would print the text unchanged: `prwatch fetch`
with nothing to poll, run from cron or a script (its output a pipe or a file), prints two
short lines, and importing rich for them was a tenth of its start-up.

`console()` gives a PlainConsole only when standard output is not a terminal and nothing in
the environment could make rich treat it as one. It writes a line itself when rich would
write it as it is: a string of printable characters (no tab, no control character, no
style), soft-wrapped, or of ASCII shorter than the width rich would wrap it at. Anything else
(a table, a style, a long line) goes to a rich console made then, with the same settings.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console

# variables that make rich see a terminal or change how it prints (rich.console.Console); its
# width from COLUMNS is rich_width's
_RICH_ENVIRONMENT = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS")


def rich_console(file: TextIO | None = None) -> Console:
    """Rich as prwatch uses it: markup, emoji codes and highlighting off (text from feeds is
    printed as it is, never read as `[markup]`; styles go through `style=`)."""
    from rich.console import Console

    return Console(file=file, markup=False, emoji=False, highlight=False)


def plain_is_enough(file: TextIO | None = None) -> bool:
    """Would rich see `file` (standard output) as no terminal, whatever it prints?"""
    out = file if file is not None else sys.stdout
    if out is None or sys.platform == "win32" or any(name in os.environ for name in _RICH_ENVIRONMENT):
        return False
    if rich_width() <= 0:  # COLUMNS=0
        return False
    if any(m in sys.modules for m in ("ipykernel", "idlelib")):  # rich's own special cases
        return False
    try:
        return not out.isatty()
    except (AttributeError, ValueError):
        return False


def rich_width() -> int:
    """The width rich wraps at when its output is not a terminal: COLUMNS if it is a number,
    else that of the first standard stream that is a terminal, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    for fd in (0, 1, 2):
        try:
            return os.get_terminal_size(fd).columns or 80
        except (AttributeError, ValueError, OSError):
            continue
    return 80


class PlainConsole:
    """The part of rich.console.Console a command's plain output uses, without rich."""

    is_terminal = False

    def __init__(self, file: TextIO | None = None) -> None:
        self._file = file
        self._rich: Console | None = None

    @property
    def file(self) -> TextIO:
        return self._file if self._file is not None else sys.stdout

    @property
    def rich(self) -> Console:
        if self._rich is None:
            self._rich = rich_console(self._file)
        return self._rich

    def print(self, *objects: Any, soft_wrap: bool | None = None, **options: Any) -> None:
        if len(objects) == 1 and not options and isinstance(objects[0], str) and self._as_is(objects[0], soft_wrap):
            try:
                self.file.write(objects[0] + "\n")  # encoded whole first: nothing written if it fails
            except UnicodeEncodeError:
                pass  # rich says so its own way
            else:
                self.file.flush()
                return
        self.rich.print(*objects, soft_wrap=soft_wrap, **options)

    @staticmethod
    def _as_is(text: str, soft_wrap: bool | None) -> bool:
        if not text.isprintable():  # tabs, control characters, line breaks: rich changes or splits them
            return False
        return bool(soft_wrap) or (text.isascii() and len(text) < rich_width())

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich, name)
