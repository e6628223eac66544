"""Figures and milestones from press-release text: pure functions over strings.

`extract_figures` and `extract_milestones` take plain text (and the publication date, used
to resolve "last year") and return frozen `Figure` / `Milestone` values; `figure_key` says
which measure a figure states, so a digest can tell new figures from changed ones.
"""

from __future__ import annotations

from monitor.analysis.extract.figures import extract_figures
from monitor.analysis.extract.keys import figure_key
from monitor.analysis.extract.milestones import extract_milestones

__all__ = ["extract_figures", "extract_milestones", "figure_key"]
