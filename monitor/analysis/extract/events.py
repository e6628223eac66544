"""A milestone's event as a short clause: who did what, in the present tense.

"The agreement for the exemption of the visa requirements was signed between Kazakhstan and
China on 17 May 2023 in Xi'an" -> "Kazakhstan and China sign agreement for exemption of visa
requirements in Xi'an". The event is the verb the date belongs to, with its subject (the
agent of a passive), its object and the place; a date in an opening phrase ("In 2016, ...",
"During the visit in May 2023, ...") dates the main clause; a date before a named event
("the 2017 Year of Tourism") names it; "the establishment of X in 1992" is "establish X";
"That was in 1995" is the event of the sentence before. Numbers and dates are left out.
"""

from __future__ import annotations

import re

from monitor.analysis.extract.lazyre import lazy
from monitor.analysis.extract.numbers import TENS, UNITS
from monitor.analysis.extract.subjects import Context, SentenceReader, _np_left, _np_right, _render
from monitor.analysis.extract.tokens import Tok, TokenCache, tokenize
from monitor.analysis.lang import en

_MAX_SUBJECT = 10
_DANGLING = en.PREPOSITIONS | en.CONJUNCTIONS | en.DETERMINERS
_MAX_WORDS = 14
_LINKS = frozenset("is was marks marked will".split())


def lemma_of(word: str) -> str:
    """'signed' -> 'sign', 'proposed' -> 'propose', 'ratified' -> 'ratify', 'held' -> 'hold'."""
    w = word.lower()
    if w in en.IRREGULAR_PAST:
        return en.IRREGULAR_PAST[w]
    if w.endswith("ied") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("eed"):
        return w[:-1]
    if w.endswith("ed") and len(w) > 4:
        stem = w[:-2]
        if stem + "e" in en.E_LEMMAS:
            return stem + "e"
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "ls":
            return stem[:-1]  # "planned" -> "plan"
        return stem
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
        return stem + "e" if stem + "e" in en.E_LEMMAS else stem
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-2] if w.endswith(("ches", "shes", "sses", "xes")) else w[:-1]
    return w


def present(lemma: str, plural: bool) -> str:
    """The present tense of a lemma for a subject: 'sign' -> 'signs' (one), 'sign' (several)."""
    if plural or lemma in ("be",):
        return "are" if lemma == "be" else lemma
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        return lemma + "es"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return lemma[:-1] + "ies"
    return lemma + "s"


def event_phrase(sentence: str, date: tuple[int, int], figures: list[tuple[int, int]], times: list[tuple[int, int]],
                 previous: str | None = None, tokens: TokenCache | None = None) -> str | None:
    """The event the date in `sentence` belongs to, or None when the sentence does not say
    (`tokens`: the release's token cache, which the figure rules filled)."""
    tokens = tokens or TokenCache()
    toks = tokens.tokens(sentence, figures, times)
    d = next((i for i, t in enumerate(toks) if t.tag == "T" and t.start <= date[0] < t.end), None)
    if d is None:
        return None
    reader = SentenceReader(sentence, toks, [], Context(tokens))
    phrase = (_copula_anaphor(toks, d, previous, tokens) or _named_event(toks, d, sentence) or _date_as_subject(toks, d, sentence)
              or _nominal(toks, d, sentence) or _clause(reader, toks, d, sentence, previous))
    return _tidy(phrase) if phrase else None


def short_event(words: list[str]) -> list[str]:
    """At most _MAX_WORDS words, never ending on a word that needs the ones cut ("open second
    rail checkpoint at [the border]")."""
    if len(words) <= _MAX_WORDS:
        return words
    words = words[:_MAX_WORDS]
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return words


# what is left of "with a capacity of 20 million tons" once its figure is taken out
_EMPTIED_DESIGN = re.compile(r"\s+(?:with|of)\s+(?:an?\s+)?(?:total\s+|annual\s+|design\s+)?(?:"
                             + "|".join(en.PHYSICAL_DESIGN_WORDS) + r")(?:\s+of)?(?=\s|$)", re.I)


def _tidy(phrase: str) -> str:
    words = short_event(_EMPTIED_DESIGN.sub("", phrase).split())
    # "... between Lianyungang and Almaty in early [2026]": the date's own words go with it
    while len(words) > 2 and words[-1].lower() in _DATE_MODIFIERS and words[-2].lower() in ("in", "by", "from"):
        del words[-2:]
    return " ".join(words).strip(" ,;:")


