"""Render a Digest as Markdown.

Everything that came from a feed goes through digests.safe (escaped, links only to
http(s)). The output depends only on the Digest (no clock), so regenerating a period
yields the same bytes and the writer leaves the file untouched.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from digests.charts import scale_for, timeline, xychart
from digests.model import (
    Digest,
    EarlierValue,
    FigureLine,
    Highlight,
    MilestoneLine,
    Series,
    Source,
    Story,
    stories_in_full,
)
from digests.periods import digest_filename
from digests.safe import clean, escape, escape_block, link
from digests.vocabulary import MINOR
from monitor.analysis.near_misses import NEAR_MISS

FIGURE_COLUMNS = ("Status", "Measure", "Period", "Value", "Compared with", "Change", "Source")
FIGURE_ROWS = 60  # rows of the figures table in full; more become one line each
FIGURE_LINES = 200  # one-line figures at most, then a count
MINOR_LINES = 60  # minor figures listed at most
STORY_LINES = 300  # one-line stories at most, then a count
LATE_LINES = 100
MILESTONE_LINES = 150  # milestones listed at most per group (happened, announced), then a count
_STATUS = {"new": "**new**", "changed": "**changed**", "conflict": "⚠️ **conflict**", "known": "known"}
_KIND = {"day": "Daily", "week": "Weekly", "month": "Monthly"}


def render(d: Digest) -> str:
    tz = d.period.timezone
    out = [f"# {escape(d.topic_title)} — {d.period.label}", "",
           f"*{_KIND.get(d.period.kind, d.period.kind)} digest · {_time(d.period.start, tz)} to "
           f"{_time(d.period.end, tz)} ({tz}) · a release belongs to the period it was published in "
           f"(when first seen, if its feed gives no date); times are in {tz}.*", "",
           f"**{escape(d.summary)}**", ""]
    if d.highlights:
        out += ["## Highlights", ""] + [f"- {_highlight(h, tz)}" for h in d.highlights] + [""]
    if d.figures:
        out += _figures(d)
    if d.milestones:
        out += _milestones(d)
    if d.stories:
        out += _stories(d.stories, tz)
    if d.late:
        out += _late(d)
    if d.health:
        out += ["## Feed health", "", "Some feeds failed during this period, so this digest may miss releases:", ""]
        out += [f"- {escape(h.feed)}: {h.failures} failed fetch{'es' if h.failures != 1 else ''}; "
                f"last error: {escape(h.last_error, 200)}" for h in d.health]
        out.append("")
    if d.near_misses:
        out += [_near_misses(d), ""]
    return "\n".join(out).rstrip() + "\n"


def _near_misses(d: Digest) -> str:
    """The footer: how many releases of the period came close to matching, and the command
    that lists exactly those (the period's first and last day, in its time zone)."""
    tz = ZoneInfo(d.period.timezone)
    first = d.period.start.astimezone(tz).date()
    last = (d.period.end - timedelta(microseconds=1)).astimezone(tz).date()
    n = d.near_misses
    return (f"{n} release{' came' if n == 1 else 's came'} within {NEAR_MISS:g} of this topic's threshold: "
            f"`prwatch topics near-misses --topic {d.topic_id} --since {first} --until {last}`")


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


# ------------------------------------------------------------------ highlights

def _highlight(h: Highlight, tz: str) -> str:
    f = h.figure
    if f is not None:
        what = _what(f)
        if h.kind == "conflict":
            others = " vs ".join(f"{_value(o, f)} ({_by(o.source, tz)})" for o in f.others) or "another value"
            before = f"; {_value(f.previous, f)} in {escape(f.previous.period or '')}" if f.previous else ""
            return f"⚠️ Sources differ on **{what}**: {_value_of(f)} ({_by(f.source, tz)}) vs {others}{before}"
        if h.kind == "changed" and f.earlier is not None:
            return (f"**{what}** revised by {escape(f.source.feed)}: {_value_of(f)}, was {_value(f.earlier, f)} "
                    f"({_day(f.earlier.source, tz)}){_pct(f, f.earlier)}")
        if h.kind == "new":
            return f"**{what}**: {_value_of(f)} (first stated) — {_by(f.source, tz)}"
        if f.previous is not None:
            direction = "up" if f.value > f.previous.value else "down" if f.value < f.previous.value else "level"
            return (f"**{what}**: {_value_of(f)}, {direction} from {_value(f.previous, f)} in "
                    f"{escape(f.previous.period or '')}{_pct(f, f.previous)} — {_by(f.source, tz)}")
    if h.milestone is not None:
        m = h.milestone
        state = "announced" if m.status == "announced" else "happened"
        return f"New milestone ({state}): **{escape(m.date)}** — {escape(m.event, 160)} · {_by(m.source, tz)}"
    if h.story is not None:
        s = h.story
        wires, news = s.weight
        why = ", ".join(x for x in (f"carried by {wires} wires" if wires > 1 else "",
                                    f"{news} new or changed figures" if news > 1 else "") if x)
        return f"Biggest story: {link(escape(s.lead.title, 160), s.lead.url)} — {why}"
    return ""


def _what(f: FigureLine) -> str:
    label = escape(f.label or f.subject or "figure", 80)
    return f"{label} {escape(f.period, 30)}" if f.period else label


def _value_of(f: FigureLine) -> str:
    return format_value(f.value, f.unit, f.kind)


def _value(e: EarlierValue, f: FigureLine) -> str:
    return format_value(e.value, e.unit, f.kind)


def _by(s: Source, tz: str) -> str:
    return f"{link(escape(s.feed), s.url)}, {_day(s, tz)}"


def _pct(f: FigureLine, e: EarlierValue) -> str:
    """ (+6.8%) for levels, (+2 pp) for percentages; nothing across units or from zero."""
    if e.unit != f.unit or not e.value:
        return ""
    if f.unit == "%":
        return f" ({f.value - e.value:+.1f} pp)"
    return f" ({(f.value - e.value) / abs(e.value) * 100:+.1f}%)"


# ------------------------------------------------------------------ figures

def _figures(d: Digest) -> list[str]:
    tz = d.period.timezone
    main = [f for f in d.figures if f.rank < MINOR]
    minor = [f for f in d.figures if f.rank >= MINOR]
    out = ["## Figures", ""]
    if main:
        out += ["One row per measure and period; key measures first. *Compared with* is the earlier value "
                "(changed), another source's (conflict) or the previous period's (new).", "",
                "| " + " | ".join(FIGURE_COLUMNS) + " |", "|" + "---|" * len(FIGURE_COLUMNS)]
        out += [_figure_row(f, tz) for f in main[:FIGURE_ROWS]]
        out.append("")
        rest = main[FIGURE_ROWS:]
        if rest:
            out += [f"### {len(rest)} more figures", ""]
            out += [f"- {_STATUS[f.status]} {_what(f)}: {_value_of(f)} · {_by(f.source, tz)}" for f in rest[:FIGURE_LINES]]
            if len(rest) > FIGURE_LINES:
                out.append(f"- … and {len(rest) - FIGURE_LINES} more")
            out.append("")
    if minor:
        out += ["### Minor figures", ""] + _minor(minor, tz) + [""]
    for s in d.series:
        out += _history(s, tz)
    return out


def _figure_row(f: FigureLine, tz: str) -> str:
    compared = change = "—"
    c = f.comparison
    if f.status == "conflict" and f.others:
        compared = "; ".join(f"{_value(o, f)} ({_by(o.source, tz)})" for o in f.others)
        if f.earlier is not None:
            compared += f"; {escape(f.source.feed)} revised it from {_value(f.earlier, f)} ({_day(f.earlier.source, tz)})"
        elif f.previous is not None:
            compared += f"; {_value(f.previous, f)} in {escape(f.previous.period or '')}"
        c = f.others[0]
    elif c is not None:
        when = f"in {escape(c.period)}, " if c is f.previous and c.period else ""
        compared = f"{_value(c, f)} ({when}{_day(c.source, tz)}, {link(escape(c.source.feed), c.source.url)})"
    if c is not None and c.unit == f.unit and c.value:
        delta = f.value - c.value
        change = f"{'+' if delta >= 0 else '−'}{format_value(abs(delta), f.unit, f.kind)}"
        if f.unit != "%":
            change += f" ({delta / c.value * 100:+.1f}%)"
        else:
            change = change.replace("%", " pp")
    measure = escape(f.label, 80) if f.label else _snippet(f)
    source = f"{link(escape(f.source.feed), f.source.url)} ({_day(f.source, tz)})"
    if f.carriers > 1:
        source += f" and {f.carriers - 1} more"
    cells = [_STATUS[f.status], measure, escape(f.period, 30) or "—", _stated(f), compared, change, source]
    return "| " + " | ".join(cells) + " |"


def _stated(f: FigureLine) -> str:
    value = format_value(f.value, f.unit, f.kind)
    if f.qualifier and f.qualifier not in f.text:
        return f"{escape(f.qualifier)} {value}"
    return value


def _minor(lines: list[FigureLine], tz: str) -> list[str]:
    """Minor figures grouped by what they measure, one line per group."""
    groups: dict[str, list[FigureLine]] = {}
    for f in lines:
        groups.setdefault(escape(f.label, 80) if f.label else _snippet(f), []).append(f)
    out = []
    for what, group in list(groups.items())[:MINOR_LINES]:
        values = "; ".join(f"{escape(f.text, 40)}{f' ({escape(f.period, 20)})' if f.period else ''} "
                           f"· {link(escape(f.source.feed), f.source.url)}" for f in group[:6])
        out.append(f"- {what}: {values}" + (f"; … {len(group) - 6} more" if len(group) > 6 else ""))
    if len(groups) > MINOR_LINES:
        out.append(f"- … and {len(groups) - MINOR_LINES} more")
    return out


def _snippet(f: FigureLine) -> str:
    """Without a subject, the words around the figure, in italics."""
    sentence = clean(f.sentence)
    at = sentence.find(f.text)
    if at < 0:
        return escape(f.text, 60)
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
            out += [f"### {heading}", ""] + _milestone_items(group) + [""]
    picture = timeline(d.milestones, f"{d.topic_title} milestones")
    if picture:
        out += picture + [""]
    return out


def _milestone_items(group: list[MilestoneLine]) -> list[str]:
    """Every milestone when there are few; else the new ones first, in date order, and a count."""
    if len(group) <= MILESTONE_LINES:
        return [_milestone_item(m) for m in group]
    shown = sorted(sorted(group, key=lambda m: m.known)[:MILESTONE_LINES], key=lambda m: (m.date, m.event))
    known = sum(m.known for m in group) - sum(m.known for m in shown)
    return [_milestone_item(m) for m in shown] + [
        f"- … and {len(group) - len(shown)} more" + (f" ({known} already known)" if known else "")]


def _milestone_item(m: MilestoneLine) -> str:
    known = "already known" if m.known else "**new**"
    return f"- **{escape(m.date)}** — {escape(m.event, 200)} · {known} · {link(escape(m.source.feed), m.source.url)}"


def _stories(stories: tuple[Story, ...], tz: str) -> list[str]:
    """Every story in full when there are few; else the biggest in full and one line each for
    the rest, so a busy period stays a document a person reads."""
    out = ["## Stories", ""]
    full = stories_in_full(stories)
    for i in full:
        out += _story(stories[i], tz)
    if len(full) == len(stories):
        return out
    shown = set(full)
    rest = [s for i, s in enumerate(stories) if i not in shown]
    out += [f"### {len(rest)} more stories", ""]
    out += [f"- {link(escape(s.lead.title, 160), s.lead.url)} · {escape(s.lead.feed)}, {_day(s.lead, tz)}"
            + (f" · also {len(s.also)} more" if s.also else "")
            + (" · not fully analysed" if s.unanalysed else "") for s in rest[:STORY_LINES]]
    if len(rest) > STORY_LINES:
        out.append(f"- … and {len(rest) - STORY_LINES} more")
    return out + [""]


def _late(d: Digest) -> list[str]:
    tz = d.period.timezone
    out = ["## Arrived late", "", "Published in an earlier period and first seen in this one; "
           "each is in its own period's digest, which was updated:", ""]
    out += [f"- {link(escape(r.source.title, 160), r.source.url)} · {escape(r.source.feed)}, published "
            f"{_day(r.source, tz)} · in [{escape(r.period_key)}]({quote(digest_filename(r.period_key, d.topic_id))})"
            for r in d.late[:LATE_LINES]]
    if len(d.late) > LATE_LINES:
        out.append(f"- … and {len(d.late) - LATE_LINES} more")
    return out + [""]


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
    if s.unanalysed:
        lines += ["**Not fully analysed** (its figures and milestones may be missing here; read the release): "
                  + "; ".join(f"{escape(feed)}: {escape(note, 120)}" for feed, note in s.unanalysed), ""]
    return lines


def _also(a: Source, tz: str) -> str:
    return f"{link(escape(a.feed), a.url)} ({_time(a.when, tz)})"
