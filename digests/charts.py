"""Mermaid pictures: a timeline of milestones and a line chart (xychart-beta) of a measure's
history. Both render natively on GitHub and in Obsidian; elsewhere they read as plain text,
and the numbers are always in a table next to them.

Readable at any size: the timeline has a section per year, at most TIMELINE_YEARS of them
(older years folded into one), a few events per year; labels are cut at a word boundary with
an ellipsis; both pictures carry their own colours (an init directive), chosen to keep their
contrast on a white page and on a dark one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from digests.model import MilestoneLine, Series
from digests.safe import mermaid_text

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
TIMELINE_YEARS = 12  # sections at most; the oldest years beyond are folded into one
EVENTS_PER_YEAR = 4
LABEL_CHARS = 60
MIN_TIMELINE_EVENTS = 3
# mid-tones: lines and boxes at least 3:1 against white (#ffffff) and GitHub's dark (#0d1117)
LINE = "#2f81f7"
TEXT = "#768390"
BOXES = ("#2f6fdb", "#1a7f37", "#8250df", "#bf3989", "#9a6700", "#cf222e")
_XY_THEME = {"theme": "base", "themeVariables": {
    "background": "transparent", "xyChart": {
        "backgroundColor": "transparent", "plotColorPalette": LINE, "titleColor": TEXT,
        "xAxisLabelColor": TEXT, "xAxisTitleColor": TEXT, "xAxisTickColor": TEXT, "xAxisLineColor": TEXT,
        "yAxisLabelColor": TEXT, "yAxisTitleColor": TEXT, "yAxisTickColor": TEXT, "yAxisLineColor": TEXT}}}
_TIMELINE_THEME = {"theme": "base", "themeVariables": {
    "background": "transparent", "primaryColor": BOXES[0], "primaryTextColor": "#ffffff", "lineColor": TEXT,
    "textColor": TEXT, "titleColor": TEXT,
    **{f"cScale{i}": BOXES[i % len(BOXES)] for i in range(12)},
    **{f"cScaleLabel{i}": "#ffffff" for i in range(12)}}}


def _init(theme: Mapping[str, object]) -> str:
    return "%%{init: " + json.dumps(theme, separators=(",", ":")) + "}%%"


def timeline(milestones: Sequence[MilestoneLine], title: str) -> list[str]:
    """A Mermaid timeline, one section per year in year order (none below three events)."""
    if len(milestones) < MIN_TIMELINE_EVENTS:
        return []
    by_year: dict[int, list[str]] = {}
    for m in sorted(milestones, key=lambda m: (m.date, m.event)):
        by_year.setdefault(m.year, []).append(mermaid_text(m.event, LABEL_CHARS) or "event")
    years = sorted(by_year)
    lines = ["```mermaid", _init(_TIMELINE_THEME), "timeline", f"    title {mermaid_text(title, 80)}"]
    if len(years) > TIMELINE_YEARS:
        old, years = years[:len(years) - TIMELINE_YEARS + 1], years[len(years) - TIMELINE_YEARS + 1:]
        count = sum(len(by_year[y]) for y in old)
        lines.append(f"    {old[0]}–{old[-1]} : {count} earlier milestone{'s' if count != 1 else ''} (listed above)")
    for y in years:
        events = by_year[y]
        shown = events[:EVENTS_PER_YEAR] + ([f"and {len(events) - EVENTS_PER_YEAR} more"]
                                            if len(events) > EVENTS_PER_YEAR else [])
        lines.append(f"    {y} : " + " : ".join(shown))
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
    title = mermaid_text(series.subject, LABEL_CHARS) + (f" ({mermaid_text(unit, 30)})" if unit else "")
    return ["```mermaid", _init(_XY_THEME), "xychart-beta", f'    title "{title}"', f"    x-axis [{labels}]",
            f'    y-axis "{mermaid_text(unit, 30) or "value"}"', f"    line [{values}]", "```"]


def _num(v: float) -> str:
    return f"{v:.4g}" if "e" not in f"{v:.4g}" else f"{v:.2f}"
