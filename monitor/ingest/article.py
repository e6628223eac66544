"""The article body of a release page, with lxml, in time linear in the page.

Press-release pages wrap the release in navigation, share buttons and related links; the
body is the element that holds the most paragraph text, preferring the places publishers
mark (<article>, itemprop=articleBody, common release-body classes). Each paragraph's text
is measured once and added to its ancestors, so a page of ten thousand paragraphs costs ten
thousand measurements (scoring every candidate by walking its paragraphs again was
quadratic: 109 KiB of paragraphs took 5 s).
"""

from __future__ import annotations

import re
from typing import Any

from monitor.analysis.text import normalise_space

_PREFERRED_CLASS = re.compile(
    r"(release-body|article-body|articleBody|entry-content|post-content|story-body|news-body)", re.I)
_NOISE = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button")
_TEXT_TAGS = ("p", "li", "h2", "h3")


def article_text(html: str | bytes) -> str:
    """Plain text of the main article of an HTML page ("" when none is found)."""
    import lxml.html
    from lxml import etree

    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    etree.strip_elements(doc, *_NOISE, with_tail=False)
    paragraph_chars: dict[Any, int] = {}  # element -> length of the paragraph text inside it
    for p in doc.iter("p"):
        n = len(_text(p))
        for ancestor in p.iterancestors():
            paragraph_chars[ancestor] = paragraph_chars.get(ancestor, 0) + n
    candidates = [el for el in doc.iter() if _preferred(el)]
    if not candidates:
        candidates = list(dict.fromkeys(p.getparent() for p in doc.iter("p") if p.getparent() is not None))
    best, best_len = None, 0
    for c in candidates:
        n = paragraph_chars.get(c) or len(_text(c))
        if n > best_len:
            best, best_len = c, n
    if best is None:
        return ""
    parts = [_text(el) for el in best.iter(*_TEXT_TAGS)]
    text = "\n".join(p for p in parts if p) or "\n".join(s.strip() for s in best.itertext() if s.strip())
    return normalise_space(text)


def _preferred(el: Any) -> bool:
    if not isinstance(el.tag, str):
        return False  # comments and processing instructions
    return (el.tag == "article" or el.get("itemprop") == "articleBody"
            or bool(_PREFERRED_CLASS.search(el.get("class") or "")))


def _text(el: Any) -> str:
    """The element's text with its pieces stripped and joined by spaces (as bs4's get_text(" ", strip=True))."""
    return " ".join(s.strip() for s in el.itertext() if s.strip())
