"""Topic matching, as a specification: which releases belong to a topic and why.

All sample releases here are written for these tests (fictional companies, plain facts);
none is copied from the evaluation corpus.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from monitor.analysis.topics import Topic, match_topics, parse_topic, parse_topics, score_topic
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def _config_topics() -> tuple[Topic, ...]:
    """The shipped topics: the [[topics]] section of config.toml."""
    raw = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    return parse_topics(raw["topics"])


TOPICS = _config_topics()
CK = next(t for t in TOPICS if t.id == "china-kazakhstan")


def ck(title: str, text: str) -> float:
    return score_topic(CK, title, text).score


def is_ck(title: str, text: str) -> bool:
    return any(m.topic_id == "china-kazakhstan" for m in match_topics(TOPICS, title, text))


# ---------------------------------------------------------------- what belongs

BILATERAL = (
    "ALMATY, March 3 -- Kazakhstan and China signed an agreement on a new grain corridor on Monday, "
    "the Ministry of Agriculture of Kazakhstan said.\n"
    "Under the agreement, Kazakh exporters will ship up to 2 million tons of wheat a year to Chinese "
    "buyers through the Dostyk and Khorgos border crossings.\n"
    "The Chinese side will build two grain terminals in Xinjiang, the ministry added.\n"
    "Trade between the two countries grew by 12 percent last year."
)


def test_bilateral_release_matches_with_reasons() -> None:
    [m] = [m for m in match_topics(TOPICS, "Kazakhstan, China sign grain corridor deal", BILATERAL)
           if m.topic_id == "china-kazakhstan"]
    assert m.score >= 0.8
    assert any(r.startswith("China: title (China)") for r in m.reasons)
    assert any(r.startswith("Kazakhstan: title (Kazakhstan)") for r in m.reasons)
    assert any("together in" in r for r in m.reasons)


def test_lowercase_slug_headline_still_counts() -> None:
    assert is_ck("kazakhstan china sign grain corridor deal", BILATERAL)


def test_short_news_brief_matches() -> None:
    assert is_ck("", "Chinese carmaker Orbital Motors will open an assembly plant in Kostanay, Kazakhstan, "
                     "its first outside China, the company said on Tuesday.")


def test_one_kazakhstan_paragraph_inside_a_central_asia_story_matches() -> None:
    text = (
        "BEIJING -- Ministers from China and five Central Asian states met in Xi'an on Friday to discuss "
        "transport links.\n"
        "Delegations from Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan presented road projects.\n"
        "Kazakhstan proposed a second rail line to China through the Bakhty crossing. Kazakh railway "
        "officials said the line would double freight capacity between Kazakhstan and China by 2030.\n"
        "The ministers agreed to meet again next year."
    )
    assert is_ck("Central Asia transport ministers meet in China", text)


# ---------------------------------------------------------------- substance over mention

def test_kazakhstan_in_a_list_of_countries_is_not_a_match() -> None:
    text = (
        "SHANGHAI -- The China International Machinery Fair opened on Monday with exhibitors from 24 "
        "countries, including Germany, Italy, Japan, Kazakhstan, Korea, Turkey and Vietnam.\n"
        "Chinese manufacturers showed robots, machine tools and electric forklifts. The organisers expect "
        "80,000 visitors over four days, most of them from China.\n"
        "The fair is held every year at the National Exhibition Centre in Shanghai."
    )
    m = score_topic(CK, "Machinery fair opens in Shanghai", text)
    assert m.score < CK.min_score
    assert m.score > 0  # a near miss, shown by `prwatch extract`
    assert any("list (Kazakhstan)" in r for r in m.reasons)


def test_china_once_in_boilerplate_is_not_a_match() -> None:
    text = (
        "ASTANA -- Steppe Dairy, a Kazakh milk producer, opened a cheese plant near Astana on Thursday.\n"
        "The plant will process 150 tons of milk a day from farms in the Akmola region of Kazakhstan.\n"
        "Steppe Dairy said it would hire 300 people and sell cheese across Kazakhstan.\n"
        "The company plans a second plant in Kazakhstan's south next year.\n"
        "About Steppe Dairy\n"
        "Steppe Dairy is a dairy company with sales offices in Almaty, Moscow, Tashkent and Beijing."
    )
    assert not is_ck("Kazakh dairy opens cheese plant", text)


def test_kazakhstan_russia_story_with_one_china_clause_is_not_a_match() -> None:
    text = (
        "MOSCOW -- Russia and Kazakhstan agreed on Tuesday to expand a gas pipeline that feeds the north "
        "of Kazakhstan.\n"
        "Russian officials said deliveries to Kazakhstan would grow by 20 percent from next year.\n"
        "The two governments also discussed power lines and a joint aluminium smelter in Pavlodar.\n"
        "Kazakhstan also buys gas from Turkmenistan and is studying imports from China.\n"
        "Talks between Moscow and Astana will continue in June."
    )
    assert not is_ck("Russia, Kazakhstan to expand gas pipeline", text)


def test_china_kyrgyzstan_story_mentioning_kazakhstan_once_is_not_a_match() -> None:
    text = (
        "BISHKEK -- Kyrgyzstan and China opened a new lane at the Torugart border crossing on Wednesday.\n"
        "Kyrgyz customs officers and their Chinese colleagues will clear trucks around the clock.\n"
        "Traders said the lane would shorten queues that now push some cargo to routes via Kazakhstan.\n"
        "Chinese exports to Kyrgyzstan rose by a fifth last year."
    )
    assert not is_ck("Kyrgyzstan, China open new lane at Torugart", text)


def test_only_one_side_scores_zero() -> None:
    m = score_topic(CK, "Kazakhstan and the EU mark anniversary", "Kazakhstan and the European Union met.")
    assert m.score == 0
    assert "China: not mentioned" in m.reasons


# ---------------------------------------------------------------- how words match

def topic(**raw: object) -> Topic:
    return parse_topic({"id": "t", "title": "T", **raw}, "topics[0]")


def test_capitals_matter_only_for_terms_written_in_capitals() -> None:
    sco = topic(any=["SCO", "Shanghai Cooperation Organisation"])
    assert match_topics([sco], "", "The SCO summit opens in Astana.")
    assert not match_topics([sco], "", "The sco summit opens in Astana.")
    assert match_topics([sco], "", "the shanghai cooperation organisation summit")


def test_whole_words_prefixes_phrases_and_apostrophes() -> None:
    t = topic(any=["Kazakh*", "Xi Jinping", "Xi'an", "Oil"])
    assert score_topic(t, "", "Kazakhstani wheat").score > 0
    assert score_topic(t, "", "President Xi\nJinping spoke").score > 0
    assert score_topic(t, "", "President Xi-Jinping spoke").score > 0
    assert score_topic(t, "", "flights to Xi\u2019an").score > 0
    assert score_topic(t, "", "Boiled potatoes and toil").score == 0  # no "oil" inside words


def test_one_topic_ignoring_a_phrase_does_not_hide_the_word_from_another() -> None:
    a = topic(any=["China"], ignore=["China Daily"])
    b = parse_topic({"id": "b", "title": "B", "any": ["China"]}, "topics[1]")
    text = "China Daily reported the news."
    assert score_topic(a, "", text).score == 0
    assert [m.topic_id for m in match_topics([a, b], "", text)] == ["b"]


def test_ignored_outlet_name_is_not_a_mention_of_the_country() -> None:
    m = score_topic(CK, "", "Kazakhstan opened a new airport in Turkestan, China Daily reported. "
                            "Kazakhstan expects a million passengers.")
    assert m.score == 0


def test_exclusion_terms_veto_a_match() -> None:
    t = topic(all=[["China"], ["Kazakhstan"]], none=["horoscope"])
    m = score_topic(t, "China and Kazakhstan", "China and Kazakhstan horoscope for the week.")
    assert m.score == 0 and m.reasons == ("excluded by 'horoscope'",)


def test_results_are_sorted_best_first_and_respect_min_score() -> None:
    strict = parse_topic({"id": "strict", "title": "S", "all": [["China"], ["Kazakhstan"]], "min_score": 1.0},
                         "topics[1]")
    found = match_topics([strict, *TOPICS], "Kazakhstan, China sign grain corridor deal", BILATERAL)
    ids = [m.topic_id for m in found]
    assert "strict" not in ids and "china-kazakhstan" in ids
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)


def test_topic_match_serialises() -> None:
    m = score_topic(CK, "Kazakhstan, China sign grain corridor deal", BILATERAL)
    assert m.to_json()["id"] == "china-kazakhstan" and 0 < m.to_json()["score"] <= 1


# ---------------------------------------------------------------- configuration errors

@pytest.mark.parametrize(
    ("raw", "key", "problem"),
    [
        ({"title": "T", "any": ["x1"]}, "topics[0].id", "missing"),
        ({"id": "China KZ", "title": "T", "any": ["China"]}, "topics[0].id", "lowercase"),
        ({"id": "t", "any": ["China"]}, "topics[0].title", "missing"),
        ({"id": "t", "title": "T"}, "topics[0].all", "missing"),
        ({"id": "t", "title": "T", "all": ["China", "Kazakhstan"]}, "topics[0].all", "each line"),
        ({"id": "t", "title": "T", "all": [["China"], []]}, "topics[0].all[1]", "empty"),
        ({"id": "t", "title": "T", "all": [["China"], ["Kazakhstan", 7]]}, "topics[0].all[1][1]", "quotes"),
        ({"id": "t", "title": "T", "all": [["Ch*na"]]}, "topics[0].all[0][0]", "'*'"),
        ({"id": "t", "title": "T", "all": [["X"]]}, "topics[0].all[0][0]", "too short"),
        ({"id": "t", "title": "T", "any": ["China"], "min_score": 2}, "topics[0].min_score", "0 to 1"),
        ({"id": "t", "title": "T", "any": ["China"], "exclude": ["x"]}, "topics[0].exclude", "unknown key"),
        ({"id": "t", "title": "T", "any": ["China"], "none": "horoscope"}, "topics[0].none", "list"),
    ],
)
def test_bad_topic_config_names_the_key(raw: dict[str, object], key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as err:
        parse_topic(raw, "topics[0]")
    assert err.value.key == key
    assert problem in err.value.problem


def test_duplicate_topic_ids_are_refused() -> None:
    raw = [{"id": "a", "title": "A", "any": ["China"]}, {"id": "a", "title": "B", "any": ["Japan"]}]
    with pytest.raises(ConfigError) as err:
        parse_topics(raw)
    assert err.value.key == "topics[1].id"


def test_shipped_config_has_two_topics_and_a_stable_checksum() -> None:
    assert {"china-kazakhstan"} < {t.id for t in TOPICS} and len(TOPICS) >= 2
    assert CK.checksum == _config_topics()[0].checksum
    changed = parse_topic({"id": "china-kazakhstan", "title": "x", "all": [["China"], ["Kazakhstan"]]}, "t")
    assert changed.checksum != CK.checksum


def test_terms_after_any_punctuation_and_at_the_very_start_count() -> None:
    t = topic(any=["China"])
    for text in ("China opens", "(China)", "«China»", "\u201cChina\u201d", "—China", "#China", "x/China", "[China]"):
        assert score_topic(t, "", text).score > 0, text
    assert score_topic(t, "", "Indochina and chinaware").score == 0


def test_roman_numerals_are_not_president_xi() -> None:
    text = ("ASTANA -- The XI Astana International Forum opened on Monday with 3,000 guests from 60 countries. "
            "Kazakhstan's foreign minister said the forum would focus on water and energy in Kazakhstan.")
    m = score_topic(CK, "XI Astana International Forum opens", text)
    assert m.score == 0 and "China: not mentioned" in m.reasons


def test_summit_listing_all_members_is_not_a_bilateral_story() -> None:
    text = (
        "TIANJIN -- Leaders of the Shanghai Cooperation Organisation member states, China, India, Iran, "
        "Kazakhstan, Kyrgyzstan, Pakistan, Russia, Tajikistan and Uzbekistan, met in Tianjin on Monday.\n"
        "The leaders adopted a development strategy for the next ten years and agreed to set up a bank.\n"
        "Chinese President Xi Jinping called for closer cooperation on security and trade.\n"
        "The next summit will be held in Bishkek."
    )
    assert not is_ck("SCO leaders gather in Tianjin", text)


def test_uzbekistan_china_story_comparing_with_kazakhstan_once_is_not_a_match() -> None:
    text = (
        "TASHKENT -- Uzbekistan and China signed 25 investment agreements worth $5 billion on Tuesday, the "
        "Uzbek presidential press service said.\n"
        "The deals cover copper mining, textiles and solar power in the Navoi and Samarkand regions.\n"
        "President Shavkat Mirziyoyev met Chinese investors in Tashkent. He said Uzbekistan wanted to double "
        "trade with China by 2030.\n"
        "Chinese companies already run more than 2,000 businesses in Uzbekistan, more than in Kazakhstan.\n"
        "The two countries will hold a business forum in Beijing in October."
    )
    assert not is_ck("Uzbekistan, China sign investment deals", text)


def test_border_dry_port_story_matches_through_aliases() -> None:
    text = (
        "Khorgos Gateway, the dry port on the border, handled 45,000 containers in the first half, up 20 "
        "percent.\nMost trains came from Chongqing, Xi'an and Yiwu and continued to Europe and Central Asia, "
        "the port operator said.\nThe port plans a second transshipment yard next year to keep pace with "
        "growing traffic from China."
    )
    assert is_ck("khorgos gateway handles record container volume", text)


def test_no_topics_configured_matches_nothing() -> None:
    assert match_topics([], "China and Kazakhstan", "China and Kazakhstan signed a deal.") == ()


# ---------------------------------------------------------------- measure vocabulary

def _with_measures(**measure: object) -> dict[str, object]:
    return {"id": "t", "title": "T", "all": [["China"], ["Kazakhstan"]],
            "parties": {"cn": ["China"], "kz": ["Kazakhstan"]},
            "measures": [{"id": "trade/cn-kz", "label": "Trade", "words": ["trade"], **measure}]}


def test_a_topic_s_measures_and_parties_are_read_from_its_table() -> None:
    t = parse_topic(_with_measures(between=["cn", "kz"], key=True, unit="money"), "topics[0]")
    assert t.parties == (("cn", ("China",)), ("kz", ("Kazakhstan",)))
    (m,) = t.measures
    assert (m.id, m.label, m.key, m.words, m.between, m.unit) == ("trade/cn-kz", "Trade", True, ("trade",),
                                                                  ("cn", "kz"), "money")


@pytest.mark.parametrize("measure, key, message", [
    ({"between": ["cn", "ru"]}, "between", "'ru' is not a party"),
    ({"from": "kz"}, "to", "needs both from and to"),
    ({"unit": "tonnes"}, "unit", "not a unit family"),
    ({"key": "yes"}, "key", "true or false"),
    ({"colour": "red"}, "colour", ""),
])
def test_a_mistake_in_a_measure_names_its_key(measure: dict[str, object], key: str, message: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_topic(_with_measures(**measure), "topics[0]")
    assert f"topics[0].measures[0].{key}" in str(e.value) and message in str(e.value)


def test_the_shipped_config_has_a_vocabulary_for_china_kazakhstan() -> None:
    import tomllib
    from pathlib import Path

    raw = tomllib.loads((Path(__file__).parents[3] / "config.toml").read_text(encoding="utf-8"))
    (topic,) = [parse_topic(t, "topics") for t in raw["topics"] if t["id"] == "china-kazakhstan"]
    ids = {m.id for m in topic.measures}
    assert {"trade/cn-kz", "exports/kz-to-cn", "imports/cn-to-kz", "investment/cn-in-kz", "tourists/cn-to-kz",
            "flights/cn-kz", "freight/cn-kz", "oil/kz-to-cn", "agreements/cn-kz"} <= ids
    assert any(m.key for m in topic.measures)
