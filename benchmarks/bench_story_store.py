"""Cost of putting a new release into its story, in a store of 1,000 and of 100,000 releases.

    .venv/bin/python benchmarks/bench_story_store.py [--sizes 1000,100000] [--new 300]

Fills a SQLite store (bulk inserts) with synthetic releases of ~1.5 KB that have their
signatures and LSH band keys, then times monitor.ingest.storing.place_in_story for new releases:
half of them near-duplicates of stored ones (another wire's copy: new boilerplate, an
edited headline, a trimmed lead), half unrelated. Candidates come from the indexed band
keys, so the cost per release should not grow with the store. Prints ms per release and
how many copies found their story.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from monitor.analysis.stories import signature, story_keys  # noqa: E402
from monitor.domain import Analysis, ProcessedEntry, ReleaseDraft  # noqa: E402
from monitor.ingest.storing import place_in_story  # noqa: E402
from storage.sql.engine import open_store  # noqa: E402
from storage.sql.models import Feed, Release, StoryKey  # noqa: E402

WORDS = ("trade cargo railway terminal investment agreement ministry energy project border logistics "
         "container port minister visit cooperation company plant wind solar grain export import "
         "billion million percent tons delegation forum partnership bank loan bridge road airline "
         "flight tourism student university hospital factory steel copper oil gas pipeline").split()


def body(rng: random.Random, n_words: int = 230) -> str:
    sentences = []
    while sum(len(s.split()) for s in sentences) < n_words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize()
                         + f" {rng.randint(1, 999)}.")
    return " ".join(sentences)


def copy_of(rng: random.Random, title: str, text: str) -> tuple[str, str]:
    """Another wire's copy: headline edited, first sentence trimmed, other boilerplate."""
    sentences = text.split(". ")
    return ("UPDATE: " + title.replace("signs", "inks"),
            ". ".join(sentences[1:]) + f" About the agency {rng.randint(1, 9)}: news from the region.")


def fill(store, n: int, rng: random.Random) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    now = datetime.now(timezone.utc)
    with store.session() as s:
        feed_id = s.execute(insert(Feed).returning(Feed.id), [dict(name="bench", url="http://127.0.0.1/x",
                            origin="config", full_text=False, enabled=True, error_count=0, created_at=now)]).scalar()
    docs = []
    batch = 2000
    for start in range(0, n, batch):
        rows, keys = [], []
        for i in range(start, min(n, start + batch)):
            title, text = f"Company {i} signs agreement {rng.randint(1, 10**6)}", body(rng)
            sig = signature(title, text)
            rows.append(dict(id=i + 1, feed_id=feed_id, guid=f"g{i}", url=None, title=title, author=None,
                             published_at=now, first_seen_at=now, updated_at=now, text=text, content_hash=str(i),
                             revision=1, story_id=i + 1, signature=sig.to_bytes()))
            keys += [dict(release_id=i + 1, key=k) for k in set(story_keys(sig))]
            docs.append((title, text))
        with store.session() as s:
            s.execute(insert(Release), rows)
            s.execute(insert(StoryKey), keys)
    return docs


def run(size: int, n_new: int) -> None:
    rng = random.Random(size)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'bench.db'}")
        t0 = time.perf_counter()
        docs = fill(store, size, rng)
        fill_s = time.perf_counter() - t0
        now = datetime.now(timezone.utc)
        new = []
        for j in range(n_new):
            if j % 2 == 0:
                src = rng.randrange(size)
                title, text = copy_of(rng, *docs[src])
                new.append((title, text, src + 1))
            else:
                new.append((f"Unrelated {j}", body(rng), None))
        with store.session() as s:
            feed_id = s.scalar(select(Feed.id))
            next_id = size + 1
            for k, (title, text, _) in enumerate(new):
                s.execute(insert(Release), [dict(id=next_id + k, feed_id=feed_id, guid=f"n{k}", url=None, title=title,
                          author=None, published_at=now, first_seen_at=now, updated_at=now, text=text,
                          content_hash=f"n{k}", revision=1, story_id=None, signature=None)])
        entries = []
        for k, (title, text, _) in enumerate(new):
            sig = signature(title, text)
            entries.append((next_id + k, ProcessedEntry(ReleaseDraft(f"n{k}", None, title, now, text), f"n{k}",
                                                        Analysis(), sig.to_bytes(), tuple(story_keys(sig)))))
        t1 = time.perf_counter()
        with store.transaction() as tx:
            for rid, entry in entries:
                place_in_story(tx, rid, entry)
        per = (time.perf_counter() - t1) / n_new * 1000
        with store.session() as s:
            stories = dict(s.execute(select(Release.id, Release.story_id).where(Release.id >= next_id)).all())
        found = sum(stories[next_id + k] == src for k, (_, _, src) in enumerate(new) if src is not None)
        fresh = sum(stories[next_id + k] == next_id + k for k, (_, _, src) in enumerate(new) if src is None)
        store.dispose()
        print(f"store of {size:>7,} releases (filled in {fill_s:5.1f} s): {per:6.2f} ms per new release; "
              f"copies joined their story {found}/{n_new // 2}, unrelated started their own {fresh}/{n_new - n_new // 2}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,100000")
    ap.add_argument("--new", type=int, default=300)
    args = ap.parse_args()
    for size in (int(x) for x in args.sizes.split(",")):
        run(size, args.new)


if __name__ == "__main__":
    main()
