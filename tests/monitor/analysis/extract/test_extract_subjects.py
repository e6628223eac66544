"""What a figure measures: one test per way a number attaches to its sentence.

Sentences written for these tests in the style of Kazakh, Chinese and PR-wire English.
"""

from __future__ import annotations

import pytest

from monitor.analysis.extract import extract_figures


def subjects(text: str) -> list[str | None]:
    return [f.subject for f in extract_figures(text)]


@pytest.mark.parametrize("text, subject", [
    ("Bilateral trade reached $38 billion in 2023.", "Bilateral trade"),
    ("Grain shipments to China amounted to 2.4 million tons.", "Grain shipments to China"),
    ("Container traffic at Aktau port stood at 110,000 TEU last year.", "Container traffic at Aktau port"),
    ("The volume of Chinese investment in the region exceeded $9 billion.",
     "volume of Chinese investment in region"),
    ("Revenue was $18.2 million in the third quarter.", "Revenue"),
])
def test_x_reached_amounted_to_stood_at_n(text: str, subject: str) -> None:
    assert subjects(text)[0] == subject


def test_n_of_x_takes_the_thing_and_the_flow_of_its_verb() -> None:
    assert subjects("Kazakhstan shipped 3.1 million tons of wheat to China in 2023.") == [
        "Kazakhstan wheat shipments to China"]
    assert subjects("China imported 9 million tons of crude oil from Kazakhstan.") == [
        "China crude oil imports from Kazakhstan"]


def test_x_of_n_takes_the_measure_and_its_owner() -> None:
    assert subjects("The new terminal has an annual capacity of 500,000 TEU.") == [
        "annual capacity of new terminal"]
    assert subjects("The bank provided a loan of $250 million for the Shymkent bypass.") == [
        "loan for Shymkent bypass provided by bank"]


def test_x_rose_n_percent_to_m_gives_the_growth_then_the_level() -> None:
    assert subjects("Kazakh exports to China rose 14% to $16.4 billion.") == [
        "growth of Kazakh exports to China", "Kazakh exports to China"]


def test_up_n_percent_and_an_n_percent_increase_are_growth_of_what_was_stated() -> None:
    assert subjects("Mutual trade hit $5 billion in the first quarter, up 11 percent.") == [
        "Mutual trade", "growth of Mutual trade"]
    assert subjects("Wheat exports reached 900,000 tons, a 20% increase over 2023.")[1] == "growth of Wheat exports"


def test_n_worth_of_x_and_x_worth_n() -> None:
    assert subjects("China bought $1.2 billion worth of Kazakh copper.")[0] == "China Kazakh copper purchases"
    assert subjects("The companies signed 12 agreements worth $800 million.") == [
        "agreements signed by companies", "value of agreements signed"]


def test_n_in_x_with_an_investment_verb() -> None:
    assert subjects("Chinese firms invested $700 million in Kazakh wind farms.") == [
        "investment in Kazakh wind farms by Chinese firms"]


def test_a_share_is_share_of_x_in_y() -> None:
    assert subjects("China accounts for 22 percent of Kazakhstan's foreign trade.") == [
        "share of China in Kazakhstan's foreign trade"]
    assert subjects("About 40 percent of the cargo goes by rail.")[0].startswith("share of cargo")


def test_a_multiplier_says_what_multiplies() -> None:
    assert subjects("Tourist flows between the two countries doubled in 2024.") == [
        "growth of Tourist flows between two countries"]
    assert subjects("The country plans to increase its grain exports to China by 1.5 times.") == [
        "growth of grain exports to China"]


def test_a_number_before_its_noun_measures_the_noun() -> None:
    assert subjects("A Chinese company built a 150 MW solar plant near Turkestan.") == [
        "capacity of solar plant near Turkestan"]
    assert subjects("The 42-kilometer bypass opened in May.") == ["length of bypass"]


def test_counted_things_with_what_they_did() -> None:
    assert subjects("More than 900 container trains passed through Altynkol in May.") == [
        "container trains passed through Altynkol"]
    assert subjects("The port received 1,200 vessels last year.") == ["vessels received by port"]


