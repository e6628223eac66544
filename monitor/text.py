"""Text helpers shared by parsing, topic matching and extraction.

HTML from feeds becomes plain text here (beautifulsoup4 with lxml), and plain text is cut
into sentences with their offsets, so every figure or milestone can quote the sentence it
came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
_BLANKS = re.compile(r"\n\s*\n+")
_TAGISH = re.compile(r"<[a-zA-Z!/]")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
               "blockquote", "section", "article", "header", "footer", "pre")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment, one paragraph per line; scripts and styles dropped.

    Plain text passes through untouched (apart from whitespace), so callers need not know
    which one a feed sent.
    """
    if not html:
        return ""
    if not _TAGISH.search(html) and "&" not in html:
        return normalise_space(html)
    from bs4 import BeautifulSoup  # imported lazily: start-up time matters for one-off commands

    soup = BeautifulSoup(html, "lxml")
    for bad in soup(["script", "style", "noscript", "iframe", "object", "embed", "template", "svg", "math"]):
        bad.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    return normalise_space(soup.get_text())


def normalise_space(text: str) -> str:
    """Collapse runs of spaces, keep paragraph breaks as single blank-free newlines."""
    lines = (_WS.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset in the document

    @property
    def end(self) -> int:
        return self.start + len(self.text)


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "inc", "ltd", "co", "corp",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "e.g", "i.e", "approx", "est", "gov", "gen", "sen", "rep", "jr", "sr", "mt",
    "ft", "p.m", "a.m", "dept", "univ", "assn", "bros", "fig", "al",
}
# One character class first (then either more newlines, or the rest of a sentence end), so
# `re` can jump from candidate to candidate instead of trying two alternatives everywhere.
_BOUNDARY = re.compile(
    r"[.!?\n](?:(?<=\n)\n*|[.!?]*[\"'\u201d\u2019)\]]*(?=\s+[\"'\u201c\u2018(\[]*[A-Z0-9\u0400-\u04ff]))")


_LAST_WORD = re.compile(r"([A-Za-z.]+)$")


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
            word = _LAST_WORD.search(text, max(start, m.start() - 12), m.start())
            if word:
                w = word.group(1).lower().rstrip(".")
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
