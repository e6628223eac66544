"""Tests of monitor.extract.

Why this file does more than mark a package: pytest puts `tests/` on sys.path (the rootdir
conftest), where `tests/monitor/` is found as a namespace package `monitor` before the
editable install's finder runs. Python then resolves `monitor.extract` to *this* folder.
When imported under that name, load the real package in its place, so `monitor.extract`
is the product code for every test in the suite, not only these.
(Putting the repository root first on pytest's `pythonpath` would make this unnecessary.)
"""

from __future__ import annotations

if __name__ == "monitor.extract":  # pragma: no cover - depends on sys.path order
    import importlib.util
    import sys
    from pathlib import Path

    _real = Path(__file__).resolve().parents[3] / "monitor" / "extract"
    _spec = importlib.util.spec_from_file_location(
        "monitor.extract", _real / "__init__.py", submodule_search_locations=[str(_real)])
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["monitor.extract"] = _module
    _spec.loader.exec_module(_module)
