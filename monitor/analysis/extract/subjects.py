"""What a figure measures, read from how the number attaches to its sentence.

Rules over tagged words (`tokens`), tried in order, each for one way a number attaches:

- "N of X" ("61 million tons of crude") and "N worth of X": X; with a flow verb and its
  subject, the flow ("China imported 8.7 million tons of crude from Kazakhstan" -> "China
  crude imports from Kazakhstan").
- "X of N" ("an annual capacity of 20 million tons"): X, of its owner ("The pipeline has ...").
- "X worth / valued at / totalling N": the value of X.
- "an N-unit X" ("a 100-megawatt wind power plant"): the dimension the unit measures, of X.
- "N things": the things, with what the sentence says they did ("trains received by X").
- "X reached / amounted to / stood at / exceeded N": X. "X rose N%" or "up N%": growth of X;
  "X rose N% to $M": growth of X, then X. "X accounts for N% of Y": share of X in Y.
  "increase X by 2.5 times": growth of X. Participles and coordinated verbs share the
  subject of their clause ("grew 21%, reaching 4.5 million tons").
- ", N% more than a year earlier", ", an N% increase": growth of what was just stated.
- "N times a week": a weekly count of what the clause is about.

Anaphors ("This figure increased by 14%", "It has reached") take the subject of the figure
stated before; a short definite subject ("the plant") takes its fuller earlier mention
("Kazakhstan's Zhanatas wind power plant"). The reading also says whether the figure is a
level, a change, a share, a design parameter of an asset, and whether a plan or forecast
governs it, which the period rules need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.numbers import NOT_A_COMPARISON, SCALES, TENS, UNITS, by_first_letter
from monitor.analysis.extract.tokens import MODALS, Tok, TokenCache, aside_opening
from monitor.analysis.lang import en

_NP_INNER_PREPS = frozenset("of between in to from with via through at on for along across into among "
                            "under within near".split())
_SKIP_TO_VERB = frozenset("by to at for of from in with around about over under than up down some nearly almost roughly "
                          "approximately more less just only record total new high estimated reaching "
                          "an a the another".split())
_PERSONAL = frozenset("we i you he she they it us our".split())
_BEFORE_VERB = frozenset("not to able unable likely unlikely set ready due going about expected since".split())
_PRICED = frozenset("build construct buy purchase sell acquire install build buy order lease".split())
# "expects X to ...": one of these verbs, up to three words, then "to" and a verb.
_EXPECT_VERBS = ("expect", "plan", "aim", "intend", "seek", "hope", "forecast", "project", "target", "want")
_EXPECT_TO_REST = r"\w*\b(?:\s+[\w-]+){1,3}\s+to\s+(?!the\b|a\b|\$|\d)"
# "the company expects full-year revenue of KZT 185 billion": a forecast of the figure
_EXPECT_OF = r"(?:expects?|anticipates?)\s+(?!that\b)(?:[\w-]+\s+){1,3}?of\b"
_RATE = lazy(r"\b(?:a|per|each|every)\s+(week|day|month|year)\b" + NOT_A_COMPARISON + r"|/(year|day)\b")
_PER_YEAR = lazy(r"(?:\ba|\bper)\s+year\b" + NOT_A_COMPARISON + r"|/year\b|/y\b")
_FILLER_ADJ = frozenset("record total new high estimated cumulative combined overall".split())
_APPROX_LAST = frozenset(a.split()[-1] for a in en.APPROXIMATORS)
_SHARE_HEADS = frozenset(w.rstrip("s") for w in en.SHARE_NOUNS)
_INNER_PP_RE = re.compile(r"\s+(?:of|between|in|to|from|with|via|through|at|on|for|near)\s+")
_NOT_A_KIND = frozenset("total overall bilateral two-way mutual foreign annual combined".split())
_ANY_OPERATOR = _PERSONAL | frozenset("air carriers carrier airlines airline companies company operators operator "
                                      "firms railways".split())
_NUMBER_WORDS = frozenset({*UNITS, *TENS, "dozens", "hundreds"})
_GROWTH_HEADS = frozenset("growth increase rise decline decrease drop".split())
_ONE_OF = frozenset("first second third last latest largest biggest oldest newest".split())
_PLACE_PREPS = frozenset("in on at along near inside within".split())
_GENERIC_ASSETS = frozenset("project projects facility".split())  # an apposition's word for the thing before it
_RATE_UNITS = frozenset("day week month year quarter".split())
_DURATION_UNITS = frozenset("years months weeks days".split())
_BE = frozenset("is are was were be been being".split())
_WORTH_WORDS = ("worth", "valued", "totalling", "totaling", "amounting", "value")
_HAVE = frozenset("has have had having with boasts boast features feature possesses".split())
_PARTICIPLE_OF = {"run": "run", "set": "set", "put": "put", "cut": "cut", "hit": "hit", "cost": "cost",
                  "send": "sent", "build": "built", "sell": "sold", "buy": "bought", "bring": "brought",
                  "hold": "held", "make": "made", "take": "taken", "show": "shown", "draw": "drawn",
                  "lend": "lent", "spend": "spent", "come": "come", "become": "become", "grow": "grown",
                  "rise": "risen", "fall": "fallen", "stand": "stood", "say": "said", "tell": "told",
                  "ship": "shipped", "permit": "permitted", "commit": "committed", "plan": "planned"}
_MAX_WORDS = 10
_BETWEEN_TAIL = lazy(r"\bbetween\s+[A-Z].*$")
_ROUTE = lazy(r"\b(?:through|via|across)\s+(?:the\s+)?[A-Z][\w'\u2019-]*(?:\s+[\w'\u2019-]+){0,3}$")
_FIGURE_ANAPHORS = frozenset("this that the figure indicator number volume amount total sum rate index".split())
# What a figure stated only in a unit measures, when the sentence names no thing:
# "5.9 million tons were transported" is freight, "30 bcm" a volume.
_UNIT_THINGS = {"tons": "freight", "TEU": "containers", "m3": "volume", "barrels": "volume", "kWh": "electricity",
                "MWh": "electricity", "GWh": "electricity", "TWh": "electricity"}


@dataclass(slots=True)
class Reading:
    """What one figure measures, and how it is stated."""

    subject: str | None = None
    core: str | None = None  # the measured thing without "growth of" / "share of"
    transform: str | None = None  # "growth", "share", "value", or a rate ("weekly")
    role: str = "level"  # level, change, share, design, count, rate, years
    future: bool = False  # a plan, goal or forecast governs it
    verb: str | None = None  # the lemma of the verb it attaches to
    tense: str | None = None  # "past", "present", "perfect", "future"
    parties_hint: str | None = None  # "bilateral" when the subject says so without naming parties
    agent: str | None = None  # the name that did it, when the subject was composed around one
    ordinal: bool = False  # an occurrence counted by its rank ("the 6,000th train trip")


_ESTIMATE_NOUNS = frozenset("estimate estimates forecast forecasts projection projections figure".split())


def _copy(r: Reading) -> Reading:
    return Reading(r.subject, r.core, r.transform, r.role, r.future, r.verb, r.tense, r.parties_hint, r.agent,
                   r.ordinal)


class Context:
    """What earlier sentences of the release said, for anaphors and short definite subjects.

    Sentences are noted as the release is read; one is tagged only when a later figure asks
    about it (a short definite subject looks only at sentences holding its head word), so a
    release of prose pays almost nothing for it."""

    def __init__(self, tokens: TokenCache | None = None) -> None:
        self.tokens = tokens or TokenCache()
        self.readings: list[Reading] = []
        self.sentence_no = 0
        self.relation: str | None = None  # the last "years of X" subject
        self.route: tuple[int, str] | None = None  # (sentence no, "through the X crossing") of the last route named
        self._sents: list[list[Any]] = []  # [sentence no, text, lowercased or None, tokens or None]
        self._about: dict[int, tuple[str | None, bool]] = {}  # sentence no -> (what it is about, plural)
        self._issuer: str | None = None
        self._issuer_looked = 0  # sentences looked at for it

    def note(self, no: int, sentence: str, toks: list[Tok] | None = None) -> None:
        if len(sentence) < 400:
            self._sents.append([no, sentence, None, toks])  # lowercased when a mention looks

    def issuer(self) -> str | None:
        """The company a release is from: the name that opens the first sentence that has
        one before its verb ("KazCopper Holdings today announced ..."), in the first three."""
        while self._issuer is None and self._issuer_looked < min(3, len(self._sents)):
            item = self._sents[self._issuer_looked]
            self._issuer_looked += 1
            self._issuer = _opening_name(self._tokens(item))
        return self._issuer

    def note_routes(self, no: int, readings: list[Reading]) -> None:
        """The named route a sentence's figures go by ("through the Dostyk station"), for a
        bare measure noun opening the next sentence ("Exports increased by 13%")."""
        for r in readings:
            m = _ROUTE.search(r.core or "")
            if m:
                self.route = (no, m.group(0))

    def _tokens(self, item: list) -> list[Tok]:  # type: ignore[type-arg]
        if item[3] is None:
            item[3] = self.tokens.tokens(item[1], [], [])
        return item[3]  # type: ignore[no-any-return]

    def mention(self, phrase: str, recent: bool = False, before: int | None = None) -> str:
        """The fullest earlier mention of the same thing ('the plant' -> "Kazakhstan's Zhanatas
        wind power plant"), when it says more: one with the same head word; with `recent`, one
        in the sentence just before that holds every word ("Flights will be operated ..."
        after "direct flights along the route"), capitalised words only as common nouns."""
        words = phrase.split()
        low = [w.lower() for w in words]
        head = low[-1]
        limit = self.sentence_no if before is None else before
        best: str | None = None
        for item in reversed(self._sents):
            no, _, text_low, _ = item
            if no >= limit:
                continue
            if recent and no < limit - 1:
                break
            if text_low is None:
                text_low = item[2] = item[1].lower()
            if head not in text_low:
                continue
            for phrase2, head2 in _noun_phrases(self._tokens(item), item[1]):
                tl = phrase2.split()
                if len(tl) <= len(words):
                    continue
                if recent:
                    ok = all(w.lower() in tl for w in words)
                else:
                    ok = head2 == head
                if ok and (best is None or len(phrase2) > len(best)):
                    best = phrase2
        return best or phrase

    def _about_of(self, item: list) -> tuple[str | None, bool]:  # type: ignore[type-arg]
        no = item[0]
        if no not in self._about:
            about, plural = _about(self._tokens(item), item[1])
            if about and not plural:
                about = self.mention(about, before=no)
            self._about[no] = (about, plural)
        return self._about[no]

    def _last_about(self, plural: bool) -> str | None:
        for item in reversed(self._sents[-3:]):
            if item[0] >= self.sentence_no:
                continue
            about, is_plural = self._about_of(item)
            if about and is_plural == plural:
                return about
        return None

    @property
    def entity(self) -> str | None:
        """What the sentences just before were about, for "it"."""
        return self._last_about(False)

    @property
    def entities(self) -> str | None:
        """The same, when plural, for "they"."""
        return self._last_about(True)


# ---------------------------------------------------------------- noun phrases

def _np_left(toks: list[Tok], i: int, stop: int = 0) -> int:
    """Start index of the noun phrase that ends at token i (a content word)."""
    j = i
    between = False
    while j - 1 >= stop:
        t = toks[j - 1]
        if t.tag in ("N", "~", "'s"):
            j -= 1
            continue
        if _acronym_at(toks, j - 1, stop):
            j -= 3  # "Kazakhstan Temir Zholy (KTZ)": a name with its short form
            continue
        if t.tag == "C" and t.low == "and" and toks[j].cap and _acronym_at(toks, j - 2, stop):
            j -= 1  # "Kazakhstan Temir Zholy (KTZ) and China Railway"
            continue
        if t.tag == "D":
            if j - 3 >= stop and toks[j - 2].tag in ("N", "V") and toks[j - 2].low.endswith("ing") and \
                    toks[j - 3].tag == "N" and not toks[j - 2].cap:
                j -= 2  # "a railway line linking the port with Almaty": the phrase goes on
                continue
            if j - 3 >= stop and toks[j - 2].tag == "P" and toks[j - 2].low in _NP_INNER_PREPS and (
                    toks[j - 3].tag in ("N", "'s") or (_participle_after_noun(toks, j - 3, stop))):
                j -= 2  # "trade between the two countries": the determiner of a phrase inside
                continue
            if j - 4 >= stop and toks[j - 2].low == "by" and toks[j - 3].tag == "V" and \
                    toks[j - 3].low.endswith(("ed", "lt", "en", "wn")) and toks[j - 4].tag == "N":
                j -= 3  # "a wind farm built by a Chinese developer started": the farm started
                continue
            if j - 3 >= stop and toks[j - 2].tag == "C" and toks[j - 2].low == "and" and toks[j].tag == "N" and (
                    (toks[j].cap and toks[j - 3].tag == "N" and toks[j - 3].cap) or
                    _name_opens_clause(toks, j - 3, stop)):
                # "trade between China and the EU", "KTZ and the ministry launched": one phrase
                j -= 2
                continue
            return j - 1
        if t.tag == "P" and t.low in _NP_INNER_PREPS and j - 2 >= stop and toks[j - 2].tag in ("N", "'s"):
            if t.low == "between":
                between = True
            j -= 1
            continue
        if t.tag == "P" and t.low in _NP_INNER_PREPS and j - 3 >= stop and toks[j - 2].tag == "V" and \
                toks[j - 2].low.endswith("ing") and toks[j - 3].tag == "N" and not toks[j - 2].cap:
            j -= 2  # "Chinese companies operating in Kazakhstan": the participle's phrase
            continue
        if t.tag == "V" and t.low.endswith("ing") and j - 2 >= stop and toks[j - 2].tag == "N" and \
                toks[j].tag == "N":
            j -= 1  # "Chinese tourists visiting Kazakhstan"
            continue
        if t.tag == "V" and t.low.endswith("ed") and j - 2 >= stop and toks[j - 2].tag == "N" and \
                toks[j].tag in ("P", "D") and toks[j].low != "that":  # "sides agreed that trade": a clause
            j -= 1  # "cargo handled at the port"
            continue
        if t.tag == "C" and t.low in ("and", "&") and j - 2 >= stop and toks[j - 2].tag == "N" and (
                (toks[j - 2].cap and toks[j].cap) or _between_before(toks, j - 2, stop) or
                # "the average handling and transiting of trains": two nouns of one "of"
                (not toks[j].cap and j + 1 < len(toks) and toks[j + 1].low == "of") or
                # "exports of wheat and flour", "construction of the mine and concentrator"
                (toks[j].tag == "N" and _of_before_conjunct(toks, j - 2, stop)) or
                # "Trade and investment between ...", "Oil and gas exports": the subject begins so
                (toks[j].tag == "N" and not toks[j].cap and _opens_clause(toks, j - 2, stop))):
            j -= 1
            continue
        break
    del between
    return j


def _of_before_conjunct(toks: list[Tok], i: int, stop: int) -> bool:
    """The noun phrase ending at i is the object of "of": what "and" adds to it is a second object."""
    k = i
    while k > stop and toks[k].tag in ("N", "~") and i - k < 3:
        k -= 1
    if toks[k].tag == "D" and k > stop:
        k -= 1
    return toks[k].low == "of" and toks[k].tag == "P" and k > stop


_NEWS_ADVERBS = frozenset("today yesterday recently also jointly officially now".split())


def _opening_name(toks: list[Tok]) -> str | None:
    """A company's name before the sentence's first verb: capitalised words that end in a
    company word (Holdings, Group, JSC ...), or one word with capitals inside ("KazCopper",
    "CNPC"), which no country, month or common noun has."""
    for i, t in enumerate(toks):
        if t.tag not in ("V", "X"):
            continue
        j = i - 1
        while j >= 0 and (toks[j].tag == "R" or toks[j].low in _NEWS_ADVERBS or
                          (toks[j].tag == "T" and toks[j].text.islower())):
            j -= 1  # "KazCopper Holdings today announced"
        k = j
        while k >= 0 and toks[k].tag in ("N", "~") and toks[k].cap:
            k -= 1
        if k == j or (k >= 0 and toks[k].tag not in (",", "-", "~", ")", "(", "D", ".")):
            return None
        words = [x.text for x in toks[k + 1:j + 1]]
        if words[-1].lower() in en.COMPANY_SUFFIXES or (len(words) == 1 and any(c.isupper() for c in words[0][1:])):
            return " ".join(words)
        return None
    return None


_WORKS_OF = re.compile(r"\b(?:construction|building|expansion|modernisation|modernization) of ", re.I)


def _acronym_at(toks: list[Tok], i: int, stop: int) -> bool:
    """Token i closes "(KTZ)" right after a capitalised name."""
    return i - 3 >= stop and toks[i].tag == ")" and toks[i - 1].cap and toks[i - 1].tag == "N" and \
        toks[i - 2].tag == "(" and toks[i - 3].cap and toks[i - 3].tag == "N"


def _name_opens_clause(toks: list[Tok], i: int, stop: int) -> bool:
    """A name ends at i ("KTZ", "China Railway") and opens its sentence or clause."""
    k = i
    while k > stop and toks[k - 1].tag in ("N", "~") and toks[k - 1].cap:
        k -= 1
    if not (toks[i].tag == "N" and toks[i].cap) or any(not t.cap for t in toks[k:i + 1]):
        return False
    return k == 0 or toks[k - 1].tag == ","


def _opens_clause(toks: list[Tok], i: int, stop: int) -> bool:
    """The noun at i (with a word or two before it) opens its sentence or clause: an "and"
    after it joins a second noun to the same subject, not a second clause."""
    k = i
    while k > stop and toks[k - 1].tag in ("N", "~") and i - k < 2:
        k -= 1
    if k > stop and toks[k - 1].tag in ("D", "'s"):
        k -= 1
    if any(t.cap for t in toks[max(k, 1):i + 1]):
        return False  # "China and Kazakhstan", "Kazakh and Chinese": names, read by the rules for names
    return k == 0 or toks[k - 1].tag == "," or toks[k - 1].low == "that" or toks[k - 1].vclass == "say"


def _participle_after_noun(toks: list[Tok], i: int, stop: int) -> bool:
    """'cargo handled', 'tourists visiting': a participle that modifies the noun before it."""
    t = toks[i]
    return t.tag == "V" and t.low.endswith(("ed", "ing")) and i - 1 >= stop and toks[i - 1].tag == "N"


def _relative_clause_head(toks: list[Tok], a: int) -> int:
    """Where a subject starts when the noun phrase at `a` ends a relative clause: "the number
    of Chinese tourists who visited Kazakhstan rose" is about the tourists, not Kazakhstan;
    the clause stays, since it says which tourists."""
    k = a - 1
    while k >= 0 and a - k <= 6 and toks[k].tag in ("P", "D", "N", "~", "'s"):
        k -= 1  # the clause's own object or place: "that passed through the Khorgos port"
    while k >= 0 and toks[k].tag in ("X", "R"):
        k -= 1  # "who have already visited"
    if k < 1 or toks[k].tag != "V" or toks[k].vclass == "say":
        return a
    if k >= 2 and toks[k - 1].low == "to" and toks[k - 2].tag == "V" and toks[k - 2].low.endswith(("ed", "en")):
        k -= 2  # "companies accredited to export to China"
    if toks[k].low.endswith(("ed", "en")) and toks[k - 1].tag == "N" and toks[k].vclass != "change" \
            and toks[a].low != "that" and k < a - 1:
        return _np_left(toks, k - 1)  # a participle after its noun: a reduced relative clause ("agreed that" is none)
    while k >= 1 and toks[k - 1].tag in ("X", "R"):
        k -= 1
    w = toks[k - 1] if k >= 2 else None
    if w is None or w.low not in ("who", "that", "which") or w.tag not in ("W", "D") or toks[k - 2].tag != "N":
        return a
    return _np_left(toks, k - 2)


def _between_before(toks: list[Tok], i: int, stop: int) -> bool:
    for k in range(i, max(stop - 1, i - 5), -1):
        if toks[k].low == "between":
            return True
        if toks[k].tag not in ("N", "~", "D"):
            return False
    return False


def _np_right(toks: list[Tok], i: int, max_pp: int = 2) -> int:
    """End index (exclusive) of the noun phrase starting at token i, with up to `max_pp`
    prepositional phrases ("crude oil from Kazakhstan", "trade between A and B")."""
    n = len(toks)
    j = i
    if j < n and toks[j].tag == "D":
        j += 1
    start_content = j
    while j < n and toks[j].tag in ("N", "~", "'s"):
        j += 1
    if j == start_content:
        return i
    pps = 0
    while j < n:
        t = toks[j]
        if t.tag == "C" and t.low in ("and", "&") and j + 1 < n and toks[j + 1].tag == "N" and (
                toks[j + 1].cap or _between_before(toks, j - 1, i) or
                (toks[j - 1].tag == "N" and not toks[j - 1].cap and j + 2 < n and toks[j + 2].low == "of") or
                # "the partnership and cooperation agreement": two modifiers of one noun
                (j - i == 1 + (toks[i].tag == "D") and j + 2 < n and toks[j + 2].tag == "N" and
                 not toks[j + 1].cap)):
            k = j + 1
            while k < n and toks[k].tag in ("N", "~", "'s"):
                k += 1
            j = k
            continue
        if pps >= max_pp or t.tag != "P" or t.low not in _NP_INNER_PREPS:
            break
        k = j + 1
        if k < n and toks[k].tag == "D":
            k += 1
        k0 = k
        while k < n and toks[k].tag in ("N", "~", "'s"):
            k += 1
        if k == k0 or any(x.low in en.TIME_OF_YEAR_NOUNS for x in toks[k0:k]):
            break  # "production in the third quarter of 2026": a time, not part of the phrase
        j = k
        pps += 1
    return j


# Tags of tokens a rendered phrase drops at its start, at its end, and anywhere (sets: _render
# runs for every candidate phrase of every figure).
_NOT_FIRST = frozenset(("D", "R", "P", "C", ",", "F", "T", "-", "'s", "\"", "(", ")", "X", "O"))
_NOT_LAST = frozenset(("P", "C", ",", "F", "T", "-", "'s", "D", "\"", "(", "X", "R", "W", "~"))
_NOT_RENDERED = frozenset(("F", "T", "\"", "(", ")"))


def _render(toks: list[Tok], a: int, b: int, sentence: str) -> str | None:
    """The words of tokens a..b-1 as written, without determiners at the start, figures,
    times, approximators and dangling function words."""
    while a < b and toks[a].tag in _NOT_FIRST:
        a += 1
    while b > a and toks[b - 1].tag in _NOT_LAST:
        b -= 1
    if a >= b:
        return None
    parts: list[str] = []
    prev_end = None
    skip = {i - 1 for i in range(a + 3, b) if _acronym_at(toks, i, a)}  # "Zholy (KTZ)": the name says it
    for i, t in enumerate(toks[a:b], a):
        if i in skip:
            continue
        if t.tag in _NOT_RENDERED:
            prev_end = None
            continue
        if t.tag == "D" and t.low in ("the", "a", "an") and parts:
            prev_end = None
            continue
        if t.tag == "~" or t.tag == "'s" or (prev_end is not None and prev_end == t.start):
            if parts:
                parts[-1] += t.text
            else:
                parts.append(t.text)
        elif t.tag == "-" and parts:
            parts[-1] += "-"  # "Altynkol - Khorgos" -> "Altynkol-Khorgos"
            prev_end = t.end
            continue
        else:
            if parts and parts[-1].endswith("-") and not parts[-1].endswith("--"):
                parts[-1] += t.text
            else:
                parts.append(t.text)
        prev_end = t.end
    words = [w.strip(".,;:\"'") for w in " ".join(parts).split()]
    words = [w for w in words if w and w.lower() not in en.DETERMINERS or w in ("its", "their")]
    while words and words[0].lower() in _LEAD_DROP:
        words = words[1:]
    if len(words) > 2 and words[0].lower() in ("number", "total", "sum", "figure") and words[1].lower() == "of":
        words = words[2:]  # "the number of flights" -> "flights" ("volume of trade" keeps its volume)
    while words and words[-1].lower() in _DANGLING:
        words.pop()
    if not words:
        return None
    if len(words) > _MAX_WORDS:
        words = words[:_MAX_WORDS]
        while words and words[-1].lower() in _DANGLING_CUT:
            words.pop()
    text = " ".join(words)
    return text or None


_LEAD_DROP = frozenset("its their total overall the a an".split())
# Function words a rendered phrase may not end with (the unions made once, not per phrase).
_DANGLING = en.PREPOSITIONS | en.CONJUNCTIONS | en.AUXILIARIES
_DANGLING_CUT = en.PREPOSITIONS | en.CONJUNCTIONS


def _is_name(toks: list[Tok], a: int, b: int) -> bool:
    words = [t for t in toks[a:b] if t.tag in ("N", "~")]
    return bool(words) and toks[a].tag != "D" and all(t.cap for t in words if t.tag == "N") and len(words) <= 4


def _participle(v: Tok) -> str:
    low = v.low
    if low.endswith(("ed", "en")) or low in _PARTICIPLE_OF.values():
        return v.text.lower()
    lemma = v.lemma or low
    if lemma in _PARTICIPLE_OF:
        return _PARTICIPLE_OF[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied"
    return lemma + "ed"


def _present_participle(v: Tok) -> str:
    """'operate' -> 'operating', 'study' -> 'studying', 'works' -> 'working'."""
    lemma = v.lemma or v.low
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")):
        return lemma[:-1] + "ing"
    one_syllable = len(lemma) == 3 or (len(lemma) == 4 and lemma[0] not in "aeiou" and lemma[1] not in "aeiou")
    if one_syllable and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        return lemma + lemma[-1] + "ing"  # "run" -> "running", "ship" -> "shipping"; not "open"
    return lemma + "ing"


def _tense(toks: list[Tok], v: int) -> str:
    """past, present, perfect or future, from the verb and the auxiliaries before it."""
    j = v - 1
    aux: list[str] = []
    while j >= 0 and toks[j].tag in ("X", "R") or (j >= 0 and toks[j].low == "to"):
        aux.append(toks[j].low)
        j -= 1
    t = toks[v]
    if any(a in ("will", "shall", "would", "to") for a in aux):
        return "future"
    if t.low.endswith("ing") and not any(a in en.AUXILIARIES for a in aux):
        return "participle"  # "reaching 4.5 million tons", "with imports increasing"
    if any(a in ("has", "have") for a in aux):
        return "perfect"
    if any(a in ("was", "were", "had") for a in aux) or t.low.endswith("ed") or (
            t.lemma and t.low != t.lemma and t.low in en.IRREGULAR_VERBS.get(t.lemma, ()) and
            not t.low.endswith(("s", "ing"))):
        return "past"
    return "present"


# ---------------------------------------------------------------- the sentence

class SentenceReader:
    """Reads every figure of one sentence (tokens shared, subjects of verbs found once)."""

    def __init__(self, sentence: str, toks: list[Tok], kinds: list[tuple[str, str | None, str | None]],
                 ctx: Context) -> None:
        self.s = sentence
        self.t = toks
        self.kinds = kinds  # per figure: (kind, unit, counted noun)
        self.ctx = ctx
        self.fig_at = {tok.fig: i for i, tok in enumerate(toks) if tok.tag == "F"}
        self.readings: dict[int, Reading] = {}
        self._future_at: list[int] | None = None  # found when a figure first asks (event readers never do)
        self._subjects: dict[int, tuple[str | None, int, int]] = {}
        self._busy: set[int] = set()

    # ------------------------------------------------------------ entry point

    def read(self, fi: int) -> Reading:
        if fi in self.readings:
            return self.readings[fi]
        if fi in self._busy:
            return Reading()  # two figures that each look at the other: neither decides
        self._busy.add(fi)
        f = self.fig_at[fi]
        r = self._read(f, fi) or Reading()
        self._busy.discard(fi)
        r.future = r.future or self._is_future(f)
        if r.transform is None and self.kinds[fi][0] == "percent" and r.core and \
                any(w.lower().rstrip("s") in _SHARE_HEADS for w in r.core.split()[:3]):
            r.transform, r.role = "share", "share"  # "China's share in X was 21 percent"
        if r.core and r.transform is None and r.role != "rate" and self._per_year_after(f):
            low = r.core.lower()
            if not low.startswith(("annual", "yearly")) and "capacity" not in low:
                r.core = f"annual {r.core}"
                r.subject = f"annual {r.subject}" if r.subject else r.core
        if r.subject:
            r.subject = _tidy(r.subject)
        if r.core:
            r.core = _tidy(r.core)
            self._route_of_run(r)
        self._own_metric(r)
        if _bilateral_re().search(r.core or r.subject or ""):
            r.parties_hint = "bilateral"
        self.readings[fi] = r
        return r

    def _route_of_run(self, r: Reading) -> None:
        """'Freight through the Dostyk station rose 9%. Exports increased by 13%.': a bare
        measure noun opening the sentence after one about a named route is of that route."""
        route = self.ctx.route
        t = self.t
        core = r.core or ""
        if route is None or route[0] != self.ctx.sentence_no - 1 or " " in core or len(t) < 2 or \
                t[0].tag != "N" or t[0].low != core.lower() or t[1].tag not in ("V", "X", "R"):
            return
        if r.subject and r.subject.endswith(core):
            r.subject = f"{r.subject} {route[1]}"
        r.core = f"{core} {route[1]}"

    # ------------------------------------------------------------ rules

    def _read(self, f: int, fi: int) -> Reading | None:
        t = self.t
        n = len(t)
        kind, unit, noun = self.kinds[fi]
        same = self._restatement(f, fi)
        if same is not None:
            return same
        included = self._part_included(f, fi)
        if included is not None:
            return included
        infinitive = unit == "times" and f > 0 and (t[f - 1].low == "to" or t[f - 1].low in MODALS)  # "intends to double"
        if t[f].vclass or infinitive:  # "exports doubled": the growth of what doubled
            k = f + 1
            if k < n and t[k].tag in ("D", "N") and (t[f].low.endswith("ing") or infinitive):
                b = _np_right(t, k, max_pp=1)
                obj = _render(t, k, b, self.s) if b > k else None
                if obj:  # "..., doubling the base's throughput", "intends to double its lending": what it doubles
                    return Reading(f"growth of {obj}", obj, "growth", "change", verb=t[f].lemma, tense="participle")
        if t[f].vclass or infinitive:
            subj = self._subject_of(f)[0]
            if subj:
                return Reading(f"growth of {subj}", subj, "growth", "change", verb=t[f].lemma, tense=_tense(t, f))
        if kind == "money":
            price = self._price(f)
            if price:
                return price
        k = self._after_aside(f)  # past "(4,350 miles)" or ", or 50 percent,"
        nxt = t[k] if k < n else None
        nxt2 = t[k + 1] if k + 1 < n else None

        if kind in ("quantity", "count") and unit in _DURATION_UNITS:
            spread = self._spread_over(f, fi)
            if spread:
                return spread
        if kind == "count" and (unit == "years" or (noun or "") == "anniversary"):
            years = self._years(f)
            if years:
                return years
        if kind == "quantity" and unit == "years" and (t[f].low.startswith("every") or f > 0 and t[f - 1].low == "every"):
            return self._interval(f)
        rate = self._rate(f, fi)
        if rate:
            return rate
        if kind == "count" and f + 2 < n and t[f + 1].low == "to" and t[f + 2].tag == "F" and \
                f and t[f - 1].low == "from":
            # "will increase from 13 to 19 per week": the first number is of the same rate
            later = self.read(t[f + 2].fig)
            if later.role == "rate" and later.core:
                r = _copy(later)
                r.future, r.agent = False, "from"
                return r
        if kind == "percent" and nxt is not None and nxt.low == "of" and nxt2 is not None and nxt2.tag == "O" \
                and nxt2.low in ("it", "them"):
            share = self._share_of_stated(f, k + 2)
            if share:
                return share
        # "N of X", "N worth of X"
        if nxt is not None and nxt.low == "of" and kind != "count" and self._design_before(f):
            design = self._x_of_n(f)  # "a capacity of 5 million tonnes of ore per year": the capacity
            if design and design.subject and design.core:
                # "Construction of a concentrator, with a capacity of N": the concentrator's
                design.subject = _WORKS_OF.sub("", design.subject)
                design.core = _WORKS_OF.sub("", design.core)
                return design
        if nxt is not None and nxt.low == "of" and nxt2 is not None and not _of_blocked(t, k + 1) and kind != "count":
            of_x = self._of_right(f, k + 1, kind, unit)
            if of_x:
                return of_x
        if nxt is not None and nxt.low == "worth" and nxt2 is not None and nxt2.low == "of":
            of_x = self._of_right(f, k + 2, kind, unit)
            if of_x:
                return of_x
        # ", an 18% increase over ...", ", 12 percent more than ...", "up 32 percent"
        change = self._appositive_change(f, fi)
        if change:
            return change
        # "a 100-megawatt wind power plant", "the 7,000 kilometer (4,350 miles) pipeline"
        if kind in ("quantity", "money") and nxt is not None and nxt.tag == "N" and unit != "times" \
                and not (nxt.cap and kind == "money"):
            b = _np_right(t, k, max_pp=1)
            phrase = _render(t, k, b, self.s)
            if phrase:
                dim = "cost" if kind == "money" else en.UNIT_DIMENSIONS.get(unit or "", "size")
                phrase = self._fuller(phrase, t, f - 1 if f and t[f - 1].tag == "D" else k, b)
                return Reading(f"{dim} of {phrase}", f"{dim} of {phrase}", None, "design")
        if kind == "count" and noun:
            if self._design_before(f):
                design = self._x_of_n(f)  # "with an annual capacity of 50,000 vehicles": the plant's
                if design:
                    return design
            return self._counted(f, fi, noun)
        # "X worth N"
        worth = self._worth(f)
        if worth:
            return worth
        # ", an increase of 22 percent": the growth of what was just stated
        j = self._skip_approx(f - 1)
        if j >= 1 and t[j].low == "of" and t[j - 1].low in en.CHANGE_NOUNS and kind == "percent":
            for g in range(fi - 1, -1, -1):
                r = self.read(g)
                if r.core and r.transform is None:
                    return Reading(f"growth of {r.core}", r.core, "growth", "change")
        # "95 percent of whom are Kazakh citizens": a share of the people just counted
        if kind == "percent" and nxt is not None and nxt.low == "of" and nxt2 is not None and nxt2.low in ("whom", "which") \
                and fi:
            r = self.read(fi - 1)
            if r.core:
                rest = self._clause_rest_after(k + 2)
                part = f"{r.core} {rest}" if rest else r.core
                return Reading(f"share of {part}", part, "share", "share")
        # "X of N"
        left = self._x_of_n(f)
        if left:
            return left
        passive = self._figure_as_subject(f, fi)
        if passive:
            return passive
        return self._verb_frame(f, fi)

    def _price(self, f: int) -> Reading | None:
        """'built by a Chinese company for $85 million', 'sold the stake for $2 billion': what
        was built, bought or sold costs the amount."""
        t = self.t
        j = self._skip_approx(f - 1)
        if j < 1 or t[j].low != "for":
            return None
        for v in range(j - 1, max(-1, j - 8), -1):
            if t[v].tag == "V":
                if t[v].lemma not in _PRICED:
                    return None
                obj = self._object_between(v, j + 1) if v + 1 < j else None
                if obj is None and v + 1 < j and t[v + 1].tag in ("N", "D"):
                    e = _np_right(t, v + 1, max_pp=1)
                    obj = _render(t, v + 1, e, self.s)
                if obj is None or t[v + 1].low == "by":
                    obj = self._antecedent(v) if v and t[v - 1].tag == "," else self._subject_of(v)[0]
                if not obj:
                    return None
                text = f"cost of {obj}"
                return Reading(text, text, None, "design", verb=t[v].lemma, tense=_tense(t, v))
            if t[v].tag in (",", ";", "C"):
                return None
        return None

    def _restatement(self, f: int, fi: int) -> Reading | None:
        """The same measure stated again: "(4,350 miles)" after "7,000 kilometers", "or 50
        percent" after "a half", "compared to $125.8 million" after "$134.6 million",
        "and 45 cities" after "18 countries", "and Kazakhstan 10 bcm" after "China will
        receive 30 bcm"."""
        if fi == 0:
            return None
        t = self.t
        j = self._skip_approx(f - 1)  # "(about 2.9 billion U.S. dollars)" after "21.2 billion yuan"
        while j >= 0 and t[j].tag == "R":
            j -= 1
        if j < 0:
            return None
        prev = self.read(fi - 1)
        pf = self.fig_at[fi - 1]
        kind, unit, noun = self.kinds[fi]
        pkind, punit, pnoun = self.kinds[fi - 1]
        # "(4,350 miles)" and ", or 50 percent,"
        if (t[j].tag == "(" and j == pf + 1) or (t[j].low == "or" and j - 1 == pf + 1 and t[pf + 1].tag == ","):
            if prev.transform == "share" and kind != pkind and prev.core:
                # "a share of 36.6%, or $22.2 billion": the amount the share is of the whole
                return Reading(f"value of {prev.subject}", prev.core, "value", "level")
            return _copy(prev)
        # "60 percent of students attend university, 20 percent are in the workforce"
        if kind == "percent" and prev.transform == "share" and t[j].tag == "," and prev.core and \
                not (self.fig_end(f) < len(t) and t[self.fig_end(f)].low == "of"):
            rest = self._predicate_pp(f)
            part = f"{prev.core} {rest}" if rest else prev.core
            return Reading(f"share of {part}", part, "share", "share")
        # "compared to $125.8 million", "versus 5%", "up from $2 billion"
        left = " ".join(x.low for x in t[max(0, j - 1):j + 1])
        compared = left in ("compared to", "compared with", "up from", "down from") or \
            t[j].low in ("versus", "vs", "against")
        if compared and kind != pkind:
            # "revenue of KZT 48.6 billion, an increase of 14% compared to KZT 42.6 billion": the
            # last figure of the same kind before it in the sentence
            same = next((i for i in range(fi - 2, -1, -1) if self.kinds[i][0] == kind
                         and self.kinds[i][1] == unit), None)
            if same is not None:
                prev, pkind = self.read(same), kind
        if compared and kind == pkind:
            r = _copy(prev)
            r.future = False
            r.agent = "basis"  # its period is its own; it does not set the period of what follows
            return r
        # "18 countries and 45 cities": the frame of the first, with the second's noun
        if t[j].low in ("and", "or") and j - 1 == pf and kind == pkind and noun and pnoun and prev.subject \
                and pnoun in prev.subject:
            r = _copy(prev)
            r.subject = prev.subject.replace(pnoun, noun, 1)
            r.core = (prev.core or prev.subject).replace(pnoun, noun, 1)
            return r
        # "Chinese airlines operate 84 flights a week, while Kazakh carriers operate 56": the same
        # rate of the same things, by another operator
        if kind == pkind == "count" and noun is None and prev.role == "rate" and prev.core and " by " in prev.core \
                and t[j].tag == "V" and t[j].lemma == prev.verb:
            who = self._subject_of(j)[0]
            if who:
                head = re.split(r"\s+(?:to|from|between|on|along|via|by)\s+", prev.core, maxsplit=1)[0]
                r = _copy(prev)
                r.core = r.subject = f"{head} by {who}"
                return r
        # "China will receive 30 bcm and Kazakhstan 10 bcm": the verb is not repeated
        if t[j].tag == "N" and t[j].cap and j - 1 >= 0 and t[j - 1].low == "and" and j - 2 == pf and kind == pkind \
                and prev.core and prev.agent and prev.agent in prev.core:
            name = t[j].text
            r = _copy(prev)
            r.core = prev.core.replace(prev.agent, name)
            r.subject = (prev.subject or prev.core).replace(prev.agent, name)
            r.agent = name
            return r
        # "China accounted for 21.6% of the trade, ahead of Russia with 18.9%", "Wheat accounted
        # for 45%, followed by barley at 18% and sunflower oil at 12%": another part's share
        if kind == "percent" and pkind == "percent" and prev.transform == "share" and t[j].low in ("with", "at") \
                and j >= 1 and t[j - 1].tag == "N" and (prev.subject or "").startswith("share of "):
            a = _np_left(t, j - 1)
            a = max([a, *(k + 1 for k in range(a, j - 1) if t[k].tag == "P")])  # "ahead of [Russia]"
            party = _render(t, a, j, self.s)
            whole = (prev.subject or "").split(" in ", 1)[1] if " in " in (prev.subject or "") else None
            if party and a >= 1 and t[a - 1].tag in ("P", ",", "C"):
                if whole:
                    return Reading(f"share of {party} in {whole}", f"{party} in {whole}", "share", "share")
                return Reading(f"share of {party}", party, "share", "share")
        # "$43.8 billion in 2024, above the $41 billion estimate": another value of the same
        # measure, an estimate or forecast of it (its period and source are its own)
        after = f + 1
        if after < len(t) and t[after].low in _ESTIMATE_NOUNS and kind == pkind and prev.core \
                and prev.transform is None and t[j].tag in ("D", "P"):
            r = _copy(prev)
            r.future = False
            r.agent = "basis"
            return r
        return None

    def _clause_rest_after(self, j: int) -> str | None:
        """'... of whom are Kazakh citizens': what the relative clause says of them."""
        t = self.t
        k = j
        while k < len(t) and t[k].tag in ("X", "R"):
            k += 1
        if k < len(t) and t[k].tag in ("N", "D"):
            e = _np_right(t, k, max_pp=1)
            phrase = _render(t, k, e, self.s)
            return f"who are {phrase}" if phrase and j < len(t) and t[j].low in ("are", "were", "is") else phrase
        return None

    def _predicate_pp(self, f: int) -> str | None:
        """'20 percent have been in the workforce': the place or state the clause puts them in."""
        t = self.t
        for j in range(f + 1, min(len(t), f + 6)):
            if t[j].tag == "P" and t[j].low in ("in", "at", "on", "from") and j + 1 < len(t):
                e = _np_right(t, j + 1, max_pp=0)
                pp = _render(t, j + 1, e, self.s)
                return f"{t[j].low} {pp}" if pp else None
            if t[j].tag in (",", ";", "F"):
                break
        return None

    def _after_aside(self, f: int) -> int:
        """Index of the first token after the figure and a bracketed or 'or'-restatement of it."""
        t = self.t
        k = f + 1
        if k + 2 < len(t) and t[k].tag == "(" and t[k + 1].tag == "F" and t[k + 2].tag == ")":
            return k + 3
        if k + 2 < len(t) and t[k].tag == "(" and t[k + 1].tag == "N" and t[k + 2].tag == ")" and t[k + 1].text.isupper():
            return k + 3  # "one gigawatt (GW) wind farm"
        if k + 3 < len(t) and t[k].tag == "," and t[k + 1].low == "or" and t[k + 2].tag == "F" and t[k + 3].tag == ",":
            return k + 4
        return k

    def _of_right(self, f: int, j: int, kind: str, unit: str | None) -> Reading | None:
        """'61 million tons of crude to China', 'N% of X' (a share), '1,300 km of the pipeline'."""
        t = self.t
        b = _np_right(t, j, max_pp=2)
        phrase = _render(t, j, b, self.s)
        if not phrase:
            return None
        v = self._verb_before(f)
        dim = en.UNIT_DIMENSIONS.get(unit or "")
        if kind == "quantity" and dim in ("length", "area"):
            phrase = self._fuller(phrase, t, j, b)
            core = f"{dim} of {phrase}"
            if v is not None:
                subj, sa, sb = self._subject_of(v)
                if subj and _is_name(t, sa, sb):
                    core = f"{core} in {subj}"
            return Reading(core, core, None, "design")
        if kind == "percent":
            if v is not None and (t[v].vclass == "share" or (
                    t[v].low in ("made", "make", "makes") and v + 1 < len(t) and t[v + 1].low == "up")):
                owner = self._subject_of(v)[0]
                part = f"{owner} in {phrase}" if owner else phrase
                return Reading(f"share of {part}", part, "share", "share", verb=t[v].lemma, tense=_tense(t, v))
            rest = self._clause_rest(b)
            subject = f"share of {phrase}" + (f" {rest}" if rest else "")
            return Reading(subject, phrase, "share", "share")
        if v is not None and t[v].vclass in ("flow", "level", "change", "other"):
            subj, sa, sb = self._subject_of(v)
            if t[v].vclass == "flow":
                head_end = _np_right(t, j, max_pp=0)
                if head_end + 1 < len(t) and t[head_end].low in ("and", "or") and t[head_end].tag == "C" \
                        and t[head_end + 1].tag == "N" and not t[head_end + 1].cap:
                    head_end = _np_right(t, head_end + 1, max_pp=0)  # "tons of oil and gas": both flow
                thing = _render(t, j, head_end, self.s) or phrase
                flow = self._compose(v, subj, sa, sb, thing, after=head_end)
                r = Reading(flow, flow, None, "level", verb=t[v].lemma, tense=_tense(t, v))
                r.agent = subj if subj and _is_name(t, sa, sb) else None
                return r
            if t[v].vclass == "change" and self._prep_before(f) != "to" and kind != "money":
                core = phrase
                return Reading(f"growth of {core}", core, "growth", "change", verb=t[v].lemma, tense=_tense(t, v))
            return Reading(phrase, phrase, None, "level", verb=t[v].lemma, tense=_tense(t, v))
        p = b + 1
        while p < len(t) and t[p].tag == "R":
            p += 1
        if v is None and b < len(t) and t[b].low in en.BE_FORMS and p < len(t) and t[p].tag == "V" \
                and t[p].low.endswith(("ed", "en", "nt", "lt")):
            # "1.3 million tons of cargo were shipped through Khorgos": what was done with it
            text = f"{phrase} {self._passive_rest(p)}"
            return Reading(text, text, None, "level", verb=t[p].lemma, tense=_tense(t, p))
        return Reading(phrase, phrase)

    def _x_of_n(self, f: int) -> Reading | None:
        """'an annual capacity of 20 million tons', 'a loan of $300 million for X'."""
        t = self.t
        j = self._skip_approx(f - 1)
        while j >= 0 and t[j].tag == "R":
            j -= 1
        if j < 1 or t[j].low != "of" or t[j - 1].tag != "N":
            return None
        head = t[j - 1].low
        a = _np_left(t, j - 1)
        a = max([a, *(w + 1 for w in range(a, j - 1) if t[w].low == "with")])  # "a plant [with] an annual capacity of"
        # "a total of", "a record high of": the measure is named elsewhere
        if head in en.MEASURE_FILLER or head in ("high", "low", "record", "maximum", "minimum", "tune"):
            return None
        phrase = _render(t, a, j, self.s)
        if not phrase:
            return None
        words = phrase.split()
        if head in _GROWTH_HEADS and self.kinds[t[f].fig][0] == "percent":
            if len(words) > 1:
                thing = " ".join(words[:-1])  # "net income growth of around 10%": the growth of net income
                return Reading(f"growth of {thing}", thing, "growth", "change")
            owner = self._subject_of(a - 1)[0] if a >= 1 and t[a - 1].tag == "V" else None
            if owner:  # "Trade showed an increase of 20%"
                return Reading(f"growth of {owner}", owner, "growth", "change", verb=t[a - 1].lemma)
        design = any(w in en.DESIGN_WORDS for w in phrase.lower().split())
        # what follows the figure: "for the construction of the Almaty ring road"
        k = self.fig_end(f)
        if k < len(t) and t[k].tag == "P" and t[k].low in ("for", "in", "to", "from", "into", "on"):
            b = _np_right(t, k + 1, max_pp=2)
            rest = _render(t, k, b, self.s)
            if rest:
                phrase = f"{phrase} {t[k].low} {rest}"
        # the owner: "The pipeline has a capacity of ...", "... at a cost of N" (the thing built)
        before = a - 1
        while before >= 0 and (t[before].tag == "R" or t[before].tag == "X" and t[before].low not in _HAVE):
            before -= 1
        owner = None
        if before >= 0 and t[before].low == "with":
            k2 = before - 1 if before and t[before - 1].tag != "," else before - 2
            if k2 >= 0 and t[k2].tag == "N":
                a2 = _np_left(t, k2)
                # "talks with partners on a gas plant at Kashagan, with a capacity of": the plant's
                a2 = max([a2, *(w + 1 for w in range(a2, k2) if t[w].low in ("with", "on", "about", "over"))])
                a2 += t[a2].tag == "D"
                owner = _render(t, a2, k2 + 1, self.s)  # "its wind farm in X, with a capacity of"
        elif before >= 0 and t[before].low in _HAVE:
            owner = self._subject_of(before)[0]
        elif before >= 0 and t[before].low == "at" and head in ("cost", "price", "value"):
            obj_end = before
            while obj_end > 0 and t[obj_end - 1].tag in ("P", "D") and obj_end - 1 != 0:
                break
            c = _np_left(t, before - 1) if before - 1 >= 0 and t[before - 1].tag == "N" else None
            if c is not None:
                # "build a 1 GW wind farm in the Zhambyl region at a cost of": back to the object
                k2 = c
                while k2 - 1 >= 0 and t[k2 - 1].tag in ("N", "~", "D", "F", "P") and t[k2 - 1].low not in ("at",):
                    k2 -= 1
                    if t[k2].tag == "D":
                        break
                owner = _render(t, k2, before, self.s)
            elif before >= 3 and t[before - 1].tag == "V" and t[before - 2].tag == "," and t[before - 3].tag == "N":
                # "A new terminal in Xi'an, built at a cost of N, ...": what was built
                owner = _render(t, _np_left(t, before - 3), before - 2, self.s)
            elif before >= 1 and t[before - 1].tag == "V":
                owner = self._subject_of(before - 1)[0]  # "The terminal was built at a cost of N"
        elif before >= 0 and t[before].tag == "V" and t[before].vclass in ("flow", "level", "other") and not design:
            s_text, sa, sb = self._subject_of(before)
            if s_text and _is_name(t, sa, sb):
                phrase = f"{s_text} {phrase}"
            elif s_text and t[before].vclass in ("flow", "other"):
                phrase = f"{phrase} {_participle(t[before])} by {s_text}"
        if owner and owner.lower() not in phrase.lower():
            phrase = f"{phrase} of {owner}"
        # the verb the phrase is the object of says when: "allows stays of up to 30 days" is a rule
        # in force, not a statistic of the run of past figures before it
        tense = _tense(t, before) if before >= 0 and t[before].tag == "V" else None
        return Reading(phrase, phrase, None, "design" if design else "level", tense=tense)

    def _worth(self, f: int) -> Reading | None:
        """'16 agreements worth $2.1 billion', 'deals valued at $5 billion': the value of X."""
        t = self.t
        j = self._skip_approx(f - 1)
        while j >= 0 and (t[j].tag == "R" or t[j].low in ("a", "total", "of", "at", "to", "with", "the")):
            if t[j].low in _WORTH_WORDS:
                break
            j -= 1
        if j < 1 or t[j].low not in _WORTH_WORDS:
            return None
        k = j - 1
        while k >= 0 and t[k].tag in ("R", ","):
            k -= 1
        if k < 0 or t[k].tag not in ("N", "F"):
            return None
        end = k + 1
        a = _np_left(t, k) if t[k].tag == "N" else k
        if a > 0 and t[a - 1].tag == "F":
            a -= 1  # "26 cooperation documents worth": the count belongs to the things
        phrase = _render(t, a, end, self.s)
        if not phrase:
            counted = self._counted_noun_at(k)
            phrase = counted
        if not phrase:
            return None
        v = a - 1
        while v >= 0 and t[v].tag in ("R", "X"):
            v -= 1
        if v >= 0 and t[v].tag == "V" and t[v].vclass == "flow":
            phrase = f"{phrase} {_participle(t[v])}"
        else:
            nv = self._verb_after(end)
            if nv is not None and t[nv].vclass == "flow":
                phrase = f"{phrase} {_participle(t[nv])}"
        return Reading(f"value of {phrase}", phrase, "value", "level")

    def _counted(self, f: int, fi: int, noun: str) -> Reading:
        """'1,500 container trains passed through X', 'the sides signed 26 documents'."""
        t = self.t
        n = len(t)
        base = noun
        supplied = self._supplied(f, noun)
        if supplied:
            return supplied
        j = self.fig_end(f)
        rest = None
        last = noun.split()[-1]
        ordinal = last.isalpha() and last.islower() and not last.endswith(("s", "men")) and \
            last not in en.PLURALS_WITHOUT_S
        if ordinal:
            # "the 6,000 train trip", "trip number 6,000": the rank of one occurrence counts them all
            while j < n and t[j].tag == "N" and not t[j].cap:
                base = f"{base} {t[j].text}"
                j += 1
            base = _plural(base)
        # skip an attached value: "52 projects worth $20 billion are being implemented"
        if j < n and t[j].low in _WORTH_WORDS:
            j += 1
            while j < n and t[j].tag in ("F", "P", "R", "D"):
                j += 1
        if j < n and t[j].tag == "P" and t[j].low in ("from", "with", "in", "of", "at", "on", "along", "between",
                                                    "to", "via", "through", "for", "across"):
            b = _np_right(t, j + 1, max_pp=2)
            pp = _render(t, j + 1, b, self.s)
            if pp:
                rest = f"{t[j].low} {pp}"
                j = b
        if ordinal:
            # what the one occurrence did ("the train on trip number 6,000 carried cotton") is not counted
            return self._ranked(base, rest)
        k = j
        while k < n and t[k].tag in ("X", "R"):
            k += 1
        if k == j and k < n and rest is None and t[k].low in en.PLANNED_PARTICIPLES:
            # "with up to 52 trains planned in 2026": things to come, so their time is a target
            text = f"{base} {t[k].low}"
            r = Reading(text, text, None, "count", verb=t[k].lemma, tense="future")
            r.future = True
            return r
        p = k
        while p < n and t[p].tag == "T" and t[p].text.islower():
            p += 1  # "are now registered"
        if p < n and p > j and t[j].low in en.BE_FORMS and t[p].tag == "V" and t[p].low.endswith(("ed", "en")):
            # "85 companies are now registered to export farm products to China": what they are
            text = " ".join([base] + ([rest] if rest else []) + [self._passive_rest(p)])
            return Reading(text, text, None, "count", verb=t[p].lemma, tense=_tense(t, p))
        if k < n and t[k].tag == "V" and t[k].vclass in ("flow", "level", "change") and t[k].lemma not in ("be",):
            o = k + 1
            if k + 2 < n and t[o].low in ("each", "every", "per", "a") and t[o + 1].low in _RATE_UNITS:
                o += 2  # "100 trains run each month between ...": a rate, not what they did
            b = _np_right(t, o, max_pp=2) if o < n and t[o].tag in ("N", "D") else o
            if o < n and t[o].tag == "P":
                b = _np_right(t, o + 1, max_pp=2)
                obj = _render(t, o, b, self.s)
                obj = f"{t[o].low} {obj}" if obj and not obj.lower().startswith(t[o].low + " ") else obj
            else:
                obj = _render(t, o, b, self.s)
            verb = _participle(t[k]) if t[k].low.endswith(("ed", "en")) or t[k].tag == "V" else t[k].low
            if _tense(t, k) == "present" and not t[k].low.endswith(("ed", "en")):
                verb = _present_participle(t[k])  # "4,700 enterprises operate in X": enterprises operating in X
            words = [base] + ([rest] if rest else []) + [verb] + ([obj] if obj else [])
            return Reading(" ".join(words), " ".join(words), None, "count", verb=t[k].lemma, tense=_tense(t, k))
        v = self._verb_before(f)
        if v is not None and t[v].vclass in ("flow", "level", "change", "other") and t[v].lemma != "be":
            obj = self._object_between(v, f)
            prep = self._prep_before(f)
            if obj and prep in ("with", "to", "and"):
                # "connecting China with 18 countries" -> "countries connected with China"
                text = f"{base} {_participle(t[v])} {prep} {obj}" + (f" {rest}" if rest else "")
                return Reading(text, text, None, "count", verb=t[v].lemma, tense=_tense(t, v))
            subj, sa, sb = self._subject_of(v)
            passive = v > 0 and (t[v - 1].low in en.BE_FORMS or (v > 1 and t[v - 1].tag == "R"
                                                                  and t[v - 2].low in en.BE_FORMS))
            if passive and prep == "by" and t[v].vclass == "flow" and subj and \
                    subj.lower() not in ("it", "they", "this", "we"):
                # "Kazakhstan was visited by 600,000 Chinese tourists": the things did it
                text = f"{base} {_present_participle(t[v])} {subj}" + (f" {rest}" if rest else "")
                return Reading(text, text, None, "count", verb=t[v].lemma, tense=_tense(t, v))
            clause = sa
            while clause > 0 and t[clause - 1].tag not in (",", ";", ":"):
                clause -= 1  # "the number of trips by Chinese travellers": the agent is the subject read
            if t[v].vclass in ("level", "change") and subj and _measured_flow([x.low for x in t[clause:sb]]):
                # "the number of Chinese tourists reached 500,000 people", "exports of Kazakh cars
                # rose to 3,000 vehicles": the things are the unit the subject is counted in
                return Reading(subj, subj, None, "count", verb=t[v].lemma, tense=_tense(t, v))
            words = [base] + ([rest] if rest else [])
            if t[v].vclass == "flow":
                words.append(_participle(t[v]))
                if subj and subj.lower() not in ("it", "they", "this", "we"):
                    words.append(f"by {subj}")
            text = " ".join(words)
            lead = self._fronted_pp()
            if lead and lead.lower() not in text.lower():
                text = f"{text} {lead}"
            return Reading(text, text, None, "count", verb=t[v].lemma, tense=_tense(t, v))
        if rest is None and " " not in base and base.islower():
            base = self.ctx.mention(base)  # "530 students" after "the students in the Confucius Institute"
        text = base + (f" {rest}" if rest else "")
        return Reading(text, text, None, "count")

    def _passive_rest(self, k: int) -> str:
        """The participle at k with what completes it: "registered to export farm products to
        China", "located in Almaty", or the participle alone."""
        t, n = self.t, len(self.t)
        b = k + 1
        if b + 1 < n and t[b].low == "to" and t[b + 1].tag == "V":
            e = _np_right(t, b + 2, max_pp=1) if b + 2 < n and t[b + 2].tag in ("N", "D") else b + 2
            comp = _render(t, b + 2, e, self.s) if e > b + 2 else None
            return f"{t[k].low} to {t[b + 1].low}" + (f" {comp}" if comp else "")
        if b + 1 < n and t[b].tag == "P" and t[b].low != "by":
            pp = _render(t, b + 1, _np_right(t, b + 1, max_pp=1), self.s)
            if pp:
                return f"{t[k].low} {t[b].low} {pp}"
        return t[k].low

    def _ranked(self, things: str, rest: str | None) -> Reading:
        """'the 6,000 train trip through X': the trips through X; 'trip number 6,000' alone: the
        ranked occurrences stated just before, when they are of the same kind."""
        text = f"{things} {rest}" if rest else None
        if text is None:
            head = things.split()[-1]
            text = next((r.core for r in reversed(self.ctx.readings[-4:]) if r.ordinal and r.core and
                         head in r.core.split()), things)
        return Reading(text, text, None, "count", ordinal=True)

    def _supplied(self, f: int, noun: str) -> Reading | None:
        """'The plant will meet the demand of 1 million households', 'enough to power 200,000
        homes': the households an asset supplies, and which asset (the clause's subject)."""
        if noun.split()[-1].lower() not in en.SUPPLIED_NOUNS:
            return None
        t = self.t
        j = self._skip_approx(f - 1)
        left = self.s[max(0, t[j].start - 30):t[j].end].lower() if j >= 0 else ""
        if not left.endswith(_supply_cues()):
            return None
        # the verb nearest before the figure ("Once fully running, it will supply ... to N
        # homes": what supplies, not what runs), else the clause's first
        near = next((k for k in range(f - 1, -1, -1) if t[k].tag == "V"), None)
        if near is not None and near > 0 and t[near - 1].low == "to":
            near = None  # "is big enough to power N homes": the clause's own subject
        first = next((k for k in range(f) if t[k].tag in ("V", "X")), None)
        owner = (self._subject_of(near)[0] if near is not None else None) or \
            (self._subject_of(first)[0] if first else None)
        text = f"{noun} supplied" + (f" by {owner}" if owner and owner.lower() not in _PERSONAL else "")
        return Reading(text, text, None, "design")

    def _verb_frame(self, f: int, fi: int) -> Reading | None:
        t = self.t
        kind, unit, _ = self.kinds[fi]
        v = self._verb_before(f)
        if v is None:
            return self._nearest_np(f)
        vt = t[v]
        prep = self._prep_before(f)
        if kind == "money" and prep == "at" and vt.lemma in ("estimate", "value", "put", "peg") and v >= 2:
            priced = self._priced_thing(v)
            if priced and priced[1]:
                price = f"{'value' if vt.lemma == 'value' else 'cost'} of {priced[0]}"
                return Reading(price, price, None, "design", verb=vt.lemma)
            if priced:  # "Kazakh exports, estimated at $15 billion,": the exports' level
                return Reading(priced[0], priced[0], None, "level", verb=vt.lemma, tense=_tense(t, v))
        obj = self._object_between(v, f)
        tense = _tense(t, v)
        if vt.vclass == "say" or (vt.lemma == "be" and obj is None and self._subject_of(v)[0] is None):
            return self._nearest_np(f)
        dim = en.UNIT_DIMENSIONS.get(unit or "") if kind == "quantity" else None
        subj: str | None
        if obj is not None and vt.vclass in ("change", "level", "flow", "plan", "other"):
            # "increase trade to $35 billion", "increase exports of X by 2.5 times", "put traffic at 95,000 TEU"
            subj = obj
            agent = None
            if vt.vclass == "flow" and not (vt.lemma == "bring" and prep == "to"):  # "bring exports to $2 billion"
                s_text, sa, sb = self._subject_of(v)
                subj = self._compose(v, s_text, sa, sb, obj) or obj
                agent = s_text if s_text and _is_name(t, sa, sb) else None
            if vt.vclass == "change" and (prep == "by" or kind == "percent" or unit == "times") and prep != "to":
                return Reading(f"growth of {subj}", subj, "growth", "change", verb=vt.lemma, tense=tense)
            r = Reading(subj, subj, None, "level", verb=vt.lemma, tense=tense)
            r.agent = agent
            return r
        subj, sa, sb = self._subject_of(v)
        invest_like = vt.vclass == "level" and vt.lemma in en.VERB_NOUNS and kind == "money" and \
            self.fig_end(f) < len(t) and t[self.fig_end(f)].low in ("in", "into")
        if (vt.vclass == "flow" or invest_like) and kind in ("money", "quantity"):
            thing = None
            if kind == "quantity" and vt.lemma not in en.VERB_NOUNS:
                thing = _UNIT_THINGS.get(unit or "", "volume")
            core = self._compose(v, subj, sa, sb, thing)
            if core:
                r = Reading(core, core, None, "level", verb=vt.lemma, tense=tense)
                r.agent = subj if subj and _is_name(t, sa, sb) else None
                return r
        if not subj:
            return self._nearest_np(f)
        if vt.vclass == "change" and prep == "from":
            # "will increase from 13 to 19 per week": the level before the change
            r = Reading(subj, subj, None, "level", verb=vt.lemma, tense="present")
            r.future = False
            r.agent = "from"
            return r
        if vt.vclass == "change" and (prep != "to" and (kind == "percent" or unit == "times" or prep == "by")):
            return Reading(f"growth of {subj}", subj, "growth", "change", verb=vt.lemma, tense=tense)
        if vt.vclass == "share" and kind == "percent":
            k = self.fig_end(f)
            if k + 1 < len(t) and t[k].low == "of":
                b = _np_right(t, k + 1, max_pp=1)
                whole = _render(t, k + 1, b, self.s)
                if whole:
                    return Reading(f"share of {subj} in {whole}", f"{subj} in {whole}", "share", "share",
                                   verb=vt.lemma, tense=tense)
            whole_before = self._whole_of_which(sa)
            if whole_before:  # "trade reached $1.2 billion, of which exports accounted for 70 percent"
                return Reading(f"share of {subj} in {whole_before}", f"{subj} in {whole_before}", "share", "share",
                               verb=vt.lemma, tense=tense)
            return Reading(f"share of {subj}", subj, "share", "share", verb=vt.lemma, tense=tense)
        if dim in ("length", "area", "capacity") and unit not in ("tons", "TEU", "m3") and vt.vclass == "other" \
                and dim not in subj.lower():
            core = f"{dim} of {subj}"
            return Reading(core, core, None, "design", verb=vt.lemma, tense=tense)
        if vt.lemma == "cost" and kind == "money" and "cost" not in subj.lower():
            core = f"cost of {subj}"  # "the expansion will cost $1.8 billion"
            return Reading(core, core, None, "design", verb=vt.lemma, tense=tense)
        design = any(w in en.DESIGN_WORDS for w in subj.lower().split())
        return Reading(subj, subj, None, "design" if design else "level", verb=vt.lemma, tense=tense)

    def _figure_as_subject(self, f: int, fi: int) -> Reading | None:
        """'5.9 million tons were transported to China': the figure is the subject of a passive
        verb; what it measures is the thing moved, how, and where ("through the Dostyk station")."""
        t = self.t
        kind, unit, _ = self.kinds[fi]
        k = self._after_aside(f)
        j = k
        while j < len(t) and t[j].tag in ("X", "R"):
            j += 1
        if j == k or j >= len(t) or t[j].tag != "V" or t[j].vclass not in ("flow", "other", "level"):
            return None
        thing = _UNIT_THINGS.get(unit or "", "volume") if kind == "quantity" else (
            "amount" if kind == "money" else None)
        if thing is None:
            return None
        words = [thing, _participle(t[j])]
        b = j + 1
        if b < len(t) and t[b].tag == "P":
            e = _np_right(t, b + 1, max_pp=1)
            pp = _render(t, b + 1, e, self.s)
            if pp:
                words.append(f"{t[b].low} {pp}")
        lead = self._fronted_pp()
        if lead:
            words.append(lead)
        text = " ".join(words)
        return Reading(text, text, None, "level", verb=t[j].lemma, tense=_tense(t, j))

    def _appositive_change(self, f: int, fi: int) -> Reading | None:
        """', 12 percent more than a year earlier', ', an 18% increase over ...', 'up 32 percent':
        the growth of the figure stated just before in the sentence (or of the clause's subject)."""
        t = self.t
        kind, unit, _ = self.kinds[fi]
        if kind not in ("percent", "quantity") or (kind == "quantity" and unit != "times"):
            return None
        k = self.fig_end(f)
        after = t[k].low if k < len(t) else ""
        after2 = t[k + 1].low if k + 1 < len(t) else ""
        j = f - 1
        while j >= 0 and t[j].tag in ("R", "D") and t[j].low not in ("up", "down"):
            j -= 1
        before = (t[j].tag if t[j].tag in ("-", ",", "(") else t[j].low) if j >= 0 else ""
        comparative = after in ("more", "less", "higher", "lower", "up", "down", "increase", "decrease", "growth",
                                "rise", "drop", "decline", "jump", "gain") or (
            after in ("year-on-year", "y-o-y") and before in (",", "up", "down")) or (
            unit == "times" and after == "the" and after2 in en.BASE_NOUNS)  # ", nearly triple the amount of 2024"
        if after in ("more", "less", "higher", "lower") and after2 not in ("than", ""):
            comparative = after2 in (",", ".", "") or False
        if before in ("up", "down") or (before == "by" and j >= 1 and t[j - 1].low in ("up", "down")):
            comparative = True
        if not comparative or (before not in (",", "up", "down", "by", "-", "(") and j >= 0 and t[j].tag not in ("C",)):
            if not (before in ("up", "down") or before == "by"):
                return None
            if before == "by" and not (j >= 1 and t[j - 1].low in ("up", "down")):
                return None
        # what changed: the figure just before, else the clause's subject
        base = None
        for g in range(fi - 1, -1, -1):
            r = self.read(g)
            if r.core and r.role in ("level", "count", "design") and r.transform is None:
                base = r.core
                break
        if base is None:
            v = self._last_verb_before(f)
            if v is not None:
                base = self._subject_of(v)[0]
        if base is None:
            return None
        return Reading(f"growth of {base}", base, "growth", "change")

    def _rate_after_verb(self, f: int) -> tuple[re.Match[str] | None, int | None]:
        """'90 flights operate a week', '100 trains now run each month': the rate stated after
        the things' own verb (intransitive there: nothing stands between it and the rate),
        and the index after it."""
        t, n = self.t, len(self.t)
        k = self.fig_end(f)
        while k < n and (t[k].tag in ("R", "X") or (t[k].tag == "T" and t[k].text.islower())):
            k += 1  # "now", "currently"
        if not (k < n and t[k].tag == "V"):
            return None, None
        k += 1
        if k + 1 < n and t[k].low in ("a", "per", "each", "every") and t[k + 1].low in _RATE_UNITS:
            return _RATE.search(f"{t[k].low} {t[k + 1].low}"), k + 2
        return None, None

    def _rate(self, f: int, fi: int) -> Reading | None:
        """'three times a week', '19 per week', '12 weekly flights': a weekly count of X."""
        t = self.t
        text = t[f].low
        m = _RATE.search(text) if ("per" in text or "a " in text or "each" in text or "every" in text or "/" in text) \
            else None
        kind, unit, noun = self.kinds[fi]
        weekly_noun = noun and noun.split()[0].lower() in ("weekly", "daily", "monthly")
        after = None  # where the clause goes on, when the rate follows the things' verb
        if not m and not weekly_noun and kind == "count":
            m, after = self._rate_after_verb(f)
        if not m and not weekly_noun:
            return None
        if weekly_noun:
            return None  # "12 weekly flights": the counted noun says it
        rate = en.RATE_WORDS[m.group(1) or m.group(2)]  # type: ignore[union-attr]
        if rate == "annual" and kind != "count":
            return self._annual(f, fi)
        # the thing counted: the counted noun, else the clause's subject or the object of its verb
        thing = None
        if noun and not noun.lower().startswith(("times", "per")):
            thing = noun
        v = self._verb_before(f)
        verb = t[v].lemma if v is not None else None
        if thing is not None:
            # "84 flights a week to Kazakh cities", "150 flights a week between the two countries"
            j = after or self.fig_end(f)
            if j < len(t) and t[j].tag == "P" and t[j].low in ("between", "to", "from", "on", "along", "via"):
                pp = _render(t, j + 1, _np_right(t, j + 1, max_pp=1), self.s)
                if pp:
                    thing = f"{thing} {t[j].low} {pp}"
            if v is not None and t[v].vclass == "flow":
                who = self._subject_of(v)[0]  # "Chinese airlines operate 84 flights a week": by whom
                if who and who.lower() not in thing.lower() and not set(who.lower().split()) <= _ANY_OPERATOR:
                    thing = f"{thing} by {who}"  # ("Air carriers now operate": no one in particular)
        if thing is None:
            if v is not None:
                obj = self._object_between(v, f)
                thing = obj or self._subject_of(v)[0]
            elif fi and self._gapped_name(f) is not None:
                # "... to twice per week, and Almaty-Beijing to seven times a week"
                prev = self.read(fi - 1)
                if prev.core and prev.transform == rate:
                    head = re.split(r"\s+(?:along|on|between|from|via|through|to)\s+",
                                    re.sub(r"^(?:weekly|daily|monthly|annual) ", "", prev.core))[0]
                    thing = f"{head} {self._gapped_name(f)}"
            else:
                # "and Almaty-Beijing to seven times a week": the thing of the figure before
                for g in range(fi - 1, -1, -1):
                    r = self.read(g)
                    if r.transform == rate and r.core:
                        thing = r.core
                        break
                if thing is None:
                    # "Flights will be operated by ... three times a week": the clause's subject
                    first = next((j for j in range(f) if t[j].tag == "V"), None)
                    if first is not None:
                        thing = self._subject_of(first)[0]
        if thing is None:
            return Reading(None, None, rate, "rate", verb=verb)
        thing = re.sub(r"^(?:weekly|daily|monthly|annual) ", "", thing, flags=re.I)
        thing = re.sub(r"^(?:number|frequency|volume) of ", "", thing)
        text = f"{rate} {thing}"
        return Reading(text, text, rate, "rate", verb=verb, tense=_tense(t, v) if v is not None else None)

    def _years(self, f: int) -> Reading | None:
        """'the 30th anniversary of diplomatic relations', '32 years of cooperation', 'over the
        past 30 years since the establishment of X', '31 years ago'."""
        t = self.t
        n = len(t)
        k = self.fig_end(f)
        what = None
        if k < n and t[k].low in ("of", "since"):
            j = k + 1
            if j < n and t[j].tag == "D":
                j += 1
            if j < n and t[j].low in ("the", "establishment", "establishing", "signing"):
                pass
            b = _np_right(t, k + 1, max_pp=2)
            what = _render(t, k + 1, b, self.s)
            if what:
                what = re.sub(r"^(?:establishment|establishing|the establishment) of ", "", what)
        if not what:
            m = re.search(r"\b(?:since|after) the (?:establishment|signing|launch|start) of ((?:[A-Za-z'’-]+ ){0,4}"
                          r"[A-Za-z'’-]+)", self.s)
            if m:
                what = m.group(1)
        if self.ctx.relation and (not what or set(what.lower().split()) <= set(self.ctx.relation.lower().split())):
            what = self.ctx.relation
        if not what:
            # "Relations were established 31 years ago": the clause's subject is the relationship
            first = next((j for j in range(f) if t[j].tag in ("V", "X")), None)
            if first:
                about = _render(t, _np_left(t, first - 1), first, self.s) if t[first - 1].tag == "N" else None
                if about and any(w in en.RELATION_WORDS for w in about.lower().split()):
                    what = about
        if not what:
            # "Over the past 30 years, ...": a length of time whose relationship is not named
            span_word = re.search(r"\b(?:past|last)\b", self.s[:t[f].end].lower()[-20:]) or \
                self.s[t[f].end:t[f].end + 5].lower().strip().startswith("ago")
            return Reading(None, None, None, "years") if span_word else None
        what = re.split(r"\s+(?:have|has|had|is|are|was|were|\d+)\b", what)[0]
        if not any(w[:1].isupper() for w in what.split()):
            parties = self._clause_parties(f)
            if parties:
                what = f"{what} {parties}"
            elif self.ctx.relation and any(w[:1].isupper() for w in self.ctx.relation.split()):
                # "30 years of our cooperation": the parties of the relationship named before
                between = _BETWEEN_TAIL.search(self.ctx.relation)
                what = f"{what} {between.group(0)}" if between else self.ctx.relation
        text = f"years of {what}"
        if any(w in text.lower() for w in en.RELATION_WORDS):
            self.ctx.relation = what
        return Reading(text, text, None, "years")

    def _clause_parties(self, f: int) -> str | None:
        """'Kazakhstan and the EU are marking the 30th anniversary of diplomatic relations':
        the parties the sentence's subject names ("between Kazakhstan and EU")."""
        t = self.t
        first = next((j for j in range(f) if t[j].tag in ("V", "X")), None)
        if first is None or first == 0:
            return None
        a = _np_left(t, first - 1) if t[first - 1].tag == "N" else first
        if a >= 2 and t[a - 1].low == "and" and t[a - 2].tag == "N" and t[a - 2].cap:
            a = _np_left(t, a - 2)  # "Kazakhstan and the European Union are marking ..."
        names = [x.text for x in t[a:first] if x.tag == "N" and x.cap]
        joined = " ".join(x.low for x in t[a:first])
        if " between " in f" {joined} ":
            k = next(j for j in range(a, first) if t[j].low == "between")
            phrase = _render(t, k + 1, first, self.s)
            return f"between {phrase}" if phrase else None
        if len(names) >= 2 and any(x.low == "and" for x in t[a:first]):
            phrase = _render(t, a, first, self.s)
            return f"between {phrase}" if phrase else None
        return None

    def _gapped_name(self, f: int) -> str | None:
        """'..., and Almaty-Beijing to seven times a week', '... and Almaty-Urumqi three times
        a week': a name standing for the thing of the figure before, with the verb left out."""
        t = self.t
        j = f - 1
        if j >= 0 and t[j].low == "to":
            j -= 1
        if j >= 1 and t[j].tag == "N" and t[j].cap and t[j - 1].low == "and" and (
                j >= 2 and (t[j - 2].tag == "F" or t[j - 2].tag == ",")):
            return t[j].text
        return None

    def _spread_over(self, f: int, fi: int) -> Reading | None:
        """'invest $1.2 billion over five years': the time an amount is spread over, read as
        the period of that amount (the figure before it in the sentence)."""
        t = self.t
        j = f - 1
        while j >= 0 and (t[j].tag in ("D", "R") or t[j].low in ("next", "coming", "past", "last", "following")):
            j -= 1
        if j < 1 or t[j].low not in ("over", "within", "during") or fi == 0:
            return None
        k = self.fig_end(f)
        if k < len(t) and t[k].low in ("of", "since"):
            return None  # "over 30 years of cooperation": how long a relationship has lasted
        a = self.fig_at.get(fi - 1)
        if a is None or not 0 < j - a <= 6 or any(x.tag in (",", ";", "V") for x in t[a + 1:j]):
            return None  # the amount is the one just before, in the same clause
        amount = self.read(fi - 1)
        if not amount.core or amount.transform is not None or self.kinds[fi - 1][0] not in ("money", "quantity", "count") \
                or self.kinds[fi - 1][1] in (*_DURATION_UNITS, "times"):
            return None  # "rose 60 times over the past 30 years": the time of a change is its period
        text = f"period of {amount.core}"
        return Reading(text, text, None, "design")

    def _interval(self, f: int) -> Reading | None:
        """'reaching a major stage every ten years': the interval of what recurs."""
        near = self._nearest_np(f)
        if near is None or not near.core:
            return None
        text = f"interval of {near.core}"
        return Reading(text, text, None, "design")

    def _annual(self, f: int, fi: int) -> Reading | None:
        """'4.5 billion cubic metres a year', '319 GWh per year': an annual amount of what the
        sentence says moves or is made (capacity stays capacity)."""
        t = self.t
        kind, unit, _ = self.kinds[fi]
        saved = self.kinds[fi]
        self.kinds[fi] = (kind, unit, None)
        inner = None
        k = self._after_aside(f)
        if k < len(t) and t[k].low == "of":
            inner = self._of_right(f, k + 1, kind, unit)
        if inner is None:
            inner = self._x_of_n(f) or self._verb_frame(f, fi)
        self.kinds[fi] = saved
        if inner is None or not inner.core:
            return None
        core = inner.core
        if not core.lower().startswith(("annual", "yearly")) and "capacity" not in core.lower():
            core = f"annual {core}"
        r = _copy(inner)
        r.subject = core if inner.transform is None else inner.subject
        r.core = core
        return r

    def _per_year_after(self, f: int) -> bool:
        """'160 million kWh of electricity a year': a yearly amount."""
        t = self.t
        low = t[f].low
        if ("year" in low or "/y" in low) and _PER_YEAR.search(low):
            return True
        for j in range(f + 1, min(len(t), f + 7)):
            if t[j].tag in (",", ";", "F", "V", "X"):
                return False
            if t[j].low in ("annually", "yearly") or (t[j].low == "year" and t[j - 1].low in ("a", "per")):
                return True
        return False

    def _own_metric(self, r: Reading) -> None:
        """A company's own metric named bare ("the company reported revenue of N", "Revenue
        rose 12%") gets the company's name, the issuer the release is from: keyed "revenue",
        two companies' revenues would read as one revising the other."""
        if not r.core or r.transform not in (None, "growth") or r.core.lower() not in en.COMPANY_METRICS:
            return
        issuer = self.ctx.issuer()
        if issuer is None:
            return
        core = r.core[0].lower() + r.core[1:] if r.core[1:2].islower() else r.core  # "Revenue", not "EBITDA"
        owned = f"{issuer} {core}"
        r.subject = r.subject.replace(r.core, owned, 1) if r.subject else owned
        r.core = owned

    def _design_before(self, f: int) -> bool:
        """The figure is what a design word measures: "a capacity of N", "a length of N"."""
        j = self._skip_approx(f - 1)
        return j >= 1 and self.t[j].low == "of" and self.t[j - 1].low in en.DESIGN_WORDS

    def _part_included(self, f: int, fi: int) -> Reading | None:
        """'exported 11.2 million tons of grain, including 1.4 million tons to China': the part
        of the whole just stated that went where the phrase after it says."""
        t, n = self.t, len(self.t)
        j = self._skip_approx(f - 1)
        if not (j >= 1 and t[j].low == "including" and t[j - 1].tag == ","):
            return None
        k = self.fig_end(f)
        if not (k < n and t[k].tag == "P" and t[k].low in ("to", "from", "for", "via", "through", "in")):
            return None
        pp = _render(t, k + 1, _np_right(t, k + 1, max_pp=1), self.s)
        whole = next((p for p in range(j - 2, -1, -1) if t[p].tag == "F"), None)
        if not pp or whole is None or self.kinds[t[whole].fig][:2] != self.kinds[fi][:2]:
            return None  # (a part in the whole's unit: "$2 billion, including 30% ..." is another rule's)
        w = self.read(t[whole].fig)
        if not w.core or w.transform is not None:
            return None
        text = f"{w.core} {t[k].low} {pp}"
        return Reading(text, text, None, w.role, verb=w.verb, tense=w.tense)

    def _skip_approx(self, j: int) -> int:
        """Index left of any approximator ending at j ("more than", "about", "nearly")."""
        t = self.t
        if j < 0 or t[j].low not in _APPROX_LAST:
            return j
        for n in (3, 2, 1):
            if j - n + 1 >= 0:
                phrase = " ".join(x.low for x in t[j - n + 1:j + 1])
                if phrase in en.APPROXIMATORS:
                    return j - n
        return j

    def _nearest_np(self, f: int) -> Reading | None:
        """Last resort: the noun phrase right before the figure in its clause."""
        t = self.t
        j = f - 1
        while j >= 0 and t[j].tag in ("R", "P", "D", "X", "V"):
            if t[j].tag == "V" and t[j].vclass == "say":
                return None
            j -= 1
        if j < 0 or t[j].tag != "N":
            return None
        a = _np_left(t, j)
        phrase = _render(t, a, j + 1, self.s)
        if not phrase:
            return None
        return Reading(phrase, phrase)

    # ------------------------------------------------------------ helpers

    def fig_end(self, f: int) -> int:
        return f + 1

    def _prep_before(self, f: int) -> str | None:
        j = f - 1
        while j >= 0 and self.t[j].tag in ("R", "D") or (j >= 0 and self.t[j].low in ("than", "a", "record")):
            j -= 1
        return self.t[j].low if j >= 0 and self.t[j].tag == "P" else None

    def _verb_before(self, f: int) -> int | None:
        """The verb a figure is the object or complement of: left over prepositions,
        approximators and earlier figures ("rose 32% to $41 billion")."""
        t = self.t
        j = f - 1
        skipped = 0
        while j >= 0:
            tok = t[j]
            if tok.tag == "V" or (tok.tag == "F" and tok.vclass):
                return j
            if tok.tag == "X" and tok.low in _BE and self._only_modifiers(j + 1, f):
                return j  # "Revenue was $36.0 million": the copula is the verb
            if tok.tag in ("F", "T") or tok.low in _SKIP_TO_VERB or tok.tag in ("R", "X"):
                j -= 1
                continue
            if tok.tag == "N" and skipped < 8:
                # an object between the verb and the figure: "increase trade to $35 billion"
                a = _np_left(t, j)
                k = a - 1
                while k >= 0 and (t[k].tag in ("R", "D") or t[k].low in _FILLER_ADJ):
                    k -= 1
                if k >= 0 and t[k].tag == "V" and j + 1 < len(t) and (t[j + 1].tag in ("P", "F", "R") or
                                                                     t[j + 1].low in _SKIP_TO_VERB):
                    return k
                return None
            return None
        return None

    def _only_modifiers(self, a: int, b: int) -> bool:
        return all(x.tag in ("R", "D") or x.low in _SKIP_TO_VERB for x in self.t[a:b])

    def _last_verb_before(self, f: int) -> int | None:
        for j in range(f - 1, -1, -1):
            if self.t[j].tag == "V" and self.t[j].vclass != "say":
                return j
        return None

    def _verb_after(self, j: int) -> int | None:
        t = self.t
        while j < len(t) and t[j].tag in ("X", "R"):
            j += 1
        return j if j < len(t) and t[j].tag == "V" else None

    def _object_between(self, v: int, f: int) -> str | None:
        """The noun phrase between a verb and the figure, if any ("increase [trade] to N")."""
        t = self.t
        j = v + 1
        while j < f and (t[j].tag in ("R", "D") or t[j].low in _FILLER_ADJ):
            j += 1
        if j >= f or t[j].tag != "N":
            return None  # "operated by the Airbus A320 aircraft": an agent, not an object
        b = _np_right(t, j, max_pp=2)
        b = min(b, f)
        k = b
        while k < f and (t[k].tag in ("P", "R", "D", "F") or t[k].low in _SKIP_TO_VERB):
            k += 1
        if k != f or (t[b - 1].low in en.MEASURE_FILLER and b < f and t[b].low == "of"):
            return None  # "reached the equivalent of $310 million": the subject's own amount
        phrase = _render(t, j, b, self.s)
        return self._resolve_anaphor(phrase)

    def _subject_of(self, v: int) -> tuple[str | None, int, int]:
        """The subject of the verb at v: the noun phrase before it; for a participle or a
        coordinated verb, the subject of the clause's verb before it."""
        if v in self._subjects:
            return self._subjects[v]
        self._subjects[v] = (None, 0, 0)  # guards against loops through coordinated verbs
        t = self.t
        j = v - 1
        while j >= 0 and (t[j].tag in ("X", "R") or t[j].low in _BEFORE_VERB or
                          (t[j].tag == "T" and t[j].text.isalpha() and t[j].text.islower())):
            j -= 1  # (a time adverb too: "airlines currently operate")
        # "... over the three decades has exceeded": skip a time adjunct before the verb
        k = j
        while k >= 2 and t[k].tag == "T" and t[k - 1].low in ("and", "or", ",") and t[k - 2].tag == "T":
            k -= 2  # "Exports in March and May rose": the months are one adjunct
        while k >= 1 and t[k].tag in ("F", "T") and t[k - 1].tag in ("P", "D"):
            k -= 1
            while k >= 1 and t[k].tag in ("P", "D"):
                k -= 1
            if t[k].tag == "N":
                j = k
                break
        out: tuple[str | None, int, int] = (None, 0, 0)
        if _acronym_at(t, j, 0):
            j -= 3  # "Kazakhstan Temir Zholy (KTZ) opened": the name before its short form
        if j >= 0 and t[j].tag == "V" and (t[j].vclass == "plan" or t[v].low.endswith("ing")):
            out = self._subject_of(j)  # "plans to increase", "started operating"
        elif j >= 1 and t[j].tag == "O" and t[j - 1].tag == "P" and t[j - 1].low in _NP_INNER_PREPS and \
                j >= 2 and t[j - 2].tag == "N":
            a = _np_left(t, j - 2)
            out = (_render(t, a, j + 1, self.s), a, j + 1)  # "the rail links via it"
        elif j >= 0 and t[j].tag == "N":
            a = _np_left(t, j)
            a = self._after_lead(a, j)
            a = _relative_clause_head(t, a)
            if a > 0 and t[a - 1].low == "whose":
                # "The plant, whose total cost is estimated at": the cost of the plant
                owner = self._antecedent(a - 1)
                phrase = _render(t, a, j + 1, self.s)
                out = (f"{phrase} of {owner}" if phrase and owner else phrase, a, j + 1)
            else:
                phrase = _render(t, a, j + 1, self.s)
                phrase = self._resolve_anaphor(phrase)
                if phrase:
                    phrase = self._fuller(phrase, t, a, j + 1)
                    phrase = self._part_of_whole(phrase, a)
                out = (phrase, a, j + 1)
        elif j >= 0 and t[j].tag == "O":
            out = (self._resolve_anaphor(t[j].low), j, j + 1)
        elif v >= 2 and t[v - 1].low == "to" and j == v - 2 and t[j].tag == "F" \
                and (prev_v := self._last_verb_before(j)) is not None and t[prev_v].vclass == "change":
            out = self._subject_of(prev_v)  # "Exports increased 20% to reach $10 billion": the exports
        elif j >= 0 and t[j].tag == "," and (aside := self._aside_subject(j)) is not None:
            out = aside  # "A new terminal in Xi'an, built at a cost of N, started": the terminal
        elif j >= 0 and (t[j].tag in (",", "C", "-") or t[j].low in ("with",)):
            prev = self._last_verb_before(j)
            if prev is not None and prev != v:
                out = self._subject_of(prev)
            else:
                out = self._before_first_auxiliary(j)
        elif j >= 4 and t[j].low in ("which", "whom") and t[j - 1].low == "of" and t[j - 2].low in _ONE_OF \
                and t[j - 3].tag == "D" and t[j - 4].tag == ",":
            # "five Confucius Institutes, the first of which opened": the first Confucius Institute
            whole = self._antecedent(j - 3)
            words = (whole or "").split()
            if words and (words[0].lower() in _NUMBER_WORDS or words[0][:1].isdigit()):
                words = words[1:]  # "five Confucius Institutes"
            if words:
                words[-1] = _singular(words[-1])
                out = (f"{t[j - 2].low} {' '.join(words)}", j - 3, j + 1)
        elif j >= 0 and t[j].tag == "W":
            owner = self._antecedent(j)
            k = j - 1 if j and t[j - 1].tag != "," else j - 2
            out = (owner, _np_left(t, k) if k >= 0 and t[k].tag == "N" else 0, k + 1 if k >= 0 else 0)
        self._subjects[v] = out
        return out

    def _whole_of_which(self, a: int) -> str | None:
        """What ", of which" before the phrase at `a` refers to: the figure just before it."""
        t = self.t
        if a < 4 or t[a - 1].low != "which" or t[a - 2].low != "of" or t[a - 3].tag != ",":
            return None
        g = a - 4
        while g > 0 and a - 4 - g < 3 and t[g].tag in ("T", "P"):
            g -= 1  # "$1.2 billion in 2024, of which"
        if t[g].tag != "F":
            return None
        whole = self.readings.get(t[g].fig)
        return whole.core if whole is not None and whole.core and whole.transform is None else None

    def _part_of_whole(self, phrase: str, a: int) -> str:
        """'agricultural trade ... totaled $1.2 billion, of which Kazakh exports made up $950
        million': the exports are agricultural too (not all Kazakh exports, a false conflict)."""
        whole_core = self._whole_of_which(a)
        if whole_core is None:
            return phrase
        head_part = _INNER_PP_RE.split(whole_core, 1)[0].split()
        modifiers = [w for w in head_part[:-1] if w.islower() and w not in _NOT_A_KIND and w not in phrase.split()]
        words = phrase.split()
        if not modifiers or len(words) > 4:
            return phrase
        return " ".join([*words[:-1], *modifiers, words[-1]])

    def _aside_subject(self, close: int) -> tuple[str, int, int] | None:
        """The noun phrase before an aside that the comma at `close` ends: a participle phrase
        or a measurement between commas ("The bridge, 2 km long, opened"; "A terminal in
        Xi'an, built at a cost of $120 million, started")."""
        t = self.t
        c = aside_opening(t, close)
        if c is None:
            return None
        a = self._after_lead(_np_left(t, c - 1), c - 1)
        phrase = _render(t, a, c, self.s)
        return (phrase, a, c) if phrase else None

    def _antecedent(self, w: int) -> str | None:
        """What a relative word refers to: 'the plant, whose ...', '$77 billion, which ...'."""
        t = self.t
        k = w - 1
        if k >= 0 and t[k].tag == ",":
            k -= 1
        if k >= 0 and t[k].tag == "F":
            r = self.readings.get(t[k].fig)
            if r is None and t[k].fig in self.fig_at and t[k].fig < len(self.kinds):
                r = self.read(t[k].fig)
            elif r is None:
                # a reader of events knows no figure's kind: "12 companies, which opened" are the companies
                words = t[k].text.split()[1:]
                things = words and all(w.isalpha() and w.lower() not in SCALES for w in words)
                return " ".join(words) if things else None
            return r.core if r else None
        if k >= 0 and t[k].tag == "N":
            a = _np_left(t, k)
            if t[w - 1].tag == "," and not t[k].cap:
                # "a stake in the base, which opened in 2014": after a place it is the place
                # that the clause is about ("a terminal in Xi'an, which" stays the terminal)
                p = next((j for j in range(k - 1, a, -1) if t[j].tag == "P"), None)
                if p is not None and t[p].low in _PLACE_PREPS:
                    a = p + 1 if t[p + 1].tag != "D" else p + 2
            phrase = _render(t, a, k + 1, self.s)
            return self._fuller(phrase, t, a, k + 1) if phrase else None
        return None

    def _before_first_auxiliary(self, j: int) -> tuple[str | None, int, int]:
        """'Trade turnover between X and Y is on the rise, having reached $30 bln': with no
        verb the lexicon knows before, the noun phrase before the clause's first auxiliary."""
        t = self.t
        for k in range(0, j):
            if t[k].tag in ("X", "V") and k > 0 and t[k - 1].tag == "N":
                a = _np_left(t, k - 1)
                phrase = _render(t, a, k, self.s)
                return (self._resolve_anaphor(phrase), a, k)
        return (None, 0, 0)

    def _after_lead(self, a: int, j: int) -> int:
        """Drop a lead-in inside the subject's span: "said that X", "According to Y, X"."""
        t = self.t
        for k in range(j, a - 1, -1):
            if t[k].tag == "V" and t[k].vclass == "say":
                return k + 1
        return a

    def _resolve_anaphor(self, phrase: str | None) -> str | None:
        """'This figure', 'the indicator' -> the subject of the figure stated before; 'it',
        'they' -> what the sentence before was about."""
        if not phrase:
            return phrase
        words = phrase.lower().split()
        if words and all(w in _FIGURE_ANAPHORS for w in words) and words[-1] not in ("it", "they"):
            for r in reversed(self.ctx.readings):
                if r.core and r.transform is None:
                    return r.core
            return None
        if words in (["it"], ["this"]):
            return self.ctx.entity
        if words == ["they"]:
            return self.ctx.entities
        return phrase

    def _fuller(self, phrase: str, toks: list[Tok], a: int, b: int) -> str:
        """A short definite subject ('the plant') takes its fullest earlier mention."""
        words = phrase.split()
        definite = a < len(toks) and toks[a].tag == "D" and toks[a].low in ("the", "this", "that")
        counted = _COUNT_OF.fullmatch(phrase)
        if counted:
            # "the student number", "the visitor count": the number of students, as named before
            plural = _plural(counted.group(1))
            return _fuller_mention(self.ctx, plural) if definite else plural
        if definite and len(words) <= 3:
            return _fuller_mention(self.ctx, phrase)
        if len(words) <= 2 and words[0][:1].isupper() and a == 0:
            return _fuller_mention(self.ctx, phrase, recent=True)  # "Flights will be operated ..."
        if len(words) == 1 and words[0].islower() and a > 0 and toks[a - 1].tag == "," and a < len(toks) \
                and toks[a].low == words[0].lower():
            # "In January-February 2025, exports reached ...": the exports the release spoke of
            return _fuller_mention(self.ctx, phrase)
        return phrase

    def _fronted_pp(self) -> str | None:
        """'Through the Dostyk station, 5.9 million tons were transported': the opening phrase."""
        t = self.t
        if t and t[0].tag == "P" and t[0].low in ("through", "via", "at", "across", "along", "during", "under", "in"):
            b = _np_right(t, 1, max_pp=1)
            if b < len(t) and t[b].tag == ",":
                phrase = _render(t, 1, b, self.s)
                return f"{t[0].low} {phrase}" if phrase else None
        return None

    def _priced_thing(self, v: int) -> tuple[str, bool] | None:
        """What 'estimated/valued at N' prices: "The line, estimated at", "a contract valued at",
        "The project is estimated at"; an appositive "a project" after a comma is the thing
        before it ("a copper smelter in the region, a project estimated at $1.5 billion")."""
        t = self.t
        if t[v - 1].tag == "," and t[v - 2].tag == "N":
            a = _np_left(t, v - 2)
            thing = _render(t, a, v - 1, self.s)  # "The line, estimated at 1.2 trillion tenge,"
        elif t[v - 1].tag == "N":
            a = _np_left(t, v - 1)
            thing = _render(t, a, v, self.s)
        elif t[v - 1].low in en.BE_FORMS:
            thing, a, _b = self._subject_of(v)
        else:
            return None
        if not thing or (t[v - 1].low in en.BE_FORMS and any(w in en.DESIGN_WORDS for w in thing.lower().split())):
            return None  # "whose total cost is estimated at": the subject says what already
        head = _INNER_PP_RE.split(thing, 1)[0].split()[-1].lower()  # "investment in the project": investment
        if head not in en.ASSET_NOUNS:
            return (thing, False) if t[v - 1].tag == "," else None  # "Trade was estimated at": trade's level
        if head in _GENERIC_ASSETS and a >= 2 and t[a - 1].tag == "," and t[a - 2].tag == "N":
            before = _np_left(t, a - 2)
            if t[before].low == "ground" and before + 1 < a and t[before + 1].low == "on":
                before += 2  # "broke ground on a smelter"
            thing = _render(t, before, a - 1, self.s) or thing  # "a smelter in the region, a project estimated at"
        return thing, True

    def _share_of_stated(self, f: int, after: int) -> Reading | None:
        """'produced 580,000 tonnes of copper ... and shipped about 40% of it to China': a share
        of the amount just stated in the sentence, and what was done with that share."""
        whole = next((r.core for fi, r in sorted(self.readings.items(), reverse=True)
                      if fi < self.t[f].fig and r.core and r.transform is None), None)
        if not whole:
            return None
        t = self.t
        v = self._verb_before(f)
        words = [f"share of {whole}"]
        if v is not None and t[v].vclass != "say":
            words.append(_participle(t[v]))
        if after + 1 < len(t) and t[after].tag == "V" and t[after].vclass != "say":
            words[1:] = [_present_participle(t[after])]  # "30% of it came from Kazakhstan": coming from
            after += 1
        if after + 1 < len(t) and t[after].tag == "P":
            pp = _render(t, after + 1, _np_right(t, after + 1, max_pp=0), self.s)
            if pp:
                words.append(f"{t[after].low} {pp}")
        text = " ".join(words)
        return Reading(text, text.removeprefix("share of "), "share", "share")  # where the share went tells it apart

    def _clause_rest(self, b: int) -> str | None:
        """'60 percent of students attend university': what the clause says of them."""
        t = self.t
        if b < len(t) and t[b].tag == "V":
            e = _np_right(t, b + 1, max_pp=1) if b + 1 < len(t) and t[b + 1].tag in ("N", "D") else b + 1
            rest = _render(t, b + 1, e, self.s)
            verb, lemma = t[b].low, t[b].lemma
            if lemma and verb in (lemma, lemma + "s"):
                verb = (lemma[:-1] if lemma.endswith("e") else lemma) + "ing"
            return f"{verb} {rest}" if rest else verb
        return None

    def _counted_noun_at(self, k: int) -> str | None:
        tok = self.t[k]
        if tok.tag == "F":
            kind, unit, noun = self.kinds[tok.fig]
            return noun
        return None

    def _compose(self, v: int, subj: str | None, sa: int, sb: int, thing: str | None, after: int | None = None
                 ) -> str | None:
        """A flow verb with its subject and object: 'China imported N of crude from Kazakhstan'
        -> 'China crude imports from Kazakhstan'; 'the port received N trains' -> 'trains
        received by the port'."""
        t = self.t
        vt = t[v]
        k = v + 1
        # the prepositional phrases after the figure(s): "to China", "in the Kazakh economy"
        pps: list[str] = []
        j = after if after is not None else v + 1
        while j < len(t) and t[j].tag in ("F", "R", "D", "P", "N", "~", "'s") and len(pps) < 2:
            if t[j].tag == "P" and t[j].low in ("to", "from", "in", "into", "via", "through", "for", "at", "on"):
                b = _np_right(t, j + 1, max_pp=1)
                pp = _render(t, j + 1, b, self.s)
                if pp and (thing is None or pp.lower() not in thing.lower()):
                    pps.append(f"{t[j].low} {pp}")
                j = max(b, j + 1)
                continue
            j += 1
        del k
        noun = en.VERB_NOUNS.get(vt.lemma or "")
        if subj is not None and subj.lower() in _PERSONAL:
            subj = None  # "we generated ...": the speaker is no part of the measure
        name = subj is not None and _is_name(t, sa, sb)
        tail = " ".join(pps)
        if noun and (name or subj is None or thing is None):
            parts = [subj if name else None, thing, noun, tail]
            text = " ".join(p for p in parts if p)
            if not name and subj and thing is None and subj.lower() not in ("it", "they"):
                text = f"{text} by {subj}"
            return text
        if thing is None:
            return subj
        parts = [thing, _participle(vt), tail]
        text = " ".join(p for p in parts if p)
        if subj:
            text = f"{text} by {subj}"
        return text

    def _future_positions(self) -> list[int]:
        """Where the sentence says something is planned, expected or a goal."""
        return [m.start() for m in _future_re().finditer(self.s.lower())]

    def _is_future(self, f: int) -> bool:
        """A plan, goal or forecast marker in the figure's clause before it ("aims to raise
        trade to $50 billion", "will increase to 19 per week")."""
        t = self.t
        pos = t[f].start
        start = 0
        for j in range(f - 1, -1, -1):
            new_clause = t[j].tag == "," and j + 1 < len(t) and t[j + 1].tag in ("C", "W") and \
                any(x.tag in ("V", "X") for x in t[j + 2:f])  # ", and Y to 7 a week" continues the clause
            if t[j].tag in (";", "-") or new_clause or t[j].tag == "C" and t[j].low in ("while", "whereas", "but"):
                start = t[j].end
                break
        if self._future_at is None:
            self._future_at = self._future_positions()
        return any(start <= p < pos for p in self._future_at)


@lru_cache(maxsize=1)
def _future_re() -> re.Pattern[str]:
    """Future and plan markers, goal nouns, and "expects X to ...", as one pattern."""
    words = sorted(en.FUTURE_MARKERS | en.GOAL_NOUNS, key=len, reverse=True)
    # Every alternative starts with a letter, so one leading word boundary serves them all (the
    # markers first, as in "marker|expects X to"), and grouping by first letter lets `re`
    # reject most positions with one comparison.
    fragments = [re.escape(w) + r"(?![\w])" for w in words] + [v + _EXPECT_TO_REST for v in _EXPECT_VERBS] + \
        [_EXPECT_OF]
    return re.compile(r"\b(?:" + by_first_letter(fragments) + ")")


@lru_cache(maxsize=1)
def _supply_cues() -> tuple[str, ...]:
    return tuple(en.SUPPLY_CUES)


_COUNT_OF = lazy(r"([a-z]+) (?:number|count|headcount|tally)", re.I)


def _singular(noun: str) -> str:
    """'Institutes' -> 'Institute', 'companies' -> 'company' (a plural named once in the singular)."""
    if noun.lower().endswith("ies") and len(noun) > 4:
        return noun[:-3] + ("Y" if noun.isupper() else "y")
    if noun.lower().endswith("s") and not noun.lower().endswith(("ss", "us", "is")):
        return noun[:-1]
    return noun


def _plural(noun: str) -> str:
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _of_blocked(toks: list[Tok], j: int) -> bool:
    """'N of the total', 'N of which', 'N of its ...' is no 'N of X'."""
    t = toks[j]
    if t.tag in ("W", "O", "F", "T"):
        return True
    if t.tag == "D" and j + 1 < len(toks) and toks[j + 1].low in ("total", "whole", "overall"):
        return True
    return False


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:-")
    return text.replace(" - ", "-") if " - " in text else text


@lru_cache(maxsize=1)
def _bilateral_re() -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in en.BILATERAL_WORDS) + r")(?![\w])", re.I)