_PAPERS = frozenset("memorandum agreement deal contract plan roadmap protocol accord".split())
_DATE_MODIFIERS = frozenset("early late mid end beginning start middle".split())


def _copula_anaphor(toks: list[Tok], d: int, previous: str | None, tokens: TokenCache) -> str | None:
    """'That was in 1995.': the event of the sentence before."""
    if previous is None or d > 4 or not toks or toks[0].low not in ("that", "this", "it"):
        return None
    if not any(t.low in ("was", "were", "happened", "occurred") for t in toks[:d]):
        return None
    prev = tokens.tokens(previous, [], [])
    for i in range(len(prev) - 1, -1, -1):
        if prev[i].low in en.NOMINAL_EVENTS and i + 1 < len(prev) and prev[i + 1].low == "of":
            b = _np_right(prev, i + 2, max_pp=1)
            thing = _render(prev, i + 2, b, previous)
            if thing:
                return f"{en.NOMINAL_EVENTS[prev[i].low]} {thing}"
    return None


def _named_event(toks: list[Tok], d: int, sentence: str) -> str | None:
    """'the 2017 Chinese Year of Tourism in Kazakhstan': the date names the event after it."""
    if d + 1 < len(toks) and toks[d + 1].tag == "N" and toks[d + 1].cap:
        b = _np_right(toks, d + 1, max_pp=2)
        phrase = _render(toks, d + 1, b, sentence)
        if phrase and any(w.lower() in en.EVENT_NOUNS for w in phrase.split()):
            return phrase
    return None


def _date_as_subject(toks: list[Tok], d: int, sentence: str) -> str | None:
    """'January 3, 2022 is the 30th anniversary of X': what the date is."""
    if d > 1 or d + 1 >= len(toks) or toks[d + 1].low not in _LINKS:
        return None
    j = d + 2
    while j < len(toks) and toks[j].tag in ("D", "R", "X"):
        j += 1
    if j < len(toks) and toks[j].tag == "F":
        b = _pp_chain(toks, j + 1, 3)
        rest = _render(toks, j + 1, b, sentence) if b > j + 1 else None
        return f"{toks[j].text} {toks[j + 1].low} {rest}" if rest else toks[j].text  # "30th anniversary of X"
    if j < len(toks) and toks[j].tag == "N":
        b = _np_right(toks, j, max_pp=3)
        return _render(toks, j, b, sentence)
    return None


def _pp_chain(toks: list[Tok], k: int, max_pp: int) -> int:
    """End of the prepositional phrases starting at k ("of the establishment of X")."""
    end = k
    for _ in range(max_pp):
        if end < len(toks) and toks[end].tag == "P" and toks[end].low in ("of", "between", "in", "with"):
            e = _np_right(toks, end + 1, max_pp=0)
            if e == end + 1:
                break
            end = e
        else:
            break
    return end


def _nominal(toks: list[Tok], d: int, sentence: str) -> str | None:
    """'Since the establishment of diplomatic relations in 1992': establish diplomatic relations,
    by the parties the sentence names ("China-Kazakhstan relations have ...")."""
    j = d - 1
    while j >= 0 and toks[j].tag == "P" and toks[j].low in ("in", "on"):
        j -= 1
    # back over the noun phrase to "the <event noun> of"
    for k in range(j, max(-1, j - 8), -1):
        if toks[k].low in en.NOMINAL_EVENTS and k + 1 < len(toks) and toks[k + 1].low == "of":
            if any(t.tag == "V" for t in toks[k + 1:d]):
                return None
            thing = _render(toks, k + 2, d, sentence)
            if not thing:
                return None
            verb = en.NOMINAL_EVENTS[toks[k].low]
            parties = _names_after(toks, d)
            return f"{parties} {verb} {thing}" if parties and parties.lower() not in thing.lower() else f"{verb} {thing}"
        if toks[k].tag in ("V", ",", ";") or toks[k].tag == "F":
            return None
    return None


def _names_after(toks: list[Tok], d: int) -> str | None:
    """The capitalised names opening the main clause after a date phrase ("..., China-Kazakhstan relations")."""
    j = d + 1
    if j < len(toks) and toks[j].tag == ",":
        j += 1
    names = []
    while j < len(toks) and toks[j].tag in ("N", "~") and toks[j].cap:
        names.append(toks[j].text)
        j += 1
    return " ".join(names) if names else None


