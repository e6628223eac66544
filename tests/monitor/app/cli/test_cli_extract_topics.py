"""`prwatch extract` shows every topic's score against its threshold, with the reasons, also
for topics that did not match, and says which came close (a near miss)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import TOPIC_TOML

from monitor.config import Settings

TEXT = "Gas exports\n\nKazakhstan shipped more gas abroad this year. Buyers in China took most of it.\n"


def test_unmatched_topics_show_score_threshold_and_reasons(prwatch: Callable[..., Any], tmp_path: Path,
                                                          write_config: Callable[..., Settings]) -> None:
    close = TOPIC_TOML.replace('id = "china-kazakhstan"', 'id = "close-call"', 1) \
        .replace("min_score = 0.5", "min_score = 0.45", 1)
    topics = "[[topics]]" + close.split("[[topics]]")[1] + "[[topics]]" + TOPIC_TOML.split("[[topics]]")[1]
    settings = write_config([], topics=topics)
    (tmp_path / "gas.txt").write_text(TEXT, encoding="utf-8")
    r = prwatch("--config", str(settings.path), "extract", "gas.txt")
    assert r.exit_code == 0, r.output
    out = " ".join(r.stdout.split())
    assert "close-call: score 0.39 / threshold 0.45, near miss (within 0.1 of the threshold) — China: lead" in out
    assert "china-kazakhstan: score 0.39 / threshold 0.50, no match — China: lead" in out


def test_a_file_without_a_headline_loses_no_figure(prwatch: Callable[..., Any], tmp_path: Path,
                                                  write_config: Callable[..., Settings]) -> None:
    """A file that opens with its lead paragraph (a dateline, a full sentence) has no headline
    to skip: the lead's figures are extracted like the rest."""
    settings = write_config([])
    (tmp_path / "lead.txt").write_text(
        "ALMATY, May 2, 2024 -- The terminal handled 480,000 TEU in 2023, up 18 percent.\n\n"
        "More than 6,500 China-Europe container trains crossed the border.\n", encoding="utf-8")
    r = prwatch("--config", str(settings.path), "extract", "--json", "lead.txt")
    assert r.exit_code == 0, r.output
    texts = [f["text"] for f in json.loads(r.stdout)["figures"]]
    assert texts == ["480,000 TEU", "18 percent", "6,500 China-Europe container trains"]