def _fuller_mention(ctx: Context, phrase: str, recent: bool = False) -> str:
    return ctx.mention(phrase, recent)


def _about(toks: list[Tok], sentence: str) -> tuple[str | None, bool]:
    """What a sentence is about: the noun phrase that opens it, before its first verb, and
    whether it is plural ("The Almaty branch and other banks provided loans")."""
    for k, tok in enumerate(toks):
        if tok.tag in ("V", "X"):
            break
        if tok.tag == "F" and k + 1 < len(toks) and toks[k + 1].tag in ("V", "X") and " " in tok.text \
                and tok.text.split()[-1].isalpha():
            # "Currently, two rail border crossings operate": the things counted (for "they")
            things = tok.text.split(" ", 1)[1]
            return things, things.endswith("s") and not things.endswith("ss")
        if tok.tag == "N" and (k == 0 or toks[k - 1].tag in ("D", "F", ",")):  # "Currently, two crossings"
            e = _np_right(toks, k, max_pp=1)
            about = _render(toks, k, e, sentence)
            if not about or about.lower() in ("it", "they", "this"):
                return None, False
            head_part = _INNER_PP_RE.split(about, 1)[0]
            head = head_part.split()[-1].lower()
            # "The branch of X and other banks provided": more than one subject
            coordinated = any(x.low == "and" for x in toks[e:next((i for i in range(e, len(toks))
                                                                   if toks[i].tag in ("V", "X")), len(toks))])
            return about, coordinated or " and " in head_part or (head.endswith("s") and not head.endswith("ss"))
    return None, False


