"""Which measure a figure states: one key for one measure whatever the wording, from a
topic's vocabulary (config.toml) or, outside it, from the subject alone."""

from __future__ import annotations

import datetime as dt

from monitor.analysis.analyse import analyse
from monitor.analysis.topics import parse_topic

TOPIC = parse_topic({
    "id": "steppe", "title": "China and Kazakhstan",
    "all": [["China", "Chinese"], ["Kazakhstan", "Kazakh*"]],
    "parties": {"cn": ["China", "Chinese", "Beijing"], "kz": ["Kazakhstan", "Kazakh*", "Astana"]},
    "measures": [
        {"id": "trade/cn-kz", "label": "China–Kazakhstan trade", "key": True,
         "words": ["trade", "trade turnover", "turnover", "two-way trade", "commodity turnover", "trade volume"],
         "between": ["cn", "kz"], "unit": "money"},
        {"id": "exports/kz-to-cn", "label": "Kazakhstan's exports to China",
         "words": ["exports", "imports", "supplies"], "from": "kz", "to": "cn", "unit": "money"},
        {"id": "imports/cn-to-kz", "label": "Kazakhstan's imports from China",
         "words": ["exports", "imports", "supplies"], "from": "cn", "to": "kz", "unit": "money"},
        {"id": "oil/kz-to-cn", "label": "Kazakh oil to China", "words": ["oil", "crude"],
         "from": "kz", "to": "cn", "unit": "mass"},
        {"id": "trains/khorgos", "label": "Trains through Khorgos", "words": ["trains", "container trains"],
         "places": ["Khorgos"], "unit": "count"},
    ],
}, "topics[0]")
LEAD = "China and Kazakhstan discussed trade and transport. "


def measures(text: str) -> list[str | None]:
    return [f.measure for f in analyse("", LEAD + text, [TOPIC], dt.datetime(2024, 3, 1), always_extract=True).figures]


def test_every_wording_of_bilateral_trade_is_one_measure() -> None:
    for text in ("Trade turnover between Kazakhstan and China reached $41 billion.",
                 "China-Kazakhstan two-way trade amounted to $41.2 billion.",
                 "Commodity turnover between the two countries totalled $41 billion.",
                 "Bilateral trade volume stood at $41 billion.",
                 "Kazakhstan's trade with China hit $41 billion."):
        assert measures(text) == ["trade/cn-kz"], text


def test_its_growth_is_another_measure_and_its_target_the_same_measure() -> None:
    assert measures("Bilateral trade grew 12% to $41 billion.") == ["trade/cn-kz/growth", "trade/cn-kz"]
    figs = analyse("", LEAD + "The countries aim to raise mutual trade to $80 billion by 2030.", [TOPIC],
                   always_extract=True).figures
    assert [(f.measure, f.period) for f in figs] == [("trade/cn-kz", "target 2030")]


def test_a_flow_has_a_direction_whatever_the_verb() -> None:
    assert measures("Kazakh exports to China reached $15 billion.") == ["exports/kz-to-cn"]
    assert measures("China's imports from Kazakhstan reached $15 billion.") == ["exports/kz-to-cn"]
    assert measures("Kazakhstan's imports from China reached $22 billion.") == ["imports/cn-to-kz"]
    assert measures("Chinese exports to Kazakhstan reached $22 billion.") == ["imports/cn-to-kz"]


def test_a_more_specific_subject_narrows_the_measure() -> None:
    assert measures("Kazakh wheat exports to China reached $600 million.") == ["exports/kz-to-cn/wheat"]


def test_a_modifier_joined_to_the_measure_s_own_widens_it() -> None:
    """"diesel and container trains" are all the trains; "diesel trains" are some of them."""
    assert measures("Some 6,000 diesel and container trains passed through Khorgos in 2023.") == ["trains/khorgos"]
    assert measures("Some 6,000 diesel trains passed through Khorgos in 2023.") == ["trains/khorgos/diesel"]


def test_a_thing_joined_to_the_measure_s_own_makes_another_measure() -> None:
    """"trade and investment" is not trade, "oil and gas" not oil: stating them under trade's or
    oil's key would put them in conflict with the figures of trade or oil alone."""
    for text in ("Trade and investment between China and Kazakhstan reached $2 billion.",
                 "Investment and trade between China and Kazakhstan reached $2 billion."):
        assert measures(text) == ["trade/cn-kz/and-investment"], text
    assert measures("Kazakhstan exported 9 million tons of oil and gas to China.") == ["oil/kz-to-cn/and-gas"]
    assert measures("Kazakhstan exported 9 million tons of crude oil and condensate to China.") == [
        "oil/kz-to-cn/and-condensate"]
    assert measures("Oil and gas exports from Kazakhstan to China reached $2 billion.") == [
        "exports/kz-to-cn/gas-oil"]  # modifiers of exports: the exports of two goods, narrowed