def test_a_figure_that_is_the_subject_of_a_passive_verb() -> None:
    assert subjects("Through the Dostyk crossing, 6.2 million tons were transported.") == [
        "freight transported through Dostyk crossing"]


def test_participles_and_coordinated_verbs_share_the_clause_subject() -> None:
    assert subjects("Rail freight grew 8%, reaching 12 million tons.") == [
        "growth of Rail freight", "Rail freight"]
    assert subjects("Trade turnover rose 5 percent and exceeded $20 billion.") == [
        "growth of Trade turnover", "Trade turnover"]


def test_this_figure_refers_to_the_figure_before() -> None:
    assert subjects("Cargo handled at the port totalled 4 million tons. This figure increased by 9%.") == [
        "Cargo handled at port", "growth of Cargo handled at port"]


def test_a_short_definite_subject_takes_its_fuller_mention() -> None:
    text = ("The Zhanatas wind farm was commissioned in 2021. The wind farm, whose total cost is estimated "
            "at $150 million, is the largest in the region.")
    assert subjects(text) == ["cost of Zhanatas wind farm"]


def test_it_refers_to_what_the_sentence_before_was_about() -> None:
    text = "Trade turnover between Russia and Kazakhstan is growing. It has reached $28 billion."
    assert subjects(text) == ["Trade turnover between Russia and Kazakhstan"]


def test_a_ranked_occurrence_counts_the_occurrences() -> None:
    text = ("On 2 May, a ferry leaving Aktau marked the 1,500 ferry voyage across the Caspian Sea in 2023. "
            "The vessel on voyage number 1,500 carried grain.")
    assert subjects(text) == ["voyages across Caspian Sea", "voyages across Caspian Sea"]
    assert subjects("The joint venture employs 1,500 people.") == ["people employed by joint venture"]  # a plural


def test_households_an_asset_serves_are_households_supplied() -> None:
    assert subjects("The solar park will meet the electricity demand of about 90,000 households.") == [
        "households supplied by solar park"]
    assert subjects("The dam will produce enough electricity to power 40,000 homes.") == ["homes supplied by dam"]
    assert subjects("The region has 120,000 households.") == ["households"]  # a count, not a supply


def test_the_noun_number_is_the_number_of_the_nouns() -> None:
    text = "The number of pilgrims to the Turkestan shrine is growing. The pilgrim number reached 60,000."
    assert subjects(text) == ["pilgrims to Turkestan shrine"]
    assert subjects("The permit allowed a visitor count of 500 a day.")[0] != "visitor count"


def test_a_bare_measure_noun_after_a_named_route_is_of_that_route() -> None:
    text = ("Cargo through the Aktau sea port grew by 9% to 6 million tons. Exports rose 12% to 2 million tons. "
            "Imports fell by 3%.\n\nExports reached $5 billion.")
    assert subjects(text) == [
        "growth of Cargo through Aktau sea port", "Cargo through Aktau sea port",
        "growth of Exports through Aktau sea port", "Exports through Aktau sea port",
        "growth of Imports through Aktau sea port",
        "Exports"]  # a new paragraph leaves the route


def test_the_level_before_a_change_from_n_to_m_is_the_same_measure() -> None:
    figs = extract_figures("Weekly flights will increase from 25 to 40 per week.")
    assert [f.subject for f in figs] == ["weekly flights", "weekly flights"]


def test_a_rate_says_how_often() -> None:
    assert subjects("Trains run on the Xi'an-Almaty route three times a week.") == ["weekly Trains"]
    assert subjects("The plant will generate 300 million kWh of electricity a year.")[0].startswith("annual")


def test_a_rate_after_the_things_own_verb_is_still_their_rate() -> None:
    # not the flights of a year: keyed as a plain count, 90 would conflict with the year's total
    assert subjects("90 flights operate a week between Almaty and Urumqi.") == ["weekly flights between Almaty and Urumqi"]
    assert subjects("About 100 container trains now run every month on the route.") == \
        ["monthly container trains on route"]
    assert subjects("The 90 flights carried 20,000 passengers a month.")[0] == "flights carried"


