"""Which measure a figure states, from a topic's vocabulary (config.toml).

A figure's subject ("growth of Kazakh exports to China") is read as a change or share of a
thing ("Kazakh exports to China"), the parties it names and their roles (here Kazakhstan the
start of a flow, China its end) and its other words. A vocabulary measure matches when one
of its words is in the thing, its parties are named the way it says (both, for `between`;
the flow's direction, for `from`/`to`; "bilateral", "mutual", "the two countries" stand for
the two parties the release is about), one of its `places` if it lists any, and the unit
family fits. The figure then gets the measure's id, with the thing's remaining words and
the change or share appended ("exports/kz-to-cn/wheat", "trade/cn-kz/growth"); a figure
no measure matches keeps the generic key made from its subject.

All topic knowledge comes in as data: the generic extractor knows no party names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.meaning import key_words
from monitor.analysis.extract.units import unit_family
from monitor.analysis.lang import en
from monitor.domain import Figure, MeasureDef

_TRANSFORMS = (("growth of ", "growth"), ("share of ", "share"), ("value of ", "value"))
_RATES = ("weekly ", "daily ", "monthly ", "annual ")
_WORD = lazy(r"[\w'\u2019]+(?:-[\w'\u2019]+)*")


@dataclass(frozen=True)
class Vocabulary:
    """The measures of one topic and the words that name its parties."""

    parties: tuple[tuple[str, tuple[str, ...]], ...]
    measures: tuple[MeasureDef, ...]


@dataclass(frozen=True, slots=True)
class _Mention:
    party: str
    start: int  # word index in the thing
    end: int
    prep: str | None  # the preposition before it, if any


def _term_pattern(term: str) -> str:
    core = re.escape(term.rstrip("*")).replace(r"\ ", r"[\s-]+").replace("'", "['\u2019]")
    tail = r"[\w]*" if term.endswith("*") else ""
    return core + tail + r"(?:['\u2019]s)?"


@lru_cache(maxsize=64)
def _party_regex(parties: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern[str] | None:
    alts = []
    for i, (_, words) in enumerate(parties):
        pats = sorted((_term_pattern(w) for w in words), key=len, reverse=True)
        alts.append(f"(?P<p{i}>" + "|".join(pats) + ")")
    if not alts:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])", re.I)


_BEFORE_A_PARTY = en.PREPOSITIONS | {"visiting", "visited", "and"}  # words that say a mention's role


def _mentions(thing: str, vocab: Vocabulary) -> list[_Mention]:
    rx = _party_regex(vocab.parties)
    if rx is None:
        return []
    out = []
    for m in rx.finditer(thing):
        code = next(vocab.parties[int(k[1:])][0] for k, v in m.groupdict().items() if v)
        before = thing[:m.start()].split()
        prep = before[-1].lower() if before and before[-1].lower() in _BEFORE_A_PARTY else None
        if prep is None and len(before) >= 2 and before[-1].lower() in ("the",):
            prep = before[-2].lower() if before[-2].lower() in en.PREPOSITIONS else None
        out.append(_Mention(code, len(before), len(before) + len(m.group(0).split()), prep))
    return out


def _split(subject: str) -> tuple[str | None, str]:
    """('growth', 'Kazakh exports to China') from 'growth of Kazakh exports to China'."""
    low = subject.lower()
    for prefix, name in _TRANSFORMS:
        if low.startswith(prefix):
            return name, subject[len(prefix):]
    for prefix in _RATES:
        if low.startswith(prefix):
            return prefix.strip(), subject[len(prefix):]
    return None, subject


def _direction(thing: str, mentions: list[_Mention]) -> tuple[str | None, str | None, bool, bool]:
    """(start, end, unordered, own) of the flow the thing describes; `own` when its one named
    end is the party whose flow it is ("China's oil imports", "Kazakh crude exports"), not a
    counterpart named by a preposition ("oil exports to China")."""
    words = [w.lower() for w in _WORD.findall(thing)]
    inward = any(w in en.FLOW_IN_WORDS for w in words) and not any(w in en.FLOW_OUT_WORDS for w in words[:3])
    source = dest = None
    plain = []
    for k, m in enumerate(mentions):
        if m.prep == "and" and k and mentions[k - 1].prep in (None, "by") and mentions[k - 1].party != m.party:
            # "investment by KTZ and China Railway", "KTZ and China Railway investment": a joint
            # undertaking of both parties flows from neither to the other
            return None, None, False, False
    for m in mentions:
        if m.prep in en.FLOW_END_PREPOSITIONS:
            dest = dest or m.party
        elif m.prep in en.FLOW_START_PREPOSITIONS:
            source = source or m.party
        elif m.prep == "by":
            if inward or any(w in en.RECEIVING_PARTICIPLES for w in words):
                dest = dest or m.party
            else:
                source = source or m.party
        elif m.prep in (None, "of", "between", "and"):
            plain.append(m.party)
    unordered = own = False
    # a country's exports or imports, with no counterpart named, are its totals in trade
    # statistics; supplies, tourists or investment of one party in a release about two are
    # most often between the two
    flow = any(w in _TOTAL_FLOW_WORDS for w in words)
    if plain:
        origin = _goods_origin(words, mentions) if inward and source is None and dest is None else None
        if origin is not None:
            # "China's imports of Kazakh oil": the goods come from the party that qualifies them
            source, dest = origin, next((p for p in plain if p != origin), None)
        elif len(set(plain)) >= 2 and source is None and dest is None:
            unordered = True
        elif inward:
            own = flow and dest is None and source is None
            dest = dest or next((p for p in plain if p != source), None)
        else:
            # "crude sent to China by the pipeline between China and Kazakhstan": the other party
            own = flow and dest is None and source is None
            source = source or next((p for p in plain if p != dest), None)
    return source, dest, unordered, own


_TOTAL_FLOW_WORDS = frozenset("exports export exported exporting imports import imported importing".split())


def _joins_outsider(thing: str, mentions: list[_Mention]) -> bool:
    """A party is joined by "and" to a name that is no party ("to China and the EU")."""
    words = thing.split()
    starts = {m.start for m in mentions}
    for m in mentions:
        k = m.end
        if k < len(words) and words[k].lower() == "and":
            k += 1 + (k + 1 < len(words) and words[k + 1].lower() == "the")
            if k < len(words) and words[k][:1].isupper() and k not in starts:
                return True
    return False


def _goods_origin(words: list[str], mentions: list[_Mention]) -> str | None:
    """The party after "of" that qualifies the goods ("imports of Kazakh oil"), when another
    party is named too; not the owner of the flow ("the imports of China")."""
    for m in mentions:
        if m.prep == "of" and m.end < len(words) and words[m.end] not in en.PREPOSITIONS \
                and any(o.party != m.party for o in mentions):
            return m.party
    return None


def _has_flow_word(thing: str) -> bool:
    return any(w.lower() in en.FLOW_NOUNS for w in _WORD.findall(thing))


def _word_match(thing_low: str, words: tuple[str, ...]) -> str | None:
    """The longest of `words` the thing contains as whole words (plural or not)."""
    best = None
    for w in words:
        pat = _term_pattern(w.lower())
        if re.search(rf"(?<![\w-]){pat}(?:s|es)?(?![\w])", thing_low) and (best is None or len(w) > len(best)):
            best = w
    return best


def measure_for(figure: Figure, vocab: Vocabulary, pair: tuple[str, str] | None,
                level_family: str | None = None) -> tuple[MeasureDef, str] | None:
    """The vocabulary measure a figure states and its full key, or None. A change or share
    is of the measure its level is stated in (`level_family`: "rose 21% to 4.5 million tons"
    is the growth of a tonnage)."""
    if not figure.subject:
        return None
    transform, thing = _split(figure.subject)
    if transform == "share":
        return None  # a share names its part and its whole: the subject says which, the key keeps both
    low = thing.lower()
    mentions = _mentions(thing, vocab)
    named = {m.party for m in mentions}
    bilateral = any(re.search(rf"(?<![\w-]){re.escape(b)}(?![\w])", low) for b in en.BILATERAL_WORDS)
    if bilateral and pair:
        named |= set(pair)
    family = "money" if figure.kind == "money" else unit_family(figure.kind, figure.unit)
    best: tuple[int, MeasureDef, str] | None = None
    first = low.split()[0] if low.split() else ""
    relation_years = low.startswith("years of") and not named
    if relation_years and pair and any(w in low for w in en.RELATION_WORDS):
        named |= set(pair)  # "years of diplomatic ties": of the two the release is about
    outsider = _joins_outsider(thing, mentions)
    for md in vocab.measures:
        word = _word_match(low, md.words)
        if word is None:
            continue
        if outsider and (md.between or md.source):
            continue  # "exports to China and the EU": a sum with a third party is neither flow
        if first in en.DESIGN_WORDS and first not in (w.lower() for w in md.words):
            continue  # "capacity of the Kazakhstan-China pipeline" is no oil flow
        if md.unit and (level_family or family) != md.unit and (transform not in ("growth", "share") or level_family):
            continue
        if md.places and not _word_match(low, md.places):
            continue
        if md.between and not set(md.between) <= named:
            continue
        if md.source:
            source, dest, unordered, own_flow = _direction(thing, mentions)
            # a party's own flow ("China imported 20 million tons of oil") is its total unless
            # the sentence names the other end: the release being about both does not make it so
            ends = None if own_flow else pair
            if unordered and not _has_flow_word(thing) and {md.source, md.dest} <= named:
                pass  # "the Kazakhstan-China oil pipeline": a commodity flows one way
            elif source == md.source and dest == md.dest:
                pass
            elif (source == md.source and dest is None and _other_end(figure, vocab, ends, md.dest, low)) or \
                    (dest == md.dest and source is None and _other_end(figure, vocab, ends, md.source, low)):
                pass
            else:
                continue
        score = len(word) + 10 * bool(md.places) + 5 * bool(md.unit)
        if best is None or score > best[0]:
            best = (score, md, word)
    if best is None:
        return None
    _, md, word = best
    joined, own = next(((j, o) for j, o in (_joined(thing, w) for w in md.words if _word_match(low, (w,)))
                        if j), (None, thing))
    rest = _remainder(_before_word(own, word), md, word, vocab)
    if joined:
        rest = "-".join(filter(None, [rest, f"and-{joined}"]))  # the union is a measure of its own
    key = md.id + (f"/{rest}" if rest else "") + (f"/{transform}" if transform else "")
    if not md.unit and transform not in ("growth", "share") and family not in ("money", "count"):
        key += f"@{family}"
    return md, key


def _joined(thing: str, word: str) -> tuple[str | None, str]:
    """The noun "and" joins to the measure's word ("trade and investment", "investment and
    trade", "oil and gas exports" for an oil measure -> the other one), and the thing
    without it: the two together are another measure than either. A modifier joined to a
    measure's own two-word term widens it instead ("diesel and container trains": trains)."""
    w = _term_pattern(word.lower())
    after = re.search(rf"(?<![\w-]){w}(?:s|es)?(\s+(?:and|or)\s+([a-z]+))\b", thing, re.I)
    if after and thing[after.start(2)].islower() and after.group(2) not in en.DETERMINERS:
        return after.group(2), thing[:after.start(1)] + thing[after.end(1):]
    before = re.search(rf"(?<![\w-])([A-Za-z]+)\s+(?:and|or)\s+(?={w}(?:s|es)?(?![\w-]))", thing, re.I)
    if before and " " not in word.strip() and before.group(1).lower() not in en.DETERMINERS \
            and (before.start() == 0 or thing[before.start(1)].islower()):
        return before.group(1).lower(), thing[:before.start()] + thing[before.end():]
    return None, thing


