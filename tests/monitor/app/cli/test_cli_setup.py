"""Getting started: `prwatch init` writes a commented config and a sample feed that work at
once; `prwatch config check` prints the settings as prwatch reads them; shell completion."""

from __future__ import annotations

import json
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from procs import PRWATCH

from monitor.config import load_settings

REPO = Path(__file__).resolve().parents[4]


def test_init_writes_a_config_and_a_sample_feed_that_fetch_offline(
        prwatch: Callable[..., Result], tmp_path: Path) -> None:
    r = prwatch("init", "news")
    assert r.exit_code == 0, r.output
    config = tmp_path / "news" / "config.toml"
    assert "# " in config.read_text() and (tmp_path / "news" / "feeds" / "sample-wire.xml").exists()
    assert "prwatch config check && prwatch fetch" in r.stdout
    settings = load_settings(config)
    assert [t.id for t in settings.topics] == ["china-kazakhstan"]
    r = prwatch("--config", str(config), "fetch", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["feeds"][0]["state"] == "updated" and out["new"] == 2
    assert out["digests"] and Path(out["digests"][0]["path"]).parent == tmp_path / "news" / "digests"


def test_init_never_overwrites_and_writes_nothing_when_it_refuses(prwatch: Callable[..., Result],
                                                                  tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("# mine\n")
    r = prwatch("init")
    assert r.exit_code == 1 and "already exists; nothing was written" in r.stderr
    assert (tmp_path / "config.toml").read_text() == "# mine\n" and not (tmp_path / "feeds").exists()


def test_the_init_template_carries_the_shipped_topic() -> None:
    template = tomllib.loads((REPO / "monitor" / "app" / "templates" / "config.toml").read_text())
    shipped = tomllib.loads((REPO / "config.toml").read_text())
    assert template["topics"] == [t for t in shipped["topics"] if t["id"] == "china-kazakhstan"]


def test_config_check_prints_resolved_settings_with_absolute_paths(
        prwatch: Callable[..., Result], tmp_path: Path) -> None:
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "config.toml").write_text('[storage]\nurl = "postgresql://me:secret@db.example/prwatch"\n'
                                      '[digests]\ndirectory = "out"\nschedule = "30 6 * * 1-5"\n'
                                      '[[feeds]]\nname = "local"\nurl = "file://feeds/a.xml"\n')
    r = prwatch("--config", str(conf / "config.toml"), "config", "check", "--json")
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert got["digests"]["directory"] == str(conf / "out")
    assert got["digests"]["schedule"] == "30 6 * * mon,tue,wed,thu,fri"
    assert got["feeds"][0]["url"] == (conf / "feeds" / "a.xml").as_uri()
    assert "secret" not in r.stdout and got["storage"]["url"].startswith("postgresql+psycopg://me:***@")
    text = prwatch("--config", str(conf / "config.toml"), "config", "check").stdout
    assert f"{conf / 'config.toml'}: OK" in text and f'digests.directory = "{conf / "out"}"' in text


def test_config_check_refuses_a_bad_config_with_exit_2(prwatch: Callable[..., Result], tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text("[poll]\ninterval_minutes = nan\n")
    r = prwatch("config", "check")
    assert r.exit_code == 2
    assert r.stderr.startswith("prwatch: config error: poll.interval_minutes: must be a finite number")


@pytest.mark.parametrize(("shell", "marker"), [("bash", "complete -o nosort -F"), ("zsh", "#compdef prwatch"),
                                              ("fish", "complete --no-files --command prwatch")])
def test_completion_scripts(prwatch: Callable[..., Result], shell: str, marker: str) -> None:
    r = prwatch("completion", shell)
    assert r.exit_code == 0 and marker in r.stdout and "_PRWATCH_COMPLETE" in r.stdout


def test_bash_completion_completes_commands_and_options(tmp_path: Path) -> None:
    env = {"_PRWATCH_COMPLETE": "bash_complete", "COMP_WORDS": "prwatch fe", "COMP_CWORD": "1", "PATH": "/usr/bin"}
    out = subprocess.run([PRWATCH], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "plain,feeds" in out and "plain,fetch" in out
    env.update(COMP_WORDS="prwatch fetch --no", COMP_CWORD="2")
    assert "plain,--no-digest" in subprocess.run([PRWATCH], env=env, capture_output=True, text=True, timeout=60).stdout


def test_the_service_config_of_the_readme_and_the_unit_write_only_under_var_lib(tmp_path: Path) -> None:
    """The README's service config, loaded from /etc/prwatch, points into the unit's only
    writable directory, whatever the config's own folder."""
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Running as a service"):]
    block = section[section.index("```toml\n") + 8:section.index("```\n", section.index("```toml\n"))]
    from monitor.config import settings_from_mapping

    settings = settings_from_mapping(tomllib.loads(block), Path("/etc/prwatch/config.toml"))
    assert settings.storage.url == "sqlite:////var/lib/prwatch/prwatch.db"
    assert settings.digests.directory == Path("/var/lib/prwatch/digests")
    unit = (REPO / "contrib" / "prwatch.service").read_text()
    assert "ReadWritePaths=/var/lib/prwatch" in unit and "StateDirectory=prwatch" in unit
    assert "ProtectSystem=strict" in unit and 'url = "sqlite:////var/lib/prwatch/prwatch.db"' in unit


def test_bash_completion_offers_feed_names_and_topic_ids(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[storage]\nurl = "sqlite:///p.db"\n'
                                          '[[feeds]]\nname = "Steppe Wire"\nurl = "https://s.example/rss"\n'
                                          '[[topics]]\nid = "steppe-ports"\ntitle = "Ports"\nany = ["port"]\n')
    cfg = str(tmp_path / "config.toml")

    def complete(words: str) -> str:
        env = {"_PRWATCH_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1),
               "PATH": "/usr/bin"}
        return subprocess.run([PRWATCH], env=env, capture_output=True, text=True, timeout=60).stdout
    assert "plain,Steppe Wire" in complete(f"prwatch --config {cfg} fetch --feed St")
    assert "plain,steppe-ports" in complete(f"prwatch --config {cfg} digest --topic st")
