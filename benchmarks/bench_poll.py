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
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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
    ap.add_argument("--profile-format", choices=("flamegraph", "raw", "speedscope"), default="flamegraph",
                    help="py-spy output: an SVG flame graph, or collapsed stacks (raw) to aggregate with a script")
    ap.add_argument("--profile-gil", action="store_true",
                    help="sample only the thread holding the GIL (where the parent's CPU goes, not its waits)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()

    bench = Path(args.bench_dir)
    with work_folder("prwatch_bench_", args.keep) as work:
        root = make_corpus(bench, work, args.n, args.m)
        server = subprocess.Popen([sys.executable, str(bench / "serve.py"), "--root", str(root), "--port", "0",
                                   "--latency-ms", str(args.latency_ms)], stdout=subprocess.PIPE, text=True)
        assert server.stdout is not None
        port = int(server.stdout.readline().split("port=")[1])
        try:
            config = write_config(work, Path(args.config), port, args.n, bench)
            print(f"{args.n} feeds x {args.m} items, latency {args.latency_ms:g} ms, config {config}")
            for name, swap in (("poll1 all new", False), ("poll2 all 304", False), ("poll3 incremental", True)):
                if swap:
                    serve_round(root, 2)
                before = stats(port)
                secs, cpu, rss, out = run_poll(args.prwatch, config, args.profile, name, args.profile_format,
                                               args.profile_gil)
                after = stats(port)
                d = {k: after[k] - before[k]
                     for k in ("requests", "status_200", "status_304", "conditional_requests", "connections")}
                print(f"{name:18s} {secs:6.2f} s  cpu {cpu:5.2f} s  peak rss {rss:5.0f} MB  {json.dumps(d)}  "
                      f"| {out.strip().splitlines()[-1] if out.strip() else ''}")
        finally:
            server.terminate()
            server.wait()
    return 0


@contextmanager
def work_folder(prefix: str, keep: bool) -> Iterator[Path]:
    """A fresh temporary folder, removed at the end unless `keep`."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield work
    finally:
        if keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def make_corpus(bench: Path, work: Path, n: int, m: int) -> Path:
    """Rounds 1 and 2 of the shared bench's corpus in work/r1 and work/r2; returns the folder
    to serve, which serves round 1 until serve_round() swaps it."""
    for rnd in (1, 2):
        subprocess.run([sys.executable, str(bench / "make_corpus.py"), "--out", str(work / f"r{rnd}"),
                        "--n", str(n), "--m", str(m), "--round", str(rnd)], check=True, stdout=subprocess.DEVNULL)
    root = work / "serve_root"
    root.mkdir()
    (root / "feeds").symlink_to(work / "r1" / "feeds")
    return root


def serve_round(root: Path, rnd: int) -> None:
    """Have the server serve round `rnd` from now on (it looks files up per request)."""
    tmp = root / "feeds.tmp"
    tmp.symlink_to(root.parent / f"r{rnd}" / "feeds")
    os.replace(tmp, root / "feeds")


def write_config(work: Path, project: Path, port: int, n: int, bench: Path, url: str | None = None) -> Path:
    """work/config.toml as the shared harness writes it (its contender.py): the project's
    config with N bench feeds, the database at `url` (default work/prwatch.db) and the
    digests in work/digests."""
    sys.path.insert(0, str(bench))
    import contender  # the shared harness's config writer

    cfg, _notes = contender.build_config(contender.load_project_config(str(project)), str(project),
                                         contender.bench_feeds(port, n, max(4, len(str(n)))), str(work / "prwatch.db"),
                                         str(work / "digests"))
    if url:
        cfg["storage"]["url"] = url
    path = work / "config.toml"
    path.write_text(contender.toml_dumps(cfg), encoding="utf-8")
    return path


def run_poll(prwatch: str, config: Path, profile: str | None, name: str,
             profile_format: str = "flamegraph", gil_only: bool = False) -> tuple[float, float, float, str]:
    cmd = [prwatch, "--config", str(config), "fetch", "--no-digest"]
    if profile and shutil.which("py-spy"):
        Path(profile).mkdir(parents=True, exist_ok=True)
        suffix = {"flamegraph": ".svg", "raw": ".txt", "speedscope": ".json"}[profile_format]
        out_file = Path(profile) / (name.split()[0] + suffix)
        cmd = (["py-spy", "record", "--subprocesses", "-r", "200", "-f", profile_format, "-o", str(out_file)]
               + (["--gil"] if gil_only else []) + ["--"] + cmd)
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
