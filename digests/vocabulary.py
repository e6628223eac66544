"""What a figure measures, in the words of the topic's measure vocabulary.

A topic may ship a vocabulary (config.toml: each measure's id, label and whether it is a key
measure). A figure whose measure is in it gets the measure's label and its rank: key measures
lead the Highlights and the figures table, other vocabulary measures follow, figures outside
the vocabulary come after, and figures without a subject or a period (journey times, counts
of delegates) are minor, grouped below the table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

KEY, VOCABULARY, DATED, MINOR = 0, 1, 2, 3


class Vocabulary:
    """Measure id → (label, key) for one topic; an empty vocabulary knows no measure."""

    def __init__(self, measures: Iterable[Any] = ()) -> None:
        self._defs = {str(m.id): (str(getattr(m, "label", "") or m.id), bool(getattr(m, "key", False)))
                      for m in measures}

    def __bool__(self) -> bool:
        return bool(self._defs)

    def describe(self, measure: str | None, subject: str | None, dated: bool) -> tuple[str, int]:
        """(label, rank) of a figure with this measure and subject, stated for a period or not.

        A measure derived from a vocabulary one ("trade/cn-kz/growth" from "trade/cn-kz") is
        labelled from it ("two-way trade, growth") and ranks with it."""
        if measure:
            found = self._defs.get(measure)
            suffix = ""
            if found is None:
                base, _, tail = measure.rpartition("/")
                while base and base not in self._defs:
                    base, _, more = base.rpartition("/")
                    tail = f"{more}/{tail}"
                if base:
                    found, suffix = self._defs[base], ", " + tail.replace("/", " ").replace("-", " ")
            if found is not None:
                label, key = found
                return label + suffix, KEY if key else VOCABULARY
        label = " ".join((subject or "").split())
        return label, DATED if label and dated else MINOR
