"""Alert latency: from a daemon's poll storing a release with a changed figure to a local
webhook receiving the message (the release's first_seen_at to the POST's arrival).

    .venv/bin/python benchmarks/bench_alerts.py [--rounds 5] [--db URL]

A `prwatch run` daemon polls one local feed every 6 s (poll.interval_minutes = 0.1); each
round adds a release stating a new value of two-way trade and waits for its message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timezone
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "tests")]

from alert_servers import SECRET, webhook_receiver  # noqa: E402
from procs import feed_server, procs, write_config  # noqa: E402


def rss(n: int) -> bytes:
    items = "".join(
        f"<item><guid>r{i}</guid><title>China and Kazakhstan trade update {i}</title><link>http://example.org/{i}</link>"
        f"<description>Two-way trade between China and Kazakhstan reached ${40 + i} billion in 2023.</description></item>"
        for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}</channel></rss>'.encode()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", default=None)
    args = ap.parse_args()
    from sqlalchemy import func, select

    from storage.sql.engine import open_store
    from storage.sql.models import Release

    arrivals: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, \
            webhook_receiver(on_arrival=lambda d: arrivals.append(time.time())) as hook, \
            feed_server({"/f.xml": rss(1)}) as server, \
            procs(Path(tmp)) as ps:
        folder = Path(tmp)
        db = args.db or f"sqlite:///{folder / 'prwatch.db'}"
        config = write_config(folder, db, {"wire": server.url("/f.xml")}, interval_minutes=0.1)
        config.write_text('[alerts]\n[[alerts.channels]]\nname = "hook"\nwebhook = "' + hook.url +
                          '"\nsecret_env = "K"\n[[alerts.rules]]\nname = "trade"\ntopic = "china-kazakhstan"\n'
                          'on = "figure"\nsubjects = ["trade"]\n\n' + config.read_text())
        ps.start(config, "run", env={"K": SECRET})
        store = open_store(db)
        def count() -> int:
            with store.session() as s:
                return s.scalar(select(func.count()).select_from(Release)) or 0
        while not count():
            time.sleep(0.1)
        latencies = []
        for r in range(args.rounds):
            server.feeds["/f.xml"] = rss(r + 2)
            hook.wait_for(r + 1, timeout=120)
            arrived = arrivals[-1]
            with store.session() as s:
                stored = s.scalar(select(func.max(Release.first_seen_at)))
            latencies.append(arrived - stored.replace(tzinfo=timezone.utc).timestamp())
        store.dispose()
    print(f"alert latency, stored -> received, {args.rounds} rounds: median {statistics.median(latencies):.3f} s, "
          f"min {min(latencies):.3f} s, max {max(latencies):.3f} s ({', '.join(f'{x:.3f}' for x in latencies)})")


if __name__ == "__main__":
    main()
