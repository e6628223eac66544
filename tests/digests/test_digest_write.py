"""Writing: atomic, idempotent (same bytes → file and mtime untouched), index.md and Atom."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

import pytest
from digest_markdown import parse
from digest_sample import fill

from digests.write import write_digests
from monitor.config import Settings
from storage.sql.engine import open_store

TOPIC = '[[topics]]\nid = "harbour"\ntitle = "Examplehaven harbour"\nany = ["Examplehaven"]\n'


def test_rewrite_is_idempotent_and_index_and_atom_list_digests(write_config: Callable[..., Settings]) -> None:
    settings = write_config([], topics=TOPIC)
    store = open_store(settings.storage.url)
    with store.session() as s:
        fill(s)
    first = write_digests(store, settings, kinds=["day", "week", "month"], day=date(2024, 7, 2))
    assert [w.path.name for w in first] == ["2024-07-02-harbour.md", "2024-W27-harbour.md", "2024-07-harbour.md"]
    assert all(w.changed for w in first)
    folder = settings.digests.directory
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    os.utime(folder / "index.md", ns=(1, 1))  # a rewrite would move it
    again = write_digests(store, settings, kinds=["day", "week", "month"], day=date(2024, 7, 2))
    assert not any(w.changed for w in again)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.name != "index.md"} == \
        {k: v for k, v in stamps.items() if k != "index.md"}
    assert (folder / "index.md").stat().st_mtime_ns == 1
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]

    index = parse((folder / "index.md").read_text(encoding="utf-8"))
    hrefs = [h for h, _ in index.links()]
    assert hrefs[0] == "digests.xml"
    assert set(hrefs[1:]) == {"2024-07-02-harbour.md", "2024-W27-harbour.md", "2024-07-harbour.md"}
    assert hrefs[1] == "2024-07-02-harbour.md"  # the newest period first
    atom = ET.parse(folder / "digests.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert len(entries) == 3 and all(e.find("a:content", ns) is not None for e in entries)
    store.dispose()


def test_empty_period_writes_a_short_digest_or_none(write_config: Callable[..., Settings]) -> None:
    settings = write_config([], topics=TOPIC)
    store = open_store(settings.storage.url)
    (w,) = write_digests(store, settings, kinds=["day"], day=date(2030, 1, 1))
    assert "No releases on this topic in this period." in w.path.read_text(encoding="utf-8")
    quiet = write_config([], topics=TOPIC, extra="")
    store.dispose()
    assert quiet.digests.write_empty  # the default; a config with write_empty = false writes none:
    cfg = quiet.path.read_text(encoding="utf-8").replace('[digests]\n', '[digests]\nwrite_empty = false\n', 1)
    quiet.path.write_text(cfg, encoding="utf-8")
    from monitor.config import load_settings

    settings = load_settings(quiet.path)
    store = open_store(settings.storage.url)
    assert write_digests(store, settings, kinds=["day"], day=date(2030, 1, 2)) == []
    store.dispose()


def test_a_writer_killed_half_way_leaves_no_index_describing_a_replaced_digest(
        write_config: Callable[..., Settings], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A digest the index listed is replaced: the index and the feed describe the new one
    before the writer moves on, so dying at the next digest leaves nothing stale."""
    from digest_sample import TEU, THROUGHPUT, at, feed, release

    import digests.write as w

    settings = write_config([], topics=TOPIC)
    store = open_store(settings.storage.url)
    with store.session() as s:
        fill(s)
    write_digests(store, settings, kinds=["day"], day=date(2024, 7, 2))
    write_digests(store, settings, kinds=["day"], day=date(2024, 7, 3))
    with store.session() as s:  # a late release of 2 July arrives
        release(s, feed(s, "Bay Post"), "Examplehaven dredging finished", "Examplehaven finished dredging the bay.",
                seen=at(4, 9), published=at(2, 15), figures=[("quantity", 9e5, TEU, "0.9 million TEU", THROUGHPUT, "2020")])
    real, calls = w.build_digest, []

    def dies_at_the_second(*args, **kw):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("killed")
        return real(*args, **kw)
    monkeypatch.setattr(w, "build_digest", dies_at_the_second)
    with pytest.raises(SystemExit):
        w.write_periods(store, settings, [("harbour", "day", date(2024, 7, 2)), ("harbour", "day", date(2024, 7, 3))])
    folder = settings.digests.directory
    day2 = (folder / "2024-07-02-harbour.md").read_text(encoding="utf-8")
    summary = day2.split("**", 2)[1]
    assert "4 releases" in summary  # the file was replaced ...
    index = (folder / "index.md").read_text(encoding="utf-8")
    line = next(x for x in index.splitlines() if "2024-07-02-harbour.md" in x)
    assert summary in line  # ... and the index already says what it says now
    assert "4 releases" in (folder / "digests.xml").read_text(encoding="utf-8")
    store.dispose()
