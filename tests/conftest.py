"""Shared fixtures: configs written to tmp_path, stores on SQLite and on the real PostgreSQL.

PostgreSQL tests use the server at $PRWATCH_TEST_PG_URL (default: 127.0.0.1:5432, database
test, user postgres) and create a throw-away database per test. When the server is not
reachable they fail, loudly: they are never skipped.
"""

from __future__ import annotations

import os
import textwrap
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from monitor.config import Settings, load_settings

PG_ADMIN_URL = os.environ.get("PRWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REPO = Path(__file__).resolve().parent.parent



def _toml_value(v: Any) -> str:
    import json

    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dict):  # an inline table: [topics.parties], each [[topics.measures]]
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(v, ensure_ascii=False)


def _topics_toml() -> str:
    """The [[topics]] of the shipped config.toml, so tests match what users get."""
    import tomllib

    topics = tomllib.loads((REPO / "config.toml").read_text(encoding="utf-8"))["topics"]
    return "\n".join("[[topics]]\n" + "\n".join(f"{k} = {_toml_value(v)}" for k, v in t.items())
                     for t in topics) + "\n"


TOPIC_TOML = _topics_toml()


@contextmanager
def _pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_ADMIN_URL)
    name = f"prwatch_t_{uuid.uuid4().hex[:10]}"
    conninfo = dict(host=admin.host, port=admin.port or 5432, user=admin.username, dbname=admin.database)
    try:
        conn = psycopg.connect(**conninfo, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as e:
        pytest.fail(f"PostgreSQL is required for this test and is not reachable at {PG_ADMIN_URL}: {e}")
    with conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with _pg_database() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per test module and backend, for tests that only read what a module
    fixture stored in it (filling a store once instead of once per test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'prwatch.db'}"
    else:
        with _pg_database() as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on the embedded SQLite file and on the real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'prwatch.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[..., Settings]:
    """Write a config.toml with the given feeds into tmp_path and load it."""

    def write(feeds: list[tuple[str, str]] | None = None, *, db_url: str | None = None, extra: str = "",
              topics: str = TOPIC_TOML, poll: str = "") -> Settings:
        lines = [f'[storage]\nurl = "{db_url or "sqlite:///prwatch.db"}"\n',
                 '[digests]\ndirectory = "digests"\n',
                 "[poll]\ninterval_minutes = 30\nallow_private_addresses = true\n" + textwrap.dedent(poll) + "\n",
                 extra]
        for name, url in feeds or []:
            lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n')
        lines.append(topics)
        path = tmp_path / "config.toml"
        path.write_text("\n".join(lines), encoding="utf-8")
        return load_settings(path)

    return write


@pytest.fixture
def prwatch(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Any]:
    """Run `prwatch ARGS...` through its real entry point (click's CliRunner on the root
    group, in tmp_path, without $PRWATCH_CONFIG): a Result with exit_code, stdout and stderr."""
    from click.testing import CliRunner

    from monitor.app.cli import cli

    monkeypatch.delenv("PRWATCH_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, input: str | None = None) -> Any:
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return run