def test_a_relationship_length_is_years_of_the_relationship() -> None:
    assert subjects("This year marks the 33rd anniversary of diplomatic relations between China and "
                    "Kazakhstan.") == ["years of diplomatic relations between China and Kazakhstan"]
    assert subjects("Kazakhstan and Turkey are marking 30 years of diplomatic relations.") == [
        "years of diplomatic relations between Kazakhstan and Turkey"]
    assert subjects("Georgia and the United Kingdom are marking 30 years of diplomatic relations. "
                    "In 30 years of our cooperation, trade grew tenfold.")[:2] == [
        "years of diplomatic relations between Georgia and United Kingdom",
        "years of cooperation between Georgia and United Kingdom"]  # the parties named before


def test_restatements_share_the_subject() -> None:
    assert subjects("The road is 1,100 kilometers (680 miles) long.") == [None, None] or \
        len(set(subjects("The 1,100-kilometer (680 miles) road opened."))) == 1
    figs = extract_figures("Profit was $4.1 million in 2024, compared to $3.2 million in 2023.")
    assert figs[0].subject == figs[1].subject == "Profit"


def test_a_reporting_verb_is_never_the_subject() -> None:
    assert subjects("The ministry said exports rose 6%.") == ["growth of exports"]


def test_no_subject_rather_than_a_fragment() -> None:
    assert subjects("He said: 42.5 percent.") == [None]


def test_the_full_stop_of_an_abbreviated_company_name_does_not_cut_the_agent() -> None:
    text = ("Kazakhstan Temir Zholy and China Railway Container Transport Corp. plan to invest "
            "$350 million in new terminals.")
    assert subjects(text) == [
        "investment in new terminals by Kazakhstan Temir Zholy and China Railway Container Transport Corp"]


def test_an_estimate_beside_a_statement_is_the_same_measure() -> None:
    figures = extract_figures("Final customs data put two-way trade between China and Kazakhstan at "
                              "$43.8 billion in 2024, above the $41 billion estimate announced in July.")
    assert [(f.subject, f.period) for f in figures] == [("two-way trade between China and Kazakhstan", "2024")] * 2
    assert figures[0].measure == figures[1].measure


def test_a_subject_named_data_takes_its_verb() -> None:
    """'data' is plural without an -s: "The data put trade at N" is a statement about trade."""
    assert subjects("Official data put two-way trade at $4 billion.") == ["two-way trade"]


def test_a_year_earlier_is_the_time_of_a_comparison_not_a_rate() -> None:
    figures = extract_figures("Grain exports reached 410,000 tonnes in January-February 2025, compared with "
                              "350,000 tonnes a year earlier.")
    assert [(f.text, f.period) for f in figures] == [("410,000 tonnes", "2025-01..2025-02"),
                                                    ("350,000 tonnes", "2024-01..2024-02")]
    assert subjects("The plant makes 5 million tons a year.")[0].startswith("annual")


def test_a_bare_plural_after_an_opening_phrase_is_the_one_the_release_spoke_of() -> None:
    text = ("Kazakhstan's grain exports to China rose to 2.3 million tonnes in 2024. "
            "In January-February 2025, exports reached 410,000 tonnes.")
    assert subjects(text) == ["Kazakhstan's grain exports to China"] * 2


def test_the_cost_of_what_an_aside_says_was_built() -> None:
    assert subjects("A new grain terminal in Xi'an, built at a cost of $120 million, opened.") == \
        ["cost of new grain terminal in Xi'an"]
    assert subjects("The terminal was built at a cost of $120 million.") == ["cost of terminal"]


def test_up_to_before_a_figure_is_no_object() -> None:
    assert subjects("The terminal can handle up to 1.5 million tonnes.") == ["freight handled by terminal"]


def test_compared_to_takes_the_last_figure_of_its_own_kind() -> None:
    figures = extract_figures("The company reported revenue of KZT 48.6 billion for the third quarter of 2025, an "
                              "increase of 14% compared to KZT 42.6 billion in the third quarter of 2024.")
    assert [(f.subject, f.period) for f in figures] == [
        ("revenue", "2025-Q3"), ("growth of revenue", "2025-Q3"), ("revenue", "2024-Q3")]


