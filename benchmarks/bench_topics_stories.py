"""Cost per release of topic matching and of story assignment.

    .venv/bin/python benchmarks/bench_topics_stories.py [--releases 10000] [--stored 1000 100000]

Synthetic releases are built from a pool of sentences (some shared by many releases, as
wire phrases are) with China/Kazakhstan words sprinkled in, so the topic regex meets
realistic hit rates; the story store is filled with 2,000 such releases plus fresh text with
English-like word frequencies, so band keys collide only where phrases are shared.

Prints CPU microseconds per release (process time: steadier than wall time on a shared
machine) for: topic matching with the shipped config.toml topics (full texts in a realistic
and a dense mix, and feed summaries), a signature at 1.5 KB and 5 KB, and MemoryStories.place at
each store size (10 % of the added releases are edited copies of stored ones, which must join).
"""

from __future__ import annotations

import argparse
import random
import time
import tomllib
from pathlib import Path

from monitor.analysis.stories import MemoryStories, signature, story_keys
from monitor.analysis.topics import match_topics, parse_topics

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "the company said on today its new plant will produce million tons of steel revenue quarter percent "
    "growth year agreement signed minister trade export import rail port container train power wind solar "
    "bank loan investment project construction capacity cooperation customers market share price oil gas "
    "pipeline region city government officials partners technology service network expansion results "
    "announced board chief executive officer statement shareholders billion operations development"
).split()
TOPIC_WORDS = ["China", "Chinese", "Beijing", "Kazakhstan", "Kazakh", "Astana", "Almaty", "Khorgos", "Xi Jinping"]


def make_sentences(rng: random.Random, n: int, topic_rate: float = 0.01) -> list[str]:
    """Sentences of 12-28 words; `topic_rate` of them carry one China or Kazakhstan word."""
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
        if rng.random() < topic_rate:
            words.insert(rng.randrange(len(words)), rng.choice(TOPIC_WORDS))
        words[0] = words[0].capitalize()
        out.append(" ".join(words) + ".")
    return out


class FreshText:
    """Sentences never seen before, with English-like word frequencies (Zipf over a
    2,100-word vocabulary): unrelated releases then share only common phrases, as real ones do."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = WORDS + [f"w{i}" for i in range(2000)]
        self.weights = [1 / (rank + 1) for rank in range(len(self.vocab))]

    def release(self, size: int) -> tuple[str, str]:
        words = self.rng.choices(self.vocab, self.weights, k=max(3, size // 7))
        text = " ".join(words)
        return " ".join(words[:8]).capitalize(), ". ".join(text[i:i + 160] for i in range(0, len(text), 160))


def make_release(rng: random.Random, pool: list[str], common: list[str], size: int) -> tuple[str, str]:
    parts: list[str] = []
    while sum(map(len, parts)) < size:
        parts.append(rng.choice(common) if rng.random() < 0.15 else rng.choice(pool))
    paras = [" ".join(parts[i:i + 3]) for i in range(0, len(parts), 3)]
    return " ".join(rng.choice(WORDS) for _ in range(8)).capitalize(), "\n".join(paras)


def edited_copy(rng: random.Random, title: str, text: str) -> tuple[str, str]:
    """A wire copy: new headline, first paragraph dropped when there are several."""
    paras = text.split("\n")
    return "Wire: " + title, "\n".join(paras[1:] if len(paras) > 2 else paras)


def per_call_us(fn, items) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()
    for item in items:
        fn(*item)
    return (time.process_time() - start) / len(items) * 1e6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--releases", type=int, default=10_000)
    ap.add_argument("--stored", type=int, nargs="+", default=[1_000, 100_000])
    args = ap.parse_args()
    rng = random.Random(42)
    pool, common = make_sentences(rng, 20_000), make_sentences(rng, 60)
    topics = parse_topics(tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))["topics"])

    # realistic: a China or Kazakhstan word in 1 % of sentences (most releases mention neither);
    # dense: in 8 % of sentences, so a third of the releases name both sides and are fully scored
    for label, rate, low, high in (("realistic", 0.01, 1500, 5000), ("dense", 0.08, 1500, 5000),
                                   ("summaries", 0.01, 300, 1000)):
        sentences = make_sentences(random.Random(7), 20_000, rate)
        releases = [make_release(rng, sentences, common, rng.randint(low, high)) for _ in range(args.releases)]
        start = time.process_time()
        matched = sum(bool(match_topics(topics, t, x)) for t, x in releases)
        total = time.process_time() - start
        print(f"topics ({label}): {len(topics)} topics, {args.releases} releases of {low}-{high} chars: "
              f"{total:.3f} s in all, "
              f"{total / args.releases * 1e6:.1f} us per release ({matched} matched)")

    for size in (1500, 5000):
        docs = [make_release(rng, pool, common, size) for _ in range(300)]
        print(f"signature: {size / 1000:.1f} KB release: {per_call_us(signature, docs):.0f} us")

    for stored in args.stored:
        index = MemoryStories()
        fill_start = time.process_time()
        fresh = FreshText(rng)
        base = [make_release(rng, pool, common, rng.randint(600, 1500)) for _ in range(min(stored, 2_000))]
        for rid in range(stored):
            t, x = base[rid] if rid < len(base) else fresh.release(rng.randint(600, 1500))
            index.place(rid, signature(t, x))
        fill = time.process_time() - fill_start
        new = []
        for i in range(1_000):
            if i % 10 == 0:
                new.append(edited_copy(rng, *base[rng.randrange(len(base))]))
            else:
                new.append(make_release(rng, pool, common, rng.randint(1500, 5000)))
        sigs = [signature(t, x) for t, x in new]
        cands = sum(len(list(index.candidates(story_keys(s), -1))) for s in sigs) / len(sigs)
        start = time.process_time()
        joined = sum(index.place(stored + i, s) != stored + i for i, s in enumerate(sigs))
        add_us = (time.process_time() - start) / len(sigs) * 1e6
        print(f"stories: {stored:>7} stored: add {add_us:.1f} us per release (signature not included), "
              f"{cands:.1f} candidates compared on average, {joined}/100 copies joined a story, "
              f"(filling the store took {fill:.1f} s with signatures)")


if __name__ == "__main__":
    main()
