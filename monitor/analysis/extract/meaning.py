"""What each figure of a release means: subject, period and a measure key.

`read_figures` walks a release's sentences in order, so later sentences can refer back
("This figure increased by 14%", "the plant"), and gives every figure candidate a
`Meaning`. Periods follow the labelling rules (`periods`): the period stated with the
figure; a start (`since 2006-07`) or a deadline and any plan or forecast (`target 2030`,
a bare `target`); a relationship's length gets the year it is reached; a growth figure the
period of its level; a statistic stated without a time word in a run of statistics (past
tense, "reaching", "while imports reached") the period of the run; present-tense statements
and design parameters of an asset no period.

The measure key here is the generic one, made from the subject alone (`generic_key`); a
topic's vocabulary (`monitor.analysis.extract.measures`) replaces it where it knows the
measure.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from monitor.analysis.extract.candidates import Candidate
from monitor.analysis.extract.lazyre import lazy, may_hold, search_at_words
from monitor.analysis.extract.numbers import by_first_letter
from monitor.analysis.extract.periods import Reference, TimeExpr, ahead, find_times, find_times_in
from monitor.analysis.extract.subjects import Context, Reading, SentenceReader
from monitor.analysis.extract.tokens import TokenCache
from monitor.analysis.extract.units import unit_family
from monitor.analysis.lang import en
from monitor.analysis.text import Sentence


@dataclass(slots=True)
class Meaning:
    subject: str | None
    period: str | None
    measure: str | None
    reading: Reading


_SAID_IN = lazy(r"\b(?:said|says|announced|reported|noted|told|stated|informed|added)\s+"
                      r"(?:\w+\s+){0,3}(?:on|in|at)\s+$", re.I)
_SAID_WORDS = ("said", "says", "announced", "reported", "noted", "told", "stated", "informed", "added")
_SINCE_THEN = lazy(r"\bsince\s+then\b|\bever\s+since\b", re.I)
_SINCE_ADVERB = lazy(r"\b(?:has|have|had)\s+since\b|\bsince\s+then\b|\bever\s+since\b", re.I)
# The verbs grouped by first letter: a whole release is scanned, ignoring case.
_RELATION_VERBS = [r"establish\w*", "since", r"launch\w*", r"start\w*", "began", "founded", "signed"]
_RELATION_START = lazy(r"\b(?:" + by_first_letter(_RELATION_VERBS, ignore_case=True) +
                       r")\b[^.;]{0,60}?\b(?P<y>1[89]\d\d|20\d\d)\b", re.I)
_RELATION_WORDS = tuple(v.removesuffix(r"\w*") for v in _RELATION_VERBS)  # where a match can start
_GOAL_VERBS = frozenset("increase raise boost reach double triple grow expand bring lift hit top exceed achieve "
                        "attract surpass".split())


def read_figures(text: str, sentences: Sequence[Sentence], by_sentence: dict[int, list[Candidate]],
                 ref: Reference, dates: Sequence[tuple[int, int]] = (), tokens: TokenCache | None = None
                 ) -> dict[int, Meaning]:
    """Meaning of every candidate (keyed by its start offset), sentence by sentence; `dates`
    are the text's date mentions (no subject is read from them), `tokens` the release's
    token cache (the milestone rules read the same sentences)."""
    tokens = tokens or TokenCache()
    ctx = Context(tokens)
    with_figures = sorted(by_sentence)
    all_times = dict(zip(with_figures, find_times_in(text, [(sentences[i].start, sentences[i].end)
                                                            for i in with_figures], ref), strict=False))
    date_starts = [a for a, _ in dates]
    out: dict[int, Meaning] = {}
    current: str | None = None  # the period of the run of statistics, passed on
    reporting: str | None = None  # the period a results release reports on, named in its lead
    restated: list[tuple[float, str | None, str | None]] = []  # (value, key, period) of the figures just before
    relation_start = _relation_start_year(text)
    for i, s in enumerate(sentences):
        group = by_sentence.get(i)
        sent = s.text
        ctx.sentence_no = i
        if not group:
            words = len(sent.split())
            heading = _heading_period(sent, ref) if words <= 7 else None
            if heading:
                current = heading  # "2013 Financial Results": the period of what follows
            elif words >= 4:
                current = None  # a sentence without figures ends a run of statistics
            if i < _LEAD_SENTENCES and reporting is None:
                reporting = _reporting_period(sent, ref)
            ctx.note(i, sent)
            continue
        if i and "\n" in text[sentences[i - 1].end:s.start]:
            ctx.route = None  # a named route holds within its paragraph
        base = s.start
        spans = [(c.start - base, c.end - base) for c in group]
        times = all_times[i]
        t_spans = [(t.start, t.end) for t in times]
        k0 = bisect.bisect_left(date_starts, s.start)
        while k0 < len(dates) and dates[k0][0] < s.end:
            t_spans.append((dates[k0][0] - base, dates[k0][1] - base))
            k0 += 1
        toks = tokens.tokens(sent, spans, t_spans)
        kinds = [(c.kind, c.unit, c.noun) for c in group]
        reader = SentenceReader(sent, toks, kinds, ctx)
        readings = [reader.read(k) for k in range(len(group))]
        cues = _Cues(sent, times)
        periods: list[str | None] = []
        for k in range(len(group)):
            periods.append(_period(sent, spans, k, readings[k], times, ref, relation_start, cues))
        # a growth figure takes the period of its level stated in the same sentence
        for k, r in enumerate(readings):
            if periods[k] is None and r.transform == "growth":
                for j, other in enumerate(readings):
                    if j != k and periods[j] and other.core and r.core and other.transform is None \
                            and _same_core(other.core, r.core):
                        periods[k] = periods[j]
                        break
        # "signed 16 agreements worth $2.1 billion on July 11": the things and their value are of one time
        for k in range(len(group) - 1):
            if group[k].kind == "count" and readings[k + 1].transform == "value" and (periods[k] is None) != (
                    periods[k + 1] is None):
                periods[k] = periods[k + 1] = periods[k] or periods[k + 1]
        # "increased by more than 60 times over the past 30 years": since the start of those years
        for k, r in enumerate(readings):
            if r.transform != "growth" or periods[k] is not None:
                continue
            for j, c in enumerate(group):
                pj = periods[j]
                if j != k and c.unit == "years" and pj and pj[:4].isdigit() and (
                        re.search(r"\b(?:over|in|during)\s+the\s+(?:past|last)\s+$", sent[:spans[j][0]][-25:], re.I) or
                        sent[spans[j][0]:spans[j][1]].lower().startswith(("past", "last"))):
                    periods[k] = f"since {int(pj[:4]) - int(c.value)}"
                    break
        # "have invested $26 billion over the past two decades": since the start of those years
        for k, r in enumerate(readings):
            if periods[k] is None and r.tense == "perfect" and r.role == "level":
                for j, c in enumerate(group):
                    pj = periods[j]
                    if j != k and c.unit == "years" and pj and pj[:4].isdigit() and \
                            _PAST_SPAN.search(sent, max(0, spans[j][0] - 20), spans[j][1]):
                        periods[k] = f"since {int(pj[:4]) - int(c.value)}"
                        break
        _year_earlier(sent, spans, readings, periods)
        # "on 8 November ... the 6,000th train trip in 2022": the year's count up to that day
        for k, r in enumerate(readings):
            pk = periods[k]
            if r.ordinal and group[k].value >= 100 and pk and len(pk) == 4 and pk.isdigit():
                day = _day_of(sent, times, int(pk))
                if day:
                    periods[k] = f"{pk}-01-01..{day}"
        # statistics of the run without their own period take its period
        stated = [p for k, p in enumerate(periods) if p and _passes_on(readings[k], p)]
        if stated:
            current = stated[-1]
        sentence_times = [t for t in times if t.role == "at" and t.label and not _EVENT_TIME.search(
            sent[max(0, t.start - 30):t.start])]
        for k, r in enumerate(readings):
            if periods[k] is None and _inherits(r):
                before = [t for t in sentence_times if t.end <= spans[k][0]]
                if len(sentence_times) == 1 and before:
                    periods[k] = before[0].label  # "pleased with our 2013 performance, ... generating N"
                elif current or reporting:
                    periods[k] = current or reporting
        _year_earlier(sent, spans, readings, periods)  # again: the figure before may have taken the run's
        keys = [generic_key(r, c.kind, c.unit) for r, c in zip(readings, group, strict=True)]
        for k, c in enumerate(group):
            if periods[k] is None and keys[k]:
                # "the trip number 6,000" after "the 6,000th train trip in 2022": the figure restated
                periods[k] = next((p for v, key, p in restated if v == c.value and key == keys[k] and p), None)
        restated = [(c.value, keys[k], periods[k]) for k, c in enumerate(group)]
        for k, c in enumerate(group):
            r = readings[k]
            out[c.start] = Meaning(r.subject, periods[k], keys[k], r)
            ctx.readings.append(r)
        ctx.note_routes(i, readings)
        ctx.note(i, sent, toks)
    return out


def _year_earlier(sent: str, spans: list[tuple[int, int]], readings: list[Reading], periods: list[str | None]) -> None:
    """"compared with 19 percent a year earlier", "rose to 38% from 31% a year earlier": the
    compared figure's period is a year before the one of the figure it follows."""
    for k, r in enumerate(readings):
        prior = periods[k - 1] if k else None
        if periods[k] is None and r.agent in ("basis", "from") and prior and _YEAR_EARLIER_AFTER.match(sent, spans[k][1]):
            periods[k] = _year_before(prior)


