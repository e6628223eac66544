"""A sentence as tagged words: the shallow structure the subject rules read.

No parser: each word gets a class from the English lexicon (`monitor.analysis.lang.en`) —
determiner, preposition, conjunction, auxiliary, verb (with its lemma and what it says about
a number), adverb, pronoun — or is a content word (noun, adjective or name). The figures of
the sentence become one token each (`F`), and time expressions one token each (`T`), so a
rule sees "trade reached F in T" and never reads a number or a date into a subject.
Homographs ("exports", "increase", "total") are settled from their neighbours: after a
determiner or before "of" a noun, after an auxiliary or "to" a verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from monitor.analysis.lang import en

# Tags: N content word, D determiner, P preposition, C conjunction, X auxiliary, V verb,
# R adverb, O pronoun, W relative, F figure, T time expression, "," ";" ":" "(" ")" "-"
# punctuation (a spaced dash is "-"), "'s" a possessive, Q an approximator.
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u0400-\u04ff](?:[\w\u00c0-\u024f\u0400-\u04ff'\u2019.&]*"
                   r"[\w\u00c0-\u024f\u0400-\u04ff])?(?:-[\w\u00c0-\u024f\u0400-\u04ff](?:[\w\u00c0-\u024f\u0400-\u04ff'\u2019]*[\w\u00c0-\u024f\u0400-\u04ff])?)*|\d+(?:[.,]\d+)*|\S")
_POSSESSIVE = ("'s", "\u2019s")
_MULTIPLIER_VERBS = ("doubled", "doubling", "tripled", "tripling", "quadrupled", "quadrupling", "halved")


@dataclass(slots=True)
class Tok:
    text: str
    start: int  # offset in the sentence
    end: int
    tag: str
    low: str
    lemma: str | None = None  # verbs: the lemma
    vclass: str | None = None  # verbs: level, change, share, flow, say, plan
    fig: int = -1  # F tokens: index of the figure in the sentence

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@lru_cache(maxsize=1)
def _verb_forms() -> dict[str, tuple[str, str]]:
    """Every inflected form of the lexicon's verbs -> (lemma, class)."""
    out: dict[str, tuple[str, str]] = {}
    classes = (("event", en.EVENT_VERBS), ("other", en.OTHER_VERBS), ("say", en.SAY_VERBS), ("plan", en.PLAN_VERBS),
               ("flow", en.FLOW_VERBS),
               ("share", en.SHARE_VERBS), ("change", en.CHANGE_VERBS), ("level", en.LEVEL_VERBS))
    for vclass, lemmas in classes:
        for lemma in lemmas:
            for form in (lemma, *_inflect(lemma)):
                out[form] = (lemma, vclass)
    return out


def _inflect(lemma: str) -> tuple[str, ...]:
    if lemma in en.IRREGULAR_VERBS:
        return en.IRREGULAR_VERBS[lemma]
    if lemma.endswith("e"):
        return lemma + "d", lemma + "s", lemma[:-1] + "ing"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ied", lemma[:-1] + "ies", lemma + "ing"
    if lemma.endswith(("sh", "ch", "ss", "x")):
        return lemma + "ed", lemma + "es", lemma + "ing"
    return lemma + "ed", lemma + "s", lemma + "ing"


@lru_cache(maxsize=1)
def _closed_classes() -> dict[str, str]:
    """Every word of a closed class -> its tag, in one table (one lookup per word)."""
    table: dict[str, str] = {}
    for tag, words in (("N", ()), ("R", en.ADVERBS), ("O", en.PRONOUNS), ("W", en.RELATIVES), ("X", en.AUXILIARIES),
                       ("C", en.CONJUNCTIONS), ("P", en.PREPOSITIONS), ("D", en.DETERMINERS)):
        for w in words:
            table[w] = tag  # later classes win: "that" is a determiner before a relative
    return table


@lru_cache(maxsize=1)
def _time_words() -> frozenset[str]:
    """Month and weekday names, which are times wherever they stand ("on Wednesday")."""
    return frozenset([m for m in en.MONTH_NAMES if m != "May"] + list(en.WEEKDAYS))


def _simple_tag(low: str) -> str:
    return _closed_classes().get(low, "N")


