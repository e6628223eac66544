"""Commands load only what they use (the model is reader's tests/test_lazy_imports.py): each
runs in a fresh interpreter, which then lists the modules it imported."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# slow to import, and needed only by some commands
LAZY = frozenset({"monitor.analysis.extract", "feedparser", "httpx", "apscheduler", "alembic", "lxml", "bs4",
                  "apprise", "feedgen", "markdown_it", "digests", "multiprocessing"})

CODE = """
import sys
from monitor.app.cli import main
try:
    main({argv!r})
except SystemExit:
    pass
print("MODULES", *sys.modules)
"""


def all_imported_by(argv: list[str], cwd: Path) -> set[str]:
    """Every module in sys.modules once the command `argv` has run in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(CODE.format(argv=argv))], capture_output=True,
                          text=True, timeout=60, cwd=cwd, env=env)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES ")), None)
    assert line is not None, proc.stderr
    return set(line.split()[1:])


def within(modules: set[str], packages: Iterable[str]) -> set[str]:
    """The modules that are one of `packages` or inside one."""
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


def imported_by(argv: list[str], cwd: Path) -> set[str]:
    return within(all_imported_by(argv, cwd), LAZY)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A config with a database already at the current schema (as every run after the first)."""
    (tmp_path / "config.toml").write_text('[storage]\nurl = "sqlite:///p.db"\n[digests]\ndirectory = "d"\n',
                                          encoding="utf-8")
    subprocess.run([sys.executable, "-c", "from monitor.app.cli import main; main(['db', 'upgrade'])"], cwd=tmp_path,
                   env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, check=True, timeout=60)
    return tmp_path


@pytest.mark.parametrize("argv, expected", [
    (["status", "--json"], set()),
    (["feeds", "list"], set()),
], ids=["status", "feeds list"])
def test_only_expected_slow_modules_are_imported(project: Path, argv: list[str], expected: set[str]) -> None:
    assert imported_by(["--config", "config.toml", *argv], project) <= expected


def test_a_fetch_of_no_feed_loads_no_http_client_parser_worker_pool_or_migration(project: Path) -> None:
    loaded = imported_by(["--config", "config.toml", "fetch"], project)
    assert {m for m in loaded if m != "digests" and not m.startswith("digests.")} == set()  # it writes digests


def test_the_check_itself_sees_a_command_that_loads_the_extractor(project: Path, tmp_path: Path) -> None:
    (tmp_path / "release.txt").write_text("Trade reached $41 billion in 2023.\n", encoding="utf-8")
    assert "monitor.analysis.extract" in imported_by(["--config", "config.toml", "extract", "--json", "release.txt"],
                                                     project)


def test_status_on_sqlite_reads_through_sqlite3_without_sqlalchemy_or_the_extractor(project: Path) -> None:
    loaded = all_imported_by(["--config", "config.toml", "status", "--json"], project)
    assert {"sqlite3", "storage.sql.sqlite_health"} <= loaded  # it did read the database
    assert within(loaded, ["sqlalchemy", "storage.sql.engine", "monitor.analysis.extract"]) == set()


def test_status_that_the_light_reader_does_not_serve_reads_through_the_store_on_core(project: Path) -> None:
    config = project / "config.toml"  # URL options are the store's to read: it serves this one
    config.write_text(config.read_text(encoding="utf-8").replace("p.db", "p.db?timeout=5"), encoding="utf-8")
    loaded = all_imported_by(["--config", "config.toml", "status", "--json"], project)
    assert "sqlalchemy" in loaded
    assert within(loaded, ["sqlalchemy.orm", "storage.sql.models", "monitor.analysis.extract"]) == set()


def test_a_fetch_of_no_feed_records_its_run_and_writes_digests_on_core_without_the_orm_or_rich(project: Path) -> None:
    loaded = all_imported_by(["--config", "config.toml", "fetch"], project)
    assert {"sqlalchemy", "storage.sql.polls", "storage.sql.digests", "digests.write"} <= loaded  # it did write
    assert within(loaded, ["sqlalchemy.orm", "storage.sql.models", "monitor.ingest.pipeline", "rich"]) == set()


def test_the_check_itself_sees_a_command_that_writes_through_the_orm(project: Path) -> None:
    loaded = all_imported_by(["--config", "config.toml", "feeds", "add", "--no-check", "https://example.com/feed"],
                             project)  # adds the feed through the session
    assert {"sqlalchemy.orm", "storage.sql.models"} <= loaded
