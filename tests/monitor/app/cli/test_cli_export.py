"""`prwatch export releases|figures|milestones`: fixed, documented columns; CSV that reads back
through the csv module whatever the text (commas, quotes, line breaks, other scripts) and
that a spreadsheet never runs as a formula; JSON lines that keep the text as stored; the
filters; a file written whole or not at all; a closed pipe ends it quietly; mistakes are one
line. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result
from conftest import REPO, TOPIC_TOML
from sqlalchemy import insert

from storage.sql.engine import open_store
from storage.sql.models import Release
from tests.ask_sample import EVIL_FEED, FORMULA_TITLE, MULTILINE_TITLE, T0, TOPIC, feed, fill_export

# The columns as the README documents them: changing one breaks every user's script.
COLUMNS = {
    "releases": ["release_id", "story_id", "feed", "released_at", "published_at", "first_seen_at", "title", "url",
                 "topics", "revision", "analysis_note"],
    "figures": ["release_id", "position", "story_id", "feed", "released_at", "measure", "subject", "period", "value",
                "unit", "kind", "qualifier", "text", "measure_key", "url", "sentence"],
    "milestones": ["release_id", "position", "story_id", "feed", "released_at", "date", "year", "event", "status",
                   "event_key", "url", "sentence"],
}


@pytest.fixture(scope="module")
def sample(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    """One filled store per backend for the module (these tests only read it): the config's
    path and the sample's release ids by name."""
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text(f'[storage]\nurl = "{module_db_url}"\n\n{TOPIC_TOML}', encoding="utf-8")
    store = open_store(module_db_url)
    with store.session() as s:
        ids = {name: r.id for name, r in fill_export(s).items()}
    store.dispose()
    return str(path), ids


@pytest.fixture
def cfg(sample: tuple[str, dict[str, int]]) -> str:
    return sample[0]


@pytest.fixture
def ids(sample: tuple[str, dict[str, int]]) -> dict[str, int]:
    return sample[1]


def as_csv(prwatch: Callable[..., Result], cfg: str, what: str, *args: str) -> list[dict[str, str]]:
    r = prwatch("--config", cfg, "export", what, "--format", "csv", *args)
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    return list(csv.DictReader(io.StringIO(r.stdout_bytes.decode("utf-8"), newline="")))


def as_jsonl(prwatch: Callable[..., Result], cfg: str, what: str, *args: str) -> list[dict[str, object]]:
    r = prwatch("--config", cfg, "export", what, "--format", "jsonl", *args)
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.stdout.splitlines()]


@pytest.mark.parametrize("what", COLUMNS)
def test_the_columns_are_the_documented_ones_in_order(prwatch: Callable[..., Result], cfg: str, what: str) -> None:
    r = prwatch("--config", cfg, "export", what, "--format", "csv")
    assert next(csv.reader(io.StringIO(r.stdout))) == COLUMNS[what]
    assert all(list(row) == COLUMNS[what] for row in as_jsonl(prwatch, cfg, what))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"#### `prwatch export {what}`", 1)[1].split("\n#", 1)[0]
    assert re.findall(r"^\| `(\w+)` \|", section, re.M) == COLUMNS[what]  # each column documented, in order


def test_releases_read_back_through_the_csv_module_whatever_their_text(
        prwatch: Callable[..., Result], cfg: str, ids: dict[str, int]) -> None:
    rows = {int(r["release_id"]): r for r in as_csv(prwatch, cfg, "releases")}
    assert sorted(rows) == sorted(ids.values())
    lead, off, evil, late = rows[ids["lead"]], rows[ids["off"]], rows[ids["evil"]], rows[ids["late"]]
    assert lead["title"] == 'Wheat exports, a "record" year' and lead["topics"] == f"{TOPIC};grain"
    assert rows[ids["copy"]]["story_id"] == lead["story_id"] == str(ids["lead"])  # copies of one story join on it
    assert off["title"] == MULTILINE_TITLE and off["url"] == "" and off["topics"] == ""
    assert evil["title"] == "'" + FORMULA_TITLE and evil["feed"] == "'" + EVIL_FEED  # shown as text, never run
    assert late["title"] == "'\tTabs +plus Қазақстан 中文 العربية 🚀" and late["published_at"] == ""
    assert datetime.fromisoformat(lead["released_at"]) == T0 + timedelta(days=10)
    assert late["released_at"] == late["first_seen_at"]  # no publication date: placed when first seen
    assert lead["analysis_note"] == "" and off["analysis_note"] == "analysed the first 10 of 99 characters"


