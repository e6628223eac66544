"""Asking a store of 100,000 releases: search, a measure's history, an export of all figures.

    .venv/bin/python benchmarks/bench_search.py [--releases 100000] [--backend sqlite|postgresql|both]
        [--db /tmp/prwatch-bench-search.db] [--pg-url postgresql+psycopg://postgres@127.0.0.1:5432/prwatch_bench]
        [--reuse] [--runs 7]

The store is filled through the real insert path (Core executemany into `releases`, so the
search triggers index every release as a poll would): 20 feeds over 400 days, ~1.6 KB of
text per release drawn from a Zipf vocabulary of 5,000 filler words plus topic words of
known frequency (`kazakhstan` in 30 % of releases, `wheat` in 2 %, the phrase "wheat
exports" in 1 %, `khorgos` in 0.1 %); a third of the releases are another feed's copy of a
story. Every release has four figures of 300 measures (some stated by several feeds with
different values), half the releases are on the topic, one milestone each.

Then, each timed `--runs` times after one warm-up and reported as the median (and the
slowest): the first page (20 stories) of several searches through
storage.sql.search.search_releases; the history of one measure (its statements through the
store's port, marked by monitor.analysis.history); and `prwatch export figures`
run as a command into /dev/null, with its rows per second and its peak RSS (VmHWM, which
the child running it reports: benchmarks/peak_rss.py), also for an export of a tenth of the
figures: flat memory means the same peak.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from peak_rss import peak_rss_mb  # noqa: E402  (beside this script)
from sqlalchemy import func, insert, select  # noqa: E402

from monitor.app.query import parse_query  # noqa: E402
from monitor.domain import ReleaseFilter, SearchExpr  # noqa: E402
from storage.sql.engine import SqlStore as Store  # noqa: E402
from storage.sql.engine import open_store
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic  # noqa: E402
from storage.sql.search import search_releases  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DAYS = 400
FEEDS = 20
TOPIC = "china-kazakhstan"
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
TOPIC_WORDS = {"kazakhstan": 0.30, "china": 0.25, "trade": 0.15, "grain": 0.03, "wheat": 0.02, "russia": 0.05,
               "pipeline": 0.02, "khorgos": 0.001}
PHRASE_RATE = 0.01  # "wheat exports"
MEASURES = 300
HISTORY_OF = 17  # the measure whose history is timed (each is stated by ~1,300 figures at 100,000 releases)


def measure_of(m: int) -> str:
    return f"bench/m{m}"

SEARCHES = [
    ("rare word (0.1 %)", "khorgos", ReleaseFilter()),
    ("word in 2 %", "wheat", ReleaseFilter()),
    ("word in 30 %", "kazakhstan", ReleaseFilter()),
    ("phrase (1 %)", '"wheat exports"', ReleaseFilter()),
    ("OR, AND, NOT", "(wheat OR grain) china -russia", ReleaseFilter()),
    ("word in 30 %, one topic, one month", "kazakhstan",
     ReleaseFilter(topic=TOPIC, since=START + timedelta(days=200), until=START + timedelta(days=231))),
    ("two words in 30 % and 25 %", "kazakhstan china", ReleaseFilter()),
]


def _filler(rng: random.Random) -> list[str]:
    syllables = "ka ra to mi su ne lo pa ti ve do ru sa ko li ma no be zi fu".split()
    words = set()
    while len(words) < 5000:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _text(rng: random.Random, filler: list[str], weights: list[float], n: int) -> list[str]:
    words = rng.choices(filler, cum_weights=weights, k=n)
    for word, rate in TOPIC_WORDS.items():
        if rng.random() < rate:
            words[rng.randrange(n)] = word.capitalize() if word in ("kazakhstan", "china", "russia") else word
    if rng.random() < PHRASE_RATE:
        i = rng.randrange(n - 1)
        words[i:i + 2] = ["wheat", "exports"]
    return words


def fill(store: Store, n: int) -> None:
    rng = random.Random(17)
    filler = _filler(rng)
    acc, weights = 0.0, []
    for rank in range(1, len(filler) + 1):
        acc += 1 / rank
        weights.append(acc)
    with store.session() as s:
        s.execute(insert(Feed), [dict(name=f"Wire {i}", url=f"https://wire{i}.test/rss", origin="config",
                                      full_text=False, enabled=True, error_count=0, created_at=START)
                                 for i in range(FEEDS)])
        feed_ids = list(s.scalars(select(Feed.id).order_by(Feed.id)))
    chunk = 5000
    last_text: dict[int, tuple[str, str]] = {}
    for base in range(1, n + 1, chunk):
        releases, topics, figures, milestones = [], [], [], []
        for i in range(base, min(base + chunk, n + 1)):
            seen = START + timedelta(seconds=i * DAYS * 86400 // n)
            feed = feed_ids[i % FEEDS]
            if i % 3 == 0 and i - 1 in last_text:  # another wire's copy of the previous story
                title, text = last_text[i - 1]
                story = i - 1
            else:
                title = " ".join(_text(rng, filler, weights, 8)).capitalize()
                text = " ".join(_text(rng, filler, weights, 260)) + "."
                story = i
            last_text[i] = (title, text)
            last_text.pop(i - 5, None)
            releases.append(dict(id=i, feed_id=feed, guid=f"g{i}", url=f"https://wire{i % FEEDS}.test/r/{i}",
                                 title=title, published_at=seen - timedelta(minutes=20), first_seen_at=seen,
                                 updated_at=seen, text=text, content_hash=str(i), revision=1, story_id=story))
            if i % 2 == 0:
                topics.append(dict(release_id=i, topic_id=TOPIC, score=0.9, reasons=["kazakhstan"]))
            for p in range(4):
                m = rng.randrange(MEASURES)
                period = str(2015 + rng.randrange(10))
                value = float(rng.randrange(1, 60)) * 1e9
                key = f"money|money|m:{measure_of(m)}|{period}"
                figures.append(dict(release_id=i, position=p, kind="money", value=value, unit="USD",
                                    text=f"${value / 1e9:.0f} billion", sentence=f"It said measure {m} was so.",
                                    subject=f"measure {m}", period=period, measure=measure_of(m), measure_key=key,
                                    series_key=key.rsplit("|", 1)[0], feed_id=feed,
                                    stated_at=seen - timedelta(minutes=20), first_seen_at=seen))
            year = 2020 + rng.randrange(10)
            milestones.append(dict(release_id=i, position=0, year=year, date=str(year), event=f"event {i % 500}",
                                   sentence="It happened.", status="happened", event_key=f"{year}|event {i % 500}"))
        with store.session() as s:
            for model, rows in ((Release, releases), (ReleaseTopic, topics), (FigureRow, figures),
                                (MilestoneRow, milestones)):
                s.execute(insert(model.__table__), rows)
        print(f"\r  {min(base + chunk - 1, n):,} releases", end="", flush=True)
    print()
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with store.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")


def timed(runs: int, f: Callable[[], object]) -> tuple[float, float, float, object]:
    """Median and slowest wall-clock ms, median CPU ms of this process, the last result. On a
    busy machine the wall clock waits for a core; the CPU time (SQLite runs in this process,
    PostgreSQL's share is the server's) is what the work itself costs."""
    f()  # warm-up: caches, the first connection
    times, cpu, result = [], [], None
    for _ in range(runs):
        result = None  # a command computes one result: the last one is not kept alive through the next run
        t, c = time.perf_counter(), time.process_time()
        result = f()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu), result


def bench_searches(store: Store, runs: int) -> None:
    print(f"  {'search (first page of 20 stories)':<44} {'median ms':>9} {'max ms':>7} {'cpu ms':>7}  stories  more")
    for label, query, where in SEARCHES:
        expr = parse_query(query).expr

        def run(expr: SearchExpr = expr, where: ReleaseFilter = where) -> object:
            with store.session() as s:
                return search_releases(s, expr, where, limit=20)
        med, worst, cpu, page = timed(runs, run)
        print(f"  {label + ': ' + query:<44} {med:>9.1f} {worst:>7.1f} {cpu:>7.1f}  {len(page.hits):>7}  {page.more}")  # type: ignore[attr-defined]


def bench_history(store: Store, runs: int) -> None:
    """`prwatch figures --measure`: the measure's statements through the port, then marked."""
    from monitor.analysis.history import mark

    key = measure_of(HISTORY_OF)

    def run() -> object:
        with store.transaction() as tx:
            return mark(tx.measures.statements(measure=key))
    med, worst, cpu, lines = timed(runs, run)
    n = len(lines)  # type: ignore[arg-type]
    conflicts = sum(bool(ln.conflicts) for ln in lines)  # type: ignore[attr-defined]
    print(f"  {'history of ' + key + f' ({n:,} statements, {conflicts:,} in conflict)':<44} {med:>9.1f} {worst:>7.1f} "
          f"{cpu:>7.1f}")


