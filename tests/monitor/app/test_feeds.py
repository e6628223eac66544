"""Feed management: add, list, remove, and OPML import/export round trip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from monitor.app.cli import main
from monitor.config import Settings

OPML = """<?xml version="1.0"?><opml version="2.0"><head><title>mine</title></head><body>
<outline text="Wires"><outline text="Wire A" xmlUrl="https://a.test/rss" prwatchFullText="true"/>
<outline text="Wire B" title="Wire B" xmlUrl="https://b.test/feed.xml"/></outline>
<outline text="no feed here"/><outline text="bad" xmlUrl="ftp://c.test/x"/></body></opml>"""


def test_opml_import_then_export_round_trips_names_urls_and_full_text(
        write_config: Callable[..., Settings], db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([("Config feed", "https://config.test/rss")], db_url=db_url)
    cfg = str(settings.path)
    src = tmp_path / "in.opml"
    src.write_text(OPML)
    assert main(["--config", cfg, "feeds", "import", str(src)]) == 0
    assert main(["--config", cfg, "feeds", "import", str(src)]) == 0  # again: nothing doubled
    out = tmp_path / "out.opml"
    assert main(["--config", cfg, "feeds", "export", "-o", str(out)]) == 0

    other = tmp_path / "other"
    other.mkdir()
    (other / "config.toml").write_text(f'[storage]\nurl = "sqlite:///{other / "p.db"}"\n')
    assert main(["--config", str(other / "config.toml"), "feeds", "import", str(out)]) == 0
    capsys.readouterr()
    assert main(["--config", str(other / "config.toml"), "feeds", "export"]) == 0
    again = capsys.readouterr().out
    assert again == out.read_text()
    for needle in ('xmlUrl="https://a.test/rss"', 'prwatchFullText="true"', 'xmlUrl="https://b.test/feed.xml"',
                   'text="Wire B"', 'xmlUrl="https://config.test/rss"'):
        assert needle in again
    assert "ftp://" not in again


def test_feeds_added_by_command_can_be_removed_but_config_feeds_cannot(
        write_config: Callable[..., Settings], capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config([("Config feed", "https://config.test/rss")])
    cfg = str(settings.path)
    assert main(["--config", cfg, "feeds", "add", "https://x.test/rss", "--name", "X", "--full-text", "--no-check"]) == 0
    assert main(["--config", cfg, "feeds", "add", "https://y.test/rss", "--name", "Config feed", "--no-check"]) == 1
    assert main(["--config", cfg, "feeds", "remove", "Config feed"]) == 1
    assert "remove it there" in capsys.readouterr().err
    assert main(["--config", cfg, "feeds", "remove", "X"]) == 0
    assert main(["--config", cfg, "feeds", "remove", "X"]) == 1


def test_opml_outlines_naming_local_files_are_not_imported(
        write_config: Callable[..., Settings], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = write_config()
    src = tmp_path / "in.opml"
    src.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                   '<outline text="passwd" xmlUrl="file:///etc/passwd"/><outline text="zero" xmlUrl="file:///dev/zero"/>'
                   '<outline text="zero on localhost" xmlUrl="file://localhost/dev/zero"/>'
                   '<outline text="Wire" xmlUrl="https://wire.test/rss"/></body></opml>')
    assert main(["--config", str(settings.path), "feeds", "import", str(src)]) == 0
    capsys.readouterr()
    assert main(["--config", str(settings.path), "feeds", "export"]) == 0
    exported = capsys.readouterr().out
    assert 'xmlUrl="https://wire.test/rss"' in exported and "file:" not in exported
