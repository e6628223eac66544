"""Getting started and checking: `prwatch init`, `prwatch config check`, `prwatch completion`."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

import click

from monitor.app.cli.base import EXIT_OK, clean, command, console, group, print_json, say, state
from monitor.errors import PrwatchError

SAMPLE_FEED = Path("feeds") / "sample-wire.xml"


@command(name="init")
@click.argument("directory", default=".", metavar="[DIR]")
def init(directory: str) -> int:
    """Write a commented config.toml and a sample feed into DIR (default: here)."""
    folder = Path(directory).expanduser().resolve()
    config = folder / "config.toml"
    feed = folder / SAMPLE_FEED
    for target in (config, feed):
        if target.exists():
            raise PrwatchError(f"{target} already exists; nothing was written (choose another folder, "
                               "or move the file away)")
    if folder.exists() and not folder.is_dir():
        raise PrwatchError(f"{folder} is not a folder")
    from importlib import resources  # only here: it costs every other command 18 ms of start-up

    templates = resources.files("monitor.app") / "templates"
    try:
        feed.parent.mkdir(parents=True, exist_ok=True)
        feed.write_bytes((templates / "sample-wire.xml").read_bytes())
        config.write_text((templates / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as e:
        raise PrwatchError(f"cannot write into {folder}: {e.strerror or e}") from None
    say(f"wrote {config} and {feed}")
    here = "" if folder == Path.cwd() else f"cd {clean(str(folder))} && "
    say(f"next: {here}prwatch config check && prwatch fetch")
    return EXIT_OK


@group("config")
def config() -> None:
    """Config tools (check)."""


@command(config, name="check")
@click.option("--json", "as_json", is_flag=True, help="Print the resolved settings as one JSON object.")
def check(as_json: bool) -> int:
    """Validate the config and print the settings it resolves to (paths made absolute)."""
    settings = state().settings()  # a problem exits 2 naming the key
    resolved = resolved_settings(settings)
    if as_json:
        print_json(resolved)
        return EXIT_OK
    out = console()
    out.print(f"{settings.path}: OK", style="green", soft_wrap=True)
    for section, values in resolved.items():
        if section in ("config", "feeds", "topics"):
            continue
        for key, value in values.items():
            out.print(clean(f"{section}.{key} = {json.dumps(value, ensure_ascii=False)}"), soft_wrap=True)
    for f in resolved["feeds"]:
        out.print(clean(f"feed {f['name']!r}: {f['url']}" + (" (full text)" if f["full_text"] else "")),
                  soft_wrap=True)
    for t in resolved["topics"]:
        out.print(clean(f"topic {t['id']}: {t['title']}"), soft_wrap=True)
    return EXIT_OK


def resolved_settings(settings: Any) -> dict[str, Any]:
    """The settings as the code sees them: absolute paths, defaults filled in, no password."""
    from storage.sql.engine import safe_url

    poll = {f.name: getattr(settings.poll, f.name) for f in fields(settings.poll)}
    poll["max_body_mib"] = round(poll.pop("max_body_bytes") / 2**20, 3)
    return {
        "config": str(settings.path),
        "storage": {"url": safe_url(settings.storage.url)},
        "digests": {"directory": str(settings.digests.directory), "periods": list(settings.digests.periods),
                    "schedule": settings.digests.schedule, "timezone": settings.digests.timezone,
                    "write_empty": settings.digests.write_empty},
        "poll": poll,
        "logging": {"level": settings.log_level, "format": settings.log_format},
        "feeds": [{"name": f.name, "url": f.url, "full_text": f.full_text} for f in settings.feeds],
        "topics": [{"id": t.id, "title": t.title, "min_score": t.min_score} for t in settings.topics],
    }


@command(name="completion")
@click.argument("shell", type=click.Choice(("bash", "zsh", "fish")))
def completion(shell: str) -> int:
    """Print the shell completion script: eval "$(prwatch completion bash)" in ~/.bashrc
    (zsh: ~/.zshrc; fish: prwatch completion fish > ~/.config/fish/completions/prwatch.fish)."""
    from click.shell_completion import get_completion_class

    from monitor.app.cli import cli

    cls = get_completion_class(shell)
    assert cls is not None  # the three choices are click's own
    click.echo(cls(cli, {}, "prwatch", "_PRWATCH_COMPLETE").source())
    return EXIT_OK


COMMANDS = [init, config, completion]
