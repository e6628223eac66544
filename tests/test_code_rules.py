"""The rules that keep the code's shape, checked with the rest of the suite (so CI enforces
them): the import contracts (pyproject.toml [tool.importlinter]: the domain and analysis know
nothing of storage or digests, storage knows only monitor.domain and monitor.errors, only the
composition root builds a concrete store, no SQLAlchemy outside storage.sql), mypy --strict
and ruff with the configuration in pyproject.toml, and no function-local import that hides a
cycle."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("monitor", "storage", "digests")
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():  # installed with the test extra; say so rather than skip a rule silently
        found = shutil.which(name)
        assert found, f"{name} is not installed: pip install -e '.[test]'"
        return found
    return str(path)


def run(*cmd: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)


def test_the_import_contracts_hold() -> None:
    out = run(tool("lint-imports"), "--no-cache")
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]


def test_mypy_strict_is_clean() -> None:
    out = run(tool("mypy"))
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]


def test_ruff_is_clean() -> None:
    out = run(tool("ruff"), "check", "--no-cache")
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_function_local_import_hides_a_cycle() -> None:
    """A first-party import inside a function is allowed only where importing it at the top
    would not make a cycle: lazy imports for start-up speed, never a dodge."""
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph(*PACKAGES)
    dodges = []
    for path in sorted(p for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")):
        me = _module(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for imp in ast.walk(node):
                if not (isinstance(imp, ast.ImportFrom) and imp.level == 0 and imp.module
                        and imp.module.split(".")[0] in PACKAGES):
                    continue
                for target in [imp.module, *(f"{imp.module}.{a.name}" for a in imp.names)]:
                    if target != me and target in graph.modules and graph.chain_exists(importer=target, imported=me):
                        dodges.append(f"{path.relative_to(REPO)}:{imp.lineno} imports {target}, which imports {me}")
                        break
    assert dodges == []
