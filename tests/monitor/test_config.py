"""config.toml: defaults, relative paths, and one clear error per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def test_shipped_config_loads_with_sample_feeds_and_the_china_kazakhstan_topic() -> None:
    s = load_settings(REPO / "config.toml")
    assert s.storage.url == f"sqlite:///{REPO / 'out' / 'prwatch.db'}"
    assert s.digests.directory == REPO / "out" / "digests"
    samples = [f for f in s.feeds if f.url.startswith("file://")]
    assert len(samples) >= 2 and all(Path(f.url[7:]).exists() for f in samples)
    assert any(f.url.startswith("https://") for f in s.feeds)
    assert "china-kazakhstan" in [t.id for t in s.topics]


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "conf" / "config.toml"
    cfg.parent.mkdir()
    cfg.write_text('[storage]\nurl = "sqlite:///data/x.db"\n[digests]\ndirectory = "d"\n'
                   '[[feeds]]\nname = "a"\nurl = "file://feeds/a.xml"\n')
    monkeypatch.chdir(tmp_path)
    s = load_settings(cfg)
    assert s.storage.url == f"sqlite:///{cfg.parent / 'data' / 'x.db'}"
    assert s.digests.directory == cfg.parent / "d"
    assert s.feeds[0].url == (cfg.parent / "feeds" / "a.xml").as_uri()


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ('[poll]\ninterval_minutes = "often"', "poll.interval_minutes", "must be a number"),
        ('[poll]\nconcurrency = 0', "poll.concurrency", "at least 1"),
        ('[[feeds]]\nname = "x"\nurl = "ftp://example.org/feed"', "feeds[0].url", "http://, https:// or file://"),
        ('[[feeds]]\nname = "x"', "feeds[0].url", "is required"),
        ('[[feeds]]\nname = "x"\nurl = "https://a"\n[[feeds]]\nname = "x"\nurl = "https://b"', "feeds[1].name",
         "duplicate"),
        ('[digests]\nperiods = ["fortnight"]', "digests.periods", "day, week, month"),
        ('[digests]\ntimezone = "Mars/Olympus"', "digests.timezone", "unknown time zone"),
        ('[storage]\nurl = "mysql://x"', "storage.url", "unsupported database"),
        ('[surprise]\nx = 1', "surprise", "unknown section"),
    ],
)
def test_a_bad_setting_names_its_key_and_the_problem(tmp_path: Path, toml: str, key: str, words: str) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert err.value.key == key
    assert words in str(err.value)


def test_invalid_toml_and_missing_file_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[storage\nurl=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)