def test_to_reach_after_a_change_is_the_level_of_what_changed() -> None:
    assert subjects("Kazakh exports to China increased by 2.1 times to reach $2 billion in 2023.") == [
        "growth of Kazakh exports to China", "Kazakh exports to China"]
    assert subjects("Exports increased 20% to reach $10 billion.") == ["growth of Exports", "Exports"]


def test_shares_of_two_parties_and_a_share_that_rose_from_a_year_earlier() -> None:
    figures = extract_figures("China accounted for 21.6% of Kazakhstan's foreign trade in 2024, ahead of Russia with "
                              "18.9%. The share of processed goods in Kazakh exports to China rose to 38% from 31% a "
                              "year earlier.")
    assert [(f.subject, f.period) for f in figures] == [
        ("share of China in Kazakhstan's foreign trade", "2024"), ("share of Russia in Kazakhstan's foreign trade", "2024"),
        ("share of processed goods in Kazakh exports to China", "2024"),
        ("share of processed goods in Kazakh exports to China", "2023")]


def test_made_up_is_a_verb_not_an_object() -> None:
    assert subjects("Trade amounted to $43.8 billion, of which Kazakh exports made up $15.9 billion.")[1] == \
        "Kazakh exports"


def test_an_approximate_restatement_in_brackets_is_the_same_measure() -> None:
    assert subjects("Trade reached 21.2 billion yuan (about 2.9 billion U.S. dollars) in the first quarter.") == \
        ["Trade"] * 2


def test_an_amount_restating_a_share_is_the_value_of_that_share() -> None:
    assert subjects("The share of China in Kazakhstan's imports reached 36.6%, or $22.2 billion, in 2023.") == [
        "share of China in Kazakhstan's imports", "value of share of China in Kazakhstan's imports"]


def test_a_relative_clause_after_the_subject_says_which_not_what() -> None:
    figures = extract_figures("The number of Chinese tourists who visited Kazakhstan in 2024 rose 2.4 times to "
                              "655,000, the committee said.")
    assert [(f.subject, f.measure) for f in figures] == [
        ("growth of Chinese tourists who visited Kazakhstan", "chin-kazakh-tourist-visited/growth"),
        ("Chinese tourists who visited Kazakhstan", "chin-kazakh-tourist-visited")]  # "who" is no part of a key
    assert subjects("Exports of wheat that passed through Khorgos reached 2 million tons in 2024.") == [
        "Exports of wheat passed through Khorgos"]


def test_a_second_object_of_of_belongs_to_the_phrase() -> None:
    assert subjects("Exports of wheat and flour rose 20% in 2024.") == ["growth of Exports of wheat and flour"]


def test_the_years_an_amount_is_spread_over_are_its_period_not_a_relationship() -> None:
    assert subjects("The partners expect to invest approximately $1.2 billion over five years.") == [
        "investment by partners", "period of investment by partners"]
    assert subjects("China will provide loans of $2 billion over 10 years.")[1] == "period of China loans"
    assert subjects("Kazakhstan and China have built 52 projects over 30 years of cooperation.")[1] == \
        "years of cooperation between Kazakhstan and China"
    assert subjects("Trade has increased by more than 60 times over the past 30 years.")[0] == "growth of Trade"


def test_what_a_thing_will_cost_is_its_cost() -> None:
    assert subjects("The expansion will cost an estimated $1.8 billion.") == ["cost of expansion"]


def test_a_noun_after_a_compound_adjective_is_no_verb() -> None:
    assert subjects("Visa-free travel for citizens of both countries, introduced on November 10, 2023, allows stays "
                    "of up to 30 days.") == ["stays allowed by Visa-free travel for citizens of countries"]


def test_spelled_out_twenty_foot_equivalent_units_are_teu() -> None:
    [f] = extract_figures("The trains carried 215,000 twenty-foot equivalent units of goods.")
    assert (f.kind, f.value, f.unit, f.subject) == ("quantity", 215000, "TEU", "goods carried by trains")


