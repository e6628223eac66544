"""Digest Markdown parsed with markdown-it-py (CommonMark + tables), for structural asserts."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MD = MarkdownIt("commonmark", {"html": True}).enable("table")  # html on: raw HTML would show as tokens


@dataclass(frozen=True)
class Parsed:
    tokens: list[Token]

    def walk(self) -> list[Token]:
        out: list[Token] = []
        for t in self.tokens:
            out.append(t)
            out += t.children or []
        return out

    def headings(self, level: int | None = None) -> list[str]:
        return [_text(self.tokens[i + 1]) for i, t in enumerate(self.tokens)
                if t.type == "heading_open" and (level is None or t.tag == f"h{level}")]

    def links(self) -> list[tuple[str, str]]:
        """(href, text) of every link."""
        out, walk = [], self.walk()
        for i, t in enumerate(walk):
            if t.type == "link_open":
                text = ""
                for u in walk[i + 1:]:
                    if u.type == "link_close":
                        break
                    text += u.content
                out.append((str(t.attrGet("href")), text))
        return out

    def tables(self) -> list[list[list[str]]]:
        """Each table as rows of cell texts, the header row first."""
        tables: list[list[list[str]]] = []
        row: list[str] | None = None
        for i, t in enumerate(self.tokens):
            if t.type == "table_open":
                tables.append([])
            elif t.type == "tr_open":
                row = []
            elif t.type in ("th_open", "td_open") and row is not None:
                row.append(_text(self.tokens[i + 1]))
            elif t.type == "tr_close" and row is not None:
                tables[-1].append(row)
        return tables

    def fences(self, info: str = "mermaid") -> list[str]:
        return [t.content for t in self.tokens if t.type == "fence" and t.info.strip() == info]

    def active_markup(self) -> list[str]:
        """Anything a reader would execute or follow off-site unsafely: raw HTML, script, bad links."""
        bad = [f"{t.type}: {t.content[:80]}" for t in self.walk() if t.type in ("html_block", "html_inline")]
        for href, _ in self.links():
            if not href.lower().startswith(("http://", "https://")) and ":" in href.split("/")[0]:
                bad.append(f"link: {href}")
        bad += [f"image: {t.attrGet('src')}" for t in self.walk() if t.type == "image"]
        return bad


def _text(inline: Token) -> str:
    """The text a reader sees in an inline token (markup removed)."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def parse(text: str) -> Parsed:
    return Parsed(_MD.parse(text))