def test_a_commodity_flow_and_its_unit() -> None:
    assert measures("Kazakhstan exported 9 million tons of crude oil to China.") == ["oil/kz-to-cn"]
    # a value and a volume are different measures
    assert measures("Kazakh crude supplies to China were worth $4 billion.") != measures(
        "Kazakhstan exported 9 million tons of crude oil to China.")


def test_places_name_a_measure_of_their_own() -> None:
    assert measures("More than 8,000 container trains passed through Khorgos in 2023.") == ["trains/khorgos"]


def test_other_parties_are_not_the_topic_s_measure() -> None:
    keys = measures("Trade between Russia and Kazakhstan reached $28 billion.")
    assert keys[0] and not keys[0].startswith("trade/cn-kz")
    again = measures("Russia-Kazakhstan trade turnover reached $28 billion.")
    assert again == measures("Trade turnover between Russia and Kazakhstan reached $28 billion.")


def test_a_measure_named_without_its_parties_is_the_one_just_stated() -> None:
    text = "Trade between Kazakhstan and China reached $44 billion in 2024. Turnover is expected to grow by 10%."
    assert measures(text) == ["trade/cn-kz", "trade/cn-kz/growth"]


def test_the_subject_names_the_parties_when_the_text_did_not() -> None:
    figs = analyse("", LEAD + "Trade between the two countries reached $44 billion.", [TOPIC],
                   always_extract=True).figures
    assert figs[0].subject == "China–Kazakhstan trade"


def test_outside_the_vocabulary_the_key_comes_from_the_subject() -> None:
    a = measures("Net revenue was $12 million in 2023, compared to $10 million in 2022.")
    assert a[0] == a[1] and a[0] is not None
    assert measures("Net revenue rose 20%.")[0] != a[0]


def test_a_flow_to_one_party_along_a_line_between_both_comes_from_the_other() -> None:
    a = measures("The pipeline between China and Kazakhstan has sent 70 million tons of crude to China since 2006.")
    assert a[0] == "oil/kz-to-cn/pipeline"  # from Kazakhstan, the party it does not go to


def test_a_relationship_s_length_is_one_measure_per_pair_of_parties() -> None:
    a = measures("On 2 May, Georgia and the United Kingdom mark the 30th anniversary of diplomatic relations. "
                 "In 30 years of our cooperation, British firms built 40 plants.")
    b = measures("Turkey and Georgia celebrate 30 years of friendship.")
    assert a[0] == a[1] and a[0] is not None
    assert b[0] is not None and b[0] != a[0]
    # a length of something else is no relationship's
    assert measures("Georgia and the United Kingdom have traded for 30 years.")[0] != a[0]


def test_a_share_keeps_its_part_and_its_whole() -> None:
    a = measures("China accounts for 21% of Kazakhstan's foreign trade.")
    b = measures("Russia accounts for 18% of Kazakhstan's foreign trade.")
    assert a[0] and b[0] and a[0] != b[0] and a[0].endswith("/share")


def test_topic_measures_are_exposed_for_digests() -> None:
    from monitor.domain import MeasureDef

    assert all(isinstance(m, MeasureDef) for m in TOPIC.measures)
    assert [m.id for m in TOPIC.measures if m.key] == ["trade/cn-kz"]


INVEST = parse_topic({
    "id": "invest", "title": "China and Kazakhstan",
    "all": [["China", "Chinese"], ["Kazakhstan", "Kazakh*"]],
    "parties": {"cn": ["China", "Chinese"], "kz": ["Kazakhstan", "Kazakh*"]},
    "measures": [{"id": "investment/kz-in-cn", "label": "Kazakh investment in China", "words": ["investment"],
                  "from": "kz", "to": "cn", "unit": "money"}],
}, "topics[0]")


def test_a_joint_undertaking_of_both_parties_flows_from_neither() -> None:
    def key(text: str) -> str | None:
        return analyse("", LEAD + text, [INVEST], always_extract=True).figures[-1].measure
    assert key("Kazakh firms invested $2 billion in China.") == "investment/kz-in-cn"
    for text in ("Kazakhstan Railways and China Railway plan to invest $350 million in new terminals.",
                 "The investment by Kazakhstan Railways and China Railway reached $350 million."):
        assert not (key(text) or "").startswith("investment/kz-in-cn"), text


TOURISM = parse_topic({
    "id": "tourism", "title": "China and Kazakhstan",
    "all": [["China", "Chinese"], ["Kazakhstan", "Kazakh*"]],
    "parties": {"cn": ["China", "Chinese"], "kz": ["Kazakhstan", "Kazakh*"]},
    "measures": [
        {"id": "tourists/cn-to-kz", "label": "Chinese tourists in Kazakhstan", "words": ["tourists", "visitors"],
         "from": "cn", "to": "kz", "unit": "count"},
        {"id": "tourists/kz-to-cn", "label": "Kazakh tourists in China", "words": ["tourists", "visitors"],
         "from": "kz", "to": "cn", "unit": "count"},
    ],
}, "topics[0]")


