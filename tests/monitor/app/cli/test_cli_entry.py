"""The command line as people use it: --version, global options before or after the
command, exit codes (0 ok, 1 failed, 2 bad arguments or config), one line per user error
and never a traceback."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from procs import PRWATCH

from monitor.config import Settings


def test_version(prwatch: Callable[..., Result]) -> None:
    r = prwatch("--version")
    assert r.exit_code == 0 and r.stdout.startswith("prwatch ")


@pytest.mark.parametrize("args", [
    ["--config", "{cfg}", "status", "--json"],
    ["status", "--config", "{cfg}", "--json"],
    ["-v", "status", "--json", "--config", "{cfg}"],
    ["status", "-v", "--config", "{cfg}", "--json"],
    ["--config", "{cfg}", "topics", "list", "-q"],
    ["topics", "--config", "{cfg}", "list"],
])
def test_global_options_are_accepted_before_or_after_the_command(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], args: list[str]) -> None:
    cfg = str(write_config().path)
    r = prwatch(*[a.format(cfg=cfg) for a in args])
    assert r.exit_code in (0, 1), r.output  # status exits 1 while no daemon polls
    assert "Error" not in r.stderr and "no such option" not in r.stderr


@pytest.mark.parametrize(("args", "words"), [
    (["digest", "--date", "garbage"], "--date': must be YYYY-MM-DD, got 'garbage'"),
    (["digest", "--date", "2025-13-01"], "must be YYYY-MM-DD (month must be in 1..12), got '2025-13-01'"),
    (["digest", "--period", "fortnight"], "'fortnight' is not one of 'day', 'week', 'month'"),
    (["fetch", "--feed", "Kazinfrom"], "no feed named 'Kazinfrom' (did you mean `Kazinform`?)"),
    (["purge", "--older-than", "-1"], "must be a number of days from 0 to"),
    (["purge", "--older-than", "nan"], "must be a number of days from 0 to"),
    (["purge", "--older-than", "inf"], "must be a number of days from 0 to"),
    (["purge"], "Missing option '--older-than'"),
    (["fetch", "--bogus"], "No such option '--bogus'"),
    (["fecth"], "No such command 'fecth'"),
    (["digest", "--topic", "nope"], "no topic with id 'nope'"),
])
def test_bad_arguments_exit_2_with_one_line_and_write_nothing(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], tmp_path: Path,
        args: list[str], words: str) -> None:
    settings = write_config([("Kazinform", "https://en.inform.kz/rss/")])
    db = tmp_path / "prwatch.db"
    before = db.stat().st_mtime_ns if db.exists() else None
    r = prwatch("--config", str(settings.path), *args)
    assert r.exit_code == 2, r.output
    assert words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""
    assert not settings.digests.directory.exists()
    assert (db.stat().st_mtime_ns if db.exists() else None) == before or args[0] == "fetch"


@pytest.mark.parametrize(("toml", "message"), [
    ('[digests]\nperiod = ["week"]\n', "digests.period: unknown key (did you mean `periods`?)"),
    ('[digests]\nschedule = "99 7 * * *"\n', "digests.schedule: minute: 99 is above 59; got '99 7 * * *' "
                                             "(e.g. '0 7 * * *': 07:00 every day)"),
    ("[poll]\nmax_body_mib = inf\n", "poll.max_body_mib: must be a finite number from 0.001 to 1024; got inf"),
])
def test_a_bad_config_exits_2_naming_the_dotted_key_and_the_fix(
        prwatch: Callable[..., Result], tmp_path: Path, toml: str, message: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(toml)
    for command in (["fetch"], ["digest"], ["run", "--once"], ["status"], ["feeds", "list"], ["config", "check"]):
        r = prwatch("--config", str(cfg), *command)
        assert r.exit_code == 2
        assert r.stderr.strip() == f"prwatch: config error: {message}"
    assert not (tmp_path / "prwatch.db").exists()


def test_a_missing_config_says_how_to_choose_one(prwatch: Callable[..., Result], tmp_path: Path) -> None:
    r = prwatch("status")
    assert r.exit_code == 2 and "config file not found" in r.stderr and "--config PATH" in r.stderr


def test_a_closed_pipe_is_not_an_error(write_config: Callable[..., Settings], tmp_path: Path) -> None:
    """`prwatch status --json | head -4` with more output than a pipe holds."""
    settings = write_config([(f"feed {i}", f"https://example.org/{i}.xml") for i in range(400)])
    out = subprocess.run(f"'{PRWATCH}' --config '{settings.path}' status --json | head -4", shell=True,
                         capture_output=True, text=True, timeout=60, executable="/bin/bash")
    assert out.stdout.count("\n") == 4
    assert out.stderr == ""


def test_the_executable_exits_with_the_commands_status(write_config: Callable[..., Settings]) -> None:
    """`prwatch` (monitor.app.cli:program) exits as main() returns: status 1 while no daemon
    polls, with its whole JSON written; 2 for a command that does not exist."""
    settings = write_config([("a", "https://a.example/rss")])
    status = subprocess.run([PRWATCH, "--config", str(settings.path), "status", "--json"], capture_output=True,
                            text=True, timeout=60)
    assert status.returncode == 1 and '"health": "stale"' in status.stdout and status.stdout.endswith("}\n")
    unknown = subprocess.run([PRWATCH, "--config", str(settings.path), "nosuch"], capture_output=True, text=True,
                             timeout=60)
    assert unknown.returncode == 2 and "No such command 'nosuch'" in unknown.stderr


def test_an_unwritable_export_target_is_one_line(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], tmp_path: Path) -> None:
    cfg = str(write_config([("a", "https://a.example/rss")]).path)
    r = prwatch("--config", cfg, "feeds", "export", "-o", str(tmp_path / "nonexistent" / "dir" / "x.opml"))
    assert r.exit_code == 1
    assert "the folder" in r.stderr and "does not exist" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize("args", [[], ["feeds"], ["db"]])
def test_a_group_without_a_command_prints_its_help_and_exits_2(prwatch: Callable[..., Result],
                                                               args: list[str]) -> None:
    r = prwatch(*args)
    assert r.exit_code == 2 and r.stdout.startswith("Usage: prwatch") and "Commands:" in r.stdout


def test_postgresql_without_its_driver_says_which_extra_to_install(
        prwatch: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("monitor.config._installed", lambda module: module != "psycopg")
    (tmp_path / "config.toml").write_text('[storage]\nurl = "postgresql://prwatch@db.example/prwatch"\n')
    r = prwatch("status")
    assert r.exit_code == 2
    assert "PostgreSQL needs the psycopg driver" in r.stderr and "prwatch[postgres]" in r.stderr
    assert "Traceback" not in r.stderr and "ModuleNotFoundError" not in r.stderr
