"""Log output: to standard error, as text lines or (`[logging] format = "json"`) one JSON
object per line for journald, ELK and other collectors that index fields.

The daemon logs at the configured level; one-off commands print their own summary, so they
log only errors unless -v asks for more. httpx logs every request at INFO, which repeats
prwatch's own line per feed; -vv shows it.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from monitor.config import Settings

_HANDLER_MARK = "_prwatch_handler"


class JsonFormatter(logging.Formatter):
    """{"time": ISO-8601 UTC, "level", "logger", "message"} plus "exception" when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def configure_logging(settings: Settings, command: str, verbose: int, *, quiet: bool = False) -> None:
    """One handler on the root logger (replacing the one a previous call installed)."""
    if verbose >= 2:
        level = "DEBUG"
    elif verbose == 1:
        level = "INFO"
    elif quiet or command != "run":
        level = "ERROR"
    else:
        level = settings.log_level.upper()
    root = logging.getLogger()
    for h in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # also for loggers that set a lower level of their own
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json"
                         else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.NOTSET if verbose >= 2 else logging.WARNING)
