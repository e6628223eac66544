"""The checks every config value goes through: its type, its range, and no unknown keys.

Written by hand rather than with pydantic: every command loads the config, and pydantic's
import and model building cost more start-up (about 0.15 s) than the whole check needs, for
messages we would rewrite anyway. Each check names the dotted key (`poll.interval_minutes`,
`feeds[2].url`) so `ConfigError` reads as one line a user can act on.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Mapping
from typing import Any

from monitor.errors import ConfigError

_MISSING: Any = object()


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `periods`?)' for a near miss, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def check_keys(table: Mapping[str, Any], where: str, allowed: Iterable[str], what: str = "key") -> None:
    """Refuse a key the schema does not know, with the nearest known one when there is one."""
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            at = f"{where}.{key}" if where else key
            hint = did_you_mean(key, allowed) or f" (expected one of: {', '.join(allowed)})"
            raise ConfigError(at, f"unknown {what}{hint}")


def table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, f"must be a table ([{key}]); got {_shown(value)}")
    return value


def text(t: Mapping[str, Any], where: str, key: str, default: str | None = _MISSING, *,
         max_length: int | None = None) -> str:
    """A non-empty string, stripped; `max_length` where storage or file names have a limit."""
    value = t.get(key, default)
    at = f"{where}.{key}"
    if value is _MISSING or value is None:
        raise ConfigError(at, "is required")
    if not isinstance(value, str):
        raise ConfigError(at, f"must be a text in quotes; got {_shown(value)}")
    value = value.strip()
    if not value:
        raise ConfigError(at, "must not be empty")
    if max_length is not None and len(value) > max_length:
        raise ConfigError(at, f"is {len(value)} characters long; at most {max_length} are allowed")
    return value


def flag(t: Mapping[str, Any], where: str, key: str, default: bool) -> bool:
    value = t.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(f"{where}.{key}", f"must be true or false; got {_shown(value)}")
    return value


def number(t: Mapping[str, Any], where: str, key: str, default: float, *, minimum: float, maximum: float,
           integer: bool = False) -> float:
    """A finite number within [minimum, maximum]: nan, inf and 1e300 never reach the code."""
    value = t.get(key, default)
    at = f"{where}.{key}"
    kind = "a whole number" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(at, f"must be {kind}; got {_shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(at, f"must be a finite number from {_n(minimum)} to {_n(maximum)}; got {value}")
    if integer and int(value) != value:
        raise ConfigError(at, f"must be a whole number; got {value!r}")
    if value < minimum:
        raise ConfigError(at, f"must be at least {_n(minimum)}; got {_n(value)}")
    if value > maximum:
        raise ConfigError(at, f"must be at most {_n(maximum)}; got {_n(value)}")
    return float(value)


def choice(t: Mapping[str, Any], where: str, key: str, default: str, choices: tuple[str, ...]) -> str:
    value = text(t, where, key, default).lower()
    if value not in choices:
        raise ConfigError(f"{where}.{key}", f"must be one of {', '.join(choices)}; got {value!r}"
                                            f"{did_you_mean(value, choices)}")
    return value


def choices(t: Mapping[str, Any], where: str, key: str, default: list[str],
            allowed: tuple[str, ...]) -> tuple[str, ...]:
    """A non-empty list of distinct words from `allowed`."""
    value = t.get(key, default)
    at = f"{where}.{key}"
    if isinstance(value, str):
        raise ConfigError(at, f"must be a list in [...], e.g. {key} = [{value!r}]".replace("'", '"'))
    if not isinstance(value, list) or not value:
        raise ConfigError(at, f"must be a non-empty list of {', '.join(allowed)}; got {_shown(value)}")
    for item in value:
        if item not in allowed:
            hint = did_you_mean(item, allowed) if isinstance(item, str) else ""
            raise ConfigError(at, f"must be a non-empty list of {', '.join(allowed)}; got {_shown(item)}{hint}")
    if len(set(value)) != len(value):
        raise ConfigError(at, f"lists a period twice: {value!r}")
    return tuple(value)


def words(t: Mapping[str, Any], where: str, key: str, *, max_length: int) -> tuple[str, ...]:
    """An optional list of short texts (tags): each non-empty, without commas, distinct."""
    value = t.get(key, [])
    at = f"{where}.{key}"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(at, f'must be a list of texts, e.g. {key} = ["wires", "asia"]; got {_shown(value)}')
    out: list[str] = []
    for v in (" ".join(v.split()) for v in value):
        if not v or "," in v or len(v) > max_length:
            raise ConfigError(at, f"each must be 1 to {max_length} characters without a comma; got {v!r}")
        if v not in out:
            out.append(v)
    return tuple(out)


def _n(x: float) -> str:
    return f"{x:g}"


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."
