"""Peak memory of a first poll against the number of feeds: every process of the tree.

    .venv/bin/python benchmarks/bench_poll_memory.py --n 2000 --n 5000 [--m 20] [--work DIR]

For each N: the shared bench corpus of N feeds x M items (/work/shared/bench, or $BENCH_DIR;
made once per N under --work), served by the bench's serve.py on 127.0.0.1, and one
`prwatch fetch --no-digest` on a fresh SQLite database with the project's config.toml
(its topics and [poll] settings; feeds, database and digest folder replaced). While it runs,
/proc is sampled every 50 ms for every process of its tree; printed per N: the peak RSS of
the largest single process (the bar: at most 150 MB), the peak RSS of each process, the
peak of the tree's summed PSS, wall seconds and the releases stored.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tree_memory import field_kb, tree  # noqa: E402 - the sampler this folder already has

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("BENCH_DIR", "/work/shared/bench"))


def corpus(work: Path, n: int, m: int) -> Path:
    out = work / f"corpus_n{n}_m{m}"
    if not (out / "manifest.json").exists():
        subprocess.run([sys.executable, str(BENCH / "make_corpus.py"), "--out", str(out), "--n", str(n),
                        "--m", str(m), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def write_config(folder: Path, project: dict, feeds: list[str], port: int) -> Path:
    """The project's config with the bench feeds, a fresh database and digest folder."""
    lines = [f'[storage]\nurl = "sqlite:///{folder / "prwatch.db"}"\n', f'[digests]\ndirectory = "{folder / "digests"}"\n']
    poll = dict(project.get("poll", {}), allow_private_addresses=True)
    lines.append("[poll]\n" + "\n".join(f"{k} = {toml_value(v)}" for k, v in poll.items()) + "\n")
    for name in feeds:
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "http://127.0.0.1:{port}/feeds/{name}.xml"\n')
    for t in project.get("topics", []):
        lines.append("[[topics]]\n" + "\n".join(f"{k} = {toml_value(v)}" for k, v in t.items()) + "\n")
    path = folder / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(prwatch: str, config: Path) -> dict[str, object]:
    started = time.monotonic()
    proc = subprocess.Popen([prwatch, "--config", str(config), "fetch", "--no-digest", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    per: dict[int, int] = {}
    peak_pss = 0
    while proc.poll() is None:
        pids = tree(proc.pid)
        for pid in pids:
            per[pid] = max(per.get(pid, 0), rss_kb(pid))
        peak_pss = max(peak_pss, sum(field_kb(pid, "Pss:") for pid in pids))
        time.sleep(0.05)
    seconds = time.monotonic() - started
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    return {"exit": proc.returncode, "seconds": round(seconds, 1), "largest_mb": max(per.values()) // 1024,
            "per_process_mb": sorted((kb // 1024 for kb in per.values()), reverse=True),
            "tree_pss_mb": peak_pss // 1024, "stderr": err[-500:]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, action="append", help="number of feeds (repeatable); default 2000 and 5000")
    ap.add_argument("--m", type=int, default=20, help="items per feed")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "prwatch_bench_memory"))
    ap.add_argument("--prwatch", default=str(ROOT / ".venv" / "bin" / "prwatch"))
    ap.add_argument("--project-config", default=str(ROOT / "config.toml"))
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    project = tomllib.loads(Path(args.project_config).read_text(encoding="utf-8"))
    for n in args.n or [2000, 5000]:
        root = corpus(work, n, args.m)
        port = free_port()
        server = subprocess.Popen([sys.executable, str(BENCH / "serve.py"), "--root", str(root), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)
            run = Path(tempfile.mkdtemp(prefix=f"n{n}_", dir=work))
            feeds = sorted(p.stem for p in (root / "feeds").glob("*.xml"))
            result = measure(args.prwatch, write_config(run, project, feeds, port))
            with sqlite3.connect(run / "prwatch.db") as db:
                stored = db.execute("SELECT count(*) FROM releases").fetchone()[0]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(10)
        print(f"N={n} M={args.m}: exit {result['exit']}, {result['seconds']} s, {stored:,} releases; largest process "
              f"{result['largest_mb']} MB RSS (per process {result['per_process_mb']}); tree PSS {result['tree_pss_mb']} MB")
        if result["exit"]:
            print(result["stderr"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
