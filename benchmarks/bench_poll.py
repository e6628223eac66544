"""Time `prwatch fetch --no-digest` over N local feeds: first poll, all-304 poll, incremental poll.

    .venv/bin/python benchmarks/bench_poll.py [--n 500] [--latency-ms 50] [--profile DIR]

Uses the shared bench's corpus generator and feed server (../shared/bench: make_corpus.py,
serve.py; --bench-dir to point elsewhere), everything on 127.0.0.1. Each poll is one
`prwatch` process, as a user runs it; wall and CPU seconds (children included) and peak
RSS are printed per poll, with the server's request counters. `--profile DIR` runs each
poll under py-spy (if installed) and writes a flame graph per poll.

For the side-by-side comparison with reader, use ../shared/bench/run_bench.py; this script
is the quick loop for working on prwatch alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--m", type=int, default=20)
    ap.add_argument("--latency-ms", type=float, default=50.0)
    ap.add_argument("--bench-dir", default=str(REPO.parent / "shared" / "bench"))
    ap.add_argument("--prwatch", default=str(REPO / ".venv" / "bin" / "prwatch"))
    ap.add_argument("--config", default=str(REPO / "config.toml"), help="project config whose [poll] and topics are kept")
    ap.add_argument("--profile", metavar="DIR", help="py-spy flame graph per poll into DIR")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    bench = Path(args.bench_dir)
    work = Path(tempfile.mkdtemp(prefix="prwatch_bench_"))
    try:
        for rnd in (1, 2):
            subprocess.run([sys.executable, str(bench / "make_corpus.py"), "--out", str(work / f"r{rnd}"),
                            "--n", str(args.n), "--m", str(args.m), "--round", str(rnd)],
                           check=True, stdout=subprocess.DEVNULL)
        root = work / "serve_root"
        root.mkdir()
        (root / "feeds").symlink_to(work / "r1" / "feeds")
        server = subprocess.Popen([sys.executable, str(bench / "serve.py"), "--root", str(root), "--port", "0",
                                   "--latency-ms", str(args.latency_ms)], stdout=subprocess.PIPE, text=True)
        assert server.stdout is not None
        port = int(server.stdout.readline().split("port=")[1])
        try:
            config = write_config(work, Path(args.config), port, args.n)
            print(f"{args.n} feeds x {args.m} items, latency {args.latency_ms:g} ms, config {config}")
            for name, swap in (("poll1 all new", False), ("poll2 all 304", False), ("poll3 incremental", True)):
                if swap:
                    tmp = root / "feeds.tmp"
                    tmp.symlink_to(work / "r2" / "feeds")
                    os.replace(tmp, root / "feeds")
                before = stats(port)
                secs, cpu, rss, out = run_poll(args.prwatch, config, args.profile, name)
                after = stats(port)
                d = {k: after[k] - before[k]
                     for k in ("requests", "status_200", "status_304", "conditional_requests", "connections")}
                print(f"{name:18s} {secs:6.2f} s  cpu {cpu:5.2f} s  peak rss {rss:5.0f} MB  {json.dumps(d)}  "
                      f"| {out.strip().splitlines()[-1] if out.strip() else ''}")
        finally:
            server.terminate()
            server.wait()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def write_config(work: Path, project: Path, port: int, n: int) -> Path:
    raw = tomllib.loads(project.read_text(encoding="utf-8"))
    lines = [f'[storage]\nurl = "sqlite:///{work / "prwatch.db"}"\n', f'[digests]\ndirectory = "{work / "digests"}"\n',
             "[poll]"]
    for k, v in raw.get("poll", {}).items():
        lines.append(f"{k} = {json.dumps(v)}")
    for i in range(1, n + 1):
        lines.append(f'\n[[feeds]]\nname = "feed_{i:04d}"\nurl = "http://127.0.0.1:{port}/feeds/feed_{i:04d}.xml"')
    for t in raw.get("topics", []):
        lines.append("\n[[topics]]")
        lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in t.items()]
    path = work / "config.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_poll(prwatch: str, config: Path, profile: str | None, name: str) -> tuple[float, float, float, str]:
    cmd = [prwatch, "--config", str(config), "fetch", "--no-digest"]
    if profile and shutil.which("py-spy"):
        Path(profile).mkdir(parents=True, exist_ok=True)
        out_svg = Path(profile) / (name.split()[0] + ".svg")
        cmd = ["py-spy", "record", "--subprocesses", "-r", "200", "-o", str(out_svg), "--"] + cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    secs = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        print(proc.stdout)
        raise SystemExit(f"{name}: prwatch exited {proc.returncode}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    # ru_maxrss of children is the largest reaped child so far (an upper bound for this poll)
    return secs, cpu, after.ru_maxrss / 1024, proc.stdout


def stats(port: int) -> dict[str, int]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stats", timeout=10) as r:
        data = json.loads(r.read())
    return data.get("counters", data)


if __name__ == "__main__":
    raise SystemExit(main())
