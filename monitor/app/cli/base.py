"""What every command shares: the global options, the settings, the console, JSON output and
the argument types whose errors read as one line.

Global options (`--config`, `-q`, `-v`) are accepted before or after the command name, as
people type them (`prwatch status -v`, `prwatch -v status`): each command carries them too,
and both places write into the one `Global` of the invocation.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from monitor.config import Settings
    from storage.port import HealthSource, Store

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_PIPE = 0, 1, 2, 130, 141
EXIT_ATTENTION = 3  # `prwatch status`: polling is alive, but a feed is failing or an alert was given up
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Global:
    """The global options of one invocation, wherever on the line they were given."""

    config: str | None = None
    verbose: int = 0
    quiet: bool = False
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        """The validated config, loaded once (a ConfigError exits 2 naming the key)."""
        if self._settings is None:
            from monitor.config import config_path, load_settings

            self._settings = load_settings(config_path(self.config))
        return self._settings


def state() -> Global:
    return click.get_current_context().find_root().ensure_object(Global)


def _set_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(Global).config = value


def _add_verbose(ctx: click.Context, _param: click.Parameter, value: int) -> None:
    ctx.find_root().ensure_object(Global).verbose += value


def _set_quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().ensure_object(Global).quiet = True


GLOBAL_OPTIONS = (
    click.option("--config", metavar="PATH", expose_value=False, callback=_set_config, is_eager=True,
                 help="Config file (default: $PRWATCH_CONFIG, else ./config.toml)."),
    click.option("-v", "--verbose", count=True, expose_value=False, callback=_add_verbose,
                 help="More log output; -vv for debug."),
    click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                 help="Print only results and errors (no progress bar, no tables)."),
)


def global_options(f: F) -> F:
    for option in reversed(GLOBAL_OPTIONS):
        f = option(f)
    return f


def command(group: click.Group | None = None, name: str | None = None, **kw: Any) -> Callable[[F], click.Command]:
    """A command with the global options, registered on `group` (or returned for the root)."""
    def wrap(f: F) -> click.Command:
        f = global_options(f)
        return cast(click.Command, (group.command(name, **kw) if group else click.command(name, **kw))(f))
    return wrap


def group(name: str, **kw: Any) -> Callable[[F], click.Group]:
    """A command group with the global options (`prwatch feeds -v list` works too)."""
    def wrap(f: F) -> click.Group:
        make = cast(Callable[[F], click.Group], click.group(name, **kw))
        return make(global_options(f))
    return wrap


def with_logging(command_name: str) -> Settings:
    """Settings loaded, logging set up from them and the -q/-v of this invocation."""
    from monitor.app.logs import configure_logging

    g = state()
    settings = g.settings()
    configure_logging(settings, command_name, g.verbose, quiet=g.quiet)
    return settings


def open_store(settings: Settings) -> Store:
    from storage.sql.engine import open_store as open_

    return open_(settings.storage.url)


@contextmanager
def settings_and_store(command_name: str) -> Iterator[tuple[Settings, Store]]:
    """The settings (logging set up) and an open store, disposed of however the command ends."""
    settings = with_logging(command_name)
    store = open_store(settings)
    try:
        yield settings, store
    finally:
        store.dispose()


@contextmanager
def settings_and_health_source(command_name: str) -> Iterator[tuple[Settings, HealthSource]]:
    """As settings_and_store, for a command that only reads the health view: on a SQLite file
    at the current schema through sqlite3 alone (storage.sql.sqlite_health), which starts in
    a fraction of SQLAlchemy's import; otherwise the store itself."""
    from storage.sql.sqlite_health import open_sqlite_health

    settings = with_logging(command_name)
    source: HealthSource = open_sqlite_health(settings.storage.url) or open_store(settings)
    try:
        yield settings, source
    finally:
        source.dispose()


