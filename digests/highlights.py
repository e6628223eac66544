"""The Highlights that open a digest: at most seven lines an analyst reads first.

Pure: chosen from the digest's figures table, milestones and stories. In order of what
matters: key measures that moved (a new period against the previous one, a source's own
revision), sources that disagree on a measure and period, new milestones, the biggest
stories. Each kind has a share of the seven lines; lines a kind does not use go to the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from digests.model import FigureLine, Highlight, MilestoneLine, Story
from digests.vocabulary import DATED, KEY

MAX_HIGHLIGHTS = 7
_SHARES = (("moved", 3), ("conflict", 2), ("milestone", 1), ("story", 1))


def pick_highlights(table: Sequence[FigureLine], milestones: Sequence[MilestoneLine],
                    stories: Sequence[Story]) -> list[Highlight]:
    candidates = {
        "moved": [Highlight("changed" if f.status == "changed" else "moved" if f.previous else "new", figure=f)
                  for f in _moved(table)],
        "conflict": [Highlight("conflict", figure=f) for f in table if f.status == "conflict" and f.rank <= DATED],
        "milestone": [Highlight("milestone", milestone=m) for m in _new_milestones(milestones)],
        "story": [Highlight("story", story=s) for s in _biggest(stories)],
    }
    taken = {kind: candidates[kind][:share] for kind, share in _SHARES}
    spare = MAX_HIGHLIGHTS - sum(map(len, taken.values()))
    for kind, share in _SHARES:  # lines a kind left unused go to the others, in order
        more = candidates[kind][share:share + spare]
        taken[kind] += more
        spare -= len(more)
    return [h for kind, _ in _SHARES for h in taken[kind]]


def _moved(table: Sequence[FigureLine]) -> list[FigureLine]:
    """Measures whose value moved: revised by their source, or a new period read against the
    previous one; key measures first, then the largest relative move. After them, the new
    values of key measures that have no earlier period to be read against."""
    moved = [f for f in table if f.rank <= DATED and (f.status == "changed" or (f.status == "new" and f.previous))]
    fresh = [f for f in table if f.rank == KEY and f.status == "new" and not f.previous and f.period]
    return sorted(moved, key=lambda f: (f.rank, -_relative_move(f))) + fresh


def _relative_move(f: FigureLine) -> float:
    c = f.comparison
    if c is None or not c.value or c.unit != f.unit:
        return 0.0
    return abs(f.value - c.value) / abs(c.value)


def _new_milestones(milestones: Sequence[MilestoneLine]) -> list[MilestoneLine]:
    """New milestones, announced ones (what is coming) before what happened, latest first."""
    fresh = [m for m in milestones if not m.known]
    return sorted(fresh, key=lambda m: (m.status != "announced", _neg(m.date)))


def _neg(date: str) -> tuple[int, ...]:
    return tuple(-int(p) for p in date.split("-") if p.isdigit())


def _biggest(stories: Sequence[Story]) -> list[Story]:
    """Stories carried by several wires or bringing several new figures, biggest first."""
    big = [s for s in stories if s.weight[0] >= 2 or s.weight[1] >= 2]
    return sorted(big, key=lambda s: s.weight, reverse=True)
