"""config.toml: defaults, relative paths, and one clear error per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def refused(tmp_path: Path, toml: str) -> ConfigError:
    """The error loading this config raises (the test fails when it loads)."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    return err.value


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
    err = refused(tmp_path, toml)
    assert err.key == key
    assert words in str(err)


def test_invalid_toml_and_missing_file_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[storage\nurl=")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(bad)


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ('[digests]\nperiod = ["week"]', "digests.period", "did you mean `periods`?"),
        ('[poll]\ninterval_minute = 5', "poll.interval_minute", "did you mean `interval_minutes`?"),
        ('[poll]\nmax_body_mb = 5', "poll.max_body_mb", "did you mean `max_body_mib`?"),
        ('[logging]\nlevl = "debug"', "logging.levl", "did you mean `level`?"),
        ('[storage]\nurll = "sqlite:///x.db"', "storage.urll", "did you mean `url`?"),
        ('[digest]\nperiods = ["day"]', "digest", "unknown section (did you mean `digests`?)"),
        ('[poll]\nzzz = 1', "poll.zzz", "expected one of: interval_minutes"),
        ('[[feeds]]\nname = "x"\nurl = "https://a"\nfull_txt = true', "feeds[0].full_txt", "did you mean `full_text`?"),
        ('[[topics]]\nid = "t"\ntitle = "T"\nany = ["China"]\nmin_scor = 0.4', "topics[0].min_scor",
         "did you mean `min_score`?"),
    ],
)
def test_an_unknown_key_in_any_section_is_refused_with_the_nearest_known_one(
        tmp_path: Path, toml: str, key: str, words: str) -> None:
    err = refused(tmp_path, toml)
    assert err.key == key
    assert words in str(err)


@pytest.mark.parametrize(
    ("toml", "key", "words"),
    [
        ("[poll]\ninterval_minutes = nan", "poll.interval_minutes", "must be a finite number"),
        ("[poll]\nread_timeout = inf", "poll.read_timeout", "must be a finite number"),
        ("[poll]\nconnect_timeout = -inf", "poll.connect_timeout", "must be a finite number"),
        ("[poll]\nmax_body_mib = 1e300", "poll.max_body_mib", "must be at most 1024"),
        ("[poll]\nbackoff_cap_hours = 1e300", "poll.backoff_cap_hours", "must be at most"),
        ("[poll]\nconcurrency = 2.5", "poll.concurrency", "whole number"),
        ("[poll]\nworkers = 100000", "poll.workers", "must be at most 256"),
        ("[poll]\nallow_private_addresses = 1", "poll.allow_private_addresses", "true or false"),
        ("[poll]\ninterval_minutes = 10\nmin_interval_minutes = 20", "poll.min_interval_minutes", "not be larger"),
        ('[logging]\nformat = "yaml"', "logging.format", "text, json"),
        ('[digests]\nperiods = "week"', "digests.periods", 'periods = ["week"]'),
        ('[digests]\nperiods = ["day", "day"]', "digests.periods", "twice"),
        ('[digests]\nschedule = "99 7 * * *"', "digests.schedule", "minute: 99 is above 59"),
        ('[digests]\nschedule = "0 7 * *"', "digests.schedule", "needs 5 fields"),
        ('[digests]\nschedule = "0 25 * * *"', "digests.schedule", "hour: 25 is above 23"),
        ('[digests]\nschedule = "0 7 * * funday"', "digests.schedule", "day of week"),
        ('[digests]\ntimezone = ""', "digests.timezone", "must not be empty"),
        ('[digests]\ntimezone = "../../etc/passwd"', "digests.timezone", "unknown time zone"),
        (f'[[feeds]]\nname = "{"n" * 201}"\nurl = "https://a"', "feeds[0].name", "at most 200"),
        (f'[[topics]]\nid = "{"t" * 101}"\ntitle = "T"\nany = ["China"]', "topics[0].id", "at most 100"),
    ],
)
def test_numbers_are_finite_and_in_range_and_cron_and_zone_are_checked_at_load(
        tmp_path: Path, toml: str, key: str, words: str) -> None:
    err = refused(tmp_path, toml)
    assert err.key == key
    assert words in str(err)


def test_an_upper_case_scheme_is_the_same_scheme(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[feeds]]\nname = "x"\nurl = "HTTPS://Example.org/Feed"\n')
    assert load_settings(cfg).feeds[0].url == "https://Example.org/Feed"


def test_logging_format_json_is_read(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[logging]\nformat = "JSON"\nlevel = "warning"\n')
    s = load_settings(cfg)
    assert (s.log_format, s.log_level) == ("json", "warning")


def test_config_feeds_may_carry_tags(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[[feeds]]\nname = "x"\nurl = "https://a.example/rss"\ntags = ["wires", " asia ", "wires"]\n')
    assert load_settings(cfg).feeds[0].tags == ("wires", "asia")
    err = refused(tmp_path, '[[feeds]]\nname = "x"\nurl = "https://a"\ntags = "wires"')
    assert err.key == "feeds[0].tags" and 'tags = ["wires", "asia"]' in str(err)
    err = refused(tmp_path, '[[feeds]]\nname = "x"\nurl = "https://a"\ntags = ["a,b"]')
    assert err.key == "feeds[0].tags" and "without a comma" in str(err)
