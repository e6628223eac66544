"""Analysis is bounded per release: at most MAX_ANALYSED_CHARS of its text (recorded on the
release), within a time budget in worker processes, and never holding up other feeds."""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from procs import feed_server, procs, rss, write_config
from sqlalchemy import create_engine, text

from monitor.domain import ProcessedEntry, ReleaseDraft
from monitor.ingest import process
from monitor.ingest.process import MAX_ANALYSED_CHARS, process_entry

SENTENCE = ("Two-way trade between China and Kazakhstan reached $20.4 billion in 2023, up 5 percent from 2022. "
            "The partners plan to open the new rail line through Khorgos in March 2026. ")
BIG_ITEM = 14 * 2**20  # under the default 15 MiB body limit


def topics():  # type: ignore[no-untyped-def]
    import tomllib

    from conftest import TOPIC_TOML

    from monitor.analysis.topics import parse_topic

    return [parse_topic(t, f"topics[{i}]") for i, t in enumerate(tomllib.loads(TOPIC_TOML)["topics"])]


def test_a_release_longer_than_the_cap_is_analysed_up_to_it_and_says_so() -> None:
    body = SENTENCE * (3 * MAX_ANALYSED_CHARS // len(SENTENCE))
    entry = process_entry(ReleaseDraft("g", None, "China and Kazakhstan expand trade", None, body, None), topics())
    assert entry.analysis.topics and entry.analysis.figures
    head, note = process.analysed_part(body)
    assert entry.analysis_note == note == f"analysed the first {len(head):,} of {len(body):,} characters"
    assert MAX_ANALYSED_CHARS // 2 < len(head) <= MAX_ANALYSED_CHARS and head.endswith(".")
    assert max(len(f.sentence or "") for f in entry.analysis.figures) < len(SENTENCE)
    short = process_entry(ReleaseDraft("s", None, "China and Kazakhstan expand trade", None, SENTENCE, None), topics())
    assert short.analysis_note is None


def _tiny_budget() -> None:
    process.ANALYSIS_BUDGET_SECONDS = 0.001
    process.enable_time_budget()


def test_in_a_worker_process_analysis_stops_at_its_time_budget() -> None:
    body = SENTENCE * (MAX_ANALYSED_CHARS // len(SENTENCE))
    draft = ReleaseDraft("g", None, "China and Kazakhstan expand trade", None, body, None)
    with ProcessPoolExecutor(1, initializer=_tiny_budget) as pool:
        entry = pool.submit(process_entry, draft, topics()).result(timeout=120)
    assert entry.analysis_note == "analysis stopped after 0.001 s: figures and milestones not extracted"
    assert not entry.analysis.figures and not entry.analysis.milestones
    # the topics are matched again without the budget: the release is in its topic's digest, as one story
    assert "china-kazakhstan" in {m.topic_id for m in entry.analysis.topics} and entry.signature and entry.band_keys


def test_a_14_mib_release_does_not_hold_up_a_healthy_feed_in_the_daemon(tmp_path: Path) -> None:
    """A bound, not a timing: the healthy feed is due every 6 s; while the big release is
    parsed and analysed it must still be polled, and no gap between its polls may exceed the
    bound (the uncapped analysis of 14 MiB did not finish in 15 minutes)."""
    big = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title><item><guid>big</guid>'
           '<title>China and Kazakhstan expand trade</title><description>'
           + SENTENCE * (BIG_ITEM // len(SENTENCE)) + "</description></item></channel></rss>").encode()
    db = tmp_path / "p.db"
    with feed_server({"/big.xml": big, "/healthy.xml": rss(1, 3)}) as server, procs(tmp_path) as ps:
        config = write_config(tmp_path, f"sqlite:///{db}",
                              {"big": server.url("/big.xml"), "healthy": server.url("/healthy.xml")},
                              interval_minutes=0.1)
        daemon = ps.start(config, "run")
        watch_until = time.monotonic() + 120  # ends at the 4th poll; the bound is on the gaps below
        while time.monotonic() < watch_until and len(server.times("/healthy.xml")) < 4:
            time.sleep(0.5)
        polls = server.times("/healthy.xml")
        assert daemon.poll() is None, ps.log(daemon)
    assert len(polls) >= 4, f"the healthy feed was polled {len(polls)} times in 120 s:\n{ps.log(daemon)}"
    gaps = [b - a for a, b in zip(polls, polls[1:], strict=False)]
    assert max(gaps) < 30, gaps
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        note = conn.execute(text("SELECT analysis_note FROM releases WHERE guid = 'big'")).scalar_one()
    engine.dispose()
    assert note.startswith("analysed the first ") and note.endswith(" characters"), note


def _break(monkeypatch, name: str, error: Exception) -> None:  # type: ignore[no-untyped-def]
    """Make monitor.analysis.analyse's `name` raise `error`: a bug in the rules it runs."""
    import monitor.analysis.analyse as analyse_module

    def broken(*_args, **_kw):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(analyse_module, name, broken)


def _process() -> ProcessedEntry:
    return process_entry(ReleaseDraft("g", None, "China and Kazakhstan expand trade", None, SENTENCE, None), topics())


def test_a_bug_in_the_extraction_rules_costs_one_release_its_figures_not_its_topics(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _break(monkeypatch, "extract_figures", IndexError("list index out of range"))
    entry = _process()
    assert entry.analysis_note == "analysis failed (IndexError): figures and milestones not extracted"
    assert "china-kazakhstan" in {m.topic_id for m in entry.analysis.topics} and entry.signature and entry.band_keys
    assert not entry.analysis.figures and not entry.analysis.milestones and entry.draft.text == SENTENCE


def test_a_bug_in_topic_matching_too_stores_the_release_unanalysed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _break(monkeypatch, "score_topics", KeyError("x"))
    entry = _process()
    assert entry.analysis_note == "analysis failed (KeyError): stored unanalysed"
    assert not entry.analysis.topics and entry.signature is None and entry.draft.text == SENTENCE