def _opening_np(sentence: str, tokens: TokenCache) -> str | None:
    toks = tokens.tokens(sentence, [], [])
    for k, t in enumerate(toks):
        if t.tag == "N":
            return _render(toks, k, _np_right(toks, k, max_pp=1), sentence)
        if t.tag in ("V", "X"):
            break
    return None


def _clause(reader: SentenceReader, toks: list[Tok], d: int, sentence: str, previous: str | None = None) -> str | None:
    """Subject, verb, object and place of the verb the date belongs to."""
    v = _verb_of_date(toks, d)
    if v is None:
        return None
    verb = toks[v]
    passive = v > 0 and toks[v - 1].low in en.BE_FORMS or (v > 1 and toks[v - 1].tag == "R"
                                                             and toks[v - 2].low in en.BE_FORMS)
    subject, sa, sb = reader._subject_of(v)
    if v > 1 and toks[v - 1].tag == "," and verb.low.endswith(("ed", "en", "lt")) and toks[v - 2].tag == "N" \
            and reader._aside_subject(v - 1) is None:
        # "Visa-free travel for Chinese citizens, introduced in November 2023, ...": what was introduced
        a = _np_left(toks, v - 2)
        thing = _render(toks, a, v - 1, sentence)
        if thing:
            return f"{thing} {verb.low}"
    if v > 3 and toks[v - 1].low == "be" and toks[v - 2].low == "to" and toks[v - 3].tag == "," and toks[v - 4].tag == "N":
        # "... and a memorandum on a third railway crossing, to be built by 2028": what is to be built
        a = _np_left(toks, v - 4)
        a += toks[a].tag == "D"
        while a + 2 < v - 3 and toks[a].low in _PAPERS and toks[a + 1].low in ("on", "for", "about"):
            a += 2  # "a memorandum on a railway crossing, to be built": the crossing is built
            a += toks[a].tag == "D"
        thing = _render(toks, a, v - 3, sentence)
        if thing:
            return f"{thing} {verb.low}"
    if v > 3 and toks[v - 1].low == "to" and toks[v - 2].low in _ARRANGED_AFTER_COMMA and toks[v - 3].tag == "," \
            and toks[v - 4].tag == "N":
        # "... and a railway line between Bakhty and Ayagoz, due to open in 2027": what is due
        a = _np_left(toks, v - 4)
        thing = _render(toks, a, v - 3, sentence)
        if thing:
            return f"{thing} {present(verb.lemma or lemma_of(verb.low), _plural(thing))}"
    paper = _paper_before_to(toks, v)
    if paper is not None:
        # "KTZ and China Railway signed an agreement on Tuesday to build X": the signatories build X
        subject = reader._subject_of(paper)[0] or subject
    elif v > 1 and toks[v - 1].low == "to" and (
            (subject is None and toks[v - 2].tag == "V") or toks[v - 2].low in _INTENT_WORDS):
        # "The sides agreed to hold X": the sides hold X ("... and plans to open": who plans)
        subject = reader._subject_of(v - 2)[0] or (None if toks[v - 2].low in _INTENT_WORDS else subject)
    if subject is None and v > 0 and toks[v - 1].tag == "F":
        subject = _list_head(toks, _list_end(toks, v), sentence)  # "KTZ, the ministry and two banks signed"
    if subject and " and " in subject and sa > 1 and toks[sa - 1].tag == ",":
        first = _list_head(toks, sa - 1, sentence)  # "A, B and C signed": A
        if first:
            subject = first
    pron = next((j for j in range(v - 1, max(-1, v - 4), -1) if toks[j].tag == "O"), None)
    if subject is None and pron is not None and toks[pron].low in ("it", "they"):
        # "... in this Confucius Institute since it opened"; "The agreement was signed. It will ..."
        subject = _antecedent_np(toks, pron, sentence) or (_opening_np(previous, reader.ctx.tokens) if previous else None)
    subject = _first_conjunct(subject)
    # "scheduled for completion by 2013", "scheduled to open in 2026": the event is what is scheduled
    if (verb.lemma or lemma_of(verb.low)) in _ARRANGED and v + 1 < len(toks):
        nxt = toks[v + 1]
        if nxt.low == "for" and v + 2 < len(toks) and toks[v + 2].low in en.NOMINAL_EVENTS:
            return f"{subject} {present(en.NOMINAL_EVENTS[toks[v + 2].low], _plural(subject))}" if subject else None
        if nxt.low == "to" and v + 2 < len(toks) and toks[v + 2].tag == "V":
            v = v + 2
            verb = toks[v]
    obj = None
    k = v + 1
    if k == d and k + 1 < len(toks) and toks[k + 1].low in ("as", "the"):
        k += 1 + (toks[k + 1].low == "as")  # "agreed to mark 2026 as the Year of Tourism": the year's name
    while k < len(toks) and (toks[k].tag in ("R", "D") or toks[k].low in ("first", "initially", "originally")):
        k += 1
    if k < len(toks) and toks[k].tag == "N":
        b = _np_right(toks, k, max_pp=2)
        cut = _measured_pp(toks, k, b)
        obj = _render(toks, k, cut or b, sentence)
        if cut is not None:
            named = next((i for i in range(cut, min(len(toks) - 1, cut + 10)) if toks[i].low in ("in", "at")
                          and toks[i + 1].tag == "N" and toks[i + 1].cap), None)
            if named is not None and obj:  # "a terminal with a capacity of N in Xi'an": the terminal in Xi'an
                obj = f"{obj} {toks[named].low} {_render(toks, named + 1, _np_right(toks, named + 1, max_pp=0), sentence)}"
        k = b
        if obj and k + 2 < len(toks) and toks[k].low == "to" and toks[k + 1].tag == "V" and toks[k + 2].tag in ("N", "D"):
            e = _np_right(toks, k + 2, max_pp=1)
            rest = _render(toks, k + 2, e, sentence)
            if rest:
                obj = f"{obj} to {toks[k + 1].text} {rest}"  # "a plan to synergize X and Y"
    elif k < len(toks) and toks[k].tag == "V" and toks[k].low.endswith("ing"):
        obj = toks[k].text  # "started operating"
    elif k + 1 < len(toks) and toks[k].low in _APPROXIMATORS and toks[k + 1].tag == "F" and \
            (counted := _counted_words(toks[k + 1].text)):
        obj = counted  # "signed about 30 agreements"
    elif k < len(toks) and toks[k].tag == "F" and (counted := _counted_words(toks[k].text)):
        obj = counted  # "signed 26 cooperation documents": what was signed, without the number
    agent = None
    if passive:
        for j in range(v + 1, min(len(toks), v + 8)):
            if toks[j].low in ("between", "by") and j + 1 < len(toks) and toks[j + 1].tag in ("N", "D"):
                b = _np_right(toks, j + 1, max_pp=0)
                if b + 1 < len(toks) and toks[b].low == "of" and toks[b + 1].tag == "T":
                    break  # "completed by the end of 2026": a deadline, no agent
                agent = _render(toks, j + 1, b, sentence)
                break
    place = _place_after(toks, d, sentence)
    lemma = verb.lemma or lemma_of(verb.low)
    if verb.low.endswith(("ed", "en")) or verb.low in en.IRREGULAR_PAST:
        lemma = lemma_of(verb.low)
    if obj is None and k < len(toks) and toks[k].tag == "P" and toks[k].low in ("into", "to", "in", "at", "on") and \
            k + 1 < len(toks) and toks[k + 1].tag in ("N", "D"):
        b = _np_right(toks, k + 1, max_pp=0)
        if not any(t.low in en.TIME_OF_YEAR_NOUNS for t in toks[k + 1:b]):  # "begin in the fourth quarter of"
            b = _np_right(toks, k + 1, max_pp=1)
            pp = _render(toks, k + 1, b, sentence)
            obj = f"{toks[k].low} {pp}" if pp else None  # "came into force", "moved to Astana"
    particle = toks[v + 1].low if v + 1 < len(toks) and toks[v + 1].low in _PARTICLES else None
    if passive and agent:
        words = [agent, present(lemma, _plural(agent)), particle or "", subject or ""]
    elif passive:
        words = [subject or "", verb.text.lower(), particle or "", obj or ""]
    else:
        words = [subject or "", present(lemma, _plural(subject)), particle or "", obj or ""]  # "set up a venture"
    if place and place.lower() not in " ".join(words).lower():
        words.append(place)
    text = " ".join(w for w in words if w)
    return text or None