def test_a_participle_after_the_subject_is_a_reduced_relative_clause() -> None:
    assert subjects("The number of Kazakh companies accredited to export to China has reached 1,100, up from 650 in "
                    "2022.") == ["Kazakh companies accredited to export to China"] * 2
    assert subjects("Grain exported to China rose 20% in 2024.") == ["growth of Grain exported to China"]


def test_bring_x_to_n_is_the_level_of_x() -> None:
    assert subjects("The ministry aims to bring agricultural exports to China to $2 billion by 2030.") == [
        "agricultural exports to China"]
    assert subjects("The ministry aims to bring wheat exports to $2 billion by 2030.") == ["wheat exports"]


def test_worth_ends_the_noun_phrase_it_values() -> None:
    assert subjects("Kazakhstan exported 1.3 million tons of agricultural products worth $820 million to China.") == [
        "Kazakhstan agricultural products exports to China", "value of agricultural products"]


def test_the_parts_that_follow_a_share_have_shares_too() -> None:
    assert subjects("Wheat accounted for 45% of the total, followed by barley at 18% and sunflower oil at 12%.") == [
        "share of Wheat", "share of barley", "share of sunflower oil"]


def test_doubling_an_object_is_its_growth() -> None:
    assert subjects("The terminal has an annual capacity of 800,000 TEU, doubling the base's throughput.")[1] == \
        "growth of base's throughput"


def test_a_capacity_in_counted_things_is_the_capacity_of_what_has_it() -> None:
    assert subjects("The companies agreed to build a car assembly plant in Kostanay with an annual capacity of 50,000 "
                    "vehicles.") == ["annual capacity of car assembly plant in Kostanay"]
    assert subjects("The first phase, with a capacity of 20,000 cars a year, is due to start production in 2026.") == [
        "capacity of first phase"]


def test_what_an_aside_values_a_thing_at_is_its_cost() -> None:
    assert subjects("The line, estimated at 1.2 trillion tenge, is expected to be completed in 2027.") == [
        "cost of line"]
    assert subjects("Investment in the project is estimated at $230 million.") == ["Investment in project"]


def test_raising_a_capacity_by_n_is_its_growth() -> None:
    assert subjects("The line will raise the capacity of cross-border rail transport by 20 million tons a year.") == [
        "growth of capacity of cross-border rail transport"]


def test_they_are_the_things_counted_just_before() -> None:
    assert subjects("Kazakhstan Temir Zholy and China Railway Group began construction of the railway. Currently, two "
                    "rail border crossings operate between the countries. In 2024, they handled a combined 28.5 "
                    "million tons of cargo.") == ["rail border crossings operating between countries",
                                                  "cargo handled by rail border crossings"]


def test_a_part_of_a_kind_of_whole_is_of_that_kind() -> None:
    assert subjects("In 2024, agricultural trade between Kazakhstan and China totaled $1.2 billion, of which Kazakh "
                    "exports made up $950 million.")[1] == "Kazakh agricultural exports"
    assert subjects("Trade amounted to $43.8 billion, of which Kazakh exports made up $15.9 billion.")[1] == \
        "Kazakh exports"


def test_oil_a_pipeline_pumped_and_loans_that_reached_the_equivalent_of_n() -> None:
    assert subjects("In the first half of 2025, the pipeline pumped 5.6 million tons of oil.") == [
        "oil pumped by pipeline"]
    assert subjects("Yuan-denominated loans reached the equivalent of $310 million.") == ["Yuan-denominated loans"]


def test_the_owner_of_a_capacity_is_the_thing_not_the_talks_about_it() -> None:
    assert subjects("Kazakhstan is in talks with Chinese partners on a gas processing plant at the Kashagan field "
                    "with a capacity of 1 billion cubic meters per year.") == [
        "capacity of gas processing plant at Kashagan field"]


def test_to_double_x_is_the_growth_of_x() -> None:
    assert subjects("The bank intends to double its yuan lending to Kazakh companies.") == [
        "growth of yuan lending to Kazakh companies"]
    assert subjects("Exports are expected to double.") == ["growth of Exports"]
    assert subjects("The sides agreed that trade will double by 2030.") == ["growth of trade"]


