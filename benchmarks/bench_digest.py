"""Write day, week and month digests from a SQLite store of 100,000 (or 1,000,000) releases,
each in a fresh process, with the folder holding the other digests, and report wall time,
peak RSS, the digest's size and how many digests' Atom HTML the write rendered.

    .venv/bin/python benchmarks/bench_digest.py [--releases 100000] [--db /tmp/prwatch-bench-digest.db]
        [--reuse] [--periods day week month] [--runs 3]

`--reuse` keeps a store (and its digest folder) that a previous run built with the same
--releases, so a 1,000,000-release store (about 5 GB) is built once and measured often;
`--set-up` then writes the folder's digests again (after an upgrade, so they are as this
version writes them).

The store's shape: one feed per 5,000 releases (at least 20), about 900 releases a day (at least
200 days), each release 1.5-3 KB of text; half on the benchmark topic (four figures each over a
few hundred measures repeated across days and feeds, so new/changed/conflict all occur, and a
milestone), the other half on another topic (two figures); a third of the releases are copies
in another feed's story. Before measuring, the digests of the last 45 days, their weeks and
months are written, so digests.xml has its 50 entries. Each measurement removes the period's
digest file and writes it again with digests.write.write_periods (as `prwatch digest` does) in a
new process: the time is that of the write (build, render, the file, index.md and digests.xml),
wall and CPU (the process's own, less sensitive to a busy machine), peak RSS the process's
(VmHWM, imports included), renders the calls of Markdown-to-HTML.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from peak_rss import peak_rss_mb  # beside this script
from sqlalchemy import func, insert, select, text

from digests.periods import digest_filename, period_for
from digests.write import write_periods
from monitor.analysis.topics import Topic
from monitor.config import DigestSettings, PollSettings, Settings, StorageSettings
from storage.sql.engine import open_store
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic, core_table

TOPIC = Topic(id="bench", title="Benchmark topic", groups=(("bench",),))
OTHER = "other"
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
CHUNK = 20_000
SET_UP_DAYS = 45
WORDS = ("trade", "exports", "ministry", "pipeline", "agreement", "tonnes", "growth", "quarter", "investment",
         "delegation", "railway", "customs", "grain", "energy", "project", "capacity", "officials", "region")


def shape(n: int) -> tuple[int, int, int, int]:
    """(feeds, days, subjects, events) of a store of `n` releases."""
    return max(20, n // 5000), max(200, n // 900), max(300, n // 1000), max(500, n // 2000)


def _sentences() -> list[str]:
    rng = random.Random(3)
    return [f"The {' '.join(rng.choice(WORDS) for _ in range(rng.randrange(14, 22)))} ({k})." for k in range(2000)]


def _text(rng: random.Random, i: int, pool: list[str]) -> str:
    return f"CITY, Jan 1 -- Release {i} says so. " + " ".join(rng.choices(pool, k=rng.randrange(12, 24)))


def _rows(n: int, feed_ids: list[int]) -> Iterator[tuple[list[dict[str, Any]], ...]]:
    """Chunks of (releases, topics, figures, milestones) rows."""
    rng = random.Random(7)
    pool = _sentences()
    feeds, days, subjects, events = shape(n)
    rows: list[dict[str, Any]] = []
    topics: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    for i in range(1, n + 1):
        seen = START + timedelta(seconds=i * days * 86400 // n)
        published = seen - timedelta(minutes=30)
        copy = i % 3 == 0
        feed_id = feed_ids[(i * 7 + (3 if copy else 0)) % feeds]
        rows.append(dict(id=i, feed_id=feed_id, guid=f"g{i}", url=f"https://f.test/{i}", title=f"Release {i}",
                         published_at=published, first_seen_at=seen, updated_at=seen, placed_at=published,
                         text=_text(rng, i, pool), content_hash=str(i), revision=1, story_id=i - 1 if copy else i,
                         backfill=False))
        on_topic = i % 2 == 0
        topics.append(dict(release_id=i, topic_id=TOPIC.id if on_topic else OTHER, score=1.0, reasons=["bench"]))
        for p in range(4 if on_topic else 2):
            subj = (f"measure {rng.randrange(subjects)}" if on_topic else f"other {rng.randrange(subjects)}") \
                if p < 3 else ""
            period = str(2015 + rng.randrange(10)) if p != 2 else ""
            value = float(rng.randrange(1, 50)) * 1e9
            key = f"money|money:USD|{subj}|{period}"
            figures.append(dict(release_id=i, position=p, kind="money", value=value, unit="USD",
                                text=f"${value / 1e9:.0f} billion", sentence="It said so.",
                                subject=subj or None, period=period or None, measure_key=key,
                                series_key=key.rsplit("|", 1)[0], feed_id=feed_id, stated_at=published,
                                first_seen_at=seen))
        if on_topic:
            year = 2020 + rng.randrange(10)
            e = f"event {i % events}"
            milestones.append(dict(release_id=i, position=0, year=year, date=str(year), event=e,
                                   sentence="It happened.", status="happened", event_key=f"{year}|{e}"))
        if len(rows) == CHUNK or i == n:
            yield rows, topics, figures, milestones
            rows, topics, figures, milestones = [], [], [], []


def fill(url: str, n: int) -> None:
    store = open_store(url)
    feeds = shape(n)[0]
    with store.session() as s:
        s.execute(insert(core_table(Feed)), [dict(name=f"feed {i}", url=f"https://f{i}.test/rss", origin="config",
                                                  full_text=False, enabled=True, error_count=0, created_at=START)
                                             for i in range(feeds)])
        feed_ids = list(s.scalars(select(Feed.id).order_by(Feed.id)))
    tables = [core_table(m) for m in (Release, ReleaseTopic, FigureRow, MilestoneRow)]
    for done, chunk in enumerate(_rows(n, feed_ids), 1):
        with store.session() as s:
            for table, data in zip(tables, chunk, strict=True):
                if data:
                    s.execute(insert(table), data)
        if done % 10 == 0:
            print(f"  {done * CHUNK:,} releases", file=sys.stderr, flush=True)
    with store.session() as s:
        s.execute(text("ANALYZE"))
    store.dispose()


def last_day(n: int) -> date:
    return (START + timedelta(days=shape(n)[1] - 1)).date()


def measured_day(n: int, kind: str) -> date:
    """The day whose period is measured: the store's last day, but for a month the last
    complete one (the last day's own month may hold only a few days)."""
    day = last_day(n)
    if kind == "month" and (day + timedelta(days=1)).month == day.month:
        return day.replace(day=1) - timedelta(days=1)
    return day


def settings_for(db: str, folder: Path) -> Settings:
    return Settings(path=folder / "config.toml", storage=StorageSettings(f"sqlite:///{db}"),
                    digests=DigestSettings(directory=folder, periods=("day", "week", "month")),
                    poll=PollSettings(), topics=(TOPIC,))


def set_up(db: str, folder: Path, n: int, days: int = SET_UP_DAYS) -> None:
    """The folder as a month of use leaves it: the digests of the last days, weeks and months."""
    settings = settings_for(db, folder)
    store = open_store(settings.storage.url)
    end = last_day(n)
    targets = [(TOPIC.id, kind, end - timedelta(days=k)) for k in range(days, -1, -1)
               for kind in ("day", "week", "month")]
    write_periods(store, settings, targets)
    store.dispose()


def measure(db: str, folder: Path, n: int, kind: str) -> dict[str, Any]:
    """In this process: write the digest of `kind` containing measured_day, its file removed first."""
    from markdown_it import MarkdownIt

    renders = 0
    plain = MarkdownIt.render

    def counted(self: MarkdownIt, src: str, env: Any = None) -> str:
        nonlocal renders
        renders += 1
        return plain(self, src, env)

    MarkdownIt.render = counted  # type: ignore[method-assign]
    settings = settings_for(db, folder)
    store = open_store(settings.storage.url)
    day = measured_day(n, kind)
    period = period_for(kind, day, "UTC")
    path = folder / digest_filename(period.key, TOPIC.id)
    path.unlink(missing_ok=True)
    t, cpu = time.perf_counter(), time.process_time()
    written = write_periods(store, settings, [(TOPIC.id, kind, day)])
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    store.dispose()
    return dict(kind=kind, key=period.key, wall=wall, cpu=cpu, rss_mb=peak_rss_mb(),
                renders=renders, bytes=path.stat().st_size, releases=written[0].releases)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/prwatch-bench-digest.db")
    ap.add_argument("--reuse", action="store_true", help="keep the store and folder of an earlier run of this size")
    ap.add_argument("--set-up", action="store_true", help="with --reuse: write the folder's digests again first "
                    "(after an upgrade, so they are as this version writes them)")
    ap.add_argument("--periods", nargs="+", default=["day", "week", "month"])
    ap.add_argument("--set-up-days", type=int, default=SET_UP_DAYS,
                    help="days before the last whose digests (and their weeks and months) fill the folder")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per period (the median is reported)")
    ap.add_argument("--measure", help=argparse.SUPPRESS)  # a child: measure one period kind, print JSON
    args = ap.parse_args()
    folder = Path(args.db + ".digests")
    if args.measure:
        print(json.dumps(measure(args.db, folder, args.releases, args.measure)))
        return
    reused = False
    if args.reuse and Path(args.db).exists():
        store = open_store(f"sqlite:///{args.db}")
        with store.session() as s:
            reused = s.scalar(select(func.count()).select_from(Release)) == args.releases
        store.dispose()
    if not reused:
        for p in (Path(args.db), Path(args.db + "-wal"), Path(args.db + "-shm")):
            p.unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        fill(f"sqlite:///{args.db}", args.releases)
        print(f"filled {args.releases:,} releases in {time.perf_counter() - t0:.1f} s", flush=True)
    if not reused or args.set_up or not folder.is_dir():
        t0 = time.perf_counter()
        set_up(args.db, folder, args.releases, args.set_up_days)
        print(f"wrote the folder's digests ({len(list(folder.glob('*.md')))} files) in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
    feeds, days, _, _ = shape(args.releases)
    print(f"store: {args.releases:,} releases, {feeds} feeds, {days} days{' (reused)' if reused else ''}; "
          f"digests in the folder: {len(list(folder.glob('*.md')))}")
    for kind in args.periods:
        runs = []
        for _ in range(args.runs):
            load = Path("/proc/loadavg").read_text().split()[0]
            out = subprocess.run([sys.executable, __file__, "--releases", str(args.releases), "--db", args.db,
                                  "--measure", kind], check=True, capture_output=True, text=True).stdout
            runs.append(dict(json.loads(out), load=load))
        r = runs[0]
        walls, cpus = [x["wall"] for x in runs], [x.get("cpu", 0.0) for x in runs]
        print(f"{kind} {r['key']}: {r['releases']:,} releases, {r['bytes']:,} bytes; write "
              f"{statistics.median(walls) * 1000:.0f} ms median of {len(walls)} "
              f"({', '.join(f'{w * 1000:.0f}' for w in walls)}), CPU {statistics.median(cpus) * 1000:.0f} ms, "
              f"peak RSS {max(x['rss_mb'] for x in runs):.0f} MB, "
              f"{r['renders']} Markdown-to-HTML renders; load {', '.join(x['load'] for x in runs)}")


if __name__ == "__main__":
    main()
