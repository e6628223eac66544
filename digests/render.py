"""Render a Digest as Markdown.

Everything that came from a feed is untrusted: it is escaped so it cannot open HTML, a
link, an image, a heading or a table cell, and links are emitted only for http(s) URLs.
The output depends only on the Digest (no clock), so regenerating a period yields the
same bytes.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from digests.model import Digest, FigureLine, MilestoneLine, Source, Story

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~])")
_LINE_START = re.compile(r"^([-+=])|^(\d+)([.)])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str | None, limit: int | None = None) -> str:
    """Untrusted text made inert for Markdown and HTML, on one line."""
    if not text:
        return ""
    text = _CONTROL.sub("", text).replace("\r", " ").replace("\n", " ")
    text = " ".join(text.split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    text = text.replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), text)


def safe_url(url: str | None) -> str | None:
    """An http(s) URL safe inside a Markdown link destination, or None."""
    if not url:
        return None
    url = _CONTROL.sub("", url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="/:?#&=%@+,;~!$'*[]").replace("(", "%28").replace(")", "%29")


def link(text: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{text}]({target})" if target else text


def format_value(line: FigureLine | None = None, *, value: float | None = None, unit: str | None = None,
                 kind: str | None = None) -> str:
    if line is not None:
        value, unit, kind = line.value, line.unit, line.kind
    assert value is not None
    if kind == "money":
        return f"{_num(value)} {unit or ''}".strip()
    if unit in ("%", "pp", "bp"):
        return f"{_num(value)} {unit}" if unit != "%" else f"{_num(value)}%"
    return f"{_num(value)} {unit}".strip() if unit else _num(value)


def _num(v: float) -> str:
    a = abs(v)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if a >= size:
            return f"{v / size:,.3g} {word}" if (v / size) < 1000 else f"{v / size:,.0f} {word}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0").rstrip(".")


def _time(dt: datetime | None, tz: str) -> str:
    if dt is None:
        return "date unknown"
    return dt.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def render(d: Digest) -> str:
    tz = d.period.timezone
    out: list[str] = []
    out.append(f"# {escape(d.topic_title)} — {d.period.label}")
    out.append("")
    out.append(f"Period: {d.period.start:%Y-%m-%d %H:%M} to {d.period.end:%Y-%m-%d %H:%M} ({tz}); "
               "releases are counted on the day prwatch first saw them.")
    out.append("")
    new_figs = sum(f.status == "new" for f in d.figures)
    changed = sum(f.status in ("changed", "conflict") for f in d.figures)
    out.append(f"**{d.releases} release{'s' if d.releases != 1 else ''} in {len(d.stories)} "
               f"stor{'ies' if len(d.stories) != 1 else 'y'}, {new_figs} new figure{'s' if new_figs != 1 else ''}, "
               f"{changed} changed, {len(d.milestones)} milestone{'s' if len(d.milestones) != 1 else ''}.**")
    out.append("")
    if d.empty:
        out.append("No releases on this topic in this period.")
        out.append("")
    if d.figures:
        out += ["## New and changed figures", "",
                "| Figure | What it measures | Value | Earlier | Change | Source |",
                "|---|---|---|---|---|---|"]
        for f in d.figures:
            out.append(_figure_row(f, tz))
        out.append("")
    if d.milestones:
        out += ["## Milestones", ""]
        for status, heading in (("happened", "Happened"), ("announced", "Announced and planned")):
            group = [m for m in d.milestones if m.status == status]
            if group:
                out += [f"### {heading}", ""]
                out += [_milestone_item(m) for m in group]
                out.append("")
    if d.stories:
        out += ["## Stories", ""]
        for s in d.stories:
            out += _story(s, tz)
    if d.health:
        out += ["## Feed health", ""]
        for h in d.health:
            out.append(f"- {escape(h.feed)}: {h.failures} failed fetch{'es' if h.failures != 1 else ''}; "
                       f"last error: {escape(h.last_error, 200)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _figure_row(f: FigureLine, tz: str) -> str:
    what = escape(" ".join(x for x in (f.subject, f"({f.period})" if f.period else None) if x) or "—", 120)
    marker = {"new": "**new**", "conflict": "**conflict**"}.get(f.status, "")
    earlier = change = "—"
    if f.earlier is not None:
        e = f.earlier
        when = _time(e.source.published_at or e.source.first_seen_at, tz)[:10]
        earlier = f"{format_value(value=e.value, unit=e.unit, kind=f.kind)} ({when}, {link(escape(e.source.feed), e.source.url)})"
        if e.unit == f.unit and e.value:
            delta = f.value - e.value
            change = f"{'+' if delta >= 0 else '−'}{format_value(value=abs(delta), unit=f.unit, kind=f.kind)}"
            if f.kind != "percent":
                change += f" ({delta / e.value * 100:+.1f}%)"
    cells = [f"{escape(f.text, 60)} {marker}".strip(), what, format_value(f), earlier, change,
             link(escape(f.source.feed), f.source.url)]
    return "| " + " | ".join(cells) + " |"


def _milestone_item(m: MilestoneLine) -> str:
    known = " (already known)" if m.known else " **new**"
    return f"- **{escape(m.date)}** — {escape(m.event, 200)}{known} · {link(escape(m.source.feed), m.source.url)}"


def _story(s: Story, tz: str) -> list[str]:
    lead = s.lead
    lines = [f"### {link(escape(lead.title, 200), lead.url)}", "",
             f"*{escape(lead.feed)}, {_time(lead.published_at, tz)}*" + (" · revised" if s.revised else ""), ""]
    if s.summary:
        lines += [escape(s.summary, 600), ""]
    if s.figures:
        figs = "; ".join(f"{escape(f.text, 60)}" + (f" ({escape(f.subject, 60)})" if f.subject else "") for f in s.figures)
        lines += [f"Key figures: {figs}", ""]
    if s.also:
        lines += ["Also carried by: " + ", ".join(_also(a, tz) for a in s.also), ""]
    return lines


def _also(a: Source, tz: str) -> str:
    return f"{link(escape(a.feed), a.url)} ({_time(a.published_at, tz)})"