def test_year_over_year_is_no_subject_and_growth_of_n_is_growth() -> None:
    assert subjects("Revenue increased 24% year-over-year to KZT 1,050 billion.") == ["growth of Revenue", "Revenue"]
    assert subjects("Kaspi expects net income growth of around 10% in 2025.") == ["growth of net income"]
    assert subjects("Trade showed an increase of 20% in 2024.") == ["growth of Trade"]


def test_two_nouns_joined_at_the_start_of_a_subject_are_both_its_subject() -> None:
    assert subjects("Trade and investment between China and Kazakhstan reached $2 billion in 2024.") == [
        "Trade and investment between China and Kazakhstan"]
    assert subjects("Oil and gas exports from Kazakhstan to China reached $2 billion.") == [
        "Oil and gas exports from Kazakhstan to China"]
    assert subjects("The ministry said trade and investment grew 5% in 2024.") == ["growth of trade and investment"]
    assert subjects("In 2024, trade and investment reached $2 billion.") == ["trade and investment"]
    assert subjects("Kazakhstan exported 9 million tons of oil and gas to China.") == [
        "Kazakhstan oil and gas exports to China"]


def test_an_and_between_two_clauses_joins_no_subject() -> None:
    assert subjects("China signed agreements and exports rose 5% in 2024.") == ["growth of exports"]


def test_a_relative_clause_between_commas_is_skipped_to_the_subject() -> None:
    assert subjects("Khorgos, which borders China, received 2,000 trains in 2024.") == ["trains received by Khorgos"]


def test_months_joined_by_and_are_one_time_adjunct_before_the_verb() -> None:
    assert subjects("Exports in March and May rose 5%.") == ["growth of Exports"]
    assert subjects("Trade May Rise 5% In 2025, Officials Say.") == ["growth of Trade"]  # a headline's modal


def test_things_counted_as_the_subject_of_a_passive_are_what_it_says_of_them() -> None:
    assert subjects("A total of 85 Kazakh companies are now registered to export agricultural products to China.") == [
        "Kazakh companies registered to export agricultural products to China"]
    assert subjects("Some 120 Chinese firms are located in the Khorgos free zone.") == [
        "Chinese firms located in Khorgos free zone"]


def test_things_counted_doing_something_now_are_doing_it() -> None:
    assert subjects("More than 4,700 enterprises with Chinese capital operate in Kazakhstan.") == [
        "enterprises with Chinese capital operating in Kazakhstan"]
    assert subjects("More than 100 trains run each month between the two countries.") == [
        "monthly trains between two countries"]  # a rate first: a month's trains are not a year's
    assert subjects("1,500 trains passed through Khorgos in 2024.") == ["trains passed through Khorgos"]


def test_a_share_of_it_is_a_share_of_the_amount_just_stated_and_says_where_it_went() -> None:
    assert subjects("Kazakhstan produced 580,000 tonnes of refined copper in 2024 and shipped about 40% of it to "
                    "China.")[1] == "share of Kazakhstan refined copper production shipped to China"
    assert subjects("China imported 20 million tons of oil and 30% of it came from Kazakhstan.")[1] == \
        "share of China oil imports coming from Kazakhstan"


def test_what_estimated_at_prices_is_a_thing_built_or_signed_not_a_statistic() -> None:
    assert subjects("The project is estimated at $1.5 billion.") == ["cost of project"]
    assert subjects("They signed a contract valued at $300 million.") == ["value of contract signed"]
    assert subjects("The companies broke ground on a copper smelter in East Kazakhstan Region, a project estimated "
                    "at $1.5 billion.") == ["cost of copper smelter in East Kazakhstan Region"]
    assert subjects("Trade was estimated at $41 billion in 2024.") == ["Trade"]
    assert subjects("Kazakh exports, estimated at $15 billion, rose 5%.") == [
        "Kazakh exports", "growth of Kazakh exports"]


def test_made_up_says_whose_share_it_is() -> None:
    assert subjects("Chinese citizens made up 12% of all foreign visitors.") == [
        "share of Chinese citizens in foreign visitors"]