_PARTICLES = frozenset("up off out down".split())
_ARRANGED = frozenset("schedule expect plan set due".split())
_INTENT_WORDS = frozenset("plans plan aims aim intends intend hopes hope seeks seek wants want".split())
_ARRANGED_AFTER_COMMA = frozenset("due scheduled expected set planned slated".split())


_INNER_PP = lazy(r"\s(?:of|between|along|from|to|in|at|for|on|with)\s")


def _paper_before_to(toks: list[Tok], v: int) -> int | None:
    """The verb that made the paper whose purpose the verb at v is ("signed an agreement [on
    Tuesday] to build"): its index, or None."""
    if v < 3 or toks[v - 1].low != "to":
        return None
    k = v - 2
    while k > 0 and (toks[k].tag == "T" or (toks[k].tag == "P" and k + 1 < v - 1 and toks[k + 1].tag == "T")):
        k -= 1  # a date between the paper and its purpose
    if toks[k].low not in _PAPERS:
        return None
    j = k - 1
    while j >= 0 and toks[j].tag in ("D", "N") and toks[j].low not in _PAPERS and not toks[j].cap:
        j -= 1  # "signed a cooperation agreement"
    return j if j >= 0 and toks[j].tag == "V" else None


def _measured_pp(toks: list[Tok], a: int, b: int) -> int | None:
    """Where the object's phrase goes on to a measure of it ("grain terminal [with a capacity
    of 500,000 tons]", "a plant [worth $1 billion]"): without its number it says nothing."""
    for i in range(a + 1, min(len(toks), b + 1)):
        if toks[i].low in ("with", "worth", "at", "costing", "valued") and any(
                t.tag == "F" for t in toks[i + 1:i + 5]):
            return i
    return None


