"""A search query as people type it, read into a SearchExpr the store can run.

The syntax is the one search boxes taught everybody, and it means the same on SQLite and
PostgreSQL because neither backend ever sees the text as syntax (each word reaches it as a
bound value):

    wheat exports          both words (AND is implied; `AND` may be written)
    "wheat exports"        the phrase: these words, in this order
    wheat OR grain         either; AND binds tighter: `a b OR c` is `(a AND b) OR c`
    (wheat OR grain) china parentheses group
    wheat -russia          not that word (also `NOT russia`, `-"grain deal"`, `-(a OR b)`)

Only upper-case AND, OR and NOT are operators; lower-case ones are words. Anything else is
read literally: FTS syntax characters (`*`, `^`, `:`, `NEAR(`, `{col}`) are punctuation, and
the tokeniser drops them. A query is refused with a one-line QueryError when it cannot be
read at all (no words, only exclusions, too long); small slips are read the forgiving way
and reported as notes (an unclosed quote is a phrase to the end of the query).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from monitor.domain import AllOf, AnyOf, SearchExpr, Words
from monitor.errors import PrwatchError

MAX_CHARS = 1000
MAX_WORDS = 32
MAX_DEPTH = 8  # nested parentheses


class QueryError(PrwatchError):
    """A query that cannot be searched; the message says what to change."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    expr: SearchExpr
    notes: tuple[str, ...] = ()  # how a slip in the query was read


# a token: a quoted phrase (closed or not), a parenthesis, or a run of other characters
_TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)(?P<closed>")?|(?P<open>\()|(?P<close>\))|(?P<word>[^\s"()]+))')
_WORDISH = re.compile(r"\w")
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(slots=True)
class _Token:
    kind: str  # "words", "phrase", "(", ")", "AND", "OR", "NOT"
    text: str = ""
    negated: bool = False


def parse_query(text: str) -> ParsedQuery:
    """Read a query; QueryError when nothing searchable is left."""
    notes: list[str] = []
    tokens = _tokens(_clean(text), notes)
    parser = _Parser(tokens, notes)
    expr = parser.parse()
    if expr is None:
        raise QueryError("nothing to search for: the query has no words (punctuation and operators alone "
                         "match nothing); type the words you are looking for")
    if parser.words > MAX_WORDS:
        raise QueryError(f"the query has {parser.words} words; at most {MAX_WORDS} are searched together "
                         "(keep the words that matter)")
    return ParsedQuery(expr, tuple(dict.fromkeys(notes)))


def _clean(text: str) -> str:
    if len(text) > MAX_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; at most {MAX_CHARS:,} are accepted "
                         "(search for the few words that matter)")
    if any("\ud800" <= c <= "\udfff" for c in text):
        raise QueryError("the query is not valid UTF-8 text; type it again in a UTF-8 terminal")
    # control and formatting characters (NUL, escapes, bidi overrides) separate words
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text)
    # typographic quotes are quotes
    return text.translate({0x201C: '"', 0x201D: '"', 0x201E: '"', 0x00AB: '"', 0x00BB: '"'})


def _tokens(text: str, notes: list[str]) -> list[_Token]:
    out: list[_Token] = []
    for m in _TOKEN.finditer(text):
        neg = m.group("neg") is not None
        if m.group("phrase") is not None:
            if m.group("closed") is None:
                notes.append("the last quote is not closed: read as a phrase to the end of the query")
            words = m.group("phrase").strip()
            if _WORDISH.search(words):
                out.append(_Token("phrase" if len(words.split()) > 1 else "words", words, neg))
            elif words or m.group("closed") is None:
                notes.append(f'ignored "{words}": it has no words')
        elif m.group("open"):
            out.append(_Token("(", negated=neg))
        elif m.group("close"):
            out.append(_Token(")"))
        else:
            word = m.group("word")
            if word in _OPERATORS and not neg:
                out.append(_Token(word))
            elif _WORDISH.search(word):
                out.append(_Token("words", word, neg))
            elif word.strip("-"):
                notes.append(f"ignored {word!r}: it has no letters or digits")
    return _balanced(out, notes)


def _balanced(tokens: list[_Token], notes: list[str]) -> list[_Token]:
    """Without the closing parentheses that close nothing (an unclosed one closes at the end)."""
    out, depth = [], 0
    for tok in tokens:
        if tok.kind == ")":
            if depth == 0:
                notes.append("ignored a closing parenthesis that has no opening one")
                continue
            depth -= 1
        elif tok.kind == "(":
            depth += 1
        out.append(tok)
    return out


class _Parser:
    """Recursive descent over the tokens: or := and (OR and)*; and := unary+; unary := [-|NOT] atom."""

    def __init__(self, tokens: list[_Token], notes: list[str]) -> None:
        self.tokens, self.notes, self.i, self.depth, self.words = tokens, notes, 0, 0, 0

    def parse(self) -> SearchExpr | None:
        return self._or()

    def _peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _or(self) -> SearchExpr | None:
        alternatives = []
        while True:
            part = self._and()
            if part is not None:
                alternatives.append(part)
            tok = self._peek()
            if tok is not None and tok.kind == "OR":
                self.i += 1
                if part is None or self._peek() is None or self._peek().kind in (")", "OR"):  # type: ignore[union-attr]
                    self.notes.append("ignored an OR with nothing on one side")
                continue
            break
        if not alternatives:
            return None
        return alternatives[0] if len(alternatives) == 1 else AnyOf(tuple(alternatives))

    def _and(self) -> SearchExpr | None:
        parts: list[SearchExpr] = []
        excluded: list[SearchExpr] = []
        negate_next = False
        while (tok := self._peek()) is not None and tok.kind not in (")", "OR"):
            self.i += 1
            if tok.kind == "AND":
                continue
            if tok.kind == "NOT":
                negate_next = True
                continue
            atom = self._group() if tok.kind == "(" else self._words(tok)
            if atom is None:
                negate_next = False
                continue
            (excluded if tok.negated or negate_next else parts).append(atom)
            negate_next = False
        if negate_next:
            self.notes.append("ignored a NOT with nothing after it")
        if not parts:
            if excluded:
                raise QueryError("the query only excludes (-word, NOT word); say what to look for too, "
                                 "e.g. `wheat -russia`")
            return None
        if len(parts) == 1 and not excluded:
            return parts[0]
        return AllOf(tuple(parts), tuple(excluded))

    def _group(self) -> SearchExpr | None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"the query nests parentheses more than {MAX_DEPTH} deep; write it flatter")
        inner = self._or()
        self.depth -= 1
        if self._peek() is None:
            self.notes.append("a parenthesis is not closed: closed at the end of the query")
        else:
            self.i += 1  # the ")"
        if inner is None:
            self.notes.append("ignored empty parentheses")
        return inner

    def _words(self, tok: _Token) -> Words:
        self.words += len(tok.text.split())
        return Words(tok.text, phrase=tok.kind == "phrase")


def describe(expr: SearchExpr) -> str:
    """The query as prwatch read it, in its own syntax (shown with --json and -v)."""
    if isinstance(expr, Words):
        return f'"{expr.text}"' if expr.phrase else expr.text
    if isinstance(expr, AnyOf):
        return " OR ".join(_bracket(p, AnyOf) for p in expr.parts)
    parts = [_bracket(p, AnyOf) for p in expr.parts]
    return " ".join(parts + [f"-{_bracket(x, (AnyOf, AllOf))}" for x in expr.excluded])


def _bracket(e: SearchExpr, kinds: type | tuple[type, ...]) -> str:
    text = describe(e)
    return f"({text})" if isinstance(e, kinds) else text
