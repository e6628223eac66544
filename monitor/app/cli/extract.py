"""`prwatch extract`: what a release would get from one document (topics, figures, milestones)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from monitor.app.cli.base import EXIT_OK, command, console, print_json, untrusted, with_logging
from monitor.errors import PrwatchError


@command(name="extract")
@click.argument("path", metavar="PATH")
@click.option("--json", "as_json", is_flag=True, help="Print exactly one JSON object.")
def extract(path: str, as_json: bool) -> int:
    """Analyse one text or HTML file (- for standard input) and print what a release would get."""
    from monitor.analysis.analyse import analyse
    from monitor.analysis.text import headline_end, html_to_text

    settings = with_logging("extract")
    if path == "-":
        raw = sys.stdin.read()
    else:
        try:
            raw = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            raise PrwatchError(f"cannot read {path}: {e.strerror or e}") from None
    text = html_to_text(raw) if "<" in raw and ">" in raw else raw.strip()
    cut = headline_end(text)  # a first line that is a lead paragraph is analysed as body
    title, body = text[:cut], text[cut:]
    analysis = analyse(title.strip(), body.strip(), settings.topics, always_extract=True)
    if as_json:
        print_json(analysis.to_json(), indent=None)
    else:
        _print_analysis(console(), analysis, settings, title.strip(), body.strip())
    return EXIT_OK


def _print_analysis(out: Any, analysis: Any, settings: Any, title: str, body: str) -> None:
    from rich.table import Table

    from monitor.analysis.near_misses import NEAR_MISS, is_near_miss
    from monitor.analysis.topics import is_match, score_topics

    out.print("Topics", style="bold")
    if not settings.topics:
        out.print("  (no topics configured)")
    # every topic, matched or not: what decided, against which threshold
    for topic, score in zip(settings.topics, score_topics(settings.topics, title, body), strict=True):
        verdict = ("matched" if is_match(score.score, topic.min_score) else
                   f"near miss (within {NEAR_MISS} of the threshold)" if is_near_miss(score.score, topic.min_score)
                   else "no match")
        out.print(untrusted(f"  {topic.id}: score {score.score:.2f} / threshold {topic.min_score:.2f}, {verdict}"
                            + (" — " + "; ".join(score.reasons) if score.reasons else "")))
    t = Table(title="Figures")
    for col in ("kind", "value", "unit", "text", "subject", "period"):
        t.add_column(col, overflow="fold")
    for f in analysis.figures:
        t.add_row(f.kind, plain_number(f.value), untrusted(f.unit), untrusted(f.text), untrusted(f.subject),
                  untrusted(f.period))
    out.print(t)
    m = Table(title="Milestones")
    for col in ("date", "status", "event"):
        m.add_column(col, overflow="fold")
    for ms in analysis.milestones:
        m.add_row(untrusted(ms.date), ms.status, untrusted(ms.event))
    out.print(m)


def plain_number(v: float) -> str:
    """41000000000 as 41,000,000,000 and 33.33 as 33.33, never in exponent form."""
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4f}".rstrip("0").rstrip(".")


COMMANDS = [extract]
