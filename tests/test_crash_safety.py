"""Kill `prwatch run --once` / `prwatch fetch` with SIGKILL at random points of a poll (and
of the schema migration and the digest writing), many times, restart, and compare the
store with what one clean run produces: nothing lost, nothing doubled, no partial release
(each release with exactly its topics, figures, milestones and story keys), no half-written
digest. On SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import random
import time
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from procs import feed_server, procs, rss, write_config
from sqlalchemy import select

from storage.sql.engine import open_store
from storage.sql.models import (
    DigestRow,
    Feed,
    FigureRow,
    MilestoneRow,
    PollRun,
    Release,
    ReleaseRevision,
    ReleaseTopic,
    StoryKey,
)

FEEDS, ITEMS, KILLS = 6, 3, 10


def snapshot(url: str) -> dict[str, object]:
    """The store's content, keyed by what identifies a release (not by database ids)."""
    store = open_store(url)
    with store.session() as s:
        ident = {r.id: (r.feed.name, r.guid) for r in s.scalars(select(Release))}
        out: dict[str, object] = {
            "releases": sorted((ident[r.id], r.title, r.url, r.text, r.content_hash, r.revision, r.published_at)
                               for r in s.scalars(select(Release))),
            "topics": sorted((ident[t.release_id], t.topic_id, round(t.score, 6), tuple(t.reasons))
                             for t in s.scalars(select(ReleaseTopic))),
            "figures": sorted((ident[f.release_id], f.position, f.kind, f.value, f.unit, f.text, f.measure_key)
                              for f in s.scalars(select(FigureRow))),
            "milestones": sorted((ident[m.release_id], m.position, m.year, m.date, m.event, m.event_key)
                                 for m in s.scalars(select(MilestoneRow))),
            "story_keys": sorted((ident[k.release_id], k.key) for k in s.scalars(select(StoryKey))),
            "stories": sorted(sorted(ident[r.id] for r in s.scalars(select(Release)) if r.story_id == sid)
                              for sid in set(s.scalars(select(Release.story_id)))),
            "revisions": s.query(ReleaseRevision).count(),
            "feeds": sorted((f.name, f.error_count, f.claimed_by, f.body_hash, f.enabled)
                            for f in s.scalars(select(Feed))),
            "digests": sorted((d.topic_id, d.period_key, Path(d.path).name, d.content_hash)
                              for d in s.scalars(select(DigestRow))),
        }
        out["unfinished_runs"] = s.query(PollRun).where(PollRun.finished_at.is_(None)).count()
    store.dispose()
    return out


def digest_files(folder: Path) -> dict[str, bytes]:
    """The digests (Markdown) of a folder, each checked whole; other files written there
    (a feed of the digests) must parse too."""
    import xml.etree.ElementTree as ET

    files = {p.name: p.read_bytes() for p in folder.glob("*") if not p.name.startswith(".")}
    md = MarkdownIt()
    for name, data in files.items():
        if name.endswith(".xml"):
            ET.fromstring(data)
            continue
        assert name.endswith(".md"), f"unexpected file in the digest folder: {name}"
        text = data.decode("utf-8")  # a torn write would not even decode, or miss its end
        assert md.parse(text) and text.endswith("\n"), name
    return {name: data for name, data in files.items() if name.endswith(".md")}


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(db_url: str, tmp_path: Path) -> None:
    rng = random.Random(7)
    items = dict.fromkeys(range(FEEDS), ITEMS)
    paths = {f"/wire{i}.xml": rss(i, n) for i, n in items.items()}
    delays = {p: 0.1 + 0.1 * i for i, p in enumerate(paths)}  # two at a time: a poll of about 1.5 s
    clean_url = f"sqlite:///{tmp_path / 'clean' / 'clean.db'}"
    with feed_server(paths, delay=lambda p: delays.get(p, 0.0)) as server, procs(tmp_path) as ps:
        feeds = {p.strip("/").removesuffix(".xml"): server.url(p) for p in paths}
        (tmp_path / "clean").mkdir()
        (tmp_path / "crash").mkdir()
        clean_cfg = write_config(tmp_path / "clean", clean_url, feeds, concurrency=2)
        crash_cfg = write_config(tmp_path / "crash", db_url, feeds, concurrency=2)

        kills = mid_poll = finished = 0
        t0 = time.monotonic()
        for i in range(KILLS):
            for f in rng.sample(sorted(items), 2):  # the wires publish: every run has new releases to store
                items[f] += 1
                paths[f"/wire{f}.xml"] = rss(f, items[f])
            # `fetch` polls every feed, `run --once` the due ones (and writes digests after)
            args = ("run", "--once") if i % 3 == 1 else ("fetch", "--quiet")
            before = server.total()
            p = ps.start(crash_cfg, *args)
            if i == 0 or rng.random() < 0.15:  # at start-up (the first time: in the migration)
                time.sleep(rng.uniform(0.1, 1.0))
            else:  # after the k-th fetch of this run, while feeds are fetched, stored, digests written
                k, end = rng.randint(1, FEEDS), time.monotonic() + 15
                while server.total() - before < k and p.poll() is None and time.monotonic() < end:
                    time.sleep(0.005)
                time.sleep(rng.uniform(0.0, 0.5))
            if p.poll() is None:
                ps.kill(p)
                kills += 1
                mid_poll += server.total() > before
            else:
                finished += 1
                assert p.returncode == 0, ps.log(p)
        crashing_s = time.monotonic() - t0
        # a restart (it frees the dead runs' claims) polls every feed; then a clean run on a new database
        last = ps.start(crash_cfg, "fetch", "--quiet")
        assert last.wait(60) == 0, ps.log(last)
        last_log = ps.log(last)
        clean = ps.start(clean_cfg, "fetch", "--quiet")
        assert clean.wait(60) == 0, ps.log(clean)
        crash_files = digest_files(tmp_path / "crash" / "digests")
        # the digests on disk are whole and current: rendering them again from the store changes nothing
        again = ps.start(crash_cfg, "digest")
        assert again.wait(60) == 0, ps.log(again)
        assert digest_files(tmp_path / "crash" / "digests") == crash_files, ps.log(again)

    print(f"{KILLS} runs in {crashing_s:.1f} s: {kills} killed ({mid_poll} after fetching began), {finished} "
          f"finished first")
    assert mid_poll >= KILLS // 2, "most runs must be killed in the middle of a poll"
    want, got = snapshot(clean_url), snapshot(db_url)
    assert len(want["releases"]) == sum(items.values()) and want["figures"] and want["milestones"] and want["topics"]
    for key in ("releases", "topics", "figures", "milestones", "story_keys", "stories", "revisions", "feeds"):
        assert got[key] == want[key], f"{key} differ after crashes (restart log:\n{last_log})"
    assert got["unfinished_runs"] >= 1 and want["unfinished_runs"] == 0  # a killed poll never finished its run

    # (the digests themselves may differ from the clean run's: releases that arrived over
    # several runs compare their figures in the order they were first seen; and `run --once`
    # also completes the digest of the period that ended yesterday, which `fetch` does not)
    assert set(digest_files(tmp_path / "clean" / "digests")) <= set(crash_files) and crash_files
    assert {d[:3] for d in want["digests"]} <= {d[:3] for d in got["digests"]}
    for _topic, _key, name, digest in got["digests"]:
        assert hashlib.sha256(crash_files[name]).hexdigest() == digest