def test_figures_and_milestones_join_their_releases_and_keep_numbers_numbers(
        prwatch: Callable[..., Result], cfg: str, ids: dict[str, int]) -> None:
    releases = {r["release_id"]: r for r in as_csv(prwatch, cfg, "releases")}
    figures = as_csv(prwatch, cfg, "figures")
    assert [(int(f["release_id"]), f["position"]) for f in figures] == sorted(
        (ids[n], "0") for n in ("lead", "copy", "evil", "off", "late"))
    for f in figures:
        r = releases[f["release_id"]]
        assert (f["url"], f["feed"], f["story_id"], f["released_at"]) == (r["url"], r["feed"], r["story_id"],
                                                                          r["released_at"])
    evil = next(f for f in figures if f["release_id"] == str(ids["evil"]))
    assert evil["value"] == "-3.2" and float(evil["value"]) == -3.2  # a number, not escaped
    assert (evil["text"], evil["subject"], evil["unit"], evil["kind"]) == ("'-3.2%", "'+growth of trade", "%", "percent")
    lead = next(f for f in figures if f["release_id"] == str(ids["lead"]))
    assert (lead["value"], lead["measure"], lead["period"]) == ("41000000000", "trade/cn-kz", "2023")
    assert lead["measure_key"] == "money|money|m:trade/cn-kz|2023"
    milestones = {m["release_id"]: m for m in as_csv(prwatch, cfg, "milestones")}
    assert set(milestones) <= set(releases)
    assert (milestones[str(ids["lead"])]["date"], milestones[str(ids["lead"])]["status"]) == ("2025-03-01", "announced")
    assert milestones[str(ids["evil"])]["event"] == "'" + '@the "deal", signed\nat the border'
    assert milestones[str(ids["off"])]["event"] == "'-\tthe port reopens"
    assert milestones[str(ids["evil"])]["year"] == "2019" and milestones[str(ids["evil"])]["status"] == "happened"


def test_json_lines_keep_the_text_as_stored_and_the_values_typed(
        prwatch: Callable[..., Result], cfg: str, ids: dict[str, int]) -> None:
    releases = {r["release_id"]: r for r in as_jsonl(prwatch, cfg, "releases")}
    assert releases[ids["evil"]]["title"] == FORMULA_TITLE and releases[ids["evil"]]["feed"] == EVIL_FEED
    assert releases[ids["off"]]["title"] == MULTILINE_TITLE and releases[ids["off"]]["url"] is None
    assert releases[ids["lead"]]["topics"] == [TOPIC, "grain"] and releases[ids["off"]]["topics"] == []
    assert releases[ids["late"]]["published_at"] is None
    figures = {f["release_id"]: f for f in as_jsonl(prwatch, cfg, "figures")}
    assert figures[ids["evil"]]["value"] == -3.2 and figures[ids["evil"]]["text"] == "-3.2%"
    assert figures[ids["lead"]]["value"] == 41e9 and figures[ids["off"]]["measure"] is None
    milestones = {m["release_id"]: m for m in as_jsonl(prwatch, cfg, "milestones")}
    assert milestones[ids["evil"]]["year"] == 2019
    r = prwatch("--config", cfg, "export", "releases", "--format", "jsonl")
    assert r.stdout_bytes.decode("utf-8").count("\n") == len(releases)  # one line each, text's own breaks escaped


