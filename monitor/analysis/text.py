"""Text helpers shared by parsing, topic matching and extraction.

HTML from feeds becomes plain text here (lxml), and plain text is cut
into sentences with their offsets, so every figure or milestone can quote the sentence it
came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2009\u202f]+")
_TAGISH = re.compile(r"<[a-zA-Z!/]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
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
        root = etree.fromstring("<html><body><div>" + _CONTROL.sub(" ", html) + "</div></body></html>", _html_parser)
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
