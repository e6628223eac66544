"""Start-up cost of the commands that do little: a `prwatch fetch` of no feed and `prwatch
status`, on an existing SQLite database at the current schema, as a user runs them.

    .venv/bin/python benchmarks/bench_startup.py [--runs 20] [--prwatch .venv/bin/prwatch]

Each command runs `--runs` times, interleaved (fetch, status, fetch, ...), after one warm-up
run of each; prints the median and min-max of wall and CPU seconds (user + system of the
process), how many modules it loaded (sys.modules at the end of a run of the same command)
and the load average, since a busy machine inflates every figure. The bars of start-up
are a median <= 0.35 s for the fetch and <= 0.3 s for status.

prwatch's own modules are compiled to bytecode first (compileall, as `pip install` does for
an installed copy): an editable checkout under PYTHONDONTWRITEBYTECODE=1 would otherwise
compile them again in every run. `--no-compile` measures the checkout as it is.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMANDS = {"fetch (0 feeds)": ["fetch"], "status": ["status", "--json"]}
CONFIG = '[storage]\nurl = "sqlite:///prwatch.db"\n[digests]\ndirectory = "digests"\n'


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--prwatch", default=str(REPO / ".venv" / "bin" / "prwatch"))
    ap.add_argument("--no-compile", action="store_true", help="do not compile prwatch's modules to bytecode first")
    args = ap.parse_args()
    if not args.no_compile:
        compile_bytecode(Path(args.prwatch).parent / "python")
    work = Path(tempfile.mkdtemp(prefix="prwatch_bench_startup_"))
    try:
        (work / "config.toml").write_text(CONFIG, encoding="utf-8")
        subprocess.run([args.prwatch, "db", "upgrade"], cwd=work, check=True, capture_output=True)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
        for argv in COMMANDS.values():
            run(args.prwatch, argv, work)  # warm-up: the page cache, the first fetch's run records
        load_before = os.getloadavg()
        for _ in range(args.runs):
            for name, argv in COMMANDS.items():
                times[name].append(run(args.prwatch, argv, work))
        load_after = os.getloadavg()
        print(f"{args.runs} runs each, interleaved; load average {_load(load_before)} before, "
              f"{_load(load_after)} after")
        for name, argv in COMMANDS.items():
            wall = [w for w, _ in times[name]]
            cpu = [c for _, c in times[name]]
            print(f"  {name:16s} wall {statistics.median(wall):.3f} s ({min(wall):.3f}-{max(wall):.3f})  "
                  f"cpu {statistics.median(cpu):.3f} s ({min(cpu):.3f}-{max(cpu):.3f})  "
                  f"{modules(args.prwatch, argv, work)} modules")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def compile_bytecode(python: Path) -> None:
    """Bytecode of the monitor, storage and digests packages in their __pycache__ folders."""
    folders = [str(REPO / name) for name in ("monitor", "storage", "digests")]
    subprocess.run([str(python if python.exists() else sys.executable), "-m", "compileall", "-q", *folders],
                   check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    print("prwatch's modules compiled to bytecode (as installed); --no-compile to measure without")


def run(prwatch: str, argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one run (status exits 1 when no daemon polled: that is fine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([prwatch, *argv], cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1) or "Traceback" in proc.stderr:
        raise SystemExit(f"prwatch {' '.join(argv)} failed ({proc.returncode}): {proc.stderr}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def modules(prwatch: str, argv: list[str], cwd: Path) -> int:
    """How many modules the command has loaded when it ends (sys.modules of a fresh
    interpreter; -X importtime would miss those loaded through importlib.import_module)."""
    python = Path(prwatch).parent / "python"
    code = (f"import sys\nfrom monitor.app.cli import main\nmain({argv!r})\n"
            "print('MODULES', len(sys.modules), file=sys.stderr)")
    proc = subprocess.run([str(python if python.exists() else sys.executable), "-c", code],
                          cwd=cwd, capture_output=True, text=True)
    line = next(ln for ln in proc.stderr.splitlines() if ln.startswith("MODULES "))
    return int(line.split()[1])


def _load(avg: tuple[float, float, float]) -> str:
    return " ".join(f"{x:.2f}" for x in avg)


if __name__ == "__main__":
    raise SystemExit(main())
