"""Near misses through the whole product, on SQLite and PostgreSQL: a release that came within
0.1 of a topic's min_score without matching is recorded when a poll analyses it, listed by
`prwatch topics near-misses`, counted in the footer of its period's digest, and kept right by
`prwatch topics rematch` after the threshold is edited, by a revision, and by a purge."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import TOPIC_TOML

from monitor.config import Settings

# Scores against the shipped China–Kazakhstan topic (`prwatch extract` shows them):
# NEAR 0.39 (0.06 under 0.45), FAR 0.21, MATCH 0.92.
NEAR = ("nm-near", "Gas exports", "Kazakhstan shipped more gas abroad this year. Buyers in China took most of it.")
FAR = ("nm-far", "Regional grain harvest",
       "Farmers in the north of Kazakhstan brought in a record wheat harvest this autumn, the ministry said. "
       "Yields rose in every region, helped by late rain and new seed varieties. Storage capacity was expanded "
       "ahead of the season. Rail operators added wagons to move the grain to ports and mills. Part of the crop "
       "may later be sold to buyers in China, traders said. Prices on the domestic market stayed stable through October.")
MATCH = ("nm-match", "Kazakhstan and China open a new border crossing at Bakhty",
         "ASTANA, June 3, 2025 -- Kazakhstan and China opened a new border crossing at Bakhty on Tuesday, the "
         "Kazakh transport ministry said. Trade between China and Kazakhstan reached $38 billion in 2024.")
OTHER_DAY = ("nm-later", "Gas exports resume", NEAR[2])


def topic(min_score: float) -> str:
    """The shipped China–Kazakhstan topic alone, with this threshold."""
    first = "[[topics]]" + TOPIC_TOML.split("[[topics]]")[1]
    assert "min_score = 0.5" in first
    return first.replace("min_score = 0.5", f"min_score = {min_score}", 1)


def write_feed(path: Path, items: list[tuple[str, str, str]], day: dict[str, int] | None = None) -> str:
    body = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><link>https://wire.test/{guid}</link>"
        f"<pubDate>{(day or {}).get(guid, 3):02d} Jun 2025 08:00:00 +0000</pubDate>"
        f"<description>{text}</description></item>" for guid, title, text in items)
    path.write_text(f'<rss version="2.0"><channel><title>Wire</title>{body}</channel></rss>', encoding="utf-8")
    return path.as_uri()


def near_misses(prwatch: Callable[..., Any], cfg: str, *args: str) -> list[dict[str, Any]]:
    r = prwatch("--config", cfg, "topics", "near-misses", "--json", *args)
    assert r.exit_code == 0, r.output
    return list(json.loads(r.stdout)["near_misses"])


def test_a_release_just_under_the_threshold_is_listed_counted_and_rematched(
        prwatch: Callable[..., Any], write_config: Callable[..., Settings], db_url: str, tmp_path: Path) -> None:
    url = write_feed(tmp_path / "wire.xml", [NEAR, FAR, MATCH, OTHER_DAY], day={"nm-later": 5})
    settings = write_config([("wire", url)], db_url=db_url, topics=topic(0.45))
    cfg = str(settings.path)
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0

    found = near_misses(prwatch, cfg)
    # the one just under is listed, with what decided; the far one and the match are not
    assert [n["title"] for n in found] == ["Gas exports resume", "Gas exports"]
    near = found[1]
    assert (near["topic"], near["threshold"], near["feed"], near["url"]) == (
        "china-kazakhstan", 0.45, "wire", "https://wire.test/nm-near")
    assert 0.35 <= near["score"] < 0.45 and near["published_at"].startswith("2025-06-03T08:00")
    assert any(reason.startswith("China:") for reason in near["reasons"])
    assert [n["title"] for n in near_misses(prwatch, cfg, "--topic", "china-kazakhstan", "--since", "2025-06-04")] \
        == ["Gas exports resume"]
    assert near_misses(prwatch, cfg, "--since", "2025-06-03", "--until", "2025-06-03") == [near]

    r = prwatch("--config", cfg, "topics", "near-misses")
    assert r.exit_code == 0 and "0.39 / 0.45  china-kazakhstan  Gas exports" in r.stdout
    assert "wire · 2025-06-03 08:00 · https://wire.test/nm-near" in r.stdout

    # the digest of 3 June counts its own near miss (not the one of 5 June) and says how to list it
    r = prwatch("--config", cfg, "digest", "--date", "2025-06-03")
    assert r.exit_code == 0, r.output
    text = (tmp_path / "digests" / "2025-06-03-china-kazakhstan.md").read_text(encoding="utf-8")
    assert text.rstrip().endswith(
        "1 release came within 0.1 of this topic's threshold: "
        "`prwatch topics near-misses --topic china-kazakhstan --since 2025-06-03 --until 2025-06-03`")

    # a lower threshold: the near miss now matches, the far one comes within 0.1
    settings = write_config([("wire", url)], db_url=db_url, topics=topic(0.3))
    r = prwatch("--config", cfg, "topics", "rematch", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["added"] == 2  # both gas releases now match
    assert [(n["title"], n["threshold"]) for n in near_misses(prwatch, cfg)] == [("Regional grain harvest", 0.3)]
    # a higher one: nothing is within 0.1 any more
    settings = write_config([("wire", url)], db_url=db_url, topics=topic(0.6))
    assert prwatch("--config", cfg, "topics", "rematch").exit_code == 0
    assert near_misses(prwatch, cfg) == []
    prwatch("--config", cfg, "digest", "--date", "2025-06-03")
    text = (tmp_path / "digests" / "2025-06-03-china-kazakhstan.md").read_text(encoding="utf-8")
    assert "near-misses" not in text


def test_a_threshold_edit_that_keeps_the_near_miss_updates_its_threshold(
        prwatch: Callable[..., Any], write_config: Callable[..., Settings], db_url: str, tmp_path: Path) -> None:
    url = write_feed(tmp_path / "wire.xml", [NEAR])
    settings = write_config([("wire", url)], db_url=db_url, topics=topic(0.45))
    cfg = str(settings.path)
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0
    write_config([("wire", url)], db_url=db_url, topics=topic(0.42))
    r = prwatch("--config", cfg, "topics", "rematch", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["near_misses_changed"] == 1
    assert [n["threshold"] for n in near_misses(prwatch, cfg)] == [0.42]


def test_a_revision_and_a_purge_keep_near_misses_consistent(
        prwatch: Callable[..., Any], write_config: Callable[..., Settings], db_url: str, tmp_path: Path) -> None:
    feed = tmp_path / "wire.xml"
    url = write_feed(feed, [NEAR, FAR])
    settings = write_config([("wire", url)], db_url=db_url, topics=topic(0.45))
    cfg = str(settings.path)
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0
    assert [n["title"] for n in near_misses(prwatch, cfg)] == ["Gas exports"]

    # the wire revises the gas release into a full China–Kazakhstan story: a match, no longer a near miss
    write_feed(feed, [(NEAR[0], "China and Kazakhstan agree on gas exports", MATCH[2]), FAR])
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0
    assert near_misses(prwatch, cfg) == []

    write_feed(feed, [NEAR[:2] + (NEAR[2] + " More is planned.",), FAR])  # revised back: a near miss again
    assert prwatch("--config", cfg, "fetch", "-q", "--no-digest").exit_code == 0
    assert [n["title"] for n in near_misses(prwatch, cfg)] == ["Gas exports"]
    assert prwatch("--config", cfg, "purge", "--older-than", "0").exit_code == 0
    assert near_misses(prwatch, cfg) == []


def test_an_unknown_topic_is_one_line(prwatch: Callable[..., Any], write_config: Callable[..., Settings]) -> None:
    settings = write_config([], topics=topic(0.45))
    r = prwatch("--config", str(settings.path), "topics", "near-misses", "--topic", "china-kazakstan")
    assert r.exit_code == 2 and "china-kazakhstan" in r.stderr and "Traceback" not in r.output