def test_the_agent_of_welcomed_or_hosted_is_where_visitors_go() -> None:
    def tourism(text: str) -> list[str | None]:
        return [f.measure for f in analyse("", LEAD + text, [TOURISM], always_extract=True).figures]
    assert tourism("Kazakhstan has welcomed more than 800,000 Chinese tourists.") == ["tourists/cn-to-kz"]
    assert tourism("Kazakhstan hosted 650,000 Chinese visitors in 2024.") == ["tourists/cn-to-kz"]
    assert tourism("China received 300,000 Kazakh tourists in 2024.") == ["tourists/kz-to-cn"]
    assert tourism("Some 650,000 Chinese tourists visited Kazakhstan in 2024.") == ["tourists/cn-to-kz"]


def test_a_country_s_exports_or_imports_without_a_counterpart_are_its_totals() -> None:
    # in a release about both, "China imported oil" is still China's imports from everywhere:
    # keyed as Kazakh oil to China, it would be reported in conflict with the real flow
    assert measures("China imported 20 million tons of oil in 2023.") != ["oil/kz-to-cn"]
    assert measures("Kazakhstan's oil exports reached 68 million tons in 2023.") != ["oil/kz-to-cn"]
    # the counterpart named in the thing or the sentence makes it the bilateral flow
    assert measures("China imported 11 million tons of oil from Kazakhstan in 2023.") == ["oil/kz-to-cn"]
    assert measures("Oil exports to China reached 11 million tons in 2023.") == ["oil/kz-to-cn"]
    assert measures("Kazakhstan exported 11 million tons of crude to China in 2023.") == ["oil/kz-to-cn"]


def test_imports_of_a_party_s_goods_come_from_that_party() -> None:
    assert measures("China's imports of Kazakh oil rose to 11 million tons in 2023.") == ["oil/kz-to-cn"]


def test_tourists_of_one_party_in_a_release_about_both_go_to_the_other() -> None:
    text = "In 2024, the number of Chinese tourists rose to 650,000 people."
    assert [f.measure for f in analyse("", LEAD + text, [TOURISM], always_extract=True).figures] == \
        ["tourists/cn-to-kz"]


def test_a_flow_to_a_party_and_a_third_one_is_neither_flow() -> None:
    # the sum of two destinations compared with exports to China alone would be a false change
    assert measures("Exports to China and the EU rose to $9 billion in 2023.") != ["exports/kz-to-cn"]
    assert measures("Exports to China rose to $9 billion in 2023.") == ["exports/kz-to-cn"]


def test_who_visited_a_place_went_there() -> None:
    def tourism(text: str) -> list[str | None]:
        return [f.measure for f in analyse("", LEAD + text, [TOURISM], always_extract=True).figures]
    assert tourism("Some 600,000 tourists visited Kazakhstan in 2024.") == ["tourists/cn-to-kz"]
    assert tourism("Kazakhstan was visited by 600,000 Chinese tourists in 2024.") == ["tourists/cn-to-kz"]


def test_a_goal_set_by_the_parties_is_of_the_measure_just_stated() -> None:
    # "the two sides" is who aims, not what is measured
    assert measures("Bilateral trade totalled $43.8 billion in 2023, and the two sides aim to reach $50 billion "
                    "by 2030.") == ["trade/cn-kz", "trade/cn-kz"]
    assert measures("Oil supplies to China reached 11 million tons in 2023; the two sides aim to reach "
                    "$50 billion by 2030.")[1] != "oil/kz-to-cn"  # another unit: not that measure's goal


def test_a_total_or_a_part_says_so_and_another_clause_does_not_name_its_other_end() -> None:
    assert measures("China's imports of Kazakh oil rose to 1.4 million tons, while Kazakhstan exported "
                    "11.2 million tons of oil in total.") == ["oil/kz-to-cn", measures(
                        "Kazakhstan exported 11.2 million tons of oil in total.")[0]]
    assert measures("Kazakhstan exported 11.2 million tons of oil in 2023, including 1.4 million tons to "
                    "China.")[1:] == ["oil/kz-to-cn"]
    assert measures("Kazakhstan exported 11.2 million tons of oil in 2023, including 1.4 million tons to "
                    "China.")[0] != "oil/kz-to-cn"


def test_a_company_s_own_metric_named_bare_is_keyed_with_the_company() -> None:
    # keyed "revenue", two issuers' results on one wire would read as one revising the other
    def revenue(issuer: str) -> list[str | None]:
        text = (f"{issuer} today announced its results. The company reported revenue of $412 million for the nine "
                "months ended September 30, 2025.")
        return [f.subject for f in analyse("", text, [TOPIC], always_extract=True).figures]
    assert revenue("KazCopper Holdings") == ["KazCopper Holdings revenue"]
    assert revenue("Steppe Grain Group") == ["Steppe Grain Group revenue"]
    assert revenue("Officials") == ["revenue"]  # no company opens the release: nothing is made up