_APPROXIMATORS = frozenset(w for a in en.APPROXIMATORS for w in a.split())  # "more than 30", "about 30"


def _counted_words(figure: str) -> str | None:
    """The things a count names ("26 cooperation documents" -> "cooperation documents"), or
    None for a figure that names none (an amount, a percentage, a quantity)."""
    words = figure.split()
    i = 0
    while i < len(words) and words[i].lower() in _APPROXIMATORS:
        i += 1
    if i >= len(words) or not (words[i][:1].isdigit() or words[i].lower() in UNITS or words[i].lower() in TENS):
        return None
    rest = words[i + 1:]
    if not rest or not all(w.isalpha() or (w.replace("-", "").isalpha() and "-" in w) for w in rest):
        return None
    if rest[0].lower() in ("million", "billion", "thousand", "percent", "per", "times") or words[i][-1:] == "%":
        return None
    return " ".join(rest)


def _plural(subject: str | None) -> bool:
    if not subject:
        return False
    core = _INNER_PP.split(subject, 1)[0]  # "railway line between A and B": one line
    head = core.split()[-1] if core.split() else subject.split()[-1]
    if " and " in core:
        return True
    # "Kazakhstan Railways", "KazMunayGas" are names; "Shipments of beef" only opens the sentence
    name = head[:1].isupper() and (len(core.split()) > 1 or any(c.isupper() for c in head[1:]))
    return not name and head.lower().endswith("s") and not head.lower().endswith("ss")


def _list_end(toks: list[Tok], v: int) -> int:
    """The comma after the first item of the list of names that ends before the verb at v."""
    j = v - 1
    last_comma = -1
    while j >= 0 and toks[j].tag in ("N", "D", "F", "~", "'s", ",", "C"):
        if toks[j].tag == ",":
            if j > 0 and toks[j - 1].tag == "T":
                break  # "In 2023, KTZ, ...": the comma closing the opening phrase
            last_comma = j
        j -= 1
    return last_comma


def _list_head(toks: list[Tok], comma: int, sentence: str) -> str | None:
    """The first item of a list of names that ends before `comma`."""
    if comma < 1:
        return None
    j = comma
    start = None
    while j > 0 and toks[j].tag == ",":
        k = j - 1
        if k < 0 or toks[k].tag != "N":
            break
        a = k
        while a > 0 and toks[a - 1].tag in ("N", "~", "'s", "D"):
            a -= 1
        start = (a, k + 1)
        j = a - 1
    if start is None:
        return None
    return _render(toks, start[0], start[1], sentence)