def _before_word(thing: str, word: str) -> str:
    """The words that narrow the measure: those before its word and the rest of its noun
    ("Kazakh wheat flour exports" -> "Kazakh", "flour"), and a route or place it goes
    through ("via Dostyk", "through the Altynkol-Khorgos crossing"); not who did it or where
    it ended ("signed by the two sides", "visiting Kazakhstan", "to China")."""
    m = re.search(rf"(?<![\w-]){_term_pattern(word.lower())}(?:s|es)?(?![\w])", thing, re.I)
    if not m:
        return thing
    before = thing[:m.start()]
    if re.search(r"\b(?:and|or)\s+$", before) and " " in word.strip():
        # "intergovernmental and commercial agreements": a modifier joined to the measure's
        # own ("commercial agreements") widens it to the union, it does not narrow it
        before = ""
    kept = [before]
    rest = thing[m.end():].split()
    for w in rest:  # the rest of the noun: "wheat [flour exports]", "flights [Almaty-Beijing]"
        lw = w.lower()
        if lw in en.PREPOSITIONS or lw in en.CONJUNCTIONS or lw.endswith(("ed", "ing")) or \
                not (w.isalpha() or ("-" in w and w[:1].isupper())):
            break
        kept.append(w)
    tail = thing[m.end():]
    route = re.search(r"\b(?:via|through|across|along|on)\s+(?:the\s+)?((?:[\w'’-]+\s*){1,4})", tail)
    if route:
        kept.append(route.group(1))
    for mode in re.finditer(r"\bby\s+(?:the\s+)?(\w+)", tail):
        if mode.group(1).lower() in en.TRANSPORT_MODES:
            kept.append(mode.group(1))  # "crude sent to China by the pipeline"
    return " ".join(kept)


