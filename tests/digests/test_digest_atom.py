"""digests.xml is valid Atom: the RFC 4287 schema (Appendix B, checked with lxml's RELAX NG)
and the rules a schema cannot say (W3C feed validator's): an author, a self link that is
absolute or absent, ids unique, one entry per digest with its own `updated`, an alternate
link per entry. Entries carry the Highlights and a link, not the whole digest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from digest_sample import fill
from lxml import etree

from digests.write import write_digests
from monitor.config import Settings
from storage.sql.engine import open_store

SCHEMA = etree.RelaxNG(etree.parse(str(Path(__file__).parent / "data" / "atom-rfc4287.rng")))
NS = {"a": "http://www.w3.org/2005/Atom"}
TOPIC = '[[topics]]\nid = "harbour"\ntitle = "Examplehaven harbour"\nany = ["Examplehaven"]\n'


def alternate(entry: etree._Element) -> etree._Element | None:
    """The entry's alternate link (RFC 4287 4.2.7.2: a link without rel is one)."""
    return next((link for link in entry.findall("a:link", NS) if link.get("rel", "alternate") == "alternate"), None)


def check_atom(path: Path) -> etree._Element:
    """Validate the feed as the W3C validator would; return its root."""
    doc = etree.parse(str(path))
    assert SCHEMA.validate(doc), SCHEMA.error_log
    feed = doc.getroot()
    entries = feed.findall("a:entry", NS)
    # RFC 4287 4.1.1: an author on the feed, or on every entry
    assert feed.find("a:author/a:name", NS) is not None or all(e.find("a:author", NS) is not None for e in entries)
    for link in feed.findall("a:link[@rel='self']", NS):
        assert link.get("href", "").startswith(("http://", "https://")), "a self link must be absolute"
    ids = [e.findtext("a:id", namespaces=NS) for e in entries]
    assert len(ids) == len(set(ids)) and feed.findtext("a:id", namespaces=NS) not in ids
    for e in entries:
        datetime.fromisoformat(e.findtext("a:updated", namespaces=NS))  # RFC 3339
        assert alternate(e) is not None, "every entry links to its digest"
        assert e.find("a:content[@type='html']", NS) is not None
    return feed


def test_the_feed_is_valid_atom_with_one_entry_per_digest(write_config: Callable[..., Settings], db_url: str) -> None:
    settings = write_config([], topics=TOPIC, db_url=db_url)
    store = open_store(settings.storage.url)
    with store.session() as s:
        fill(s)
    for day in (1, 2, 3):
        write_digests(store, settings, kinds=["day"], day=date(2024, 7, day))
    write_digests(store, settings, kinds=["week"], day=date(2024, 7, 2))
    feed = check_atom(settings.digests.directory / "digests.xml")
    assert feed.find("a:link[@rel='self']", NS) is None  # no base_url: no self link rather than a relative one
    entries = {e.findtext("a:id", namespaces=NS): e for e in feed.findall("a:entry", NS)}
    with store.transaction() as tx:
        rows = {f"urn:prwatch:digests:{r.topic_id}:{r.period_key}": r for r in tx.digests.all()}
    assert set(entries) == set(rows)  # one entry per digest
    for key, e in entries.items():  # each with its own updated: when its digest last changed
        assert datetime.fromisoformat(e.findtext("a:updated", namespaces=NS)) == rows[key].generated_at
        assert alternate(e).get("href") == Path(rows[key].path).name
    day2 = entries["urn:prwatch:digests:harbour:2024-07-02"]
    html = day2.findtext("a:content", namespaces=NS)
    assert "Highlights" in html and "Read the whole digest" in html
    assert "Also carried by" not in html  # the stories stay in the digest
    assert day2.findtext("a:summary", namespaces=NS).endswith("Final: the period has ended.")
    store.dispose()


def test_with_a_base_url_links_are_absolute(write_config: Callable[..., Settings]) -> None:
    settings = write_config([], topics=TOPIC)
    cfg = settings.path.read_text().replace('[digests]\n', '[digests]\nbase_url = "https://example.org/pr"\n', 1)
    settings.path.write_text(cfg)
    from monitor.config import load_settings

    settings = load_settings(settings.path)
    store = open_store(settings.storage.url)
    with store.session() as s:
        fill(s)
    write_digests(store, settings, kinds=["day"], day=date(2024, 7, 2))
    feed = check_atom(settings.digests.directory / "digests.xml")
    assert feed.find("a:link[@rel='self']", NS).get("href") == "https://example.org/pr/digests.xml"
    (entry,) = feed.findall("a:entry", NS)
    assert alternate(entry).get("href") == "https://example.org/pr/2024-07-02-harbour.md"
    assert "https://example.org/pr/2024-07-02-harbour.md" in entry.findtext("a:content", namespaces=NS)
    store.dispose()


def test_a_base_url_must_be_absolute(write_config: Callable[..., Settings]) -> None:
    from monitor.config import load_settings
    from monitor.errors import ConfigError

    settings = write_config([], topics=TOPIC)
    settings.path.write_text(settings.path.read_text().replace('[digests]\n', '[digests]\nbase_url = "pr/"\n', 1))
    with pytest.raises(ConfigError, match="digests.base_url"):
        load_settings(settings.path)


def test_the_schema_check_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')  # no id, no updated
    with pytest.raises(AssertionError):
        check_atom(bad)


def test_a_digests_html_is_rendered_once_per_content(write_config: Callable[..., Settings],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import update

    import digests.write
    from digests.index import highlights_html
    from storage.sql.models import DigestRow

    settings = write_config([], topics=TOPIC)
    folder = settings.digests.directory
    store = open_store(settings.storage.url)
    with store.session() as s:
        fill(s)
    rendered: list[str] = []
    real = digests.write.opening_html
    monkeypatch.setattr(digests.write, "opening_html", lambda text: rendered.append(text) or real(text))
    for day in (1, 2, 3):
        write_digests(store, settings, kinds=["day"], day=date(2024, 7, day))
    assert len(rendered) == 3  # each digest once, not the whole feed after every digest
    feed = (folder / "digests.xml").read_bytes()
    write_digests(store, settings, kinds=["day"], day=date(2024, 7, 2))  # a new run, the same content
    assert len(rendered) == 3 and (folder / "digests.xml").read_bytes() == feed
    entries = check_atom(folder / "digests.xml").findall("a:entry", NS)
    for e in entries:  # the kept HTML is what the file says
        name = alternate(e).get("href")
        assert e.findtext("a:content", namespaces=NS) == highlights_html(folder / name, name)

    with store.session() as s:  # digests recorded by a prwatch that kept no HTML
        s.execute(update(DigestRow).values(html=None))
    write_digests(store, settings, kinds=["day"], day=date(2024, 7, 3))
    assert len(rendered) == 4 and (folder / "digests.xml").read_bytes() == feed  # the others from their files
    with store.transaction() as tx:
        assert [r.period_key for r in tx.digests.all() if r.html] == ["2024-07-03"]
    store.dispose()