def test_cut_by_n_percent_is_a_change_of_what_was_cut() -> None:
    assert subjects("The corridor cut costs for our customers by 15%.") == ["growth of costs for customers"]
    assert [f.direction for f in extract_figures("The new route cut delivery times by 30%.")] == ["down"]


def test_a_share_of_which_is_a_share_in_the_figure_before() -> None:
    assert subjects("Agricultural trade reached $1.2 billion in 2024, of which Kazakhstan's exports accounted for "
                    "about 70 percent.")[1] == "share of Kazakhstan's exports in Agricultural trade"


def test_the_present_participle_of_a_verb_is_spelled_as_written() -> None:
    from monitor.analysis.extract.subjects import _present_participle
    from monitor.analysis.extract.tokens import Tok

    def ing(w: str) -> str:
        return _present_participle(Tok(w, 0, len(w), "V", w))
    assert [ing(w) for w in ("operate", "run", "ship", "open", "study", "lie", "see", "visit")] == [
        "operating", "running", "shipping", "opening", "studying", "lying", "seeing", "visiting"]


def test_a_name_joined_to_another_by_and_the_is_one_phrase() -> None:
    assert subjects("Trade between China and the EU reached $800 billion.") == ["Trade between China and EU"]
    assert subjects("Kazakhstan and the Philippines signed 5 agreements in 2024.") == [
        "agreements signed by Kazakhstan and Philippines"]


def test_a_part_included_in_the_whole_is_the_whole_s_thing_where_it_went() -> None:
    assert subjects("Investment reached $5 billion, including $2 billion from China.") == [
        "Investment", "Investment from China"]
    assert subjects("Kazakhstan exported 11.2 million tons of grain, including 1.4 million tons of wheat.")[1] == \
        "wheat"  # a kind of the whole, named as such


def test_a_name_s_short_form_in_brackets_is_left_out_of_the_subject() -> None:
    assert subjects("Exports of Kazakhstan Temir Zholy (KTZ) rose 5% in 2024.") == [
        "growth of Exports of Kazakhstan Temir Zholy"]


def test_number_as_a_verb_states_a_level_of_its_subject() -> None:
    assert subjects("Chinese students in Kazakhstan number about 3,000.") == ["Chinese students in Kazakhstan"]
    assert subjects("Direct flights between Almaty and Urumqi now number 110 per week.") == [
        "weekly Direct flights between Almaty and Urumqi"]


def test_things_doing_something_somewhere_are_one_phrase() -> None:
    assert subjects("The number of Chinese companies operating in Kazakhstan has exceeded 5,000.") == [
        "Chinese companies operating in Kazakhstan"]


def test_what_supplies_the_homes_is_the_subject_of_the_verb_before_them() -> None:
    assert subjects("Once fully running, the farm will supply electricity to about 1 million households.") == [
        "households supplied by farm"]
    assert subjects("The wind farm is big enough to power 200,000 homes.") == ["homes supplied by wind farm"]


def test_a_capacity_of_n_of_a_material_is_the_asset_s_capacity() -> None:
    # read as "annual ore" it took a results release's reporting period, which a design has not
    assert subjects("The concentrator has a capacity of 5 million tonnes of ore per year.") == [
        "capacity of concentrator"]
    assert subjects("Construction of a third concentrator, with a capacity of 5 million tonnes of ore per year, "
                    "is to begin in 2026.") == ["capacity of third concentrator"]
    assert subjects("The pipeline carries 20 million tons of oil per year.") == ["annual oil carried by pipeline"]


def test_an_amount_of_a_thing_in_a_passive_says_what_was_done_with_it() -> None:
    assert subjects("More than 1.3 million tons of cargo were shipped through the Khorgos dry port.") == [
        "cargo shipped through Khorgos dry port"]
    assert subjects("About 20 million tons of oil were sent to China in 2024.") == ["oil sent to China"]


def test_a_base_form_verb_after_a_phrase_with_a_preposition_is_the_verb() -> None:
    # "the two countries hit" is no compound noun: it lost the trade's subject to "record"
    assert subjects("Trade between the two countries hit a record $43.8 billion last year.") == [
        "Trade between two countries"]
