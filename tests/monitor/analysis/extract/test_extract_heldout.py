"""The held-out check: what figures mean on 44 short articles written for prwatch and labelled
before the rules were tuned (heldout/articles.json). Floors a little under the measured
values, so a rule that breaks a class of sentences fails here."""

from __future__ import annotations

import pytest

from tests.monitor.analysis.extract.heldout.meaning_check import score


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    return score()


def test_subjects_are_usable(scores: dict[str, float]) -> None:
    assert scores["subject usable"] >= 0.90


def test_periods_are_right_and_not_invented(scores: dict[str, float]) -> None:
    assert scores["period right"] >= 0.90
    assert scores["period invented"] <= 0.10


def test_the_same_measure_gets_one_key(scores: dict[str, float]) -> None:
    assert scores["measure pairs F1"] >= 0.85
    assert scores["statement pairs F1"] >= 0.75


def test_milestone_events_are_usable(scores: dict[str, float]) -> None:
    assert scores["event usable"] >= 0.80


def test_the_second_batch_written_after_tuning() -> None:
    later = score(name="articles_later.json")
    assert later["subject usable"] >= 0.85
    assert later["period right"] >= 0.85
    assert later["period invented"] <= 0.10
    assert later["event usable"] >= 0.50
