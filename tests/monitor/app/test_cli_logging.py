"""What the log shows: the daemon logs one line per feed at info, not httpx's line per request."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from monitor.app.cli import _logging
from monitor.config import Settings


@pytest.fixture(autouse=True)
def _restore_levels() -> Iterator[None]:
    names = ("", "httpx")
    before = {n: logging.getLogger(n).level for n in names}
    yield
    for n, level in before.items():
        logging.getLogger(n).setLevel(level)


def test_the_daemon_at_info_leaves_httpx_request_lines_out(write_config: Callable[..., Settings]) -> None:
    _logging(write_config(extra='[logging]\nlevel = "info"\n'), "run", 0)
    assert logging.getLogger("prwatch.poll").isEnabledFor(logging.INFO)
    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)


def test_very_verbose_shows_every_request(write_config: Callable[..., Settings]) -> None:
    _logging(write_config(), "fetch", 2)
    assert logging.getLogger("httpx").isEnabledFor(logging.DEBUG)
