"""Time of release-page extraction (monitor.ingest.article) against the page's size.

    .venv/bin/python benchmarks/bench_article.py

Pages of plain paragraphs in one <div>, the shape that made the earlier extractor quadratic;
the time should grow in proportion to the size.
"""

from __future__ import annotations

import time

from monitor.ingest.article import article_text

PARAGRAPH = "<p>The ministry said freight through the corridor rose again in the quarter, with more trains each week.</p>\n"


def main() -> None:
    for kib in (27, 55, 109, 1024, 4096):
        n = kib * 1024 // len(PARAGRAPH)
        html = "<html><body><nav>Home</nav><div class='x'>" + PARAGRAPH * n + "</div></body></html>"
        started = time.perf_counter()
        text = article_text(html)
        print(f"{kib:>5} KiB page: {time.perf_counter() - started:6.2f} s, {len(text):,} characters of text")


if __name__ == "__main__":
    main()
