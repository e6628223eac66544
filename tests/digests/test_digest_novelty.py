"""The novelty rules' shared pieces: how a stored figure from before is read (digests and
alerts use the same function), and the one status a digest gives a measure and period."""

from __future__ import annotations

from datetime import datetime, timezone

from digests.novelty import Ledger, Statement, measure_status, prior_statement
from monitor.domain import PriorFigure

T = datetime(2025, 1, 15, 8, 0, tzinfo=timezone.utc)
KEY = "money|money:USD|m:trade/cn-kz|2023"


def test_a_stored_figure_from_before_is_its_feeds_statement_outside_the_period() -> None:
    stored = PriorFigure(KEY, 41e9, "USD", "$41 billion", release_id=7, position=2, feed_id=3, stated_at=T,
                         feed="Astana Wire", title="Trade in 2023", url="https://astana-wire.test/7",
                         published_at=T, first_seen_at=T)
    s = prior_statement(stored)
    assert (s.key, s.value, s.unit, s.text, s.release_id, s.in_period, s.speaker) == (
        KEY, 41e9, "USD", "$41 billion", 7, False, "Astana Wire")
    assert (s.source.title, s.source.url, s.source.when) == ("Trade in 2023", "https://astana-wire.test/7", T)
    # what the ledger makes of it: the same feed's new value is a change, another feed's a conflict
    ledger = Ledger([s])
    revised = Statement(KEY, 41.2e9, "USD", "$41.2 billion", s.source, 8, True)
    assert ledger.judge(revised).status == "changed" and ledger.judge(revised).earlier == s
    other = Statement(KEY, 44e9, "USD", "$44 billion", s.source, 9, True, origin="Beijing Wire")
    assert ledger.judge(other).status == "conflict"


def test_a_measure_is_in_conflict_if_any_statement_is_then_changed_then_new() -> None:
    assert measure_status(["new", "changed", "conflict", "known"]) == "conflict"
    assert measure_status(["known", "changed", "new"]) == "changed"
    assert measure_status(["known", "new"]) == "new"
    assert measure_status(["known", "known"]) == "known"