def _other_end(figure: Figure, vocab: Vocabulary, pair: tuple[str, str] | None, party: str | None, low: str) -> bool:
    """A flow with one end named ("crude to China"): the other end is the party named in the
    sentence, or the release's other party, unless the thing is a total ("total exports")."""
    if any(w in low.split() for w in ("total", "overall", "foreign", "global", "world")):
        return False
    clause = _clause_of(figure)
    if _IN_TOTAL.search(clause):
        return False  # "Kazakhstan exported 11.2 million tons of grain in total"
    if party in {m.party for m in _mentions(clause, vocab)}:
        return True
    return bool(pair and party in pair)


# where a clause about another thing begins: a contrast, or a part of the whole ("11 million
# tons, including 1.4 million tons to China": the part goes to China, the whole not)
_CLAUSE_BREAK = re.compile(r",?\s+(?:while|whereas|but|although)\s+|,\s+(?:including|of which|mostly|mainly|primarily"
                           r"|chiefly)\s+|;\s*", re.I)
_IN_TOTAL = re.compile(r"\b(?:in total|in all|altogether|in overall terms)\b", re.I)


def _clause_of(figure: Figure) -> str:
    """The clause of its sentence that holds the figure ("China's imports rose, while
    Kazakhstan exported 11 million tons": the second)."""
    at = figure.sentence.find(figure.text)
    if at < 0:
        return figure.sentence
    start = 0
    for m in _CLAUSE_BREAK.finditer(figure.sentence):
        if m.start() >= at:
            return figure.sentence[start:m.start()]
        start = m.end()
    return figure.sentence[start:]


