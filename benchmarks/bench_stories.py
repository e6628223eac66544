"""Story grouping scores on the story corpus: pairwise precision and recall over many
insertion orders, for several corpus seeds.

    .venv/bin/python benchmarks/bench_stories.py [--seeds 1 2 3] [--orders 100]

The corpus (tests/monitor/analysis/story_corpus.py) has at least 40 stories and 120 releases
per seed: syndicated copies, lead-only copies, corrections, agency rewrites, and hard
negatives (one wire's releases from one template about other periods or goods). The tests
run the same measurement at a smaller size.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "monitor" / "analysis")]

from story_corpus import corpus  # noqa: E402

from monitor.analysis.stories import MemoryStories, signature  # noqa: E402


def pairs(groups: list[object]) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(groups)), 2) if groups[i] == groups[j]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--orders", type=int, default=100)
    args = ap.parse_args()
    for seed in args.seeds:
        releases = corpus(seed)
        sigs = [signature(r.title, r.text) for r in releases]
        truth = pairs([r.story for r in releases])
        rng = random.Random(seed)
        precision, recall = [], []
        t0 = time.perf_counter()
        for _ in range(args.orders):
            order = list(range(len(releases)))
            rng.shuffle(order)
            stories = MemoryStories()
            for i in order:
                stories.place(i, sigs[i], releases[i].published)
            found = pairs([stories.story[i] for i in range(len(releases))])
            precision.append(len(truth & found) / max(1, len(found)))
            recall.append(len(truth & found) / len(truth))
        took = time.perf_counter() - t0
        print(f"seed {seed}: {len({r.story for r in releases})} stories, {len(releases)} releases, "
              f"{len(truth)} same-story pairs; over {args.orders} insertion orders: precision "
              f"mean {sum(precision) / len(precision):.3f} min {min(precision):.3f}, recall mean "
              f"{sum(recall) / len(recall):.3f} min {min(recall):.3f} ({took:.1f} s)")


if __name__ == "__main__":
    main()
