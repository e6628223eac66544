"""The article body of a release page, with beautifulsoup4.

Press-release pages wrap the release in navigation, share buttons and related links; the
body is the element that holds the most paragraph text, preferring the places publishers
mark (<article>, itemprop=articleBody, common release-body classes).
"""

from __future__ import annotations

import re

from monitor.analysis.text import normalise_space

_PREFERRED = [
    {"itemprop": "articleBody"},
    {"class_": re.compile(r"(release-body|article-body|articleBody|entry-content|post-content|story-body|news-body)", re.I)},
]
_NOISE = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button"]


def article_text(html: str | bytes) -> str:
    """Plain text of the main article of an HTML page ("" when none is found)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(_NOISE):
        tag.decompose()
    candidates = []
    for attrs in _PREFERRED:
        candidates += soup.find_all(True, **attrs)
    candidates += soup.find_all("article")
    if not candidates:
        candidates = [p.parent for p in soup.find_all("p") if p.parent is not None]
    best, best_len = None, 0
    for c in candidates:
        n = sum(len(p.get_text(" ", strip=True)) for p in c.find_all("p")) or len(c.get_text(" ", strip=True))
        if n > best_len:
            best, best_len = c, n
    if best is None:
        return ""
    paragraphs = [p.get_text(" ", strip=True) for p in best.find_all(["p", "li", "h2", "h3"])]
    text = "\n".join(p for p in paragraphs if p) or best.get_text("\n", strip=True)
    return normalise_space(text)
