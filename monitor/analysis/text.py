"""The one text layer: plain text, sentences, datelines and boilerplate.

HTML from feeds becomes plain text here (lxml); plain text is cut into sentences with their
offsets, so every figure or milestone can quote the sentence it came from; and the parts of
a release that are not its story are found here, once, for every reader: the wire dateline
("ASTANA, Jan. 20, 2025 --", "BEIJING, July 4, 2024 /PRNewswire/ —", "TASHKENT (ENA) --",
"KAZINFORM –", "Astana, 12 March 2025 (Kazinform) –") and the closing boilerplate ("About
X", forward-looking statements, media contacts). Topic matching weighs them down, extraction
never reads a subject, period or milestone from them, and digest summaries leave them out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.analysis.lang import en
from monitor.analysis.memo import remember_last

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
# whitespace (str.isspace's, as str.strip takes it) around a line break, blank lines included
_LINE_EDGES = re.compile(r"\s*\n\s*")
_TAGISH = re.compile(r"<[a-zA-Z!/]")
# C0 control characters but tab, newline and carriage return, and DEL: nothing in a release
# (feed parsing drops them, lxml refuses them)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DROP = ("script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "math")
_html_parser: Any = None
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
               "blockquote", "section", "article", "header", "footer", "pre")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line; scripts and styles dropped.

    lxml's HTML parser is used directly: feed bodies are converted by the thousand in a
    first poll, and a BeautifulSoup tree costs about a millisecond per entry against a
    tenth of that here. Release pages, where finding the article matters more than speed,
    go through beautifulsoup4 (monitor.ingest.article). Plain text passes through untouched apart
    from whitespace, so callers need not know which one a feed sent.
    """
    global _html_parser
    if not html:
        return ""
    if not _TAGISH.search(html) and "&" not in html:
        return normalise_space(html)
    from lxml import etree

    if _html_parser is None:
        _html_parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring("<html><body><div>" + CONTROL_CHARS.sub(" ", html) + "</div></body></html>", _html_parser)
    except (etree.ParserError, ValueError):
        return _html_to_text_bs4(html)
    if root is None:
        return ""
    etree.strip_elements(root, *_DROP, with_tail=False)
    for el in root.iter(*_BLOCK_TAGS):
        el.text = "\n" + (el.text or "")
        el.tail = "\n" + (el.tail or "")
    return normalise_space("".join(root.itertext()))


def _html_to_text_bs4(html: str) -> str:
    """The lenient fallback for fragments lxml refuses."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for bad in soup(list(_DROP)):
        bad.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return normalise_space(soup.get_text())


def normalise_space(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks as single blank-free newlines."""
    # = each line's runs of _WS made one space, the line stripped, empty lines dropped; done on
    # the whole text at once (a generator over lines cost 7 % of a first poll's parsing)
    return _LINE_EDGES.sub("\n", _WS.sub(" ", text.replace("\r\n", "\n"))).strip()


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset in the document

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_ABBREV = en.ABBREVIATIONS
# One character class first (then either more newlines, or the rest of a sentence end), so
# `re` can jump from candidate to candidate instead of trying two alternatives everywhere.
_BOUNDARY = re.compile(
    r"[.!?\n](?:(?<=\n)\n*|[.!?]*[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]*[A-Z0-9\u0400-\u04ff]))")


