"""A topic as `config.toml` defines it: the Topic value and the parsing of its `[[topics]]`
table, with a ConfigError naming the key path for every mistake.

Apart from the matcher (monitor.analysis.topics, which holds the syntax of terms and the
scoring) so that loading the config, which every command does, does not load the matcher
and its text analysis; the commands that match releases import it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.config_schema import check_keys
from monitor.domain import MeasureDef
from monitor.errors import ConfigError

# bump when scoring (monitor.analysis.topics) changes, so stored matches are re-evaluated
SCORING_VERSION = "1"
DEFAULT_MIN_SCORE = 0.5

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEYS = {"id", "title", "all", "any", "ignore", "none", "min_score", "parties", "measures"}
_MEASURE_KEYS = ("id", "label", "key", "words", "between", "from", "to", "places", "unit")
_UNIT_FAMILIES = ("money", "mass", "count", "containers", "volume", "energy", "power", "length", "area", "time",
                  "percent", "ratio", "speed", "freight-turnover", "passenger-turnover")


@dataclass(frozen=True)
class Topic:
    """One configured topic. `groups` are the sides that must all be present."""

    id: str
    title: str
    groups: tuple[tuple[str, ...], ...]
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_score: float = DEFAULT_MIN_SCORE
    parties: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (code, words) of the measures' parties
    measures: tuple[MeasureDef, ...] = ()  # the topic's measure vocabulary

    @property
    def labels(self) -> tuple[str, ...]:
        """How reasons name each side: its first term."""
        return tuple(g[0].rstrip("*") for g in self.groups)

    @property
    def checksum(self) -> str:
        """Changes when the definition or the scoring changes: stored matches are then stale."""
        text = repr((SCORING_VERSION, self.groups, self.ignore, self.exclude, self.min_score))
        return hashlib.sha1(text.encode()).hexdigest()[:16]


# ---------------------------------------------------------------- parsing configuration

def parse_topics(raw: Any, where: str = "topics") -> tuple[Topic, ...]:
    """Validate the `[[topics]]` array: each table, and that ids are unique."""
    if not isinstance(raw, list):
        raise ConfigError(where, "must be a list of [[topics]] tables")
    topics = tuple(parse_topic(t, f"{where}[{i}]") for i, t in enumerate(raw))
    seen: dict[str, int] = {}
    for i, t in enumerate(topics):
        if t.id in seen:
            raise ConfigError(f"{where}[{i}].id", f"duplicate topic id {t.id!r} (also {where}[{seen[t.id]}])")
        seen[t.id] = i
    return topics


def parse_topic(raw: Mapping[str, Any], where: str) -> Topic:
    """One `[[topics]]` table -> Topic, or ConfigError naming the key path and the problem."""
    if not isinstance(raw, Mapping):
        raise ConfigError(where, "must be a table with id, title and all")
    check_keys(raw, where, sorted(_KEYS))  # an unknown key, with "did you mean" for a near miss
    topic_id = _required_str(raw, "id", where)
    if not _ID.match(topic_id):
        raise ConfigError(f"{where}.id",
                          f"{topic_id!r} must be lowercase letters, digits and dashes, e.g. 'china-kazakhstan'")
    title = _required_str(raw, "title", where)
    groups = _groups(raw, where)
    ignore = _terms(raw.get("ignore", []), f"{where}.ignore", allow_empty=True)
    exclude = _terms(raw.get("none", []), f"{where}.none", allow_empty=True)
    min_score = raw.get("min_score", DEFAULT_MIN_SCORE)
    if isinstance(min_score, bool) or not isinstance(min_score, (int, float)) or not 0 <= min_score <= 1:
        raise ConfigError(f"{where}.min_score", f"must be a number from 0 to 1, got {min_score!r}")
    parties = _parties(raw.get("parties", {}), f"{where}.parties")
    measures = _measures(raw.get("measures", []), f"{where}.measures", {code for code, _ in parties})
    return Topic(topic_id, title, groups, ignore, exclude, float(min_score), parties, measures)


def _parties(raw: Any, where: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw, Mapping):
        raise ConfigError(where, 'must be a table of codes and words, e.g. [topics.parties] cn = ["China", "Chinese"]')
    out = []
    for code, words in raw.items():
        if not _ID.match(str(code)):
            raise ConfigError(f"{where}.{code}", "a party code is lowercase letters, digits and dashes, e.g. 'kz'")
        out.append((str(code), _terms(words, f"{where}.{code}")))
    return tuple(out)


def _measures(raw: Any, where: str, parties: set[str]) -> tuple[MeasureDef, ...]:
    if not isinstance(raw, list):
        raise ConfigError(where, "must be an array of tables: one [[topics.measures]] block per measure")
    out: list[MeasureDef] = []
    seen: set[str] = set()
    for i, m in enumerate(raw):
        at = f"{where}[{i}]"
        if not isinstance(m, Mapping):
            raise ConfigError(at, "must be a table with id, label and words")
        check_keys(m, at, list(_MEASURE_KEYS))
        mid = _required_str(m, "id", at)
        if not re.fullmatch(r"[a-z0-9]+(?:[-/][a-z0-9]+)*", mid):
            raise ConfigError(f"{at}.id", f"{mid!r}: use lowercase letters, digits, '-' and '/', e.g. 'trade/cn-kz'")
        if mid in seen:
            raise ConfigError(f"{at}.id", f"duplicate measure id {mid!r}")
        seen.add(mid)
        label = _required_str(m, "label", at)
        key = m.get("key", False)
        if not isinstance(key, bool):
            raise ConfigError(f"{at}.key", f"must be true or false, got {key!r}")
        words = _terms(m.get("words", []), f"{at}.words")
        between = _terms(m.get("between", []), f"{at}.between", allow_empty=True)
        source, dest = m.get("from"), m.get("to")
        for name, code in (("between", None), ("from", source), ("to", dest)):
            for c in (between if name == "between" else ([code] if code is not None else [])):
                if c not in parties:
                    known = ", ".join(sorted(parties)) or "none: add a [topics.parties] table"
                    raise ConfigError(f"{at}.{name}", f"{c!r} is not a party of this topic (parties: {known})")
        if (source is None) != (dest is None):
            raise ConfigError(f"{at}.{'to' if dest is None else 'from'}", "a flow needs both from and to")
        if between and source:
            raise ConfigError(f"{at}.between", "give either between (both ways) or from and to (a flow), not both")
        unit = m.get("unit")
        if unit is not None and unit not in _UNIT_FAMILIES:
            raise ConfigError(f"{at}.unit", f"{unit!r} is not a unit family; use one of {', '.join(_UNIT_FAMILIES)}")
        places = _terms(m.get("places", []), f"{at}.places", allow_empty=True)
        out.append(MeasureDef(mid, label, key, words, between, source, dest, places, unit))
    return tuple(out)


def _required_str(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if value is None:
        raise ConfigError(f"{where}.{key}", "is missing")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}.{key}", "must be a non-empty text")
    return value.strip()


def _groups(raw: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], ...]:
    groups: list[tuple[str, ...]] = []
    if "all" in raw:
        value = raw["all"]
        if not isinstance(value, list) or not value:
            raise ConfigError(f"{where}.all", "must be a list of lines, each a list of words, "
                                              'e.g. [["China", "Chinese"], ["Kazakhstan"]]')
        if all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}.all",
                              "each line must be a list of words in [...]; for one side write any = [...]")
        groups += [_terms(g, f"{where}.all[{i}]") for i, g in enumerate(value)]
    if "any" in raw:
        groups.append(_terms(raw["any"], f"{where}.any"))
    if not groups:
        raise ConfigError(f"{where}.all", "is missing: say which words a release must contain")
    return tuple(groups)


def _terms(value: Any, where: str, allow_empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ConfigError(where, "must be a list of words or phrases in [...]")
    if not value and not allow_empty:
        raise ConfigError(where, "is empty: give at least one word or phrase")
    out: list[str] = []
    for i, term in enumerate(value):
        problem = _term_problem(term)
        if problem:
            raise ConfigError(f"{where}[{i}]", problem)
        out.append(" ".join(term.split()))
    return tuple(out)


def _term_problem(term: Any) -> str | None:
    if not isinstance(term, str):
        return f"must be a word or phrase in quotes, got {term!r}"
    t = term.strip()
    if not t:
        return "is empty"
    if "*" in t[:-1]:
        return f"{term!r}: '*' may only end a word (as in 'Kazakh*')"
    core = t.rstrip("*")
    if sum(ch.isalnum() for ch in core) < 2:
        return f"{term!r} is too short: use at least two letters or digits"
    return None


