"""The Ledger judges a figure the same whether it holds every source's earlier word or only
what judging reads (the latest statement of each measure and the speaker's own), with the rest
added later by add_earlier: that is what lets a digest of a big store load so little."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from digests.model import Source
from digests.novelty import Ledger, Statement

T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)
FEEDS = ("Wire A", "Wire B", "Wire C", "Wire D")
KEYS = [f"money|money:USD|trade {s}|{p}" for s in ("x", "y") for p in ("2022", "2023", "")]


def said(key: str, feed: str, value: float, minutes: int, in_period: bool = False) -> Statement:
    return Statement(key, value, "USD", f"${value:g}", Source(feed, f"{feed} {minutes}", None,
                                                              T0 + timedelta(minutes=minutes), T0), minutes, in_period)


def test_an_earlier_statement_added_later_never_hides_a_later_one() -> None:
    ledger = Ledger([said(KEYS[0], "Wire A", 5, 10)])
    ledger.add([said(KEYS[0], "Wire B", 7, 100, in_period=True)])
    ledger.add_earlier([said(KEYS[0], "Wire C", 9, 1), said(KEYS[0], "Wire B", 2, 2)])
    assert ledger.history(KEYS[0].rsplit("|", 1)[0])["2022"].value == 7  # still the latest
    assert ledger.stated_by(KEYS[0], "Wire B").value == 7  # a source's own later word is kept
    assert ledger.stated_by(KEYS[0], "Wire C").value == 9  # the other source is there now
    assert ledger.disputed(KEYS[0])
    verdict = ledger.judge(said(KEYS[0], "Wire D", 8, 200, in_period=True))
    assert (verdict.status, verdict.earlier.value) == ("conflict", 7)


def test_statements_of_a_new_measure_keep_their_order() -> None:
    ledger = Ledger()
    ledger.add_earlier([said(KEYS[1], "Wire A", 1, 1), said(KEYS[1], "Wire B", 2, 2)])
    assert ledger.history(KEYS[1].rsplit("|", 1)[0])["2023"].value == 2


def _latest(statements: list[Statement]) -> list[Statement]:
    """Per (measure, feed) the latest, oldest first: what the store's look-back returns."""
    last = {(s.key, s.speaker): s for s in sorted(statements, key=lambda s: s.release_id)}
    return sorted(last.values(), key=lambda s: s.release_id)


def test_judging_needs_only_the_latest_word_and_the_speakers_own() -> None:
    for seed in range(300):
        rng = random.Random(seed)
        prior = [said(rng.choice(KEYS), rng.choice(FEEDS), rng.choice((1, 2, 3)), m) for m in range(rng.randrange(12))]
        period = [said(rng.choice(KEYS), rng.choice(FEEDS), rng.choice((1, 2, 3)), 1000 + m, in_period=True)
                  for m in range(rng.randrange(1, 8))]
        whole = Ledger(_latest(prior))
        part = Ledger()
        keys, speakers = {s.key for s in period}, {(s.key, s.speaker) for s in period}
        latest = {s.key: s for s in _latest(prior) if s.key in keys}  # the latest of each measure
        own = [s for s in _latest(prior) if (s.key, s.speaker) in speakers]
        part.add_earlier(sorted({id(s): s for s in [*latest.values(), *own]}.values(), key=lambda s: s.release_id))
        for s in period:
            assert whole.judge(s) == part.judge(s), seed
            whole.add([s])
            part.add([s])
        part.add_earlier(_latest(prior))  # then everything, as a chart loads its series
        for key in KEYS:
            assert {x.release_id for x in part.statements(key)} == {x.release_id for x in whole.statements(key)}
            assert part.history(key.rsplit("|", 1)[0]) == whole.history(key.rsplit("|", 1)[0])
            assert part.disputed(key) == whole.disputed(key)
