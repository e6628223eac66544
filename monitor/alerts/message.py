"""What one message says: a rule's items of one poll, as a title, a Markdown body (Apprise
turns it into each service's format: HTML mail, Slack blocks, ...) and the JSON body of the
webhook. Pure.

Text from feeds is untrusted: it is escaped for Markdown and links are http(s) only, as in
the digests (digests.safe), so a release cannot put markup or a javascript: link in a mail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from digests.render import format_value
from digests.safe import clean, escape, link

FORMAT = 1  # the webhook body's version: fields are only ever added
MAX_ITEMS_SHOWN = 30  # lines in a message's text; the webhook's items list every one


@dataclass(frozen=True, slots=True)
class Message:
    key: str  # idempotency key: the same for every attempt to send this message
    title: str
    markdown: str
    body: dict[str, Any]  # the webhook's JSON body
    attachment: str | None = None  # a file to attach (a digest's Markdown)
    html: str | None = None  # an HTML body instead of the Markdown one (a digest)


_WHAT = {"figure": ("figure moved", "figures moved"), "conflict": ("conflict between sources", "conflicts between sources"),
         "milestone": ("new milestone", "new milestones"), "release": ("new release", "new releases"),
         "words": ("release matching your words", "releases matching your words")}


def alert_message(key: str, rule: str, trigger: str, topic: Mapping[str, str], items: Sequence[Mapping[str, Any]],
                  created_at: str) -> Message:
    items = merge_copies(items)
    one, many = _WHAT[trigger]
    title = clean(f"{topic['title']}: {len(items)} {one if len(items) == 1 else many} ({rule})", 200)
    lines = [f"**{escape(rule)}** — {escape(topic['title'])}", ""]
    lines += [f"- {item_line(i)}" for i in items[:MAX_ITEMS_SHOWN]]
    if len(items) > MAX_ITEMS_SHOWN:
        lines.append(f"- … and {len(items) - MAX_ITEMS_SHOWN} more")
    lines += ["", f"prwatch message {key}"]
    body = {"format": FORMAT, "id": key, "type": "alert", "rule": rule, "trigger": trigger, "topic": dict(topic),
            "created_at": created_at, "title": title, "items": list(items), "text": "\n".join(lines)}
    return Message(key, title, "\n".join(lines), body)


def test_message(key: str, channel: str, created_at: str) -> Message:
    title = "prwatch: test message"
    text = (f"This is a test message from prwatch to the channel **{escape(channel)}**. "
            f"If you read it, alerts will reach you here.\n\nprwatch message {key}")
    return Message(key, title, text, {"format": FORMAT, "id": key, "type": "test", "channel": channel,
                                      "created_at": created_at, "title": title, "items": [], "text": text})


def digest_message(key: str, topic: Mapping[str, str], period_key: str, summary: str, markdown: str, html: str,
                   path: str, created_at: str) -> Message:
    title = clean(f"{topic['title']} digest {period_key}: {summary}", 200)
    body = {"format": FORMAT, "id": key, "type": "digest", "topic": dict(topic), "period": period_key,
            "summary": summary, "created_at": created_at, "title": title, "items": [], "text": markdown}
    return Message(key, title, markdown, body, attachment=path, html=html)


def digest_html(markdown: str) -> str:
    """A digest as an e-mail's HTML body: the Markdown rendered with raw HTML off (its text
    is escaped already), tables on, as the digest feed renders it."""
    from markdown_it import MarkdownIt

    html: str = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown)
    return html


def merge_copies(items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One item per figure, milestone or release however many wires carried it in the poll:
    a copy adds its feed to the first one's `also`."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for i in items:
        if i["kind"] in ("figure", "conflict"):
            key: tuple[Any, ...] = (i["kind"], i["measure_key"], round(float(i["value"]), 9), i["unit"])
        elif i["kind"] == "milestone":
            key = ("milestone", i["date"], clean(i["event"]).lower())
        else:
            key = (i["kind"], i["release"]["id"])
        first = out.get(key)
        if first is None:
            out[key] = {**i, "also": []}
        elif i["release"]["feed"] != first["release"]["feed"] and i["release"]["feed"] not in first["also"]:
            first["also"].append(i["release"]["feed"])
    return list(out.values())


def item_line(i: Mapping[str, Any]) -> str:
    """One line of Markdown for an item: what, the value and what it was, and where it was said."""
    r = i["release"]
    where = f"{link(escape(r['title'], 160), r.get('url'))} ({escape(r['feed'])}" + \
            (f", also {escape(', '.join(i.get('also') or []))}" if i.get("also") else "") + ")"
    if i["kind"] in ("figure", "conflict"):
        what = escape(i.get("label") or i.get("subject") or "a figure", 120)
        if i.get("period"):
            what += f" ({escape(i['period'])})"
        value = escape(format_value(i["value"], i["unit"], None))
        line = f"{what}: **{value}**"
        p = i.get("previous")
        if p:
            verb = {"conflict": "but", "changed": "was"}.get(i["status"], "previous")
            pv = escape(format_value(p["value"], p["unit"], None))
            period = f" for {escape(p['period'])}" if p.get("period") and p.get("period") != i.get("period") else ""
            line += f", {verb} {pv}{period} ({link(escape(p['source']['feed']), p['source'].get('url'))}"
            line += f", {escape((p['source'].get('published_at') or '')[:10])})" if p["source"].get("published_at") else ")"
        else:
            line += " (first statement)"
        if i.get("change_percent") is not None and i["status"] != "conflict":
            line += f" {i['change_percent']:+.1f}%"
        return f"{line} — {where}"
    if i["kind"] == "milestone":
        state = "announced" if i.get("status") == "announced" else "happened"
        return f"{escape(i['date'])}: {escape(i['event'], 200)} ({state}) — {where}"
    if i["kind"] == "words":
        return f"{where} — matches {escape(', '.join(i['words']))}"
    return where
