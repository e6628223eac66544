"""Topic matching: which configured topics a release is really about, with a score and reasons.

A topic is written in `config.toml` by people who are not programmers::

    [[topics]]
    id = "china-kazakhstan"                 # lowercase letters, digits and dashes
    title = "China–Kazakhstan relations"
    # Each line of `all` is one side of the subject; a release must speak of every side.
    # Any word or phrase on a line counts for that side.
    all = [
      ["China", "Chinese", "Beijing", "PRC", "Xi Jinping"],
      ["Kazakhstan", "Kazakh*", "Astana", "Almaty", "Tokayev", "Khorgos"],
    ]
    ignore = ["China Daily"]      # phrases that are not mentions (a newspaper, not the country)
    none = ["horoscope"]          # a release containing any of these never matches
    min_score = 0.5               # 0..1; how strong the evidence must be (default 0.5)

    [topics.parties]              # who the topic's measures are between: a short code, its words
    cn = ["China", "Chinese", "PRC"]
    kz = ["Kazakhstan", "Kazakh*"]

    [[topics.measures]]           # one block per measure: figures stating it get its id
    id = "trade/cn-kz"
    label = "China–Kazakhstan trade"
    key = true                    # a key measure: shown first in digests
    words = ["trade", "trade turnover", "two-way trade", "commodity turnover"]
    between = ["cn", "kz"]        # both parties named ("bilateral", "the two countries" count)
    unit = "money"                # money, mass, count, containers, volume, energy, power, ...

    [[topics.measures]]
    id = "exports/kz-to-cn"
    label = "Kazakhstan's exports to China"
    words = ["exports", "imports", "supplies"]
    from = "kz"                   # a flow: from one party to the other
    to = "cn"

Terms match whole words and ignore case ("china" in a lowercase headline counts); a term
written entirely in capitals ("SCO", "PRC") matches only in capitals; a trailing `*`
matches any ending ("Kazakh*": Kazakhs, Kazakhstani); a space or dash inside a phrase
matches any space or dash ("Xi Jinping", "Nur-Sultan"); ' matches ’ too. `any = [...]`
is a shorthand for a one-line `all`.

Substance over mention: every mention is weighed by where it stands (title > lead > body >
dateline, boilerplate) and discounted inside an enumeration of places ("Kazakhstan,
Kyrgyzstan, Tajikistan and Uzbekistan"); each side's evidence saturates, the weakest side
decides, and sentences where all sides meet add to the score. A side named only once in a
longer release (one clause) cannot reach a match on its own.

Speed: the terms of all configured topics compile into one trie-shaped regular expression
over the lowercased text, so a release is scanned once whatever the number of topics and
terms; layout (lead, sentences, lists) is worked out only when every side of a topic occurs.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from monitor.analysis.text import boilerplate_start, dateline_at, split_sentences
from monitor.analysis.topic_config import SCORING_VERSION, Topic, parse_topic, parse_topics
from monitor.domain import TopicMatch

__all__ = ["SCORING_VERSION", "Topic", "boilerplate_start", "is_match", "match_topics", "matched", "parse_topic",
           "parse_topics", "score_topic", "score_topics"]

# Weights of one mention by where it stands; a side's evidence is the sum of its mentions.
W_TITLE, W_LEAD, W_BODY, W_DATELINE, W_BOILERPLATE = 3.0, 1.5, 1.0, 0.3, 0.2
SIDE_SATURATION = 2.5  # evidence at which a side is ~63 % "present"
COOCCUR_SATURATION = 1.5  # shared sentences at which co-occurrence is ~63 % complete
W_SIDES, W_COOCCUR = 0.65, 0.35
LEAD_CHARS = 400
MAX_LENGTH_FACTOR = 1.5  # mentions in a short brief weigh up to this much more
THIN_TEXT_CHARS, THIN_CAP = 400, 1.0  # one mention in a longer text: evidence capped

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_APOSTROPHES = "'\u2019\u02bc"


# ---------------------------------------------------------------- compiling

# characters that may stand before a word: every ASCII non-word character and common
# Unicode punctuation and spaces (a word after another character is not matched)
_WORD_START = "[" + re.escape("".join(chr(c) for c in range(128) if not (chr(c).isalnum() or chr(c) == "_"))) + \
    "\u00a0\u00ab\u00bb\u2002-\u200b\u2010-\u2027\u202f\u2032-\u203a\u3000-\u3003\u300c-\u300f\uff08\uff09]"
_SEP, _APOS = "\x00", "\x01"  # trie symbols: any run of spaces/dashes; any apostrophe


@lru_cache(maxsize=4096)
def _key(term: str, lower: bool = True) -> str:
    """Key of a term or of matched text: lowercased, runs of spaces and dashes one symbol,
    apostrophes one symbol. With lower=False it keeps capitals (for "SCO"-style terms)."""
    out: list[str] = []
    for ch in term.rstrip("*").lower() if lower else term.rstrip("*"):
        if ch.isspace() or ch in _DASHES:
            if not out or out[-1] != _SEP:
                out.append(_SEP)
        else:
            out.append(_APOS if ch in _APOSTROPHES else ch)
    return "".join(out)


def _exact_case(term: str) -> bool:
    core = term.rstrip("*")
    return sum(c.isupper() for c in core) >= 2 and not any(c.islower() for c in core)


@dataclass(frozen=True, slots=True)
class _Entry:
    topic: int
    slot: str  # "0", "1", ... for a side; "ign" or "exc"
    exact: str | None  # the key with its capitals, when the term must match in capitals


class _Matcher:
    """All terms of several topics in one trie-shaped regex over the lowercased text.

    One regex pass finds every candidate; each topic then reads its own entries. A matched
    key that one topic does not know (another topic's longer phrase, e.g. "china daily")
    resolves to that topic's longest term it starts with, so topics never hide each other.
    """

    def __init__(self, topics: Sequence[Topic]) -> None:
        terms: dict[str, list[tuple[int, str, str]]] = {}  # key -> (topic, slot, term)
        prefix_keys: set[str] = set()
        for ti, t in enumerate(topics):
            slots = [(str(i), g) for i, g in enumerate(t.groups)] + [("ign", t.ignore), ("exc", t.exclude)]
            for slot, group in slots:
                for term in group:
                    k = _key(term)
                    terms.setdefault(k, []).append((ti, slot, term))
                    if term.endswith("*"):
                        prefix_keys.add(k)
        # A match starts with the character before the word: a pattern whose first item is a
        # plain character class lets the regex engine jump from one word start to the next,
        # about twice as fast as a look-behind or \\b; scan() pads the text with a space.
        self.pattern = re.compile(_WORD_START + _trie_regex(terms.keys(), prefix_keys))
        self.entries: dict[tuple[str, bool], tuple[_Entry, ...]] = {}
        self._terms, self._prefix_keys, self._n = terms, prefix_keys, len(topics)

    def lookup(self, key: str, end_ok: bool) -> tuple[_Entry, ...]:
        """Entries of every topic for a matched key; `end_ok`: the match ends a word."""
        found = self.entries.get((key, end_ok))
        if found is None:
            found = tuple(e for ti in range(self._n) for e in self._resolve(key, end_ok, ti))
            self.entries[(key, end_ok)] = found
        return found

    def _resolve(self, key: str, end_ok: bool, ti: int) -> list[_Entry]:
        # the topic's longest term that the matched text starts with, as a whole word or a prefix term
        for cut in range(len(key), 0, -1):
            boundary = end_ok if cut == len(key) else not (key[cut].isalnum() or key[cut] == "_")
            own = [(slot, term) for t, slot, term in self._terms.get(key[:cut], ()) if t == ti]
            own = [(slot, term) for slot, term in own if boundary or term.endswith("*")]
            if own:
                return [_Entry(ti, slot, _key(term, lower=False) if _exact_case(term) else None) for slot, term in own]
        return []

    def scan(self, doc: str) -> list[tuple[int, str, str, bool]]:
        """(position, key, surface, ends a word) of every candidate mention: one regex pass."""
        low = doc.lower()
        if len(low) != len(doc):  # a few characters lowercase to two; keep offsets aligned
            low = "".join(c.lower() if len(c.lower()) == 1 else c for c in doc)
        low = " " + low
        out = []
        for m in self.pattern.finditer(low):
            start, end = m.start(), m.end() - 1  # offsets in `doc`: the padding shifts by one
            nxt = doc[end:end + 1]
            out.append((start, _key(m.group()[1:]), doc[start:end], not (nxt.isalnum() or nxt == "_")))
        return out


def _trie_regex(keys: Any, prefix_keys: set[str]) -> str:
    """A regex trie: alternatives branch on one character, so a failed position costs little.
    Exact terms end at a word boundary, prefix terms (`Kazakh*`) anywhere; longer wins."""
    trie: dict[str, Any] = {}
    for k in keys:
        node = trie
        for ch in k:
            node = node.setdefault(ch, {})
        node[""] = "" if k in prefix_keys else "(?!\\w)"

    def build(node: dict[str, Any]) -> str:
        alts = [_sym(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            alts.append(node[""])
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return build(trie)


def _sym(ch: str) -> str:
    if ch == _SEP:
        return f"[\\s{_DASHES}]+"
    if ch == _APOS:
        return f"[{_APOSTROPHES}]"
    return re.escape(ch)


@lru_cache(maxsize=64)
def _matcher(topics: tuple[Topic, ...]) -> _Matcher:
    return _Matcher(topics)


# ---------------------------------------------------------------- document layout

_ITEM = r"(?:the\s+)?[A-Z][\w'\u2019.\-]*(?:\s+(?:of\s+)?[A-Z][\w'\u2019.\-]*){0,3}"
_LIST = re.compile(
    rf"{_ITEM}(?:\s*,\s*{_ITEM}){{1,}}\s*,?\s+(?:and|or|as well as)\s+{_ITEM}|{_ITEM}(?:\s*,\s*{_ITEM}){{3,}}"
)
_LIST_SEP = re.compile(r",\s*(?:(?:and|or)\s+)?|\s+(?:and|or|as well as)\s+")


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the title ends, the dateline, the lead and the boilerplate lie in the document."""

    body_start: int
    dateline_end: int
    lead_end: int
    boiler_start: int
    sentence_ends: tuple[int, ...]


def _layout(doc: str, body_start: int) -> _Layout:
    d = dateline_at(doc, body_start)
    dateline_end = d.end if d else body_start
    nl = doc.find("\n", body_start + 1)
    first_para_end = len(doc) if nl < 0 else nl
    lead_end = min(first_para_end, body_start + LEAD_CHARS)
    if lead_end - body_start < 120:  # a one-line dateline or kicker: take the next paragraph too
        nl2 = doc.find("\n", lead_end + 1)
        lead_end = min(len(doc) if nl2 < 0 else nl2, body_start + LEAD_CHARS)
    boiler_start = boilerplate_start(doc, body_start)
    ends = (*[s.end for s in split_sentences(doc)], len(doc))
    return _Layout(body_start, dateline_end, lead_end, boiler_start, ends)


def _sentence_index(ends: tuple[int, ...], pos: int) -> int:
    return min(bisect_right(ends, pos), len(ends) - 1)


# ---------------------------------------------------------------- scoring

@dataclass
class _Side:
    evidence: float = 0.0
    where: dict[str, dict[str, int]] = field(default_factory=dict)  # region -> term -> count

    def add(self, region: str, term: str, weight: float) -> None:
        self.evidence += weight
        terms = self.where.setdefault(region, {})
        terms[term] = terms.get(term, 0) + 1


def score_topic(topic: Topic, title: str, text: str) -> TopicMatch:
    """Score one topic for a release, whether it matches or not (near misses show why)."""
    return _Release(title, text, _matcher((topic,))).score(0, topic)


def score_topics(topics: Sequence[Topic], title: str, text: str) -> tuple[TopicMatch, ...]:
    """Every topic's score for a release, matched or not, in the order of `topics`: one scan."""
    if not topics:
        return ()
    release = _Release(title, text, _matcher(tuple(topics)))
    return tuple(release.score(i, t) for i, t in enumerate(topics))


def matched(topics: Sequence[Topic], scores: Sequence[TopicMatch]) -> tuple[TopicMatch, ...]:
    """Of every topic's score (score_topics), the topics reached (score >= min_score), best first."""
    return tuple(sorted((m for m, t in zip(scores, topics, strict=True) if is_match(m.score, t.min_score)),
                        key=lambda m: -m.score))


def is_match(score: float, threshold: float) -> bool:
    return score > 0 and score >= threshold


def match_topics(topics: Sequence[Topic], title: str, text: str) -> tuple[TopicMatch, ...]:
    """The topics this release belongs to (score >= the topic's min_score), best first."""
    return matched(topics, score_topics(topics, title, text))


class _Release:
    """One release scanned once for all topics; its layout is computed only when needed."""

    def __init__(self, title: str, text: str, matcher: _Matcher) -> None:
        title = (title or "").strip()
        self.doc = f"{title}\n\n{text}" if title else text
        self.body_start = len(title) + 2 if title else 0
        self.matcher = matcher
        self.hits = matcher.scan(self.doc)
        self._layout: _Layout | None = None
        self.lists: dict[int, list[tuple[int, int, int]]] = {}  # sentence -> enumerations in it

    @property
    def layout(self) -> _Layout:
        if self._layout is None:
            self._layout = _layout(self.doc, self.body_start)
        return self._layout

    def mentions(self, ti: int) -> list[tuple[str, int, str]]:
        """(slot, position, surface) of this topic's mentions, capitals checked."""
        out = []
        for pos, key, surface, end_ok in self.hits:
            for e in self.matcher.lookup(key, end_ok):
                if e.topic == ti and (e.exact is None or _key(surface, lower=False).startswith(e.exact)):
                    out.append((e.slot, pos, surface))
        return out

    def score(self, ti: int, topic: Topic) -> TopicMatch:
        mentions = self.mentions(ti)
        excluded = [m for slot, _, m in mentions if slot == "exc"]
        if excluded:
            return TopicMatch(topic.id, 0.0, (f"excluded by {excluded[0]!r}",))
        sides = [_Side() for _ in topic.groups]
        # ignored phrases ("China Daily") resolved to their "ign" slot in the matcher: dropped here
        sided = [(int(slot), pos, term) for slot, pos, term in mentions if slot[0].isdigit()]
        present = {g for g, _, _ in sided}
        if len(present) < len(sides):
            for g, _pos, term in sided:
                sides[g].add("text", _norm_term(term), 0.0)
            reasons = [_side_reason(lbl, s) for lbl, s in zip(topic.labels, sides, strict=False)]
            return TopicMatch(topic.id, 0.0, tuple(reasons))
        return self._weigh(topic, sides, sided)

    def _evidence(self, side: _Side) -> float:
        """A side named once, in one clause of a longer release, is a mention, not a subject."""
        counted = sum(n for region in ("title", "lead", "body") for n in side.where.get(region, {}).values())
        thin = counted <= 1 and "title" not in side.where and len(self.doc) - self.body_start > THIN_TEXT_CHARS
        return min(side.evidence, THIN_CAP) if thin else side.evidence

    def _weigh(self, topic: Topic, sides: list[_Side], mentions: list[tuple[int, int, str]]) -> TopicMatch:
        layout, doc, body_start = self.layout, self.doc, self.body_start
        length_factor = min(MAX_LENGTH_FACTOR, max(1.0, math.sqrt(1500 / max(200, len(doc) - body_start))))
        shared: dict[int, set[int]] = {}  # sentence -> sides named there outside lists (-1: title)
        lists = self.lists
        for g, pos, term in mentions:
            region, weight = _region(layout, pos)
            if region in ("body", "lead"):
                n_items = _list_size(doc, layout, pos, lists)
                if n_items >= 3:
                    weight, region = weight * min(1.0, 1.5 / n_items), "list"
                else:
                    shared.setdefault(_sentence_index(layout.sentence_ends, pos), set()).add(g)
            elif region == "title":
                shared.setdefault(-1, set()).add(g)
            sides[g].add(region, _norm_term(term), weight * (1.0 if region == "title" else length_factor))
        strengths = [1 - math.exp(-self._evidence(s) / SIDE_SATURATION) for s in sides]
        n_shared = sum(1 for gs in shared.values() if len(gs) == len(sides))
        cooccur = strengths[0] if len(sides) == 1 else 1 - math.exp(-n_shared / COOCCUR_SATURATION)
        score = W_SIDES * min(strengths) + W_COOCCUR * cooccur
        reasons = [_side_reason(lbl, s) for lbl, s in zip(topic.labels, sides, strict=False)]
        if len(sides) > 1:
            reasons.append(f"together in {n_shared} sentence{'s' if n_shared != 1 else ''}")
        return TopicMatch(topic.id, round(min(1.0, score), 4), tuple(reasons))


def _region(layout: _Layout, pos: int) -> tuple[str, float]:
    if pos < layout.body_start:
        return "title", W_TITLE
    if pos < layout.dateline_end:
        return "dateline", W_DATELINE
    if pos >= layout.boiler_start:
        return "boilerplate", W_BOILERPLATE
    if pos < layout.lead_end:
        return "lead", W_LEAD
    return "body", W_BODY


def _list_size(doc: str, layout: _Layout, pos: int, cache: dict[int, list[tuple[int, int, int]]]) -> int:
    """Items in the enumeration around `pos` ("A, B, C and D" -> 4), or 0 when not in one."""
    idx = _sentence_index(layout.sentence_ends, pos)
    spans = cache.get(idx)
    if spans is None:
        start = layout.sentence_ends[idx - 1] if idx else 0
        sentence = doc[start:layout.sentence_ends[idx]]
        spans = []
        if sentence.count(",") >= 1:
            for m in _LIST.finditer(sentence):
                spans.append((start + m.start(), start + m.end(), len(_LIST_SEP.findall(m.group())) + 1))
        cache[idx] = spans
    for a, b, n in spans:
        if a <= pos < b:
            return n
    return 0


def _norm_term(term: str) -> str:
    return " ".join(term.split())


def _side_reason(label: str, side: _Side) -> str:
    if not side.where:
        return f"{label}: not mentioned"
    parts = []
    for region in ("title", "lead", "body", "list", "dateline", "boilerplate", "text"):
        terms = side.where.get(region)
        if terms:
            listed = ", ".join(f"{t} ×{n}" if n > 1 else t for t, n in sorted(terms.items(), key=lambda kv: -kv[1])[:4])
            parts.append(f"{region} ({listed})")
    return f"{label}: " + "; ".join(parts)