def _antecedent_np(toks: list[Tok], pron: int, sentence: str) -> str | None:
    """The last noun phrase before a pronoun in its sentence."""
    for j in range(pron - 1, -1, -1):
        if toks[j].tag == "N":
            a = j
            while a > 0 and toks[a - 1].tag in ("N", "~", "'s"):
                a -= 1
            return _render(toks, a, j + 1, sentence)
    return None


def _first_conjunct(subject: str | None) -> str | None:
    """'China International Power Holding, the Kazakh Ministry of Energy and ...': the first."""
    if not subject:
        return subject
    if "," in subject:
        return subject.split(",")[0]
    words = subject.split()[:_MAX_SUBJECT]
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()  # "line linking the port with [Almaty]" cut short ends on a noun
    return " ".join(words)


def _place_after(toks: list[Tok], d: int, sentence: str) -> str | None:
    """'... on 17 May 2023 in Xi'an': where it happened."""
    j = d + 1
    if j + 1 < len(toks) and toks[j].low in ("in", "at") and toks[j + 1].tag == "N" and toks[j + 1].cap:
        b = _np_right(toks, j + 1, max_pp=0)
        p = _render(toks, j + 1, b, sentence)
        return f"{toks[j].low} {p}" if p else None
    return None


def _verb_of_date(toks: list[Tok], d: int) -> int | None:
    """The verb a date belongs to: the main verb when the date opens the sentence ("In 2016,
    the leaders signed ..."), else the nearest verb before it in its clause, else after it."""
    if d + 2 < len(toks) and toks[d + 1].tag == "," and toks[d + 2].low == "when":
        # "after 2013, when President Xi proposed ...": the when-clause is the event
        return next((i for i in range(d + 3, len(toks)) if toks[i].tag == "V"), None)
    comma = next((i for i in range(d, len(toks)) if toks[i].tag == ","), None)
    opening = comma is not None and not any(t.tag == "V" for t in toks[:comma]) and d < comma
    if opening and comma is not None:
        return next((i for i in range(comma + 1, len(toks)) if toks[i].tag == "V"), None)
    i = d - 1
    while i >= 0:
        t = toks[i]
        if t.tag == "V" and t.vclass != "say":
            if t.low.endswith("ing") and i and toks[i - 1].tag == "V":
                return i - 1  # "started operating": the event is the start
            return i
        if t.tag in (";",) or (t.tag == "," and i + 1 < len(toks) and toks[i + 1].tag in ("C", "W")):
            break
        if t.tag == ",":
            # "signed by KTZ, which runs the railway, in 2024": the date is the main clause's
            opened = next((k for k in range(i - 1, 0, -1) if toks[k].tag == "," and toks[k + 1].tag == "W"), None)
            if opened is not None and not any(toks[k].tag == "," for k in range(opened + 1, i)):
                i = opened
        i -= 1
    for i in range(d + 1, len(toks)):
        if toks[i].tag == "V" and toks[i].vclass != "say":
            return i
        if toks[i].tag in (",", ";"):
            break
    return None


_CHAIN_LEAD = lazy(r"^\s*,?\s*(?:and|as well as|then|and then|later|and later|followed by)\s+(?:to\s+)?", re.I)
_CHAIN_TAIL = lazy(r"\s+(?:in|on|by)\s*$", re.I)


def chained_event(previous_event: str, between: str) -> str | None:
    """The event of a later date in a chain: the earlier event's subject and verb with the
    object named between the two dates ("Relations upgraded to strategic partnership" +
    ", then a comprehensive strategic partnership in" -> "Relations upgraded to comprehensive
    strategic partnership")."""
    obj = _CHAIN_TAIL.sub("", _CHAIN_LEAD.sub("", between)).strip()
    obj = re.sub(r"^(?:a|an|the|another)\s+", "", obj)
    if not obj or any(t.tag in ("V", "X") for t in tokenize(obj, [], [])):
        return None  # "ratified in 2020 and entered into force in 2021": a verb of its own
    m = re.match(r"^(?P<head>.*?\b(?:to|into|as)\b)\s", previous_event)
    if m:
        return re.sub(r"\s+(?:first|initially|originally)\b", "", f"{m.group('head')} {obj}")
    words = previous_event.split()
    return " ".join(words[:2] + [obj]) if len(words) >= 2 else None
