"""A wire dateline never reaches a figure's subject or period, or a milestone."""

from __future__ import annotations

import pytest

from monitor.analysis.extract import extract_figures, extract_milestones

DATELINES = [
    "ASTANA, Jan. 20, 2025 --",
    "BEIJING, July 4, 2024 /PRNewswire/ —",
    "TASHKENT (ENA) --",
    "KAZINFORM –",
    "Astana, 12 March 2025 (Kazinform) –",
    "ASTANA, July 3. /TASS/.",
    "ALMATY, Kazakhstan, March 3, 2025 /PRNewswire/ --",
]


@pytest.mark.parametrize("line", DATELINES)
def test_dateline_words_stay_out_of_the_subject(line: str) -> None:
    figs = extract_figures(f"{line} Kazakh exports reached $2 billion.")
    assert [f.text for f in figs] == ["$2 billion"]
    subject = figs[0].subject or ""
    for word in ("ASTANA", "BEIJING", "TASHKENT", "KAZINFORM", "Kazinform", "PRNewswire", "TASS", "ALMATY",
                 "2025", "2024", "--"):
        assert word not in subject
    assert figs[0].period is None
    assert figs[0].sentence == "Kazakh exports reached $2 billion."


@pytest.mark.parametrize("line", DATELINES)
def test_dateline_is_no_milestone(line: str) -> None:
    assert extract_milestones(f"{line} The ministry published its report.") == []
