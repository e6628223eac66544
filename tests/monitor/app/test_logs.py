"""What the log shows: the daemon logs one line per feed at info, not httpx's line per request;
`[logging] format = "json"` gives one JSON object per line."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from monitor.app.logs import configure_logging as _logging
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


def test_json_format_writes_one_object_per_line(write_config: Callable[..., Settings],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import json

    _logging(write_config(extra='[logging]\nlevel = "info"\nformat = "json"\n'), "run", 0)
    logging.getLogger("prwatch.poll").info("feed %s: updated", "Wire [A]")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("prwatch.daemon").exception("poll failed")
    lines = capsys.readouterr().err.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "info" and first["logger"] == "prwatch.poll" and first["message"] == "feed Wire [A]: updated"
    assert first["time"].endswith("+00:00")
    assert second["level"] == "error" and "ValueError: boom" in second["exception"]
