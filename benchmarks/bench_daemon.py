"""`prwatch run --once` side by side with `prwatch fetch` on the same data, and two daemons
side by side with one.

    .venv/bin/python benchmarks/bench_daemon.py [--n 2000] [--m 20] [--latency-ms 50]
        [--multi-latency-ms 300] [--backends sqlite,postgresql] [--reps 1] [--skip-multi]

Part 1, per backend: N feeds that are all new, polled by `prwatch fetch` and by `prwatch run
--once`, each on a fresh database and both writing their digests, interleaved (the order
alternates per rep). Wall seconds, and CPU seconds of the whole process tree: this script is
a child subreaper, so worker processes and the fork server, which outlive their parent's
wait, are reaped here and counted.

Part 2, PostgreSQL: the database part 1's fetch left, the feed server now at
--multi-latency-ms per response and serving the incremental round (10 % of feeds changed),
every feed made due; one `run --once` against two started together, each trial on a copy of
that database. Feeds/s counts the feeds of the poll runs recorded, over the span from the
first run's start to the last run's end.

Uses the shared bench's corpus generator and feed server (../shared/bench, --bench-dir), all on
127.0.0.1; PostgreSQL at --pg-admin (throw-away databases, dropped at the end). Each figure is
printed with the load average at that moment: on a busy machine they are indicative only.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_poll import make_corpus, serve_round, stats, work_folder, write_config

REPO = Path(__file__).resolve().parent.parent
PR_SET_CHILD_SUBREAPER = 36  # <linux/prctl.h>
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass
class Timing:
    wall: float
    cpu: float
    load: str


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--m", type=int, default=20)
    ap.add_argument("--latency-ms", type=float, default=50.0, help="server latency of part 1")
    ap.add_argument("--multi-latency-ms", type=float, default=300.0, help="server latency of part 2")
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--reps", type=int, default=1)
    ap.add_argument("--skip-multi", action="store_true", help="part 1 only")
    ap.add_argument("--bench-dir", default=str(REPO.parent / "shared" / "bench"))
    ap.add_argument("--prwatch", default=str(REPO / ".venv" / "bin" / "prwatch"))
    ap.add_argument("--config", default=str(REPO / "config.toml"), help="project config whose [poll] and topics are kept")
    ap.add_argument("--pg-admin", default=os.environ.get("PRWATCH_TEST_PG_URL", PG_ADMIN).replace("+psycopg", ""))
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    _become_subreaper()
    bench = Path(args.bench_dir)
    backends = [b for b in args.backends.split(",") if b]
    with work_folder("prwatch_bench_daemon_", args.keep) as work, pg_databases(args.pg_admin) as pg:
        root = make_corpus(bench, work, args.n, args.m)
        print(f"{args.n} feeds x {args.m} items; {os.cpu_count()} cores; prwatch {args.prwatch}")
        with feed_server(bench, root, args.latency_ms) as port:
            print(f"\npart 1: all new, server latency {args.latency_ms:g} ms")
            templates = run_vs_fetch(args, work, port, backends, pg)
        if not args.skip_multi and "postgresql" in templates:
            serve_round(root, 2)
            with feed_server(bench, root, args.multi_latency_ms, port=port) as port2:
                assert port2 == port
                print(f"\npart 2: PostgreSQL, incremental round, every feed due, server latency "
                      f"{args.multi_latency_ms:g} ms")
                one_vs_two(args, work, port, templates["postgresql"], pg)
    return 0


def run_vs_fetch(args: argparse.Namespace, work: Path, port: int, backends: Sequence[str],
                 pg: PgDatabases) -> dict[str, str]:
    """Part 1; returns, per backend, a database one fetch filled (PostgreSQL only)."""
    filled: dict[str, str] = {}
    for backend in backends:
        results: dict[str, list[Timing]] = {"fetch": [], "run --once": []}
        for rep in range(args.reps):
            order = ["fetch", "run --once"] if rep % 2 == 0 else ["run --once", "fetch"]
            for cmd in order:
                folder = work / f"{backend}_{cmd.split()[0]}_{rep}"
                folder.mkdir()
                url = f"sqlite:///{folder / 'prwatch.db'}" if backend == "sqlite" else pg.create()
                config = write_config(folder, Path(args.config), port, args.n, Path(args.bench_dir), url)
                before = stats(port)
                t = measure([[args.prwatch, "--config", str(config), "-q", *cmd.split()]])
                requests = stats(port)["requests"] - before["requests"]
                results[cmd].append(t)
                print(f"  {backend:10s} {cmd:11s} wall {t.wall:6.2f} s  cpu {t.cpu:6.2f} s  requests {requests}  "
                      f"(load {t.load})", flush=True)
                if backend == "postgresql" and cmd == "fetch":
                    filled[backend] = url
        fw, fc = (statistics.median(getattr(t, k) for t in results["fetch"]) for k in ("wall", "cpu"))
        rw, rc = (statistics.median(getattr(t, k) for t in results["run --once"]) for k in ("wall", "cpu"))
        print(f"  {backend:10s} run --once / fetch: wall {rw / fw:.2f}x, cpu {rc / fc:.2f}x (medians of {args.reps})")
    return filled


def one_vs_two(args: argparse.Namespace, work: Path, port: int, template: str, pg: PgDatabases) -> None:
    rates: dict[int, list[float]] = {1: [], 2: []}
    for rep in range(args.reps):
        for daemons in ((1, 2) if rep % 2 == 0 else (2, 1)):
            folder = work / f"multi_{daemons}_{rep}"
            folder.mkdir()
            url = pg.create(template=template)
            pg.execute(url, "UPDATE feeds SET next_check_at = NULL")
            config = write_config(folder, Path(args.config), port, args.n, Path(args.bench_dir), url)
            t = measure([[args.prwatch, "--config", str(config), "-q", "run", "--once"]] * daemons)
            feeds, span, runs = pg.poll_span(url)
            rate = feeds / span if span else 0.0
            rates[daemons].append(rate)
            print(f"  {daemons} daemon{'s' if daemons > 1 else ' '}  {feeds} feeds in {span:6.2f} s = "
                  f"{rate:6.1f} feeds/s  ({runs} poll runs; wall {t.wall:.2f} s, cpu {t.cpu:.2f} s; load {t.load})",
                  flush=True)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"  two daemons / one: {two / one:.2f}x feeds/s (medians of {args.reps})")


def measure(cmds: Sequence[Sequence[str]]) -> Timing:
    """Run the commands together; wall until the last exits, CPU of every process they
    started (reaped here, as their subreaper)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    procs = [subprocess.Popen(list(c), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for c in cmds]
    outs = [p.communicate()[0] for p in procs]
    wall = time.perf_counter() - t0
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    _reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for p, out in zip(procs, outs, strict=True):
        if p.returncode:
            print(out)
            raise SystemExit(f"{' '.join(p.args)}: exited {p.returncode}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Timing(wall, cpu, load)


def _become_subreaper() -> None:
    """Orphans of the processes we start (a fork server, its workers) become our children,
    so their CPU time is counted once they are reaped."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the libc already loaded
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _reap_orphans(timeout: float = 30.0) -> None:
    """Wait for the processes left to us, other than the feed servers (our own children)."""
    ours = set(FEED_SERVERS)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            continue
        if not set(_children()) - ours:
            return
        time.sleep(0.02)


def _children() -> Iterator[int]:
    me = str(os.getpid())
    for d in Path("/proc").iterdir():
        if d.name.isdecimal():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == me and fields[0] != "Z":
                yield int(d.name)


FEED_SERVERS: list[int] = []


@contextmanager
def feed_server(bench: Path, root: Path, latency_ms: float, port: int = 0) -> Iterator[int]:
    server = subprocess.Popen([sys.executable, str(bench / "serve.py"), "--root", str(root), "--port", str(port),
                               "--latency-ms", str(latency_ms)], stdout=subprocess.PIPE, text=True)
    FEED_SERVERS.append(server.pid)
    assert server.stdout is not None
    try:
        yield int(server.stdout.readline().split("port=")[1])
    finally:
        server.terminate()
        server.wait()
        FEED_SERVERS.remove(server.pid)


class PgDatabases:
    """Throw-away PostgreSQL databases, dropped when the block ends."""

    def __init__(self, admin: str) -> None:
        import psycopg

        self.psycopg = psycopg
        self.admin = admin
        self.names: list[str] = []

    def create(self, template: str | None = None) -> str:
        name = f"prwatch_bench_{uuid.uuid4().hex[:10]}"
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            tmpl = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{tmpl}')  # type: ignore[arg-type]
        self.names.append(name)
        return f"postgresql+psycopg://{self.admin.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"

    def execute(self, url: str, sql: str) -> None:
        with self.psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def poll_span(self, url: str) -> tuple[int, float, int]:
        """Feeds polled by the daemons' runs, from the first start to the last end."""
        with self.psycopg.connect(url.replace("+psycopg", "")) as conn:
            row = conn.execute(
                "SELECT coalesce(sum(feeds), 0), extract(epoch FROM max(finished_at) - min(started_at)), count(*) "
                "FROM poll_runs WHERE kind = 'daemon' AND feeds > 0").fetchone()
        assert row is not None
        return int(row[0]), float(row[1] or 0.0), int(row[2])

    def drop_all(self) -> None:
        with self.psycopg.connect(self.admin, autocommit=True) as conn:
            for name in self.names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]


@contextmanager
def pg_databases(admin: str) -> Iterator[PgDatabases]:
    dbs = PgDatabases(admin)
    try:
        yield dbs
    finally:
        dbs.drop_all()


if __name__ == "__main__":
    raise SystemExit(main())
