"""Which rules a stored release sets off, and what each alert item says. Pure.

Figures are judged by the digest's own novelty rules (digests.novelty.Ledger: new, changed,
conflict or known against the latest statement of the same measure by each source), so an
alert and the digest never disagree about what moved. The caller gives, for one release,
what the store knew before it: each source's latest statement of the measures it states
(and of the other periods of those measures), and the milestone events already stated.

An item is a plain JSON-able dict (it is written to the outbox as it is, and is the
`items` of the webhook body the README documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from digests.model import Source
from digests.novelty import EventLedger, Ledger, Statement, Verdict
from monitor.alerts.settings import Rule
from monitor.domain import Figure, Milestone, StoredRelease

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|2\d\d\d)(?!\d)")


@dataclass(frozen=True, slots=True)
class Known:
    """What the store knew before one release, for the rules that compare."""

    prior: Sequence[Statement] = ()  # each source's latest statement of the release's measures (all periods)
    events: frozenset[str] = frozenset()  # milestone event keys stated before by other releases
    origin: str = ""  # whose statements the release's are: the feed of its story's first release
    labels: Mapping[str, str] = field(default_factory=dict)  # measure id -> label, from the topic's vocabulary


FigureKey = Callable[[Figure], str]
EventKey = Callable[[Milestone], str]


def alert_items(rules: Sequence[Rule], stored: StoredRelease, known: Known, figure_key: FigureKey,
                event_key: EventKey) -> list[tuple[Rule, dict[str, Any]]]:
    """(rule, item) for every rule of the release's topic that the release sets off.

    `figure_key` and `event_key` give a figure's measure key and a milestone's event key as
    the store computes them (the keys `known` speaks of)."""
    out: list[tuple[Rule, dict[str, Any]]] = []
    if not rules:
        return out
    release = release_json(stored)
    judged = _judge(stored, figure_key, known) if any(r.on in ("figure", "conflict") for r in rules) else []
    fresh_events = _new_milestones(stored, event_key, known) if any(r.on == "milestone" for r in rules) else []
    text = f"{stored.draft.title}\n{stored.draft.text}"
    for rule in rules:
        if rule.on in ("figure", "conflict"):
            for f, s, verdict, previous in judged:
                item = _figure_item(rule, f, s, verdict, previous, known, release)
                if item is not None:
                    out.append((rule, item))
        elif rule.on == "milestone":
            out += [(rule, {"kind": "milestone", "date": m.date, "event": m.event, "status": m.status,
                            "sentence": m.sentence, "release": release}) for m in fresh_events]
        elif rule.on == "release" and not stored.revised:
            out.append((rule, {"kind": "release", "release": release}))
        elif rule.on == "words" and not stored.revised:
            hits = [w for w in rule.words if _has_words(text, w)]
            if hits:
                out.append((rule, {"kind": "words", "words": hits, "release": release}))
    return out


def release_json(stored: StoredRelease) -> dict[str, Any]:
    d = stored.draft
    return {"id": stored.release_id, "feed": stored.feed, "title": d.title, "url": d.url,
            "published_at": _iso(d.published_at), "revised": stored.revised}


def change_percent(value: float, earlier: float) -> float | None:
    """Relative change from `earlier` to `value`, in percent (None from zero)."""
    if earlier == 0:
        return None
    return (value - earlier) / abs(earlier) * 100.0


# ------------------------------------------------------------------ figures

def _judge(stored: StoredRelease, key_of: FigureKey, known: Known
           ) -> list[tuple[Figure, Statement, Verdict, Statement | None]]:
    """Each figure once (a number stated twice in one release is one statement), judged
    against what was stated before; with the latest earlier period of its measure for a new one."""
    source = Source(stored.feed, stored.draft.title, stored.draft.url, stored.draft.published_at, stored.stored_at)
    ledger = Ledger(known.prior)
    if stored.earlier is not None:  # a revision: the version it replaces is its source's latest statement
        ledger.add(Statement(key_of(f), f.value, f.unit, f.text, source, stored.release_id, False,
                             known.origin) for f in stored.earlier.figures)
    out = []
    seen: set[tuple[str, float]] = set()
    for f in stored.analysis.figures:
        key = key_of(f)
        s = Statement(key, f.value, f.unit, f.text, source, stored.release_id, True, known.origin)
        if (key, round(f.value, 9)) in seen:
            continue
        seen.add((key, round(f.value, 9)))
        verdict = ledger.judge(s)
        previous = _previous_period(ledger, s) if verdict.status == "new" and s.scoped else None
        out.append((f, s, verdict, previous))
    return out


def _previous_period(ledger: Ledger, s: Statement) -> Statement | None:
    """The latest statement of the nearest earlier period of the same shape ("2023" before
    "2024", "2024-05" before "2024-06"); never a target or a running total."""
    mine = s.period
    if not _YEAR.search(mine) or mine.startswith(("target", "since")):
        return None
    shape = _YEAR.sub("YYYY", mine)
    earlier = [(p, st) for p, st in ledger.history(s.series).items()
               if p < mine and _YEAR.search(p) and _YEAR.sub("YYYY", p) == shape]
    return max(earlier, key=lambda e: e[0])[1] if earlier else None


def _figure_item(rule: Rule, f: Figure, s: Statement, verdict: Verdict, previous: Statement | None,
                 known: Known, release: dict[str, Any]) -> dict[str, Any] | None:
    if not s.scoped or not rule.wants_measure(f.measure, f.subject):
        return None
    wanted = ("new", "changed") if rule.on == "figure" else ("conflict",)
    if verdict.status not in wanted:
        return None
    compared = verdict.earlier or previous
    pct = change_percent(f.value, compared.value) if compared is not None and compared.unit == f.unit else None
    if rule.on == "figure" and verdict.status == "changed" and rule.min_change_percent:
        if pct is not None and abs(pct) < rule.min_change_percent:
            return None
    return {
        "kind": "conflict" if verdict.status == "conflict" else "figure",
        "status": verdict.status,
        "measure": f.measure,
        "measure_key": s.key,
        "label": known.labels.get(f.measure or "", "") or f.subject or "",
        "subject": f.subject,
        "period": f.period,
        "value": f.value,
        "unit": f.unit,
        "text": f.text,
        "sentence": f.sentence,
        "change_percent": None if pct is None else round(pct, 2),
        "previous": None if compared is None else _statement_json(compared),
        "release": release,
    }


def _statement_json(s: Statement) -> dict[str, Any]:
    return {"value": s.value, "unit": s.unit, "text": s.text, "period": s.period or None,
            "source": {"feed": s.source.feed, "title": s.source.title, "url": s.source.url,
                       "published_at": _iso(s.source.published_at or s.source.first_seen_at)}}


# ------------------------------------------------------------------ milestones and words

def _new_milestones(stored: StoredRelease, key_of: EventKey, known: Known) -> list[Milestone]:
    events = EventLedger(known.events)
    if stored.earlier is not None:  # a revision: what it said before is not news
        for m in stored.earlier.milestones:
            events.add(key_of(m))
    out = []
    for m in stored.analysis.milestones:
        key = key_of(m)
        if not events.seen(key):
            out.append(m)
            events.add(key)
    return out


def _has_words(text: str, phrase: str) -> bool:
    """The phrase as whole words, in any case and spacing ("Khorgos", "dry port")."""
    words = [re.escape(w) for w in phrase.split()]
    return bool(words) and re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", text, re.IGNORECASE) is not None


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def by_rule(pairs: Iterable[tuple[Rule, dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for rule, item in pairs:
        out.setdefault(rule.name, []).append(item)
    return out