_PUNCT = {",": ",", ";": ";", ":": ":", "(": "(", ")": ")", "[": "(", "]": ")", "\u2013": "-", "\u2014": "-",
          "-": "-", "\"": "\"", "\u201c": "\"", "\u201d": "\""}


def tokenize(sentence: str, figures: list[tuple[int, int]], times: list[tuple[int, int]]) -> list[Tok]:
    """Tagged tokens of `sentence`; `figures` and `times` are spans (in the sentence) that become
    one F or T token each. Figures win over times where they overlap."""
    spans = sorted([(a, b, "F", i) for i, (a, b) in enumerate(figures)] +
                   [(a, b, "T", -1) for a, b in times if not any(x < b and a < y for x, y in figures)])
    toks: list[Tok] = []
    pos = 0
    for a, b, tag, idx in spans:
        if a < pos:
            continue
        _words(sentence, pos, a, toks)
        tok = Tok(sentence[a:b], a, b, tag, sentence[a:b].lower(), fig=idx)
        if tag == "F" and tok.low.startswith(_MULTIPLIER_VERBS):
            tok.lemma, tok.vclass = "double", "change"  # "exports doubled": the figure is the verb
        toks.append(tok)
        pos = b
    _words(sentence, pos, len(sentence), toks)
    for i in range(len(toks) - 2):
        if toks[i].low == "up" and toks[i + 1].low == "to" and toks[i + 2].tag == "F":
            toks[i].tag = toks[i + 1].tag = "R"  # "can handle up to 1.5 million tons": at most, no object
    for i in range(1, len(toks)):
        if toks[i].text == "May" and toks[i].tag == "X" and not (
                toks[i - 1].cap and i + 1 < len(toks) and toks[i + 1].cap):  # "Trade May Rise": a headline's modal
            toks[i].tag = "T"  # "in March and May": inside a sentence, a capital makes the month, not the modal
    for i in range(1, len(toks) - 1):
        if toks[i].tag == "-" and toks[i].text == "-" and toks[i - 1].tag == "N" and toks[i - 1].cap \
                and toks[i + 1].cap and toks[i + 1].tag in ("N", "V?"):
            toks[i].tag = "~"  # "the Altynkol - Khorgos border crossing": one name
    _settle(toks)
    for i in range(1, len(toks) - 1):
        if toks[i].low in _NUMBER_VERB and toks[i - 1].tag in ("N", "R", "T") and (
                toks[i + 1].tag == "F" or toks[i + 1].low in _APPROX_FIRST):
            t = toks[i]  # "Direct flights now number 110 per week": the verb of a level
            t.tag, t.lemma, t.vclass = "V", "number", "level"
    for i in range(1, len(toks) - 1):
        if toks[i].low in _ADVERBS_BEFORE_VERB and toks[i].tag == "N" and toks[i - 1].tag == "N" \
                and toks[i + 1].tag in ("V",):
            toks[i].tag = "R"  # "The two companies first cooperated": an adverb, not the subject's noun
    return toks


Span = tuple[int, int]
_NUMBER_VERB = frozenset(("number", "numbers", "numbered"))
_APPROX_FIRST = frozenset(a.split()[0] for a in en.APPROXIMATORS)


class TokenCache:
    """The tagged tokens of one release's sentences, each tokenised once.

    The figure rules and the milestone rules read many of the same sentences with the same
    figure and time spans (and earlier sentences are read again for anaphors), so a release
    keeps its tokens here. Callers share the lists: they read tokens, never change them."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[str, tuple[Span, ...], tuple[Span, ...]], list[Tok]] = {}

    def tokens(self, sentence: str, figures: list[Span], times: list[Span]) -> list[Tok]:
        """`tokenize(sentence, figures, times)`, from the cache when asked before. The order of
        `times` does not change the tokens (they are sorted), nor do repeats of a non-empty
        span (the second overlaps the first and is skipped)."""
        key = (sentence, tuple(figures),
               tuple(sorted(set(times)) if all(a < b for a, b in times) else sorted(times)))
        toks = self._memo.get(key)
        if toks is None:
            toks = self._memo[key] = tokenize(sentence, figures, times)
        return toks


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, tuple[str, str | None, str | None]]:
    """Every word the lexicon knows -> (tag, lemma, verb class), in one table."""
    table: dict[str, tuple[str, str | None, str | None]] = {}
    for form, (lemma, vclass) in _verb_forms().items():
        table[form] = ("V?", lemma, vclass)
    for w, tag in _closed_classes().items():
        table[w] = (tag, None, None)  # a closed-class word is never a verb here ("has" is an auxiliary)
    return table


_NOUN = ("N", None, None)


def verb_class(word: str) -> str | None:
    """The lexicon's class of a verb form ("rose" -> "change"), None for any other word."""
    entry = _lexicon().get(word.lower())
    return entry[2] if entry is not None else None