def check_feed_names(store: Store, settings: Settings, names: tuple[str, ...]) -> None:
    """Each name is a feed of the config or the database, else one line with the nearest one."""
    from monitor.config_schema import did_you_mean

    known = {f.name for f in settings.feeds}
    with store.transaction() as tx:
        known |= {f.name for f in tx.feeds.all()}
    for name in names:
        if name not in known:
            raise click.BadParameter(f"no feed named {name!r}{did_you_mean(name, known)}; "
                                     "`prwatch feeds list` shows them", param_hint="--feed")


# ---------------------------------------------------------------- output

def console() -> Console:
    """Standard output as rich sees it. Markup, emoji codes and highlighting are off: text
    from feeds (names, titles, URLs, errors) is printed as it is, never read as `[markup]`
    (no MarkupError, no terminal hyperlink from a feed), styles go through `style=`. When
    standard output is no terminal, a PlainConsole prints the lines rich would print
    unchanged without importing rich (monitor.app.cli.plain), and hands it the others."""
    from monitor.app.cli.plain import PlainConsole, plain_is_enough, rich_console

    if plain_is_enough():
        return cast("Console", PlainConsole())  # stands in for the rich calls of plain output
    return rich_console()


_UNSAFE = {c: "\ufffd" for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0),
                                    *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def clean(value: object) -> str:
    """A string from outside made safe for a terminal: control characters (ESC sequences,
    carriage returns, OSC 8 hyperlinks) and bidirectional overrides become U+FFFD."""
    return ("" if value is None else str(value)).translate(_UNSAFE)


def untrusted(value: object, style: str = "") -> Text:
    """A rich cell holding text from outside: cleaned, never parsed as markup."""
    from rich.text import Text

    return Text(clean(value), style=style)


def print_json(obj: Any, *, indent: int | None = 2) -> None:
    """One JSON document on standard output (a closed pipe is handled by the entry point)."""
    sys.stdout.write(json.dumps(obj, indent=indent, ensure_ascii=False, default=str) + "\n")


def say(message: str) -> None:
    """A line for people (skipped with -q): what was done."""
    if not state().quiet:
        console().print(clean(message), soft_wrap=True)


# ---------------------------------------------------------------- shell completion of names

def _completion_settings(ctx: click.Context) -> Settings | None:
    """The config during completion (--config if typed already); None when it does not load."""
    from monitor.config import config_path, load_settings
    from monitor.errors import PrwatchError

    g = ctx.find_root().obj if isinstance(ctx.find_root().obj, Global) else Global()
    try:
        return load_settings(config_path(g.config))
    except PrwatchError:
        return None


def complete_feed_names(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    """Feed names from the config and the database, for `--feed` and `feeds remove`."""
    settings = _completion_settings(ctx)
    if settings is None:
        return []
    names = {f.name for f in settings.feeds}
    try:
        store = open_store(settings)
        try:
            with store.transaction() as tx:
                names |= {f.name for f in tx.feeds.all()}
        finally:
            store.dispose()
    except Exception:  # noqa: BLE001 - completion offers what it can, never an error
        pass
    return sorted(n for n in names if n.startswith(incomplete))


def complete_topic_ids(ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    settings = _completion_settings(ctx)
    return [t.id for t in settings.topics if t.id.startswith(incomplete)] if settings else []


# ---------------------------------------------------------------- argument types

class IsoDate(click.ParamType[date]):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)) if len(str(value)) == 10 else date.fromisoformat("x")
        except ValueError as e:
            why = "" if "Invalid isoformat" in str(e) else f" ({e})"
            self.fail(f"must be YYYY-MM-DD{why}, got {value!r}", param, ctx)


class Days(click.ParamType[float]):
    """A finite number of days from 0 to 100 years (nan, inf and -1 are refused)."""

    name = "DAYS"
    MAX = 36_600.0

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            days = float(value)
        except (TypeError, ValueError):
            self.fail(f"must be a number of days, got {value!r}", param, ctx)
        if not math.isfinite(days) or not 0 <= days <= self.MAX:
            self.fail(f"must be a number of days from 0 to {self.MAX:g}, got {value!r}", param, ctx)
        return days
