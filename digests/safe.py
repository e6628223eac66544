"""Untrusted text (titles, bodies, links from feeds) made inert before it reaches a digest.

Markdown readers differ (GitHub, Obsidian, feed readers), so escaping is broad: every
character that can open HTML, a link, an image, emphasis, a table cell, math (`$`), an
Obsidian comment (`%%`) or highlight (`==`), or a block at the start of a line is
backslash-escaped; control and bidi-override characters are dropped; links are emitted
only for http(s) URLs.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~$])|([=%])(?=[=%])")
_LINE_START = re.compile(r"^([-+])|^(\d+)([.)])")
# control, format and invisible characters: zero-width and joiners, bidi marks, overrides and
# isolates, word joiner and invisible operators, Mongolian vowel separator, soft hyphen, Arabic
# letter mark, byte-order mark, and the tag characters
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                      "\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]")
# what GitHub turns into links by itself: mailto:/xmpp: and e-mail addresses (the escaped
# character splits the text, so no autolink forms; http(s) links are allowed anyway)
_AUTOLINK = re.compile(r"(?i)\b(mailto|xmpp)(:)|(?<=[\w.+-])(@)(?=[\w-]+\.)")
_MERMAID_UNSAFE = re.compile(r"[^\w .,'’()%$+/–—…&-]", re.UNICODE)
_PERCENTS = re.compile(r"%{2,}")


def clean(text: str | None, limit: int | None = None) -> str:
    """One line of plain text: no control characters, white space folded, cut at `limit` (at a
    word boundary, with an ellipsis)."""
    if not text:
        return ""
    text = " ".join(_CONTROL.sub("", text).split())
    if limit and len(text) > limit:
        cut = text[: limit - 1]
        if " " in cut and not text[limit - 1].isspace():
            cut = cut.rsplit(" ", 1)[0] if cut.rfind(" ") > limit // 2 else cut
        text = cut.rstrip(" ,;:-–—") + "…"
    return text


def escape(text: str | None, limit: int | None = None) -> str:
    """Untrusted text made inert for Markdown and HTML, on one line, inside a line."""
    text = clean(text, limit).replace("&", "&amp;")
    text = _MD_SPECIAL.sub(lambda m: "\\" + (m.group(1) or m.group(2)), text)
    return _AUTOLINK.sub(lambda m: m.group(1) + "\\:" if m.group(1) else "\\@", text)


def escape_block(text: str | None, limit: int | None = None) -> str:
    """Like escape, for text that starts a line: it cannot open a list either."""
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3),
                           escape(text, limit))


def safe_url(url: str | None) -> str | None:
    """An http(s) URL safe inside a Markdown link destination, or None."""
    if not url:
        return None
    url = _CONTROL.sub("", url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe="/:?#&=%@+,;~!$'*").replace("(", "%28").replace(")", "%29")


def link(text: str, url: str | None) -> str:
    """`text` (already escaped) linked to `url` when it is a safe http(s) URL, else plain."""
    target = safe_url(url)
    return f"[{text}]({target})" if target else text


def mermaid_text(text: str | None, limit: int = 60) -> str:
    """Text for inside a Mermaid block: letters, digits and plain punctuation (dashes and the
    ellipsis kept) only, so it can neither end the block nor carry Mermaid syntax (`:`, `;`,
    `#`, quotes, a `%%` comment) or markup; cut at a word boundary with an ellipsis."""
    text = " ".join(_MERMAID_UNSAFE.sub(" ", clean(text, limit)).split())
    return _PERCENTS.sub("%", text).lstrip("%").lstrip()