# Plain words (a letter first, no possessive) as written -> (tag, lowercased, lemma, verb class):
# the same few thousand words make most of every release, so each is classified once.
_PLAIN: dict[str, tuple[str, str, str | None, str | None]] = {}


def _plain_word(w: str) -> tuple[str, str, str | None, str | None] | None:
    c = w[0]
    if not c.isalpha() or w.endswith(_POSSESSIVE):
        return None
    low = w.lower()
    tag, lemma, vclass = _lexicon().get(low, _NOUN)
    if tag == "N" and c.isupper() and w in _time_words():
        tag = "T"
    if len(_PLAIN) > 50_000:
        _PLAIN.clear()  # bounded: a daemon reads releases for months
    info = _PLAIN[w] = (tag, low, lemma, vclass)
    return info


def _words(sentence: str, start: int, end: int, out: list[Tok]) -> None:
    plain = _PLAIN
    find = sentence.find
    pos = start
    # Strings, not match objects: between tokens the pattern skips only whitespace (any other
    # character starts a token), so each token starts where str.find first meets it.
    for w in _WORD.findall(sentence, start, end):
        a = find(w, pos)
        b = pos = a + len(w)
        info = plain.get(w) or _plain_word(w)
        if info is not None:
            out.append(Tok(w, a, b, info[0], info[1], info[2], info[3]))
            continue
        low = w.lower()
        if low.endswith(_POSSESSIVE) and len(low) > 2:
            core = w[:-2]
            out.append(Tok(core, a, b - 2, _simple_tag(core.lower()) if core.lower() in en.PRONOUNS else "N",
                           core.lower()))
            out.append(Tok(w[-2:], b - 2, b, "'s", "'s"))
            continue
        if not w[0].isalnum():
            if w == "." and out and out[-1].end == a and out[-1].low in en.ABBREVIATIONS and b < len(sentence):
                # "China Railway Container Transport Corp. plan to ...": the stop belongs to the
                # abbreviation, it does not end a phrase (the sentence splitter reads it so too).
                out[-1].text += "."
                out[-1].end = b
                continue
            tag = _PUNCT.get(w, "-" if w in "-\u2013\u2014" else ".")
            if w == "-" and not (sentence[a - 1:a] == " " and sentence[b:b + 1] == " "):
                tag = "~"  # a dash joining two words without spaces ("Altynkol-Khorgos")
            out.append(Tok(w, a, b, tag, w))
            continue
        out.append(Tok(w, a, b, "N", low))


_VERB_BEFORE = frozenset("X to W O".split())
_CLAUSE_END = frozenset((",", ";", ":", "C", "W", "-", "("))  # where a later verb stops being looked for
_NOUN_ING = frozenset("handling processing building shipping meeting funding financing spending mining "
                      "training offering pricing lending landing housing planning crossing opening".split())