_DAY_MONTH = lazy(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([A-Z][a-z]+)|([A-Z][a-z]+)\.?\s+(\d{1,2})\b")


def _day_of(sent: str, times: list[TimeExpr], year: int) -> str | None:
    """The day in `year` the sentence dates itself to ("on 8 November", "on 8 November 2022")."""
    for t in times:
        if t.label and len(t.label) == 10 and t.label.startswith(f"{year}-"):
            return t.label
        if t.label is None and t.role in ("at", "relative"):
            m = _DAY_MONTH.search(sent, t.start, t.end)
            month = en.MONTHS.get((m.group(2) or m.group(3) or "").lower()) if m else None
            if m and month:
                return f"{year}-{month:02d}-{int(m.group(1) or m.group(4)):02d}"
    return None


_PAST_SPAN = lazy(r"\b(?:past|last)\s+\S+\s+(?:years|decades?)", re.I)
_YEAR_EARLIER_AFTER = lazy(r"\s*,?\s*(?:a year (?:earlier|ago|before)|in the previous year|the previous year|"
                                 r"in the same period (?:of )?last year|last year)\b", re.I)


def _year_before(period: str) -> str | None:
    """'2024-01..2024-08' -> '2023-01..2023-08', '2024-H1' -> '2023-H1'."""
    out = re.sub(r"\b(\d{4})\b", lambda m: str(int(m.group(1)) - 1), period)
    return out if out != period else None


def _same_core(a: str, b: str) -> bool:
    wa, wb = set(a.lower().split()), set(b.lower().split())
    return bool(wa & wb) and (wa <= wb or wb <= wa or len(wa & wb) >= min(len(wa), len(wb)) / 2)


def _passes_on(r: Reading, period: str) -> bool:
    return r.role in ("level", "change", "share", "count") and not r.future and not period.startswith(
        ("target", "since")) and r.agent != "basis"


def _inherits(r: Reading) -> bool:
    """A statistic stated without a time word inside a run of statistics: past tense, or a
    participle or an appositive change ("reaching 4.5 million tons", ", an 18% increase")."""
    if r.future or r.role not in ("level", "change", "share") or r.agent == "from" or r.transform == "value":
        return False
    if not r.core and r.verb is None:
        return False  # a figure nothing was read of: no sign that it is one of the run's statistics
    return r.tense in ("past", "participle", None)


_HEADING = lazy(r"^[A-Z0-9][\w\s-]{0,60}$")


def _heading_period(sentence: str, ref: Reference) -> str | None:
    """A short heading line that names a period ("Fourth Quarter 2013 Financial Results")."""
    if len(sentence.split()) > 7 or not _HEADING.match(sentence):
        return None
    times = [t for t in find_times(sentence, ref) if t.label and t.role == "at"]
    return times[0].label if len(times) == 1 else None


_LEAD_SENTENCES = 3  # a results release names its period in its title or its first sentences
# a company's results for a period, not "the results of the talks"
_RESULTS = lazy(r"\b(?:financial|operating|quarterly|annual|interim|preliminary|(?:un)?audited|full[- ]year|half[- ]year|"
                r"quarter|Q[1-4]|H[12]|\d{4})\s+(?:financial\s+|operating\s+)?results\b|"
                r"\bresults\s+for\s+the\s+(?:first|second|third|fourth|full|fiscal|three|six|nine|twelve|year|quarter|"
                r"half)\b|\bearnings\b", re.I)
_MONTHS_OF_YEAR = lazy(r"\bmonths\b|\b\d{1,2}M\b")


def _reporting_period(sentence: str, ref: Reference) -> str | None:
    """The period a results release reports on, from a lead without figures ("announced its
    financial results for the third quarter ended September 30, 2025": 2025-Q3). Its past
    statistics without a time word of their own are of that period, all through the release."""
    if not _RESULTS.search(sentence):
        return None
    labels = [t.label for t in find_times(sentence, ref) if t.label and t.role == "at"]
    if not labels or labels[0] is None:
        return None
    label = labels[0]
    if len(label) == 10:
        return None  # a day is when results were announced, not what they cover
    if label.isdigit() and _MONTHS_OF_YEAR.search(sentence):
        return None  # "the nine months of 2025", "9M 2025" are not the whole year
    return label


def _relation_start_year(text: str) -> int | None:
    """The year a relationship started, for "over the past 30 years" ("established ... in 1992")."""
    if "relation" not in text and "ties" not in text:
        return None
    m = search_at_words(_RELATION_START, text, _RELATION_WORDS)
    return int(m.group("y")) if m else None


class _Cues:
    """What one sentence says about time, found once for all its figures."""

    __slots__ = ("usable", "since_adverb", "since_then", "plans")

    def __init__(self, sent: str, times: list[TimeExpr]) -> None:
        usable = [t for t in times if t.role not in ("basis", "ago", "relative") or t.role == "relative" and t.label]
        if may_hold(sent, _SAID_WORDS):
            usable = [t for t in usable if not _SAID_IN.search(sent, max(0, t.start - 40), t.start)]
        self.usable = usable
        low = sent.lower()
        self.since_adverb = [m.start() for m in _SINCE_ADVERB.finditer(sent)] if "since" in low else []
        self.since_then = [m.start() for m in _SINCE_THEN.finditer(sent)] if "since" in low else []
        self.plans = [m.end() for m in _PLAN_BEFORE.finditer(sent)] if " to " in low else []


def _period(sent: str, spans: list[tuple[int, int]], k: int, r: Reading, times: list[TimeExpr], ref: Reference,
            relation_start: int | None, cues: _Cues) -> str | None:
    a, b = spans[k]
    if r.role == "years":
        return _years_period(sent, a, b, times, ref, relation_start)
    own = _own_time(sent, spans, k, cues.usable) if cues.usable else None
    if r.role == "rate" and not r.future:
        return own.label if own and own.role == "at" else None
    if own is not None and own.label is None and own.role != "by":
        own = None
    if own is not None and own.role == "since" and r.tense == "present" and own.end <= a:
        own = None  # "has operated since 2014 and employs 3,800 people": the start is the other verb's
    since_adverb = any(p < a for p in cues.since_adverb)
    if own is None and any(p >= b for p in cues.since_then):
        dated = [t for t in times if t.end <= a and t.label and t.role == "at"]
        if dated:
            return f"since {dated[-1].label}"  # "launched in 2013, and 10,000 trains have run since then"
    goal = r.future and r.agent != "from" and (
        r.verb in _GOAL_VERBS or r.transform == "growth" or r.verb in _PLAN_ONLY or any(p <= a for p in cues.plans)
        or _forecast_flow(r))
    if own is None and since_adverb:
        dated = [t for t in times if t.end <= a and t.label and t.role == "at"]
        if dated:
            return f"since {dated[-1].label}"  # "opened in July 2009 and has since carried ..."
    if own is not None:
        label = own.label
        if label and own.assumed and (r.future or own.role == "by"):
            label = ahead(label, ref)  # "will reach 10 million tons in May": the May to come
        if own.role == "since" or (since_adverb and own.end <= a) or (
                own.end <= a and own.role == "at" and any(p >= b for p in cues.since_then)):
            # "opened an office in January 2025 and has onboarded 4,000 sellers since then"
            return f"since {label}" if label else None
        if r.role == "design" and own.role != "by":
            return None  # "agreed in May 2023 to build a 1 GW farm": the agreement's date
        if own.role == "by" or (r.future and r.agent != "from"):
            return f"target {label}" if label else "target"
        return label
    if goal:
        return "target"
    return None


# Words of intent: the number is a goal whatever the verb ("plans to increase flights to ...");
# a forecast ("is expected to meet the demand of 1 million households") only with a goal verb.
# An active "expect to" is the speaker's own plan ("the partners expect to invest"); a passive
# "is expected to" is a forecast of what others or an asset will do.
_PLAN_BEFORE = lazy(r"\b(?:plans?|planned|planning|aims?|aiming|intends?|intending|seeks?|targets?|goal|expects?|"
                    r"expecting)\b"
                          r"(?:\s+\w+){0,2}\s+to\b", re.I)
_PLAN_ONLY = frozenset("plan aim intend target seek".split())
_FLOW_VERBS = frozenset(en.FLOW_VERBS)


def _forecast_flow(r: Reading) -> bool:
    """'China will receive 30 bcm', 'Kazakhstan will export 2 million tons': an amount a named
    party is to move is a forecast; what an asset will deliver ("the plant will deliver 319
    GWh a year") is its design output, no target."""
    if r.verb in _SPEND_VERBS and r.role == "level":
        return True  # "the partners will invest $1.2 billion": money someone is to put in is a plan
    return r.verb in _FLOW_VERBS and r.agent is not None and r.agent not in ("from", "basis") and r.role == "level"


_SPEND_VERBS = frozenset("invest lend loan allocate spend pledge commit earmark inject disburse channel pour".split())





def _own_time(sent: str, spans: list[tuple[int, int]], k: int, usable: list[TimeExpr]) -> TimeExpr | None:
    """The time expression stated with figure k: the first after it before the next figure
    (and before the clause ends), else the last before it in its clause that no other figure
    sits between; never a comparison basis or the time a statement was made (`usable` are
    the sentence's times without those)."""
    a, b = spans[k]
    nxt = spans[k + 1][0] if k + 1 < len(spans) else len(sent)
    prev_end = spans[k - 1][1] if k else 0
    in_basis = _inside_basis(sent, a)
    for t in usable:
        if b <= t.start < nxt and not _clause_break(sent, b, t.start) and (
                not _verb_between(sent, b, t.start) or _PLANNED_FOR.match(sent, b)):
            return t  # ("52 trains planned in 2026": the plan is the figure's own)
    if in_basis:
        return None
    before = [t for t in usable if t.end <= a and t.start >= prev_end and not _clause_break(sent, t.end, a, strong=True)
              and not _EVENT_TIME.search(sent[max(0, t.start - 30):t.start]) and not _NEXT_VERB.search(sent, t.end, a)
              and not _in_relative_aside(sent, t.start, t.end, a)]
    if before:
        return before[-1]
    # "In 2022, trade rose 5% and exports reached $2 billion": a leading time covers the sentence
    lead = [t for t in usable if t.end <= a and t.start < 30 and sent[t.end:t.end + 2].startswith(",")]
    if lead and k:
        return lead[0]
    return None


_OTHER_VERB = lazy(r"\b(?:scheduled|expected|planned|signed|opened|launched|completed|started|began|will|"
                         r"which|that|when|where|said|announced|reported|"
                         r"(?:plans?|aims?|intends?|agreed|decided)\s+to)\b", re.I)  # "... and plans to open X in 2026"


def _verb_between(sent: str, b: int, t: int) -> bool:
    """A time after another verb belongs to that verb ("in five stages with the final stage
    scheduled for completion by 2013")."""
    return bool(_OTHER_VERB.search(sent, b, t))


_PLANNED_FOR = lazy(r"\s+(?:" + "|".join(sorted(en.PLANNED_PARTICIPLES)) + r")\s+(?:in|for|by)\b")


def _in_relative_aside(sent: str, start: int, end: int, a: int) -> bool:
    """The time is inside ", which ... ," that closes before the figure at `a`: "The smelter,
    which is to start production in 2028, will process 300,000 tonnes a year" dates the start."""
    opening = max(sent.rfind(", which ", 0, start), sent.rfind(", who ", 0, start))
    return opening >= 0 and "," not in sent[opening + 1:start] and "," in sent[end:a]


# "plan to open a checkpoint in 2026 and to invest $350 million": the year is the first verb's
_NEXT_VERB = lazy(r"\band\s+(?:to|will|would|(?:plans?|intends?|aims?|expects?)\s+to)\s+[a-z]+\b")
# "introduced in November 2023, allows ...": the time of another verb, not of the figure
_EVENT_TIME = lazy(r"\b[a-z]+(?:ed|en)\s+(?:in|on)\s+(?:the\s+)?$")


_BASIS_BEFORE = lazy(r"\b(?:compared\s+(?:to|with)|versus|(?<!more )(?<!less )(?<!fewer )(?<!rather )than|"
                     r"up from|down from|from)\s+(?:\S+\s+){0,2}$")
_BASIS_WORDS = ("compared", "versus", "than", "from")  # one is in every match of _BASIS_BEFORE
_NEW_CLAUSE_STRONG = lazy(r",\s+(?:while|whereas|but|and|which)\b")
_NEW_CLAUSE = lazy(r",\s+(?:while|whereas|but|which|and\s+(?!the\s+)\w+\s+(?:was|were|is|are))\b")


def _inside_basis(sent: str, a: int) -> bool:
    left = sent[max(0, a - 30):a].lower()
    # (an end-anchored search, tried from each position: only when one of its words is there)
    return any(w in left for w in _BASIS_WORDS) and bool(_BASIS_BEFORE.search(left))


def _clause_break(sent: str, a: int, b: int, strong: bool = False) -> bool:
    between = sent[a:b]
    if ";" in between or " – " in between or " — " in between:
        return True
    if "," not in between:
        return False  # both clause patterns open with a comma
    return bool((_NEW_CLAUSE_STRONG if strong else _NEW_CLAUSE).search(between))


def _years_period(sent: str, a: int, b: int, times: list[TimeExpr], ref: Reference,
                  relation_start: int | None) -> str | None:
    """The year a relationship's length is reached: a date stated with it, 'N years ago' or
    'this year marks' (the reference year), or its start year plus its length."""
    dated = [t for t in times if t.role == "at" and t.year and t.label and not t.label.startswith("since")]
    low = sent.lower()
    if dated and any(t.end <= a + 60 for t in dated):
        return str(dated[0].year)
    if re.match(r"\s+ago\b", low[b:b + 6]) or re.search(r"\bthis year\b", low):
        return str(ref.year) if ref.year else None
    m = re.search(r"(\d+)", sent[a:b])
    n = int(m.group(1)) if m else None
    words = sent[a:b].lower()
    if n is None:
        for w, v in (("three decades", 30), ("two decades", 20), ("decade", 10)):
            if w in words:
                n = v
    start = None
    for t in times:
        if t.year and t.role in ("since", "at") and t.start > b - 1 and t.label and len(t.label) == 4:
            start = t.year
    if start is None:
        start = relation_start
    if n and start and re.search(r"\b(?:past|last|over|since|for)\b", low[max(0, a - 25):b + 40]):
        return str(start + n)
    if n and ref.year and (re.search(r"\b(?:past|last)\s+$", low[max(0, a - 12):a]) or
                           sent[a:b].lower().startswith(("past", "last"))):
        return str(ref.year)  # "over the past 30 years": counted back from now
    return None


# ---------------------------------------------------------------- generic measure key

_KEY_STOP = en.DETERMINERS | en.PREPOSITIONS | en.CONJUNCTIONS | en.AUXILIARIES | en.MEASURE_FILLER | en.RELATIVES | frozenset(
    "'s growth share value weekly daily monthly".split())


def name_fold(word: str) -> str:
    """One spelling for a name and its adjective: Kazakhstan/Kazakh/Kazakhstani -> kazakh,
    China/Chinese -> chin, Russia/Russian -> russ, Europe/European -> europe."""
    w = word.lower()
    for suffix, keep in (("stani", ""), ("stan", ""), ("ese", ""), ("ian", ""), ("ia", ""), ("ean", "e"),
                         ("an", ""), ("a", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[:-len(suffix)] + keep
            break
    if w.endswith("i") and len(w) > 4:
        w = w[:-1]
    return w


def _fold(word: str) -> str:
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@lru_cache(maxsize=4096)
def key_words(text: str) -> tuple[str, ...]:
    """Sorted, folded content words of a subject: the generic identity of a measure."""
    out = set()
    for raw in re.findall(r"[A-Za-z\u00c0-\u024f][\w'\u2019]*", text.replace("-", " ")):
        w = raw[:-2] if raw.endswith(("'s", "\u2019s")) else raw
        w = w.replace("'", "").replace("\u2019", "")
        low = w.lower()
        if low in _KEY_STOP or len(low) < 2:
            continue
        out.add(name_fold(w) if w[:1].isupper() else _fold(w))
    return tuple(sorted(out))


_NAME = lazy(r"\b[A-Z][\w'\u2019]*")


def _relation_parties(core: str) -> str | None:
    """'years of cooperation between Kazakhstan and European Union' -> 'europe-kazakh-union': a
    relationship's length is one measure whatever word names it (relations, ties, cooperation),
    told apart by its parties; None when the relationship or its parties are not named."""
    words = core.lower().replace("-", " ").split()
    if not any(w in en.RELATION_WORDS for w in words):
        return None
    names = sorted({name_fold(w) for w in _NAME.findall(core) if w.lower() not in _KEY_STOP and w.lower() != "years"
                    and w.lower() not in en.RELATION_WORDS})
    return "-".join(names) if len(names) >= 2 else None


def generic_key(r: Reading, kind: str, unit: str | None) -> str | None:
    """A measure key from the subject alone: its sorted content words, the change or share
    it states, and the unit's dimension ("net revenue", "length of the pipeline/length")."""
    core = r.core or r.subject
    if not core:
        return None
    if r.role == "years":
        parties = _relation_parties(core)
        if parties:
            return f"years/{parties}"
    words = key_words(core)
    if not words:
        return None
    key = "-".join(words)
    if r.transform in ("growth", "share", "value"):
        key += f"/{r.transform}"
    elif r.transform in en.RATE_WORDS.values():
        key += f"/{r.transform}"
    family = unit_family(kind, unit)
    if kind == "money":
        family = "money"
    if r.transform not in ("growth", "share") and family not in ("money", "count"):
        key += f"@{family}"
    return key
