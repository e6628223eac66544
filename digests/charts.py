"""Mermaid pictures: a timeline of milestones and a line chart (xychart-beta) of a measure's
history. Both render natively on GitHub and in Obsidian; elsewhere they read as plain text,
and the numbers are always in a table next to them."""

from __future__ import annotations

from collections.abc import Sequence

from digests.model import MilestoneLine, Series
from digests.safe import mermaid_text

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))


def timeline(milestones: Sequence[MilestoneLine], title: str) -> list[str]:
    """A Mermaid timeline, one section per date, in date order."""
    by_date: dict[str, list[str]] = {}
    for m in sorted(milestones, key=lambda m: (m.date, m.event)):
        by_date.setdefault(mermaid_text(m.date, 12) or str(m.year), []).append(mermaid_text(m.event, 60) or "event")
    lines = ["```mermaid", "timeline", f"    title {mermaid_text(title, 80)}"]
    lines += [f"    {date} : " + " : ".join(events) for date, events in by_date.items()]
    return lines + ["```"]


def scale_for(values: Sequence[float]) -> tuple[float, str]:
    """A divisor and its word so the largest value reads as a short number (41 billion)."""
    top = max((abs(v) for v in values), default=0.0)
    for size, word in _SCALES:
        if top >= size:
            return size, word
    return 1.0, ""


def xychart(series: Series) -> list[str]:
    """A Mermaid xychart-beta line chart of a series, values scaled to one unit."""
    size, word = scale_for([p.value for p in series.points])
    unit = " ".join(x for x in (series.unit if series.kind != "percent" else "%", word) if x)
    labels = ", ".join(f'"{mermaid_text(p.period, 20)}"' for p in series.points)
    values = ", ".join(_num(p.value / size) for p in series.points)
    title = mermaid_text(series.subject, 60) + (f" ({mermaid_text(unit, 30)})" if unit else "")
    return ["```mermaid", "xychart-beta", f'    title "{title}"', f"    x-axis [{labels}]",
            f'    y-axis "{mermaid_text(unit, 30) or "value"}"', f"    line [{values}]", "```"]


def _num(v: float) -> str:
    return f"{v:.4g}" if "e" not in f"{v:.4g}" else f"{v:.2f}"
