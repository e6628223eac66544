"""Data some tests read from ../shared (beside the checkout): feedparser's own test feeds.

It is not part of the repository. Without it those tests are skipped with a message naming
what is missing; with it (as in CI) they run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


def _missing(path: Path, what: str) -> str:
    return f"needs {what} at {path} (the ../shared folder beside the checkout)"


def shared_path(relative: str, what: str) -> Path:
    """`relative` under ../shared; skips the calling test when it is absent."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(_missing(path, what))
    return path


def shared_files(relative: str, pattern: str, what: str) -> list[Any]:
    """Parameters for pytest.mark.parametrize: the files matching `pattern` under ../shared,
    or one skipped parameter that says what is missing."""
    path = SHARED / relative
    files = sorted(path.rglob(pattern)) if path.is_dir() else []
    return files or [pytest.param(None, marks=pytest.mark.skip(reason=_missing(path, what)), id="missing")]
