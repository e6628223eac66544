"""Render a Digest as Markdown.

Everything that came from a feed goes through digests.safe (escaped, links only to
http(s)). The output depends only on the Digest (no clock), so regenerating a period
yields the same bytes and the writer leaves the file untouched.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from digests.charts import scale_for, timeline, xychart
from digests.model import Digest, FigureLine, MilestoneLine, Series, Source, Story
from digests.safe import clean, escape, escape_block, link

FIGURE_COLUMNS = ("Status", "Figure", "What it measures", "Value", "Earlier value", "Change", "Source")
_STATUS = {"new": "**new**", "changed": "**changed**", "conflict": "⚠️ **conflict**", "known": "known"}
_KIND = {"day": "Daily", "week": "Weekly", "month": "Monthly"}


def render(d: Digest) -> str:
    tz = d.period.timezone
    out = [f"# {escape(d.topic_title)} — {d.period.label}", "",
           f"*{_KIND.get(d.period.kind, d.period.kind)} digest · {_time(d.period.start, tz)} to "
           f"{_time(d.period.end, tz)} ({tz}) · releases count on the day prwatch first saw them; "
           f"times are in {tz}.*", "",
           f"**{escape(d.summary)}**", ""]
    if d.figures:
        out += _figures(d)
    if d.milestones:
        out += _milestones(d)
    if d.stories:
        out += ["## Stories", ""]
        for s in d.stories:
            out += _story(s, tz)
    if d.health:
        out += ["## Feed health", "", "Some feeds failed during this period, so this digest may miss releases:", ""]
        out += [f"- {escape(h.feed)}: {h.failures} failed fetch{'es' if h.failures != 1 else ''}; "
                f"last error: {escape(h.last_error, 200)}" for h in d.health]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_value(value: float, unit: str | None, kind: str | None) -> str:
    if kind == "money" or unit not in ("%",):
        return f"{_num(value)} {unit or ''}".strip()
    return f"{_num(value)}%"


def _num(v: float) -> str:
    size, word = scale_for([v])
    if word and word != "thousand":
        return f"{v / size:,.4g} {word}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def _time(dt: datetime | None, tz: str) -> str:
    if dt is None:
        return "date unknown"
    return dt.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _day(s: Source, tz: str) -> str:
    return _time(s.when, tz)[:10]


# ------------------------------------------------------------------ figures

def _figures(d: Digest) -> list[str]:
    out = ["## New and changed figures", "",
           "| " + " | ".join(FIGURE_COLUMNS) + " |", "|" + "---|" * len(FIGURE_COLUMNS)]
    out += [_figure_row(f, d.period.timezone) for f in d.figures]
    out.append("")
    for s in d.series:
        out += _history(s, d.period.timezone)
    return out


def _figure_row(f: FigureLine, tz: str) -> str:
    earlier = change = "—"
    if f.earlier is not None:
        e = f.earlier
        earlier = (f"{format_value(e.value, e.unit, f.kind)} ({_day(e.source, tz)}, "
                   f"{link(escape(e.source.feed), e.source.url)})")
        if e.unit == f.unit and e.value:
            delta = f.value - e.value
            change = f"{'+' if delta >= 0 else '−'}{format_value(abs(delta), f.unit, f.kind)}"
            if f.unit != "%":
                change += f" ({delta / e.value * 100:+.1f}%)"
            else:
                change = change.replace("%", " pp")
    figure = escape(" ".join(x for x in (f.qualifier, f.text) if x and not (x == f.qualifier and x in f.text)), 60)
    cells = [_STATUS[f.status], figure, _measures(f), format_value(f.value, f.unit, f.kind), earlier, change,
             f"{link(escape(f.source.feed), f.source.url)} ({_day(f.source, tz)})"]
    return "| " + " | ".join(cells) + " |"


def _measures(f: FigureLine) -> str:
    """What the figure measures; without a subject, the words around it, in italics."""
    if f.subject:
        return escape(f.subject, 80) + (f" ({escape(f.period, 30)})" if f.period else "")
    sentence = clean(f.sentence)
    at = sentence.find(f.text)
    if at < 0:
        return "—"
    lo, hi = max(0, at - 50), min(len(sentence), at + len(f.text) + 50)
    snippet = ("…" if lo else "") + sentence[lo:hi].strip() + ("…" if hi < len(sentence) else "")
    return f"*{escape(snippet)}*"


def _history(s: Series, tz: str) -> list[str]:
    out = [f"### History: {escape(s.subject, 80)}", ""] + xychart(s) + [""]
    out += ["| Period | Value | Source |", "|---|---|---|"]
    out += [f"| {escape(p.period, 30)} | {format_value(p.value, s.unit, s.kind)}"
            f"{' (⚠️ sources differ)' if p.disputed else ''} | "
            f"{link(escape(p.source.feed), p.source.url)} ({_day(p.source, tz)}) |" for p in s.points]
    return out + [""]


# ------------------------------------------------------------------ milestones and stories

def _milestones(d: Digest) -> list[str]:
    out = ["## Milestones", ""]
    for status, heading in (("happened", "Happened"), ("announced", "Announced and planned")):
        group = [m for m in d.milestones if m.status == status]
        if group:
            out += [f"### {heading}", ""] + [_milestone_item(m) for m in group] + [""]
    if len(d.milestones) >= 2:
        out += timeline(d.milestones, f"{d.topic_title} milestones") + [""]
    return out


def _milestone_item(m: MilestoneLine) -> str:
    known = "already known" if m.known else "**new**"
    return f"- **{escape(m.date)}** — {escape(m.event, 200)} · {known} · {link(escape(m.source.feed), m.source.url)}"


def _story(s: Story, tz: str) -> list[str]:
    lead = s.lead
    notes = [f"{escape(lead.feed)}, {_time(lead.published_at, tz) if lead.published_at else 'publication time unknown'}"]
    if s.revised:
        notes.append("revised since first seen")
    if s.followup:
        notes.append(f"first seen {_time(lead.first_seen_at, tz)[:10]}, in an earlier digest")
    lines = [f"### {link(escape(lead.title, 200), lead.url)}", "", f"*{' · '.join(notes)}*", ""]
    if s.summary:
        lines += [escape_block(s.summary, 600), ""]
    if s.figures:
        figs = "; ".join(escape(f.text, 60) + (f" ({escape(f.subject, 60)})" if f.subject else "")
                         + (f" — {f.status}" if f.status != "known" else "") for f in s.figures)
        lines += [f"**Key figures:** {figs}", ""]
    if s.also:
        lines += ["**Also carried by:** " + ", ".join(_also(a, tz) for a in s.also), ""]
    return lines


def _also(a: Source, tz: str) -> str:
    return f"{link(escape(a.feed), a.url)} ({_time(a.when, tz)})"
