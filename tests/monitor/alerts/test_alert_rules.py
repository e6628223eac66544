"""Which rules a stored release sets off, judged with the digest's novelty rules. Pure:
statements made before are given as values."""

from __future__ import annotations

from datetime import datetime, timezone

from digests.model import Source
from digests.novelty import Statement
from monitor.alerts.message import alert_message, merge_copies
from monitor.alerts.rules import Known, alert_items
from monitor.alerts.settings import Rule
from monitor.domain import Analysis, Figure, Milestone, ReleaseDraft, StoredRelease, TopicMatch

NOW = datetime(2025, 1, 20, 9, 0, tzinfo=timezone.utc)
KEY_2023 = "money|money|m:trade/cn-kz|2023"


def key(f: Figure) -> str:
    return f"money|money|m:{f.measure}|{f.period}"


def event(m: Milestone) -> str:
    return f"{m.year}|{m.event.lower()}"


def stored(*figures: Figure, feed: str = "Kazinform", milestones: tuple[Milestone, ...] = (),
           text: str = "Trade grew.", release_id: int = 9) -> StoredRelease:
    draft = ReleaseDraft(f"g{release_id}", f"https://wire.test/{release_id}", "China and Kazakhstan trade", NOW, text)
    return StoredRelease(release_id, 1, feed, draft, Analysis((TopicMatch("cn-kz", 0.9),), figures, milestones), NOW)


def trade(value: float, period: str = "2023") -> Figure:
    return Figure("money", value, "USD", f"${value / 1e9:g} billion", "…", "two-way trade", period, "trade/cn-kz")


def earlier(value: float, feed: str, period: str = "2023") -> Statement:
    return Statement(f"money|money|m:trade/cn-kz|{period}", value, "USD", f"${value / 1e9:g} billion",
                     Source(feed, "Earlier release", f"https://wire.test/{feed}", NOW.replace(year=2024), NOW),
                     1, False, feed)


FIGURES = Rule("trade moves", "cn-kz", "figure", ("hook",), measures=("trade/cn-kz",), min_change_percent=2)


def test_a_revision_by_the_same_source_is_a_change_with_its_earlier_value_and_percent() -> None:
    [(rule, item)] = alert_items([FIGURES], stored(trade(43e9)), Known([earlier(41e9, "Kazinform")], origin="Kazinform"),
                                 key, event)
    assert (item["status"], item["previous"]["value"], item["previous"]["source"]["feed"]) == ("changed", 41e9, "Kazinform")
    assert item["change_percent"] == 4.88 and item["release"]["url"] == "https://wire.test/9"


def test_a_change_below_min_change_percent_and_a_repeat_say_nothing() -> None:
    assert alert_items([FIGURES], stored(trade(41.5e9)), Known([earlier(41e9, "Kazinform")], origin="Kazinform"),
                       key, event) == []
    assert alert_items([FIGURES], stored(trade(41e9)), Known([earlier(41e9, "Kazinform")], origin="Kazinform"),
                       key, event) == []


def test_another_source_for_the_same_measure_and_period_is_a_conflict_not_a_change() -> None:
    conflict = Rule("disagree", "cn-kz", "conflict", ("hook",))
    known = Known([earlier(43.8e9, "Xinhua")], origin="Kazinform")
    [(_, item)] = alert_items([FIGURES, conflict], stored(trade(44.1e9)), known, key, event)
    assert item["kind"] == "conflict" and item["previous"]["source"]["feed"] == "Xinhua"


def test_a_new_period_is_new_and_read_against_the_previous_period() -> None:
    [(_, item)] = alert_items([FIGURES], stored(trade(45e9, "2024")), Known([earlier(41e9, "Xinhua")], origin="Kazinform"),
                              key, event)
    assert item["status"] == "new" and item["previous"]["period"] == "2023" and item["previous"]["value"] == 41e9


def test_milestones_release_and_words_rules() -> None:
    rules = [Rule("m", "cn-kz", "milestone", ("hook",)), Rule("r", "cn-kz", "release", ("hook",)),
             Rule("w", "cn-kz", "words", ("hook",), words=("dry port", "pipeline"))]
    ms = (Milestone(2027, "2027", "open the rail line", "…", "announced"), Milestone(2015, "2015", "first grain", "…"))
    got = alert_items(rules, stored(milestones=ms, text="A new dry port opened."),
                      Known(events=frozenset({"2015|first grain"})), key, event)
    assert [(r.name, i.get("event") or i.get("words")) for r, i in got] == \
        [("m", "open the rail line"), ("r", None), ("w", ["dry port"])]


def test_one_message_lists_a_figure_once_however_many_wires_carried_it() -> None:
    a = alert_items([FIGURES], stored(trade(45e9, "2024")), Known(), key, event)[0][1]
    b = alert_items([FIGURES], stored(trade(45e9, "2024"), feed="Xinhua", release_id=10), Known(), key, event)[0][1]
    [item] = merge_copies([a, b])
    assert item["also"] == ["Xinhua"]
    m = alert_message("prw-1", "trade moves", "figure", {"id": "cn-kz", "title": "China–Kazakhstan"}, [a, b],
                      NOW.isoformat())
    assert m.title == "China–Kazakhstan: 1 figure moved (trade moves)"
    assert m.body["items"] == [item] and m.markdown.endswith("prwatch message prw-1")