def _settle(toks: list[Tok]) -> None:
    """Verb or noun, for each word that may be either: the clear cases first (after an
    auxiliary or "to", past forms, after a determiner), then present forms, which are nouns
    when a clear verb follows in the same clause ("Kazakh exports to China rose")."""
    n = len(toks)
    open_: list[int] = []
    for i, t in enumerate(toks):
        if t.tag != "V?":
            continue
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < n else None
        ptag = prev.tag if prev else ""
        ntag = nxt.tag if nxt else ""
        low = t.low
        past = low != t.lemma and (low.endswith(("ed", "en")) or (
            low in en.IRREGULAR_VERBS.get(t.lemma or "", ()) and not low.endswith(("s", "ing"))))
        if prev is not None and prev.low == "whose":
            t.tag = "N"  # "whose total cost"
        elif prev is not None and prev.low.endswith(_COMPOUND_ADJECTIVE_ENDINGS) and "-" in prev.low:
            t.tag = "N"  # "visa-free travel", "state-owned transport": a compound adjective's noun
        elif t.cap and prev is not None and prev.tag == "N" and prev.cap:
            t.tag = "N"  # "China International Power Holding": a capitalised word inside a name
        elif prev is not None and (ptag in _VERB_BEFORE or prev.low == "to" or
                                 (ptag == "R" and i > 1 and toks[i - 2].tag == "X")):
            t.tag = "V"
        elif prev is not None and prev.low == "that" and past and i > 1 and toks[i - 2].tag == "N":
            t.tag = "V"  # "wheat that passed through Khorgos": a relative clause's verb
        elif ptag in ("D", "'s") or (nxt is not None and nxt.low == "of" and not past):
            t.tag = "N"
        elif low in _SAME_PAST and ptag == "N" and any(
                toks[k].low == "by" and toks[k + 1].tag == "F" for k in range(i + 1, min(n - 1, i + 9))):
            t.tag = "V"  # "The corridor cut costs for customers by 15%": the change's verb, not "corridor cut"
        elif low.endswith("ing"):
            # "the handling and transiting of trains": an -ing word before "of" is a noun
            t.tag = "N" if (low in _NOUN_ING and ptag != "X") or ptag == "D" or (nxt is not None and nxt.low == "of") \
                else "V"
        elif past:
            # "the increased volume", "the share of processed goods": an adjective between a
            # determiner or preposition and a noun.
            t.tag = "N" if ptag in ("D", "P") and ntag == "N" and not (nxt is not None and nxt.cap) else "V"
        else:
            open_.append(i)
    for i in open_:
        t = toks[i]
        prev = toks[i - 1] if i else None
        nxt = toks[i + 1] if i + 1 < n else None
        ptag = prev.tag if prev else ""
        ntag = nxt.tag if nxt else ""
        later_verb = False
        for k in range(i + 1, n):  # (by index: no copy of the rest of the sentence per word)
            u = toks[k]
            if u.tag in _CLAUSE_END:
                break
            if (u.tag in ("V", "X") and toks[k - 1].low != "to") or (u.tag == "F" and u.vclass):
                later_verb = True
                break
        if ptag == "," and t.low != t.lemma and aside_opening(toks, i - 1) is not None:
            t.tag = "V"  # "Visa-free travel, introduced in November 2023, allows stays ...": its verb
            continue
        after_plural = prev is not None and ptag == "N" and (
            (prev.low.endswith("s") and not prev.low.endswith("ss")) or prev.low in en.PLURAL_SUBJECTS_WITHOUT_S) \
            and t.low == t.lemma and ntag in ("N", "D")
        k = i - 1
        while k >= 0 and toks[k].tag == "N" and not toks[k].cap:
            k -= 1
        # "increase its annual wheat exports to China": the head of an object noun phrase
        in_object = ptag == "N" and k >= 1 and k < i - 1 and (
            (toks[k].tag == "D" and toks[k - 1].tag in ("V", "P")) or
            (toks[k].low == "of" and toks[k - 1].tag == "N") or  # "the capacity of cross-border rail transport by"
            # "bring wheat exports to", not "rising wheat exports": a verb's object, no gerund's
            (toks[k].tag == "V" and toks[k].vclass != "say" and (toks[k].low == toks[k].lemma or
                                                                 not toks[k].low.endswith("ing"))))
        if in_object and toks[k].tag == "D" and toks[k - 1].tag == "P" and ntag == "D" and any(
                u.tag == "F" for u in toks[i + 2:i + 4]):
            t.tag = "V"  # "trade between the two countries hit a record $43.8 billion": its verb
        elif in_object and not later_verb:
            t.tag = "N"  # "increase its grain exports to China": the object's head noun
        elif (t.vclass in ("plan", "say", "other") and ptag == "N" and ntag in ("N", "D", "F", "P", "O")
                and not later_verb) or (after_plural and not later_verb):
            t.tag = "V"  # "the ministry expects turnover to grow", "port statistics put traffic at ..."
        elif later_verb or ntag in ("N", "") and not (nxt is not None and nxt.cap and ptag != "N"):
            t.tag = "N"
        elif ntag in ("F", "P", "D", "R", "T", "O", "N") and (
                ptag in ("N", "T", "O", ",", "", "C", "R", ")", "W") or
                # "two rail border crossings operate between": the verb of things counted
                (ptag == "F" and prev is not None and " " in prev.text and prev.text.split()[-1].isalpha()
                 and t.low == t.lemma)):
            t.tag = "V"
            if ptag in ("", ",", "C") and t.low.endswith("s") and ntag not in ("F", "D", "R"):
                t.tag = "N"  # "Exports increased": a plural noun that opens a clause
        else:
            t.tag = "N"
    for i, t in enumerate(toks):
        if t.tag == "V?":
            t.tag = "N"
        if t.tag == "N":
            t.lemma = t.vclass = None
            if t.low != t.text or not t.low.isalpha():
                continue  # (the rule below is only for lower-case words: skip its set-up)
            prev_low = toks[i - 1].low if i else ""
            # a verb the lexicon does not list, known by what precedes it: "will start",
            # "has seen", "were inked", "to stretch"
            nxt_tag = toks[i + 1].tag if i + 1 < len(toks) else ""
            if (
                    prev_low in MODALS or (prev_low == "to" and i > 1 and toks[i - 2].tag in ("V", "X", "N")
                                        and toks[i - 2].low not in _TO_NOUNS) or
                    (prev_low in _PERFECT and t.low.endswith(_PARTICIPLE_ENDINGS)) or
                    # "the bypass opened in May": a past form between a noun and what it did
                    (len(t.low) > 4 and t.low.endswith("ed") and i and toks[i - 1].tag == "N"
                     and (nxt_tag in ("P", "D", "F", "T", "R") or (toks[i - 1].cap and nxt_tag == "N" and not toks[i + 1].cap)))):
                t.tag, t.lemma, t.vclass = "V", t.low, "other"
        elif t.tag == "V" and t.low.endswith("ing") and i + 1 < len(toks) and toks[i + 1].tag in ("V", "X") \
                and i and toks[i - 1].tag == "N":
            t.tag, t.lemma, t.vclass = "N", None, None  # "the border crossing increased"


