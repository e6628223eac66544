"""Build and render the daily digest from a SQLite store of 100,000 releases.

    .venv/bin/python benchmarks/bench_digest.py [--releases 100000] [--db /tmp/prwatch-bench-digest.db]
        [--periods day week month]

The store is filled with Core executemany inserts (seconds, not minutes): 20 feeds, releases
spread over 200 days, half of them on the topic, each topic release with four figures
(a few measures repeated across days and feeds, so new/changed/conflict all occur) and one
milestone; a third of the releases are copies in another feed's story. Prints, for the
last day, its week and its month: the time to build and render (best of five), the size of
the Markdown, and the size of digests.xml with those digests as entries.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert

from digests.build import build_digest
from digests.index import Entry, highlights_html, render_atom
from digests.periods import period_for
from digests.render import render
from monitor.analysis.topics import Topic
from storage.sql.engine import open_store
from storage.sql.models import Feed, FigureRow, MilestoneRow, Release, ReleaseTopic

TOPIC = Topic(id="bench", title="Benchmark topic", groups=(("bench",),))
DAYS = 200
SUBJECTS = [f"measure {i}" for i in range(300)]


def fill(url: str, n: int) -> date:
    rng = random.Random(7)
    store = open_store(url)
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with store.session() as s:
        s.execute(insert(Feed), [dict(name=f"feed {i}", url=f"https://f{i}.test/rss", origin="config", full_text=False,
                                      enabled=True, error_count=0, created_at=start) for i in range(20)])
        feed_ids = [f.id for f in s.query(Feed)]
        rows, topics, figures, milestones = [], [], [], []
        for i in range(1, n + 1):
            seen = start + timedelta(seconds=i * DAYS * 86400 // n)
            story = i - 1 if i % 3 == 0 else i
            rows.append(dict(id=i, feed_id=feed_ids[i % 20], guid=f"g{i}", url=f"https://f.test/{i}", title=f"Release {i}",
                             published_at=seen - timedelta(minutes=30), first_seen_at=seen, updated_at=seen,
                             text=f"CITY, Jan 1 -- Release {i} says things about bench. " * 8, content_hash=str(i),
                             revision=1, story_id=story))
            if i % 2:
                continue
            topics.append(dict(release_id=i, topic_id=TOPIC.id, score=1.0, reasons=["bench"]))
            for p in range(4):
                subj = rng.choice(SUBJECTS) if p < 3 else ""
                period = str(2015 + rng.randrange(10)) if p != 2 else ""
                value = float(rng.randrange(1, 50)) * 1e9
                key = f"money|money:USD|{subj}|{period}"
                figures.append(dict(release_id=i, position=p, kind="money", value=value, unit="USD",
                                    text=f"${value / 1e9:.0f} billion", sentence="It said so.",
                                    subject=subj or None, period=period or None, measure_key=key,
                                    series_key=key.rsplit("|", 1)[0], feed_id=rows[-1]["feed_id"],
                                    stated_at=rows[-1]["published_at"], first_seen_at=seen))
            year = 2020 + rng.randrange(10)
            milestones.append(dict(release_id=i, position=0, year=year, date=str(year), event=f"event {i % 500}",
                                   sentence="It happened.", status="happened", event_key=f"{year}|event {i % 500}"))
        for table, data in ((Release, rows), (ReleaseTopic, topics), (FigureRow, figures), (MilestoneRow, milestones)):
            for k in range(0, len(data), 20000):
                s.execute(insert(table.__table__), data[k:k + 20000])
    store.dispose()
    return (start + timedelta(days=DAYS - 1)).date()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--releases", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/prwatch-bench-digest.db")
    ap.add_argument("--periods", nargs="+", default=["day", "week", "month"])
    args = ap.parse_args()
    Path(args.db).unlink(missing_ok=True)
    t0 = time.perf_counter()
    last_day = fill(f"sqlite:///{args.db}", args.releases)
    print(f"filled {args.releases:,} releases in {time.perf_counter() - t0:.1f} s")
    store = open_store(f"sqlite:///{args.db}")
    folder = Path(tempfile.mkdtemp(prefix="prwatch-bench-digest-"))
    entries = []
    for kind in args.periods:
        period = period_for(kind, last_day, "UTC")
        best, text = float("inf"), ""
        for _ in range(5 if kind == "day" else 2):
            t = time.perf_counter()
            with store.session() as s:
                d = build_digest(s, TOPIC, period)
                text = render(d)
            best = min(best, time.perf_counter() - t)
        path = folder / f"{period.key}-{TOPIC.id}.md"
        path.write_text(text, encoding="utf-8")
        entries.append(Entry(TOPIC.id, TOPIC.title, period, path.name, d.summary, datetime.now(timezone.utc)))
        print(f"{kind} digest {period.key}: {d.releases:,} releases, {len(d.stories):,} stories, {len(d.figures):,} "
              f"figure rows, {len(d.highlights)} highlights, {len(d.series)} charts: {len(text.encode()):,} bytes; "
              f"build + render {best * 1000:.0f} ms (best of {5 if kind == 'day' else 2})")
    atom = render_atom(entries, lambda e: highlights_html(folder / e.filename, e.filename), feed_id="urn:bench")
    print(f"digests.xml with these {len(entries)} entries: {len(atom.encode()):,} bytes")
    store.dispose()


if __name__ == "__main__":
    main()
