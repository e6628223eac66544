"""Extraction throughput: releases per second on one core, for typical release sizes.

    .venv/bin/python benchmarks/bench_extract.py [--sizes 1500 3000 5000 8000] [--n 400]

Releases are assembled from template sentences written for this benchmark (money, percent,
counts, quantities, dates, and plain prose without numbers), so the text mix resembles a
trade press release. Each release runs `extract_figures` and `extract_milestones`, as the
poller does. Also prints how long importing `monitor.analysis.extract` takes in a fresh interpreter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import subprocess
import sys
import time

TEMPLATES = [
    "Bilateral trade between {a} and {b} reached ${m} billion in {y}, up {p} percent year-on-year.",
    "Exports of grain from {a} to {b} rose by {p}% to {t} million tons in January-{mo} {y}.",
    "The two sides signed {n} agreements worth more than ${m} billion during the visit.",
    "The new logistics hub at {c} will handle {n},000 TEU a year once completed in {y2}.",
    "Officials said the corridor has cut delivery times from {d} days to {d2} days.",
    "The wind farm, with a capacity of {n} MW, was commissioned in {mo} {y}.",
    "About a third of the cargo is carried by rail, and freight volumes doubled over {n} years of cooperation.",
    "{a} and {b} established diplomatic relations in 1992 and marked the 30th anniversary in 2022.",
    "The ministry reported that {n} enterprises and {n2} students took part in the exchange programme.",
    "Investment in the region is estimated at {k} billion tenge, according to the regional akimat.",
    "The next round of consultations is scheduled to be held in {c} in {y2}.",
    "Flights between the capitals will increase to {n} per week from the summer season.",
    "The pipeline, {k} km long, has delivered a cumulative total of {t} billion cubic metres of gas.",
]
PROSE = [
    "The forum brought together business leaders, officials and experts from across the region.",
    "Participants discussed digital trade, customs procedures and the development of transit routes.",
    "He noted that cooperation in agriculture, energy and transport remains a priority for both countries.",
    "The delegation also visited an industrial park and met representatives of local companies.",
    "The parties exchanged views on regional security and agreed to keep in close contact.",
    "According to the organisers, the exhibition showcased machinery, food products and textiles.",
    "Special attention was paid to simplifying border crossing procedures for freight carriers.",
    "The minister thanked the partners for their support and invited investors to the region.",
    "Experts believe the new route will strengthen the region's role as a transit hub.",
    "The statement stressed the importance of people-to-people exchanges and tourism.",
]
PLACES = ["Kazakhstan", "China", "Uzbekistan", "Kyrgyzstan", "Khorgos", "Almaty", "Urumqi", "Aktau"]
MONTHS = ["March", "April", "June", "September", "October"]


def make_release(rng: random.Random, size: int, dense: bool = False) -> str:
    """A release of about `size` characters, in paragraphs. Three sentences in four are plain
    prose, which gives ~4-5 figures per KB, about what real trade news carries; `dense` makes
    every sentence a figure sentence (~17 figures per KB), as a worst case."""
    parts: list[str] = []
    length = 0
    while length < size:
        a, b, c = rng.sample(PLACES, 3)
        if not dense and rng.random() < 0.75:
            s = rng.choice(PROSE)
            parts.append(s)
            length += len(s) + 1
            continue
        s = rng.choice(TEMPLATES).format(
            a=a, b=b, c=c, m=rng.randint(1, 60), p=round(rng.uniform(1, 80), 1), t=round(rng.uniform(1, 20), 1),
            n=rng.randint(2, 90), n2=rng.randint(100, 5000), k=rng.randint(100, 900), d=rng.randint(10, 30),
            d2=rng.randint(3, 9), y=rng.randint(2015, 2024), y2=rng.randint(2025, 2030), mo=rng.choice(MONTHS))
        parts.append(s)
        length += len(s) + 1
    paras = [" ".join(parts[i:i + 3]) for i in range(0, len(parts), 3)]
    return "\n\n".join(paras)


def import_ms() -> float:
    code = "import time; t=time.perf_counter(); import monitor.analysis.extract; print((time.perf_counter()-t)*1000)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1500, 3000, 5000, 8000])
    ap.add_argument("--n", type=int, default=400, help="releases per size")
    ap.add_argument("--dense", action="store_true", help="every sentence carries figures (worst case)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is reported")
    args = ap.parse_args()
    print(f"import monitor.analysis.extract: {min(import_ms() for _ in range(3)):.1f} ms (best of 3, fresh interpreter)")
    from monitor.analysis.extract import extract_figures, extract_milestones

    rng = random.Random(4)
    published = dt.date(2024, 6, 1)
    for size in args.sizes:
        docs = [make_release(rng, size, args.dense) for _ in range(args.n)]
        extract_figures(docs[0]), extract_milestones(docs[0])  # warm caches
        dt_s = cpu_s = float("inf")
        for _ in range(args.repeat):  # the fastest run: other processes only ever slow it down
            figures = milestones = 0
            t0, c0 = time.perf_counter(), time.process_time()
            for d in docs:
                figures += len(extract_figures(d, published=published))
                milestones += len(extract_milestones(d, published=published))
            dt_s = min(dt_s, time.perf_counter() - t0)
            cpu_s = min(cpu_s, time.process_time() - c0)
        avg = sum(map(len, docs)) / len(docs)
        print(f"{size:>5} chars (avg {avg:6.0f}): {len(docs) / dt_s:8.0f} releases/s wall, "
              f"{len(docs) / cpu_s:6.0f}/s CPU  "
              f"({figures / len(docs):.1f} figures, {milestones / len(docs):.1f} milestones per release)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