def bench_export(url: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config.toml"
        cfg.write_text(f'[storage]\nurl = "{url}"\n', encoding="utf-8")
        store = open_store(url, migrate=False)
        with store.session() as s:
            total = s.scalar(select(func.count()).select_from(FigureRow)) or 0
        store.dispose()
        tenth = (START + timedelta(days=DAYS * 9 // 10)).date().isoformat()
        for label, extra, rows in (("all figures", [], total), ("the last tenth", ["--since", tenth], None)):
            results = [_run_export(cfg, extra) for _ in range(runs)]
            secs = statistics.median(r[0] for r in results)
            cpu = statistics.median(r[2] for r in results)
            rss = max(r[1] for r in results)
            load = Path("/proc/loadavg").read_text().split()[0]
            what = (f"{rows:,} rows, {rows / secs:,.0f} rows/s; {rows / cpu:,.0f} rows per CPU second" if rows
                    else "a tenth of the rows")
            print(f"  export figures, {label}: median {secs:.2f} s, {cpu:.2f} s of CPU ({what}), "
                  f"peak RSS {rss:.1f} MiB (VmHWM); load {load}")


def _run_export(cfg: Path, extra: list[str]) -> tuple[float, float, float]:
    """Seconds, peak RSS (MiB) and CPU seconds (user + system) of `prwatch export figures
    --format csv` into /dev/null, start-up included: run by this script as a child
    (`--export-child`) that reports its own VmHWM, since ru_maxrss would carry this
    process's peak over into the child."""
    t = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen([sys.executable, __file__, "--export-child", "--config", str(cfg), "export", "figures",
                                 "--format", "csv", *extra], stdout=null, stderr=subprocess.PIPE)
        _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    assert proc.stderr is not None
    report = proc.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"export failed with status {status}: {report}")
    return wall, float(report.rsplit("peak_rss_mb=", 1)[1]), usage.ru_utime + usage.ru_stime


def _export_child(argv: list[str]) -> None:
    """`prwatch ARGV` in this process, then its peak RSS on stderr, and its exit status."""
    from monitor.app.cli import main as prwatch

    code = prwatch(argv)
    sys.stdout.flush()
    print(f"peak_rss_mb={peak_rss_mb()}", file=sys.stderr)
    sys.exit(code)


def main() -> None:
    if sys.argv[1:2] == ["--export-child"]:
        _export_child(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=100_000)
    ap.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    ap.add_argument("--db", default="/tmp/prwatch-bench-search.db")
    ap.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/prwatch_bench")
    ap.add_argument("--reuse", action="store_true", help="keep a store filled by an earlier run")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--skip-export", action="store_true")
    args = ap.parse_args()
    urls = []
    if args.backend in ("sqlite", "both"):
        urls.append(f"sqlite:///{args.db}")
    if args.backend in ("postgresql", "both"):
        urls.append(args.pg_url)
    for url in urls:
        name = url.split(":", 1)[0]
        if not args.reuse:
            _fresh(url)
            store = open_store(url)
            t = time.perf_counter()
            print(f"{name}: filling {args.releases:,} releases")
            fill(store, args.releases)
            print(f"  filled in {time.perf_counter() - t:.0f} s")
        else:
            store = open_store(url)
        with store.session() as s:
            n = s.scalar(select(func.count()).select_from(Release))
        print(f"{name}: {n:,} releases, median of {args.runs} runs after a warm-up")
        bench_searches(store, args.runs)
        bench_history(store, args.runs)
        store.dispose()
        if not args.skip_export:
            bench_export(url, max(3, args.runs // 2))


def _fresh(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        return
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname="postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{u.database}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{u.database}"')



if __name__ == "__main__":
    main()
