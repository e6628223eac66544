"""Regexes compiled on first use, so `import monitor.analysis.extract` stays cheap.

The extractor's patterns are large (unit and currency tables, number words); compiling them
all at import costs tens of milliseconds that CLI commands which never extract should not pay.
After the first use the compiled pattern's methods sit in the instance dict, so later calls
cost the same as calling the compiled pattern directly.
"""

from __future__ import annotations

import re
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class LazyPattern:
    """A stand-in for `re.compile(pattern, flags)` that compiles when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        # Only reached while the attribute is missing, i.e. before the first compile.
        compiled = re.compile(self._pattern, self._flags)
        for method in _METHODS:
            self.__dict__[method] = getattr(compiled, method)
        self.__dict__["pattern"] = compiled.pattern
        self.__dict__["flags"] = compiled.flags
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