def aside_opening(toks: list[Tok], comma: int) -> int | None:
    """Where the aside that the comma at `comma` closes opens (the comma after its noun), when
    it is one: a participle phrase, a measurement or a relative clause between commas after a
    noun ("Visa-free travel, introduced in November 2023, allows ...", "The bridge, 2 km long,
    opened", "KTZ, which runs the railway, opened"). What
    follows it is the noun's verb."""
    c = next((k for k in range(comma - 1, -1, -1) if toks[k].tag in (",", ";", ":", "(")), None)
    if c is None or c < 1 or toks[c].tag != "," or toks[c - 1].tag != "N" or c + 1 >= comma:
        return None
    first = toks[c + 1]
    if first.tag == "F" or (first.low.endswith(_ASIDE_PARTICIPLES) and first.tag in ("V", "V?", "N")):
        return c
    if first.tag == "W" and first.low in ("which", "who"):
        return c  # "KTZ, which runs the railway, opened ...": a relative clause between commas
    # a noun phrase in apposition ("The pipeline, part of the Central Asia system, was
    # commissioned"); with "and" or "or" in it, the commas are more likely a list's
    appositive = first.tag == "D" or (first.low in _APPOSITIVE_HEADS and toks[c + 2].low == "of") or \
        first.low == "with"  # "The first phase, with a capacity of 20,000 cars a year, is due to"
    if appositive and not any(toks[k].tag == "C" for k in range(c + 1, comma)):
        return c
    return None


_SAME_PAST = frozenset("cut set put hit".split())  # verbs whose past is their own form: never told by an -ed
_ADVERBS_BEFORE_VERB = frozenset("first initially originally jointly finally".split())
_ASIDE_PARTICIPLES = ("ed", "en", "lt", "wn", "ght")
_COMPOUND_ADJECTIVE_ENDINGS = ("-free", "-based", "-owned", "-run", "-led", "-related", "-bound", "-scale", "-wide",
                               "-term", "-level", "-border", "-way")
_APPOSITIVE_HEADS = frozenset("part one home member section segment leg".split())


MODALS = frozenset("will would shall should can could may might must".split())
_PERFECT = frozenset("has have had is are was were be been being".split())
_PARTICIPLE_ENDINGS = ("ed", "en", "wn", "ght", "lt", "nt")
_TO_NOUNS = frozenset("according due prior thanks next close".split())