@pytest.mark.parametrize("what", COLUMNS)
def test_filters_select_by_the_release(prwatch: Callable[..., Result], cfg: str, ids: dict[str, int],
                                       what: str) -> None:
    def exported(*args: str) -> set[int]:
        return {int(str(r["release_id"])) for r in as_jsonl(prwatch, cfg, what, *args)}
    everything = exported()
    assert exported("--topic", TOPIC) == everything - {ids["off"]}
    assert exported("--since", "2024-07-13") == everything & {ids["evil"], ids["off"], ids["late"]}
    assert exported("--until", "2024-07-12") == everything & {ids["lead"], ids["copy"]}
    assert exported("--since", "2024-07-13", "--until", "2024-07-13") == everything & {ids["evil"]}
    assert exported("--feed", "Steppe News") == everything & {ids["copy"], ids["off"]}
    assert exported("--since", "2025") == set()


def test_until_includes_the_whole_day_month_or_year(prwatch: Callable[..., Result], cfg: str, ids: dict[str, int]) -> None:
    def exported(*args: str) -> set[int]:
        return {int(str(r["release_id"])) for r in as_jsonl(prwatch, cfg, "releases", *args)}
    assert exported("--until", "2024-07-13") == {ids["lead"], ids["copy"], ids["evil"]}  # the 13th 09:00 is in
    assert exported("--until", "2024-07") == exported() - {ids["late"]}  # 2024-08-10 is not


@pytest.mark.parametrize(("args", "message"), [
    (["figures", "--since", "2024-02-30"], "Invalid value for '--since': must be a year, month or day"),
    (["figures", "--until", "yesterday"], "Invalid value for '--until': must be a year, month or day"),
    (["figures", "--topic", "nope"], "no topic with id 'nope'"),
    (["figures", "--feed", "Steppe"], "no feed named 'Steppe' (did you mean `Steppe News`?)"),
    (["figures", "--since", "2025", "--until", "2024"], "--since 2025 is after --until 2024"),
    (["figures", "--format", "xlsx"], "'xlsx' is not one of 'csv', 'jsonl'"),
    (["stories"], "'stories' is not one of 'releases', 'figures', 'milestones'"),
    (["figures", "--output", "no/such/folder/x.csv"], "the folder no/such/folder does not exist"),
])
def test_mistakes_are_one_line(prwatch: Callable[..., Result], cfg: str, args: list[str], message: str) -> None:
    r = prwatch("--config", cfg, "export", *args)
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.splitlines()) == 1, r.stderr
    assert r.stdout == ""


def test_a_file_is_written_whole_or_not_at_all(prwatch: Callable[..., Result], cfg: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "figures.csv"
    r = prwatch("--config", cfg, "export", "figures", "--output", str(target))
    assert r.exit_code == 0 and r.stdout == f"wrote 5 figures to {target}\n", r.output
    assert target.read_bytes() == prwatch("--config", cfg, "export", "figures").stdout_bytes

    from monitor.app.cli import export as command

    def fail_half_way(rows, what, fmt, out, **kw):  # type: ignore[no-untyped-def]
        out.write(b"release_id,position\r\n1,0\r\n")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(command, "write", fail_half_way)
    again = tmp_path / "again.csv"
    r = prwatch("--config", cfg, "export", "figures", "-o", str(again))
    assert r.exit_code == 1 and "No space left on device" in r.stderr
    assert not again.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["figures.csv"]  # no temporary left


def test_a_reader_that_goes_away_ends_the_export_quietly(db_url: str, tmp_path: Path) -> None:
    """`prwatch export releases | head -1`: far more rows than a pipe holds, the reader closes
    after one line; the export stops without a word (status 141, as every command)."""
    store = open_store(db_url)
    with store.session() as s:
        wire = feed(s, "Wire")
        s.execute(insert(Release), [dict(feed_id=wire.id, guid=f"g{i}", title=f"Release {i} " + "x" * 2000,
                                         first_seen_at=T0, updated_at=T0, text="", content_hash=str(i), revision=1)
                                    for i in range(500)])  # about 1 MB of CSV
    store.dispose()
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "{db_url}"\n', encoding="utf-8")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "prwatch"), "--config", str(cfg), "export", "releases"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"release_id,")
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""