def _remainder(thing: str, md: MeasureDef, word: str, vocab: Vocabulary) -> str:
    """The thing's words the measure does not account for ("Kazakh wheat exports" -> "wheat")."""
    text = thing
    rx = _party_regex(vocab.parties)
    if rx is not None:
        text = rx.sub(" ", text)
    for w in sorted((*md.words, *md.places), key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){_term_pattern(w.lower())}(?:s|es)?(?![\w])", " ", text, flags=re.I)
    for b in en.BILATERAL_WORDS:
        text = re.sub(rf"(?<![\w-]){re.escape(b)}(?![\w])", " ", text, flags=re.I)
    words = [w for w in key_words(text) if w not in _REMAINDER_STOP and w.lower() not in en.FLOW_OUT_WORDS
             and w.lower() not in en.FLOW_IN_WORDS]
    return "-".join(words)


_REMAINDER_STOP = frozenset("country side nation state record high new first last year per via through cross "
                            "border cross-border bilateral mutual two both between china kazakhstan foreign".split())


def release_pair(text: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """The two parties a release is about: the two of the vocabulary named most in it."""
    rx = _party_regex(vocab.parties)
    if rx is None:
        return None
    counts: dict[str, int] = {}
    for m in rx.finditer(text):
        code = next(vocab.parties[int(k[1:])][0] for k, v in m.groupdict().items() if v)
        counts[code] = counts.get(code, 0) + 1
    top = sorted(counts, key=lambda c: -counts[c])[:2]
    return (top[0], top[1]) if len(top) == 2 else None


def apply_vocabularies(figures: Sequence[Figure], vocabs: Sequence[Vocabulary], text: str) -> list[Figure]:
    """The figures with the measure (and, where the subject only said "bilateral", the
    parties' label as subject) of the first vocabulary that knows them."""
    pairs = [release_pair(text, v) for v in vocabs]
    out: list[Figure] = []
    matched: list[tuple[Figure, MeasureDef, str]] = []  # (figure, its measure, its key), in order
    for f in figures:
        level = _level_family(f, figures)
        for vocab, pair in zip(vocabs, pairs, strict=False):
            found = measure_for(f, vocab, pair, level)
            if found:
                md, key = found
                matched.append((f, md, key))
                out.append(replace(f, measure=key, subject=_subject(f.subject or "", md, key, vocab)))
                break
        else:
            again = _said_before(f, matched, vocabs)
            out.append(again if again is not None else _named_asset(f, vocabs))
    return out


def _said_before(f: Figure, matched: list[tuple[Figure, MeasureDef, str]], vocabs: Sequence[Vocabulary]
                 ) -> Figure | None:
    """A figure whose subject names a measure without its parties ("turnover is expected to
    grow by 10%", "the value of the documents signed") states the measure a figure just
    before named in full: its value, if it is the value of the things that figure counts."""
    if not f.subject:
        return None
    transform, thing = _split(f.subject)
    if transform == "share":
        return None
    if transform is None and (f.period or "").startswith("target") and _only_agents(thing, vocabs):
        # "trade totalled $43.8 billion, and the two sides aim to reach $50 billion by 2030":
        # who aims is no measure; the goal is of the measure just stated in the same unit
        for g, md, key in reversed(matched[-3:]):
            if f.start - g.start > 400:
                break
            if _family(g) == _family(f) and _split(g.subject or "")[0] is None:
                return replace(f, measure=key, subject=md.label)
        return None
    for g, md, key in reversed(matched[-6:]):
        if f.start - g.start > 600:
            break
        if transform == "value" and g.sentence == f.sentence and g.kind == "count":
            base = key.split("@")[0]
            return replace(f, measure=f"{base}/value", subject=f"value of {md.label}")
        word = _word_match(thing.lower(), md.words)
        if word is None or any(_mentions(thing, v) for v in vocabs) or re.search(r"\b(?:with|between|of|and)\s+[A-Z]", thing):
            continue  # "trade with Russia" names another party
        if md.unit and transform not in ("growth", "share"):
            family = "money" if f.kind == "money" else unit_family(f.kind, f.unit)
            if family != md.unit:
                continue
        rest = _remainder(_before_word(thing, word), md, word, vocabs[0])
        new_key = md.id + (f"/{rest}" if rest else "") + (f"/{transform}" if transform else "")
        return replace(f, measure=new_key, subject=_subject(f.subject, md, new_key))
    return None


_AGENT_WORDS = frozenset("the two both sides side countries country parties partners nations states governments "
                         "we they our and".split())


def _only_agents(thing: str, vocabs: Sequence[Vocabulary]) -> bool:
    """The subject names only who acts ("the two sides", "Kazakhstan and China", "we"), no
    measured thing."""
    text = thing
    for v in vocabs:
        rx = _party_regex(v.parties)
        if rx is not None:
            text = rx.sub(" ", text)
    words = text.lower().split()
    return all(w in _AGENT_WORDS for w in words)


def _family(f: Figure) -> str | None:
    return "money" if f.kind == "money" else unit_family(f.kind, f.unit)


def _level_family(f: Figure, figures: Sequence[Figure]) -> str | None:
    """The unit family of the level a change or share figure belongs to (same sentence, same thing)."""
    transform, thing = _split(f.subject or "")
    if transform not in ("growth", "share"):
        return None
    for g in figures:
        if g.sentence == f.sentence and g is not f and g.subject and _split(g.subject)[1] == thing \
                and g.kind != "percent":
            return "money" if g.kind == "money" else unit_family(g.kind, g.unit)
    return None


_POSSESSIVE_NAME = lazy(r"\b(\w+)['\u2019]s\s+(?=[A-Z])")


def _named_asset(f: Figure, vocabs: Sequence[Vocabulary]) -> Figure:
    """'capacity of Kazakhstan's Zhanatas wind power plant': a party's name before a named
    asset says nothing more, so the key is the asset's ("capacity of Zhanatas wind power plant")."""
    subject = f.subject or ""
    if not f.measure or "'" not in subject and "\u2019" not in subject:
        return f
    def drop(m: re.Match[str]) -> str:
        word = m.group(1)
        for v in vocabs:
            rx = _party_regex(v.parties)
            if rx is not None and rx.fullmatch(word):
                return ""
        return m.group(0)
    trimmed = _POSSESSIVE_NAME.sub(drop, subject)
    if trimmed == subject:
        return f
    tail = f.measure[f.measure.find("/"):] if "/" in f.measure else ""
    unit = f.measure[f.measure.find("@"):] if "@" in f.measure and "/" not in f.measure else ""
    core = _split(trimmed)[1]
    words = key_words(core)
    return replace(f, measure="-".join(words) + (tail or unit)) if words else f


def _subject(subject: str, md: MeasureDef, key: str, vocab: Vocabulary | None = None) -> str:
    """The measure's label when the subject names it without its parties ("trade between
    the two countries", "turnover"), so a reader sees which; otherwise the subject as read."""
    transform, thing = _split(subject)
    if key.split("@")[0] not in (md.id, f"{md.id}/{transform}") or not (md.between or md.source):
        return subject  # a measure of a place ("Containers through Khorgos"): the subject says more
    if vocab is not None and len({m.party for m in _mentions(thing, vocab)}) >= (2 if md.between else 1):
        return subject
    if transform in ("growth", "share", "value"):
        return f"{transform} of {md.label}"
    return f"{transform} {md.label}" if transform else md.label
