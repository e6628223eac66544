"""`prwatch figures`: a measure's statements across sources, with the conflict and the
revision marked, by key or by subject, in a table, CSV or JSON; `--list` counts the
measures; mistakes are one line. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from conftest import TOPIC_TOML

from monitor.app.cli.figures import HISTORY_COLUMNS
from storage.sql.engine import open_store
from tests.ask_sample import TOPIC, TRADE, feed, figure, fill_figures, release


@pytest.fixture(scope="module")
def cfg(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One filled store per backend for the module: these tests only read it."""
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text(f'[storage]\nurl = "{module_db_url}"\n\n{TOPIC_TOML}', encoding="utf-8")
    store = open_store(module_db_url)
    with store.session() as s:
        fill_figures(s)
    store.dispose()
    return str(path)


def history(prwatch: Callable[..., Result], cfg: str, *args: str) -> list[dict]:
    r = prwatch("--config", cfg, "figures", *args, "--format", "json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["statements"]


def test_the_history_lists_the_conflict_and_the_revision(prwatch: Callable[..., Result], cfg: str) -> None:
    lines = history(prwatch, cfg, "--measure", TRADE)
    assert [(x["period"], x["feed"], x["value"], x["status"]) for x in lines] == [
        ("2023", "Astana Wire", 41e9, "first"),
        ("2023", "Silk Road Daily", 43.8e9, "first"),
        ("2023", "Astana Wire", 43.8e9, "revised"),
        ("2024-H1", "Silk Road Daily", 22e9, "first"),
        ("target 2030", "Steppe News", 35e9, "first"),
        (None, "Astana Wire", 41e9, ""),
    ]
    first, disputed, revised = lines[:3]
    assert [(c["feed"], c["value"]) for c in first["conflicts"]] == [("Silk Road Daily", 43.8e9)]
    assert [(c["feed"], c["value"]) for c in disputed["conflicts"]] == [("Astana Wire", 41e9)]
    assert revised["revised_from"]["value"] == 41e9 and revised["conflicts"] == []
    assert first["carried_by"] == ["Steppe News"]  # the copy is not a second statement


def test_the_table_marks_them_for_people(prwatch: Callable[..., Result], cfg: str,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")  # a wide terminal: rows on one line each
    r = prwatch("--config", cfg, "figures", "--measure", TRADE)
    assert r.exit_code == 0, r.output
    text = " ".join(r.stdout.split())
    assert "China–Kazakhstan trade (trade/cn-kz): 6 statements from 3 sources, 1 revised, 2 in conflict" in text
    assert "conflict: Silk Road Daily 43.8 billion USD" in text
    assert "was 41 billion USD (2024-07-21)" in text


def test_filters_topic_feed_and_periods(prwatch: Callable[..., Result], cfg: str) -> None:
    assert {x["period"] for x in history(prwatch, cfg, "--measure", TRADE, "--since", "2024")} == {
        "2024-H1", "target 2030", None}  # the undated one: released in 2024
    assert {x["period"] for x in history(prwatch, cfg, "--measure", TRADE, "--until", "2023")} == {"2023"}
    assert "2024-H1" not in {x["period"] for x in history(prwatch, cfg, "--measure", TRADE, "--topic", TOPIC)}
    assert {x["feed"] for x in history(prwatch, cfg, "--measure", TRADE, "--feed", "Steppe News")} == {"Steppe News"}


def test_a_subject_finds_figures_stored_before_measure_keys(prwatch: Callable[..., Result], cfg: str) -> None:
    lines = history(prwatch, cfg, "--subject", "Trade, two-way")
    assert [(x["feed"], x["value"], x["measure"]) for x in lines if x["period"] == "2022"] == [
        ("Astana Wire", 31e9, None), ("Silk Road Daily", 31.5e9, None)]
    assert [c["value"] for c in lines[1]["conflicts"]] == [31e9]


def test_csv_has_the_documented_columns_and_reads_back(prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "figures", "--measure", TRADE, "--format", "csv")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert tuple(rows[0]) == HISTORY_COLUMNS and len(rows) == 6
    assert rows[1]["conflicts"] == "Astana Wire=41000000000 USD" and rows[2]["revised_from_value"] == "41000000000"
    assert float(rows[2]["value"]) == 43.8e9


def test_list_counts_the_measures(prwatch: Callable[..., Result], cfg: str) -> None:
    r = prwatch("--config", cfg, "figures", "--list", "--format", "json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    by_key = {m["measure"]: m for m in out["measures"]}
    assert (by_key[TRADE]["figures"], by_key[TRADE]["feeds"], by_key[TRADE]["periods"]) == (7, 3, 3)
    assert by_key[TRADE]["label"] == "China–Kazakhstan trade"
    assert by_key["exports/kz-to-cn/wheat"]["label"] == "Kazakhstan's exports to China · wheat"
    assert out["figures_without_measure"] == 2
    r = prwatch("--config", cfg, "figures", "--list")
    assert r.exit_code == 0 and "2 figures have no measure key" in r.stdout


@pytest.mark.parametrize(("args", "message"), [
    ([], "give one of --measure KEY, --subject TEXT or --list"),
    (["--list", "--measure", TRADE], "not --measure and --list together"),
    (["--measure", "trade/cn-kzz"], "no figure states the measure 'trade/cn-kzz' (did you mean `trade/cn-kz`?)"),
    (["--subject", "the of"], "has no words to compare"),
    (["--measure", TRADE, "--format", "xml"], "'xml' is not one of"),
])
def test_mistakes_are_one_line(prwatch: Callable[..., Result], cfg: str, args: list[str], message: str) -> None:
    r = prwatch("--config", cfg, "figures", *args)
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr


def test_a_known_measure_without_statements_is_an_empty_history(prwatch: Callable[..., Result], cfg: str) -> None:
    assert history(prwatch, cfg, "--measure", "flights/cn-kz") == []
    r = prwatch("--config", cfg, "figures", "--measure", "flights/cn-kz")
    assert r.exit_code == 0 and "no statements" in r.stdout


def test_csv_is_safe_to_open_in_a_spreadsheet(prwatch: Callable[..., Result], db_url: str, tmp_path: Path) -> None:
    store = open_store(db_url)
    with store.session() as s:
        r = release(s, feed(s, "@Wire"), '=HYPERLINK("https://evil.test","trade")', "Trade fell.", day=3)
        figure(s, r, 0, -2.5, "2024", measure="trade/cn-kz/growth", unit="%", kind="percent", text="-2.5%")
    store.dispose()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "{db_url}"\n\n{TOPIC_TOML}', encoding="utf-8")
    r = prwatch("--config", str(cfg), "figures", "--measure", "trade/cn-kz/growth", "--format", "csv")
    assert r.exit_code == 0, r.output
    [row] = list(csv.DictReader(io.StringIO(r.stdout)))
    assert (row["title"], row["feed"], row["text"]) == ('\'=HYPERLINK("https://evil.test","trade")', "'@Wire", "'-2.5%")
    assert row["value"] == "-2.5"  # a number stays a number
