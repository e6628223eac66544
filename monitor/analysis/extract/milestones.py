"""Milestones: dated events a release reports or announces.

A milestone needs a year written in its sentence and an event word near it ("signed",
"opened", "anniversary", "will start"). Not milestones, by the labelling rules: the dateline,
dates without a year, the period a statistic refers to ("trade in 2022 reached ..."), and
numeric targets with a deadline ("$35 billion by 2030"): a year right after a figure is read
as the figure's period or deadline. Relative dates ("on Wednesday", "last year") become
milestones only when the publication date is known to resolve them.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from monitor.analysis.extract.dates import (
    RELATIVE_HINT_RE,
    RELATIVE_RE,
    YEAR_RANGE_RE,
    DateMention,
    as_date,
    find_dates,
    iter_years,
    resolve_relative,
    years_in,
)
from monitor.analysis.extract.events import chained_event, event_phrase, short_event
from monitor.analysis.extract.figures import document, figure_spans_in
from monitor.analysis.extract.lazyre import lazy, may_hold
from monitor.analysis.extract.numbers import by_first_letter
from monitor.analysis.extract.tokens import TokenCache, verb_class
from monitor.analysis.lang import en
from monitor.analysis.text import Sentence, dateline_spans
from monitor.domain import Milestone

EVENT_RE = lazy(r"\b(?:" + by_first_letter(en.MILESTONE_EVENTS) + r")\b")
_COPULA_YEAR = lazy(r"\b(?:was|were|happened|occurred)\s+(?:back\s+)?in\s+(?:\w+\s+)?$", re.I)
_COPULA_ANY = lazy(r"\b(?:was|were|happened|occurred)\s+(?:\w+\s+)?(?:back\s+)?in\b", re.I)
# A passive event: "the railways were connected in December 2012" (a statistic verb is not one:
# "1.2 million tons were exported in 2023" is a period).
_PASSIVE_YEAR = lazy(r"\b(?:was|were)\s+(?:first\s+|finally\s+|officially\s+|jointly\s+)?(?P<v>[a-z]+(?:ed|en)|built|held|"
                     r"set up|begun)\s+(?:back\s+)?(?:in|on)\s+(?:\w+\s+)?$")
_STAT_PASSIVE = frozenset("recorded registered observed reported exported imported transported shipped handled "
                          "estimated valued expected forecast projected carried produced sold seen".split())
# "From May 30, 2024, the airline will add flights", "since 10 November 2023, the regime has been
# in effect": a date that starts something is the event's date.
_START_LEFT = lazy(r"\b(?:[Ss]ince|[Ff]rom|[Ss]tarting(?:\s+from)?|[Ee]ffective(?:\s+from)?)\s+$")
_RANGE_IN_DATE = lazy(r"\s(?:to|through|and)\s|[-–—]")
_RANGE_AFTER_DATE = lazy(r"\s*(?:to|through|till|until|[-–—])\s")
# "2024 became a landmark year": an assessment, not an event.
_ASSESSMENT_AFTER = lazy(r"\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}year\b")
# "put into operation in 2009, and a second in 2010": the second date shares the event.
# "put into operation in 2009, and a second in 2010", "first to a strategic partnership in
# 2005, then a comprehensive strategic partnership in 2011 and a permanent one in 2019": each
# later date of the chain shares the event, with its own object.
_ELLIPSIS_BETWEEN = lazy(r"^\s*,?\s*(?:and|as well as|then|and then|later|and later|followed by)\s+(?:to\s+)?"
                         r"(?:(?:a|an|the|another)\s+)?(?:[\w-]+\s+){0,5}?(?:in|on|by)\s+$")
_FUTURE_RE = lazy(r"\b(?:" + by_first_letter(en.MILESTONE_FUTURE, ignore_case=True) + r")\b", re.I)
# Between a figure and a year, only glue words: the year is the figure's period or deadline.
_FIGURE_GLUE = lazy(
    r"^[\s*)]*(?:(?:a|per)\s+year\s+)?(?:(?:in|by|before|for|during|of|until|through|over|as of|"
    r"by the end of|at the end of|in the same period of|since)\s+)?(?:the\s+)?"
    r"(?:(?:first|second|third|fourth|last)\s+(?:quarter|half)\s+of\s+)?(?:\w+\s+)?$", re.I)
_SAID_BEFORE = lazy(r"\b(?:said|says|told|noted|stated|added|reported)\s+$")
_DESIGN_BEFORE = lazy(r"\b(?:" + "|".join(en.PHYSICAL_DESIGN_WORDS) + r")\s+of\s+"
                      r"(?:up\s+to\s+|about\s+|some\s+|over\s+|more\s+than\s+)?$", re.I)
_PERIOD_LEFT = lazy(
    r"(?:fiscal year|fiscal|FY|year ended|ended|ending|results? (?:of|for)|compared (?:to|with)[^,]*|"
    r"(?:since|from) the (?:beginning|start) of(?: the year)?|"
    r"same period (?:of|in)|to date in|year-to-date)\s+(?:\w+\s+)?$", re.I)
_PERIOD_WORDS = ("fiscal", "fy", "ended", "ending", "result", "compared", "since the", "from the", "same period",
                 "to date in", "year-to-date")  # one is in every match of _PERIOD_LEFT
# Weaker period words ("the first half of 2024") mark a statistic only next to figures: "in the
# second half of 2024" is when construction begins, "exports in the first half of 2024" a period.
_WEAK_PERIOD_LEFT = lazy(r"(?:quarter|half|period|months)\s+(?:of\s+)?(?:\w+\s+)?$", re.I)
_WEAK_PERIOD_WORDS = ("quarter", "half", "period", "months")
_DATA_AFTER = lazy(
    r"\s+(?:data|report|results?|figures|statistics|census|budget|estimates?|forecasts?|outlook|"
    r"performance|financial|fiscal|accomplishments|revenues?|earnings|sales|harvest|season)\b", re.I)
_STAT_VERB_AFTER = lazy(r"\s+(?P<v>[a-z]+)\b(?!\s+(?:in|on)\b)")
_SINCE_LEFT = lazy(r"\b(?:[Ss]ince|[Ff]rom|[Bb]etween)\s+$")
_FIGURE_SUBJECT = lazy(r"^(?:\s+(?:[A-Za-z-]+\s+){0,3}?(?:were|was|have|has|had|have been|has been))?\s+$")
_DATE_PREP = lazy(r"\b(?:[Ii]n|[Oo]n|[Ss]ince|[Dd]uring|[Bb]y|[Ff]rom|[Oo]f|[Aa]t)\s+(?:the\s+)?$")
_AND_NEXT = lazy(r"\s*(?:,\s*)?(?:and|as well as)\b")
_ADJECTIVAL_FIGURE = lazy(r"\d-[A-Za-z]+$")
_NEW_CLAUSE = lazy(r"\b(?:since|when|after|before|until|because|while|it|they|which|who)\b", re.I)
_RELATIVE_OPENING = lazy(r",\s+(?:which|who|where|when)\s")
_AFTER_CUT = lazy(r",|;|\sand\s|\sbut\s")
_CLAUSE_SPLIT_AND = lazy(r"[,;:]\s+|\s+[–—]\s+|\s+and\s+")
_CLAUSE_SPLIT = lazy(r"[,;:]\s+|\s+[–—]\s+")
_TRIM_EVENT = lazy(r"^(?:and|but|while|when|which|that|as|so)\s+", re.I)


def _date_mentions(sentence: str, sent_start: int, dates: list[DateMention | tuple[int, int]],
                   blocked: list[tuple[int, int]]) -> list[DateMention]:
    """The sentence's dated mentions (`dates` are its find_dates), bare years included,
    outside the `blocked` spans (offsets in the text)."""
    found = [d for d in dates if isinstance(d, DateMention)]
    taken = [d for d in dates if isinstance(d, tuple)] + [(d.start, d.end) for d in found]
    taken += [(m.start(), m.end()) for m in YEAR_RANGE_RE.finditer(sentence)]
    found += years_in(sentence, taken)
    out = []
    for d in found:
        a = d.start + sent_start
        if any(x <= a < y for x, y in blocked):
            continue
        out.append(d)
    return sorted(out, key=lambda d: d.start)


def _is_statistic_year(sentence: str, d: DateMention, figs: list[tuple[int, int]]) -> bool:
    """A year that belongs to a figure (its period or deadline), not to an event."""
    left = sentence[:d.start]
    for a, b in figs:
        if b <= d.start and d.start - b <= 40 and _FIGURE_GLUE.match(sentence[b:d.start]) \
                and not _DESIGN_BEFORE.search(sentence, max(0, a - 30), a):
            return True  # (an asset's capacity has no period: "opened a terminal with a capacity of N in 2024")
    if figs and _SINCE_LEFT.search(left[-12:]):
        return True  # "Since 2005, the partners have built 52 projects": a cumulative statistic
    near = any(0 <= d.start - b <= 50 or 0 <= a - d.end <= 60 for a, b in figs)
    if near and may_hold(left[-30:], _WEAK_PERIOD_WORDS) and _WEAK_PERIOD_LEFT.search(left[-30:]):
        return True  # (a figure far off in another clause does not make "the first quarter of 2026" its period)
    if _DATA_AFTER.match(sentence, d.end):
        return True  # "the 2023 data", "our 2013 performance", "2014 financial outlook"
    if figs and (verb := _STAT_VERB_AFTER.match(sentence, d.end)) and verb_class(verb["v"]) in ("change", "level") \
            and any(0 <= a - verb.end() <= 25 for a, _b in figs):
        return True  # "tourists who visited Kazakhstan in 2024 rose 2.4 times": the statistic's period
    return may_hold(left[-40:], _PERIOD_WORDS) and bool(_PERIOD_LEFT.search(left[-40:]))


def _event_is_a_statistic(sentence: str, ev: re.Match[str], figs: list[tuple[int, int]]) -> bool:
    """'600,000 tourists visited ...': the event word's subject is a figure, so it states a
    number ("KTZ, the ministry and two banks signed" names who signed)."""
    return any(b <= ev.start() and _FIGURE_SUBJECT.match(sentence[b:ev.start()])
               and not _NEW_CLAUSE.search(sentence, b, ev.start())  # "120,000 vehicles since it was founded"
               and not _ADJECTIVAL_FIGURE.search(sentence, a, b)  # "The 965-km pipeline was put into operation"
               and not _DESIGN_BEFORE.search(sentence, max(0, a - 30), a)  # "The pipeline, with a capacity of N, was"
               and not sentence[max(0, a - 5):a].endswith(("and ", "or ")) for a, b in figs)


def _event_phrase(sentence: str, d: DateMention, several: bool = False) -> str:
    """The clause that holds the event word, without the date, at most 14 words. With several
    dates in the sentence, "and" also separates clauses ("ratified in 2020 and entered into
    force in 2021" gives two events)."""
    parts = []
    pos = 0
    for m in (_CLAUSE_SPLIT_AND if several else _CLAUSE_SPLIT).finditer(sentence):
        parts.append((pos, m.start()))
        pos = m.end()
    parts.append((pos, len(sentence)))
    best = None
    for a, b in parts:
        chunk = sentence[a:b]
        if a <= d.start <= b and EVENT_RE.search(chunk):
            best = (a, b)  # the clause of the date itself names the event
            break
        if EVENT_RE.search(chunk) and (best is None or abs(a - d.start) < abs(best[0] - d.start)):
            best = (a, b)
    a, b = best or next(((a, b) for a, b in parts if a <= d.start < b + 1), (0, len(sentence)))
    if len(sentence[a:b].split()) < 4 and not several:
        # "The center, opened in 2012, ...": a clause too short to say what opened.
        prev = [p for p in parts if p[1] <= a]
        if prev:
            a = prev[-1][0]
    chunk = sentence[a:b]
    ds, de = d.start - a, d.end - a
    if 0 <= ds <= len(chunk):
        before = _DATE_PREP.sub("", chunk[:max(0, ds)])
        chunk = before + " " + chunk[min(len(chunk), de):]
    chunk = _TRIM_EVENT.sub("", " ".join(chunk.split())).strip(" ,.;:\"'“”")
    words = chunk.split()
    if len(words) < 4 and not several:
        # "The summit, held on May 18-19, 2023, ...": name what was held.
        prev = [p for p in parts if p[1] <= a]
        if prev:
            words = sentence[prev[-1][0]:prev[-1][1]].split() + words
    return " ".join(short_event(words))


def extract_milestones(text: str, *, published: dt.date | None = None) -> list[Milestone]:
    """Dated events in `text`, one per event, in order of appearance."""
    if not text or not isinstance(text, str):
        return []
    published = as_date(published)
    # Only sentences with a year (or, when the publication date is known, a relative date) can
    # hold a milestone: find those with one scan of the whole text.
    anchors = [m.start() for m in iter_years(text)]
    if published is not None:
        anchors += [m.start() for m in RELATIVE_HINT_RE.finditer(text)]
    if not anchors:
        return []
    blocked = dateline_spans(text)
    tokens = document(text).tokens  # the figure rules tokenised many of these sentences already
    out: list[Milestone] = []
    for s in _sentences_at(text, sorted(anchors)):
        sent = s.text
        all_events = [ev for ev in EVENT_RE.finditer(sent)
                      if not (ev.group(0) in ("became", "become") and _ASSESSMENT_AFTER.match(sent, ev.end()))]
        has_start = ("rom " in sent or "ince " in sent or "tarting " in sent or "ffective " in sent)
        if not all_events and not has_start and not _COPULA_ANY.search(sent):
            continue
        figs = figure_spans_in(text, s.start, s.end)
        sent_dates = find_dates(sent)
        every = _date_mentions(sent, s.start, sent_dates, blocked)
        mentions = [d for d in every if not _is_statistic_year(sent, d, figs)]
        events = [ev for ev in all_events if not _event_is_a_statistic(sent, ev, figs)]
        chosen: dict[int, DateMention] = {}
        for ev in events:
            if not mentions:
                break
            near = _date_of_event(ev, mentions, events)
            chosen[near.start] = near
        for d in mentions:
            left = sent[:d.start]
            if _COPULA_YEAR.search(left):
                chosen[d.start] = d
            elif "was " in left or "were " in left:
                p = _PASSIVE_YEAR.search(left)
                if p and p.group("v") not in _STAT_PASSIVE and not any(b <= p.start() for a, b in figs):
                    chosen[d.start] = d
        if has_start:
            for d in every:
                if d.month is not None and _START_LEFT.search(sent, max(0, d.start - 20), d.start) \
                        and not _RANGE_IN_DATE.search(sent, d.start, d.end) \
                        and not _RANGE_AFTER_DATE.match(sent, d.end) \
                        and (d.day is not None or _FUTURE_RE.search(sent)):
                    chosen[d.start] = d
        if chosen:
            for d in mentions:
                if d.start not in chosen and any(
                        c.end <= d.start and _ELLIPSIS_BETWEEN.match(sent[c.end:d.start]) for c in chosen.values()):
                    chosen[d.start] = d
        if not chosen and published is not None:
            _relative(sent, s.start, published, figs, out, _previous(text, s), tokens)
            continue
        ordered = sorted(chosen.values(), key=lambda d: d.start)
        spans = [x if isinstance(x, tuple) else (x.start, x.end) for x in sent_dates] + \
            [(d.start, d.end) for d in every]
        previous_future = False
        for k, d in enumerate(ordered):
            future = _is_future(sent, d, ordered[k - 1].end if k else 0,
                                ordered[k + 1].start if k + 1 < len(ordered) else None)
            if k and previous_future and _AND_NEXT.match(sent, ordered[k - 1].end):
                future = True  # "agreed to hold X in 2025 and Y in 2026"
            previous_future = future
            if published is not None and d.year > published.year:
                future = True
            chained = k and _ELLIPSIS_BETWEEN.match(sent[ordered[k - 1].end:d.start])
            event = None
            if chained and out and out[-1].sentence == sent:
                event = chained_event(out[-1].event, sent[ordered[k - 1].end:d.start])
            event = event or event_phrase(sent, (d.start, d.end), figs, spans, _previous(text, s),
                                          tokens) or \
                _event_phrase(sent, d, len(ordered) > 1)
            out.append(Milestone(year=d.year, date=d.iso, event=event,
                                 sentence=sent,
                                 status="announced" if future else "happened", start=s.start + d.start))
    return _dedupe(out)


def _previous(text: str, s: Sentence) -> str | None:
    """The sentence before `s` ("That was in 1995." speaks of it)."""
    before = document(text).sentence_before(s.start)
    return before.text if before else None


def _sentences_at(text: str, anchors: list[int]) -> list[Sentence]:
    """The sentences holding the anchors, in order (the figure pass split the text already)."""
    doc = document(text)
    sentences = doc.sentences
    starts = [s.start for s in sentences]
    out: list[Sentence] = []
    seen: set[int] = set()
    for a in anchors:
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and a < sentences[i].end and i not in seen:
            seen.add(i)
            out.append(sentences[i])
    return out


def _date_of_event(ev: re.Match[str], mentions: list[DateMention], events: list[re.Match[str]]) \
        -> DateMention:
    """The date an event word belongs to: the first date after it when no other event word comes
    between them ("established ties in 1992 and upgraded them in 2019"), else the nearest date
    before it ("In 2016, the leaders signed ...")."""
    for d in mentions:
        if d.start >= ev.end():
            if not any(ev.end() <= o.start() < d.start for o in events if o is not ev):
                return d
            break
    before = [d for d in mentions if d.end <= ev.start()]
    if before:
        return before[-1]
    return min(mentions, key=lambda d: abs(d.start - ev.end()))


def _is_future(sent: str, d: DateMention, prev_end: int, next_start: int | None) -> bool:
    """Announced or planned: a future marker in the part of the sentence about this date
    ("was proposed in 2019 and construction will begin in 2024": only 2024 is announced)."""
    before = sent[prev_end:d.start]
    if ", wh" in before:
        # "plans to build a track on the line, which was completed in 2022": the relative
        # clause has its own tense
        before = _RELATIVE_OPENING.split(before)[-1]
    if next_start is None:
        after = sent[d.end:]
    else:
        after = _AFTER_CUT.split(sent[d.end:next_start], 1)[0]
    return bool(_FUTURE_RE.search(before) or _FUTURE_RE.search(after))


def _relative(sent: str, base: int, published: dt.date, figs: list[tuple[int, int]],
              out: list[Milestone], previous: str | None = None, tokens: TokenCache | None = None) -> None:
    """A dated event whose date is relative ('on Wednesday', 'last year'), resolved."""
    for m in RELATIVE_RE.finditer(sent):
        if any(b <= m.start() and m.start() - b <= 12 for a, b in figs):
            continue  # "$24 billion last year": a statistic's period
        if _SAID_BEFORE.search(sent, max(0, m.start() - 12), m.start()):
            continue  # "the ministry said on Wednesday that ...": when it was said, not the event
        events = [ev for ev in EVENT_RE.finditer(sent) if not _event_is_a_statistic(sent, ev, figs)]
        if not events:
            return  # none, or only what a figure did: "Last year, 655,000 tourists visited ..."
        resolved = resolve_relative(m, published)
        if resolved is None:
            return
        year, iso = resolved
        d = DateMention(m.start(), m.end(), year)
        future = bool(_FUTURE_RE.search(sent)) or year > published.year
        event = event_phrase(sent, (m.start(), m.end()), figs, [(m.start(), m.end())], previous, tokens) or \
            _event_phrase(sent, d)
        out.append(Milestone(year=year, date=iso, event=event, sentence=sent,
                             status="announced" if future else "happened", start=base + m.start()))
        return


_WORD_RUN = lazy(r"[a-z0-9]+")


def _words(s: str) -> set[str]:
    return {w for w in _WORD_RUN.findall(s.lower()) if len(w) > 2}


def _dedupe(items: list[Milestone]) -> list[Milestone]:
    """One event stated twice (same date, mostly the same words) is one milestone."""
    kept: list[Milestone] = []
    for m in items:
        mw = _words(m.event)
        dup = False
        for k in kept:
            if k.date != m.date:
                continue
            kw = _words(k.event)
            if k.sentence == m.sentence or (mw and kw and len(mw & kw) / min(len(mw), len(kw)) >= 0.6):
                dup = True
                break
        if not dup:
            kept.append(m)
    return kept


__all__ = ["extract_milestones"]
