"""Score what extracted figures mean on the held-out articles in `articles.json`.

    .venv/bin/python -m tests.monitor.analysis.extract.heldout.meaning_check [--show]

The same measures as the evaluation of real articles: `subject usable` (content-word F1 of
the subject against the label >= 0.5), `period right` (over labels with a period),
`period invented` (a period where the label has none), `measure pairs F1` and `statement
pairs F1` (pairs of figures given one measure, and one measure and period, against the
labels' pairs, over all articles), and `event usable` for milestones. The articles were
written for prwatch: `articles.json` before the rules were tuned, `articles_later.json`
after, scored once before any further change. They check that a rule is right for a class
of sentences, not for one article.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from typing import Any

from monitor.analysis.analyse import analyse
from monitor.analysis.topics import parse_topics

HERE = Path(__file__).parent
CONFIG = HERE.parents[4] / "config.toml"
_STOP = frozenset("a an the of to in on for by with from at as and or its it this that these those is are was "
                  "were be been being has have had will would can could than into over under about per their "
                  "there which who such both two".split())


def content_words(s: str | None) -> set[str]:
    out = set()
    for w in re.findall(r"[a-z]+", (s or "").lower()):
        if w in _STOP or len(w) < 2:
            continue
        if len(w) > 4 and w.endswith("ies"):
            w = w[:-3] + "y"
        elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.add(w)
    return out


def word_f1(pred: str | None, gold: str | None) -> float:
    p, g = content_words(pred), content_words(gold)
    if not p or not g:
        return 0.0
    h = len(p & g)
    return 2 * h / (len(p) + len(g))


def _pairs_f1(items: list[tuple[Any, Any]]) -> float:
    tp = fp = fn = 0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            g, p = items[i][0] == items[j][0], items[i][1] is not None and items[i][1] == items[j][1]
            tp += g and p
            fp += p and not g
            fn += g and not p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def _topics() -> Any:
    with CONFIG.open("rb") as fh:
        return parse_topics(tomllib.load(fh).get("topics", []))


def score(show: bool = False, name: str = "articles.json") -> dict[str, float]:
    articles = json.loads((HERE / name).read_text(encoding="utf-8"))["articles"]
    topics = _topics()
    matched: list[tuple[dict[str, Any], dict[str, Any]]] = []
    events: list[float] = []
    labelled = found = 0
    for a in articles:
        published = dt.datetime.fromisoformat(a["published"]) if a.get("published") else None
        out = analyse("", a["text"], topics, published, always_extract=True).to_json()
        figures = out["figures"]
        used: set[int] = set()
        for g in a["figures"]:
            labelled += 1
            for i, p in enumerate(figures):
                if i not in used and (p["text"] == g["text"] or g["text"] in p["text"] or p["text"] in g["text"]):
                    used.add(i)
                    matched.append((g, p))
                    found += 1
                    break
            else:
                if show:
                    print(f"  {a['id']} not found: {g['text']!r}")
        taken: set[int] = set()
        for g in a.get("milestones", []):
            for i, p in enumerate(out["milestones"]):
                if i not in taken and p["year"] == g["year"]:
                    taken.add(i)
                    f1 = word_f1(p["event"], g["event"])
                    events.append(f1)
                    if show and f1 < 0.5:
                        print(f"  {a['id']} event {p['event']!r} | label {g['event']!r}")
                    break
            else:
                events.append(0.0)
                if show:
                    print(f"  {a['id']} milestone not found: {g['year']} {g['event']!r}")
    subj = [word_f1(p.get("subject"), g["subject"]) for g, p in matched]
    dated = [(g, p) for g, p in matched if g["period"]]
    undated = [(g, p) for g, p in matched if not g["period"]]
    if show:
        for (g, p), f in zip(matched, subj, strict=False):
            if f < 0.5 or p.get("period") != g["period"]:
                print(f"  {g['text']!r}: subject {p.get('subject')!r} period {p.get('period')!r} "
                      f"measure {p.get('measure')!r} | label {g['subject']!r} {g['period']!r}")
    return {
        "figures found": found / labelled,
        "subject usable": sum(f >= 0.5 for f in subj) / len(subj),
        "period right": sum(p.get("period") == g["period"] for g, p in dated) / len(dated),
        "period invented": sum(p.get("period") is not None for g, p in undated) / len(undated),
        "measure pairs F1": _pairs_f1([(g["measure"], p.get("measure")) for g, p in matched]),
        "statement pairs F1": _pairs_f1([((g["measure"], g["period"]),
                                          (p.get("measure"), p.get("period")) if p.get("measure") else None)
                                         for g, p in matched]),
        "event usable": sum(f >= 0.5 for f in events) / len(events) if events else 1.0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list what is missed")
    ap.add_argument("--file", default="articles.json", help="articles.json (written before tuning) or "
                                                           "articles_later.json (written after)")
    args = ap.parse_args()
    for name, value in score(args.show, args.file).items():
        print(f"{name:20} {value:.3f}")


if __name__ == "__main__":
    main()
