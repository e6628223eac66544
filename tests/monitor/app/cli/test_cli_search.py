"""`prwatch search` as users meet it: results with highlights and "also carried by", JSON for
scripts, -word on the command line, filters checked, and hostile queries answered in one
line (or read literally), never with a traceback, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result
from conftest import TOPIC_TOML

from storage.sql.engine import open_store
from tests.ask_sample import HOSTILE_TITLE, TOPIC, fill


@pytest.fixture(scope="module")
def cfg(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One filled store per backend for the module: these tests only read it."""
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text(f'[storage]\nurl = "{module_db_url}"\n\n{TOPIC_TOML}', encoding="utf-8")
    store = open_store(module_db_url)
    with store.session() as s:
        fill(s)
    store.dispose()
    return str(path)


def test_results_show_the_story_once_with_highlights_and_the_other_carrier(
        prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "search", "wheat", "exports")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "  1. Wheat exports to China rise"
    assert lines[1].startswith("     Astana Wire · 2024-07-11 09:00 · https://astana-wire.test/")
    assert "Kazakhstan said wheat exports to China rose" in lines[2]
    assert lines[3] == "     also carried by: Steppe News (2024-07-11)"
    assert len([x for x in lines if x.startswith("  ") and x[3] == "."]) == 1  # one story, not two copies


def test_json_gives_each_hit_with_the_offsets_of_its_highlights(prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "search", '"wheat exports"', "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["read_as"] == '"wheat exports"' and out["more"] is False
    [hit] = out["results"]
    assert hit["feed"] == "Astana Wire" and [c["feed"] for c in hit["also_carried_by"]] == ["Steppe News"]
    marked = [hit["title"][a:b] for a, b in hit["title_highlights"]]
    assert [m.lower() for m in marked] in (["wheat exports"], ["wheat", "exports"])
    assert all(hit["snippet"][a:b].lower() in ("wheat", "exports", "wheat exports") for a, b in hit["snippet_highlights"])
    assert hit["published_at"].startswith("2024-07-11T09:00:00")


def test_a_word_with_a_dash_excludes_even_where_it_looks_like_an_option(
        prwatch: Callable[..., Result], cfg: str) -> None:
    everything = json.loads(prwatch("--config", cfg, "search", "wheat", "--json").stdout)["results"]
    assert {h["title"] for h in everything} >= {"Flour mills", "Wheat exports to China rise"}
    r = prwatch("--config", cfg, "search", "wheat", "-russia", "-vodka", "--json")
    assert r.exit_code == 0, r.output
    assert "Flour mills" not in {h["title"] for h in json.loads(r.stdout)["results"]}
    assert json.loads(r.stdout)["read_as"] == "wheat -russia -vodka"


def test_filters_are_checked_and_applied(prwatch: Callable[..., Result], cfg: str) -> None:
    def found(*args: str) -> set[str]:
        r = prwatch("--config", cfg, "search", "wheat", "--json", *args)
        assert r.exit_code == 0, r.output
        return {h["title"] for h in json.loads(r.stdout)["results"]}
    assert "Flour mills" not in found("--topic", TOPIC)
    assert found("--feed", "Silk Road Daily") == {"Flour mills"}
    assert found("--since", "2024-07-14") == {"Flour mills"}
    assert found("--until", "2024-07-12") == {"Wheat exports to China rise"}  # the whole of the 12th: up to the 11th
    assert found("--since", "2024-08") == set()
    for args, message in ((["--feed", "Silk Road"], "no feed named 'Silk Road' (did you mean `Silk Road Daily`?)"),
                          (["--topic", "nope"], "no topic with id 'nope'"),
                          (["--since", "2024-02-30"], "must be a year, month or day"),
                          (["--since", "2025", "--until", "2024"], "--since 2025 is after --until 2024"),
                          (["--limit", "0"], "0 is not in the range")):
        r = prwatch("--config", cfg, "search", "wheat", *args)
        assert r.exit_code == 2 and message in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def test_text_from_feeds_is_printed_safely(prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "search", "deal")
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout and "\r" not in r.stdout
    assert "[/b] :smile:" in r.stdout and "[bold]deal[/bold]" in r.stdout  # no markup, no emoji
    assert "\ufffd" in r.stdout
    as_json = json.loads(prwatch("--config", cfg, "search", "deal", "--json").stdout)
    assert as_json["results"][0]["title"] == HOSTILE_TITLE  # JSON keeps the text as stored, escaped by JSON


HOSTILE = ['"', '"unclosed phrase', "wheat)", "((wheat", "NEAR(wheat exports)", "wheat*", "^wheat", "{title}:wheat",
           "title:wheat", "wheat AND", "OR", "AND OR NOT", "'; DROP TABLE releases; --", "%", "\\", "\x00wheat",
           "wheat \x1b[2J", "-", "--", "' OR 1=1 --", "$$", "ü", "中文", "a" * 999]


def test_hostile_queries_get_results_or_one_clear_line_never_a_traceback(
        prwatch: Callable[..., Result], cfg: str) -> None:
    for query in HOSTILE:
        r = prwatch("--config", cfg, "search", "--", query)
        assert r.exit_code in (0, 2), (query, r.output)
        assert "Traceback" not in r.output and "internal error" not in r.stderr, (query, r.stderr)
        if r.exit_code == 2:
            [line] = r.stderr.splitlines()
            assert line.startswith("prwatch search: Invalid value for QUERY: "), line
    r = prwatch("--config", cfg, "search", "--", "a" * 1001)
    assert r.exit_code == 2 and "at most 1,000 are accepted" in r.stderr
    r = prwatch("--config", cfg, "search", "--", "-wheat")
    assert r.exit_code == 2 and "only excludes" in r.stderr
    r = prwatch("--config", cfg, "search", '"unclosed phrase')
    assert r.exit_code == 0 and "note: the last quote is not closed" in r.stderr
    r = prwatch("--config", cfg, "search", "-q", '"unclosed phrase')
    assert r.stderr == ""


def test_nothing_found_says_so(prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "search", "zebra")
    assert r.exit_code == 0 and r.stdout.strip() == "no release matches zebra"
