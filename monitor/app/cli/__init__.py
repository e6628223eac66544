"""The `prwatch` command.

Each module of this package that has a list `COMMANDS` (click commands or groups) adds
them; a new command group is a new module, nothing else to register. Modules are loaded
when a command is asked for: first the one named after it (`prwatch status`: status.py),
and only if the command is not there all of them (as for --help and shell completion).
Imports inside the commands are lazy too: `prwatch fetch` on a warm cache is dominated by
start-up when nothing changed, so a command loads only what it uses.

Exit status: 0 success, 1 the command failed, 2 bad arguments or a bad config (one line
naming what is wrong), 130 interrupted (Ctrl-C), 141 the reader of the output went away
(`| head`). No user error prints a traceback; an unexpected one says how to see it (-vv).
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import click

from monitor.app.cli.base import EXIT_FAIL, EXIT_INTERRUPTED, EXIT_OK, EXIT_PIPE, EXIT_USAGE, Global, global_options
from monitor.errors import ConfigError, PrwatchError, StorageError

# click >= 8.2 raises this for a group called without a command (older ones print the help)
_NoArgsIsHelp: type[click.UsageError] = getattr(click.exceptions, "NoArgsIsHelpError",
                                                type("_Never", (click.UsageError,), {}))


class _ReaderGone(Exception):
    """Standard output's reader went away during a command (click would make that exit 1)."""


class PrwatchGroup(click.Group):
    """The root group: finds a command in its module, runs it and turns every way it can end
    into an exit status."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and not _load(cmd_name):
            _load_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        _load_all()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as e:  # a long output (an export) meets the closed pipe before the end
            raise _ReaderGone from e

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        def invoke() -> Any:
            return super(PrwatchGroup, self).main(args, prog_name or "prwatch", complete_var,
                                                  standalone_mode=False, **extra)
        code = run_guarded(invoke)
        if standalone_mode:
            sys.exit(code)
        return code


def run_guarded(invoke: Callable[[], Any]) -> int:
    """Run a command; map its result and every error to an exit status and one line on stderr."""
    try:
        result = invoke()
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return result if isinstance(result, int) else EXIT_OK
    except _NoArgsIsHelp as e:  # `prwatch` or `prwatch feeds` alone: the help, as a usage error
        click.echo(e.format_message())
        return EXIT_USAGE
    except click.UsageError as e:  # bad arguments: exit 2
        where = e.ctx.command_path if e.ctx else "prwatch"
        _error(f"{_one_line(e.format_message())} (see `{where} --help`)", where=where)
        return EXIT_USAGE
    except click.exceptions.Exit as e:  # --help, --version
        return e.exit_code
    except click.Abort as e:  # click turns Ctrl-C into Abort
        if isinstance(e.__cause__, KeyboardInterrupt):
            _interrupted()
        _error("interrupted")
        return EXIT_INTERRUPTED
    except ConfigError as e:
        _error(f"config error: {e}")
        return EXIT_USAGE
    except StorageError as e:
        _error(f"database error: {e}")
        return EXIT_FAIL
    except PrwatchError as e:
        _error(str(e))
        return EXIT_FAIL
    except (BrokenPipeError, _ReaderGone):
        _silence_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        _interrupted()
    except OSError as e:  # a file or folder the user named: say which and why
        where = f" {e.filename}" if e.filename else ""
        _error(f"cannot use{where}: {e.strerror or e}")
        return EXIT_FAIL
    except Exception as e:  # noqa: BLE001 - a bug: one line, the traceback with -vv
        from monitor.app.cli.base import state

        if click.get_current_context(silent=True) and state().verbose >= 2:
            raise
        _error(f"internal error: {e.__class__.__name__}: {_one_line(str(e))} "
               "(run again with -vv for the traceback, and please report it)")
        return EXIT_FAIL


def _interrupted() -> NoReturn:
    """Ctrl-C: exit 130 at once. The poll has already rolled back what was in flight and
    released its claims; fetch threads still blocked in a read would hold a normal exit until
    their timeout."""
    _error("interrupted")
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        pass
    sys.stderr.flush()
    os._exit(EXIT_INTERRUPTED)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(message: str, where: str = "prwatch") -> None:
    from monitor.app.cli.base import clean

    try:
        print(f"{where}: {clean(message)}", file=sys.stderr)
    except (BrokenPipeError, ValueError):
        pass


def _silence_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null so the final flush raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


@click.group("prwatch", cls=PrwatchGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="prwatch", prog_name="prwatch", message="%(prog)s %(version)s")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Monitor press-release wires: poll feeds, match topics, extract figures and milestones,
    write Markdown digests."""
    ctx.ensure_object(Global)


def _load(command_name: str) -> bool:
    """Add the commands of the module named after `command_name`; True if that one is among them."""
    name = command_name.replace("-", "_")
    if name.startswith("_") or not name.isidentifier() or importlib.util.find_spec(f"{__name__}.{name}") is None:
        return False
    _add(name)
    return command_name in cli.commands


def _load_all() -> None:
    import pkgutil  # only for --help, completion and commands not in a module of their name

    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            _add(info.name)


def _add(module_name: str) -> None:
    module = importlib.import_module(f"{__name__}.{module_name}")
    for command in getattr(module, "COMMANDS", ()):
        cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line `argv` (default: sys.argv) and return the exit status."""
    code: int = cli.main(args=list(argv) if argv is not None else None, standalone_mode=False)
    return code


def program() -> NoReturn:
    """The `prwatch` executable: main() on sys.argv, then exit.

    Everything still alive is frozen out of the garbage collector first: the interpreter's
    last collection at exit would otherwise walk every object of every module loaded
    (SQLAlchemy's alone make it 0.1-0.15 s of a `prwatch status`) only to free memory the
    process is about to give back. Nothing is lost: objects are still finalised as their
    modules are torn down, and what needs closing (the store, logging, standard output)
    has been closed or flushed by then."""
    code = main()
    gc.freeze()
    sys.exit(code)