_WORD_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz."  # of a word before a full stop


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` with their offsets. Newlines always end a sentence (paragraphs);
    a full stop ends one unless it follows a known abbreviation or a single capital letter."""
    out: list[Sentence] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        end = m.end()
        if m.group(0)[0] == ".":
            # Only the word right before the full stop matters: look at a short window, not the
            # whole sentence so far (keeps splitting linear in the text length).
            # That word is the longest run of letters and full stops ending there, which
            # str.rstrip finds at C speed (no newline is in the window: each one ends a sentence).
            window = text[max(start, m.start() - 12):m.start()]
            word = window[len(window.rstrip(_WORD_CHARS)):]
            if word:
                w = word.lower().rstrip(".")
                if w in _ABBREV or (len(w) == 1 and w.isalpha()):
                    continue
        _append(out, text, start, end)
        start = end
    _append(out, text, start, len(text))
    return out


def _append(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        lead = len(chunk) - len(chunk.lstrip())
        out.append(Sentence(stripped, start + lead))


# ---------------------------------------------------------------- datelines

@dataclass(frozen=True, slots=True)
class Dateline:
    """A wire dateline at the start of a paragraph: its span and the date it states, if any."""

    start: int
    end: int  # where the story text starts (after the closing dash and spaces)
    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def date(self) -> dt.date | None:
        """The full date when the dateline gives day, month and year."""
        if self.year and self.month and self.day:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


_MONTH = "(?:" + "|".join(en.MONTH_WORDS) + r")(?![a-z])\.?"  # "September", "Sept.", "Dec."


@lru_cache(maxsize=1)
def _dateline_re() -> re.Pattern[str]:
    """Compiled on first use: importing the text layer stays cheap."""
    month = _MONTH
    day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
    year = r"(?:19|20)\d\d"
    weekday = "(?:" + "|".join(en.WEEKDAYS) + r"),?\s+"
    date = (rf"(?:{weekday})?(?:(?P<m1>{month})\s+(?P<d1>{day})\.?(?:,?\s+(?P<y1>{year}))?"
            rf"|(?P<d2>{day})\.?\s+(?P<m2>{month})(?:,?\s+(?P<y2>{year}))?)")
    caps_word = r"[A-Z][A-Z'’.\-]*[A-Z]\.?"
    caps_place = rf"{caps_word}(?:\s+(?:and\s+)?{caps_word})*"
    title_place = r"[A-Z][a-z'’\-]+(?:[\s\-][A-Z][a-z'’\-]+){0,2}"
    region = rf"(?:,\s*(?!{month}\s)[A-Z][A-Za-z.'’\-]+(?:\s[A-Z][A-Za-z.'’\-]+)?){{0,2}}"
    wire = r"(?:\((?P<pw>[A-Za-z][\w .&'’\-]{0,40})\)|/(?P<sw>[A-Za-z][\w .&'’\-]{0,40})/)"
    dash = "(?:" + "|".join(re.escape(d) for d in en.DATELINE_DASHES) + ")"
    return re.compile(
        rf"[ \t]*(?:(?P<caps>{caps_place})|(?P<title>{title_place})){region}"
        rf"(?:[.,]?\s*(?P<date>{date}))?[.,]?"
        rf"(?:\s*(?:--)?\s*{wire}|[.,]?\s+(?P<agency>{caps_word}))?"
        rf"(?:(?<=/)(?P<slash_stop>\.)|\s*(?P<dash>{dash}))(?=\s|[A-Z])[ \t]*(?=[\"\u201c'\u2018(]?[A-Z0-9])")


@lru_cache(maxsize=1)
def _date_after_wire_re() -> re.Pattern[str]:
    """Business Wire's date after its name: "AKTAU, Kazakhstan--(BUSINESS WIRE)--Dec. 1, 2025--"."""
    month = _MONTH
    dash = "(?:" + "|".join(re.escape(d) for d in en.DATELINE_DASHES) + ")"
    return re.compile(rf"(?P<m>{month})\s+(?P<d>(?:[12]\d|3[01]|0?[1-9]))(?:st|nd|rd|th)?\.?,?\s+(?P<y>(?:19|20)\d\d)"
                      rf"\s*{dash}[ \t]*")


def dateline_at(text: str, pos: int = 0) -> Dateline | None:
    """The dateline opening the paragraph at `pos`, or None.

    A place in capitals ("ASTANA", "NUR-SULTAN", "NEW YORK and ASTANA") counts when a dash
    closes it, or a wire in slashes ("/TASS/."); a place in ordinary case ("Astana") only
    with a date or a wire in brackets, and a dash. A capitalised word and a bracket without
    a dash ("KTZ (Kazakhstan Temir Zholy) said") is a sentence, not a dateline.
    """
    m = _dateline_re().match(text, pos)
    if not m:
        return None
    wire = m.group("pw") or m.group("sw")
    if m.group("caps"):
        letters = [c for c in m.group("caps") if c.isalpha()]
        if len(letters) < 3 and not (m.group("date") or wire):
            return None
    elif not (m.group("date") or m.group("pw")):
        return None
    if m.group("agency") and not m.group("caps"):
        return None
    end = m.end()
    year = m.group("y1") or m.group("y2")
    month_word = m.group("m1") or m.group("m2")
    day_word = m.group("d1") or m.group("d2")
    if wire and not m.group("date") and (after := _date_after_wire_re().match(text, end)):
        end, year, month_word, day_word = after.end(), after.group("y"), after.group("m"), after.group("d")
    if end >= len(text) or text[end] == "\n":
        return None  # a heading line of its own ("ASTANA –" with nothing after) is not a dateline
    month = en.MONTHS.get(month_word.lower().rstrip(".")) if month_word else None
    day = int(re.match(r"\d+", day_word).group(0)) if day_word else None  # type: ignore[union-attr]
    return Dateline(m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t")), end,
                    int(year) if year else None, month, day)


@remember_last
def datelines(text: str) -> list[Dateline]:
    """Datelines at the start of any paragraph (syndicated copies and a kicker line before
    the dateline put them below the first line). The last text's answer is kept: topics,
    figures and milestones all ask about the same release in turn."""
    return list(_iter_datelines(text))


def _iter_datelines(text: str) -> Iterator[Dateline]:
    pos = 0
    while pos < len(text):
        d = dateline_at(text, pos)
        if d:
            yield d
        nl = text.find("\n", pos)
        if nl < 0:
            break
        pos = nl + 1


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every dateline: the characters no figure, subject or milestone comes from."""
    return [(d.start, d.end) for d in datelines(text)] if text else []


def story_sentences(text: str) -> list[Sentence]:
    """Sentences of `text` without their datelines: a sentence that opens with one starts
    after it ("ASTANA, Jan. 20, 2025 -- Trade rose." -> "Trade rose."), one that is only a
    dateline is dropped."""
    spans = dateline_spans(text)
    sentences = split_sentences(text)
    if not spans:
        return sentences
    out = []
    for s in sentences:
        kept: Sentence | None = s
        for a, b in spans:
            if a <= s.start < b:
                if s.end <= b:
                    kept = None
                else:
                    cut = text[b:s.end]
                    lead = len(cut) - len(cut.lstrip())
                    kept = Sentence(cut.strip(), b + lead)
                break
        if kept is not None and kept.text:
            out.append(kept)
    return out


def strip_dateline(text: str) -> str:
    """The text without the dateline that opens it (the story starts at the first word after it)."""
    lead = len(text) - len(text.lstrip())
    d = dateline_at(text, lead)
    return text[d.end:] if d else text


HEADLINE_MAX = 300  # characters: longer first lines are lead paragraphs (wire headlines stay under 200)


def headline_end(text: str) -> int:
    """Where the body starts when `text` opens with a headline line (an article saved as
    "headline, blank line, body", or a page's title above its text), else 0. The first line is
    a headline only when it reads as one: short, without a dateline at its start or a full stop
    at its end, which a lead paragraph has ("KHORGOS, July 14, 2025 -- The port handled ..."),
    and followed by a blank line or a new line that starts like a sentence (a hard-wrapped
    paragraph goes on in lower case)."""
    first, sep, rest = text.partition("\n")
    line, following = first.strip(), rest.lstrip(" \t")
    if not sep or not line or not rest.strip() or len(line) > HEADLINE_MAX:
        return 0
    if line.endswith(".") or dateline_at(line):
        return 0
    if not following.startswith("\n") and not following[:1].isupper() and not following[:1].isdigit():
        return 0
    return len(first) + 1


def dateline_date(text: str) -> Dateline | None:
    """The first dateline of a text that states a year: the publication date when no other
    source gives one ("ASTANA, Jan. 20, 2025 --")."""
    head = text[:4000]
    # A longer text is read lazily up to its first dated dateline: asking `datelines` for the
    # head would replace the whole text's answer in its one-slot memo.
    for d in (datelines(text) if head is text else _iter_datelines(head)):
        if d.year:
            return d
    return None


# ---------------------------------------------------------------- boilerplate

@lru_cache(maxsize=1)
def _boilerplate_re() -> re.Pattern[str]:
    return re.compile("^(?:" + "|".join(en.BOILERPLATE_HEADINGS) + ")", re.M)


def boilerplate_start(doc: str, body_start: int = 0) -> int:
    """Offset where the closing boilerplate begins ("About X", forward-looking statements,
    media contacts, "SOURCE ..."), or len(doc). Only looked for after the first third, so
    a release that opens with "About the project" keeps its body."""
    b = _boilerplate_re().search(doc, body_start + (len(doc) - body_start) // 3)
    return b.start() if b else len(doc)
