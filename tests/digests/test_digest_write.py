"""Writing: atomic, idempotent (same bytes → file and mtime untouched), index.md and Atom."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date

from digest_markdown import parse
from digest_sample import fill

from digests.write import write_digests
from monitor.config import Settings
from storage.sql.engine import open_store

TOPIC = '[[topics]]\nid = "harbour"\ntitle = "Examplehaven harbour"\nany = ["Examplehaven"]\n'


def test_rewrite_is_idempotent_and_index_and_atom_list_digests(write_config: Callable[..., Settings]) -> None:
    settings = write_config([], topics=TOPIC)
    store = open_store(settings.storage.url)
    with store.transaction() as s:
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