def _noun_phrases(toks: list[Tok], sentence: str) -> list[tuple[str, str]]:
    """(phrase, head word) of each noun phrase of a sentence, with one prepositional phrase."""
    out = []
    i = 0
    n = len(toks)
    while i < n:
        if toks[i].tag != "N":
            i += 1
            continue
        j = i
        while j < n and toks[j].tag in ("N", "~", "'s"):
            j += 1
        a = i - 1 if i > 0 and toks[i - 1].tag == "D" else i
        head = toks[j - 1].low
        e = _np_right(toks, i, max_pp=1) if toks[j - 1].tag == "N" else j
        phrase = _render(toks, a, e, sentence)
        if phrase and 2 <= len(phrase.split()) <= 8:
            out.append((phrase, head))
        i = j
    return out


_COUNTED_MEASURES = en.FLOW_NOUNS | en.BASE_NOUNS | frozenset(
    "production output arrivals visits flights trips traffic throughput turnover sales".split())


def _measured_flow(words: list[str]) -> bool:
    """The subject (its words, lowercased) is itself a measure ("the number of tourists", "car
    exports to China", "passenger arrivals"): a head noun before its first preposition says so."""
    for w in words:
        if w in en.PREPOSITIONS:
            break
        if w in _COUNTED_MEASURES:
            return True
    return False
