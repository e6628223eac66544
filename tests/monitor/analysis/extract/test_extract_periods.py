"""The period a figure refers to, normalised as YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM, YYYY-MM-DD,
A..B, since X, target X, target, or none. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.analysis.extract import extract_figures

PUB = dt.date(2024, 11, 5)


def periods(text: str, published: dt.date | None = PUB) -> list[str | None]:
    return [f.period for f in extract_figures(text, published=published)]


@pytest.mark.parametrize("text, period", [
    ("Trade reached $41 billion in 2023.", "2023"),
    ("Exports grew 6% in the first half of 2024.", "2024-H1"),
    ("Exports grew 6% in H2 2023.", "2023-H2"),
    ("Revenue was $12 million in the fourth quarter of 2023.", "2023-Q4"),
    ("Revenue was $12 million in Q1 2024.", "2024-Q1"),
    ("Freight totalled 3 million tons in March 2024.", "2024-03"),
    ("Freight totalled 3 million tons in January-April 2024.", "2024-01..2024-04"),
    ("Freight totalled 3 million tons in the first ten months of 2022.", "2022-01..2022-10"),
    ("Freight totalled 3 million tons in fiscal year 2023.", "2023"),
    ("The roadmap for 2025-2027 lists 18 projects.", "2025..2027"),
])
def test_stated_periods(text: str, period: str) -> None:
    assert periods(text, None)[0] == period


def test_relative_periods_resolve_against_the_publication_date() -> None:
    assert periods("Trade exceeded $30 billion last year.") == ["2023"]
    assert periods("This year, tourist arrivals reached 600,000.") == ["2024"]
    assert periods("Trade grew 5% in the first nine months of this year.") == ["2024-01..2024-09"]
    assert periods("Freight reached 2 million tons in October.") == ["2024-10"]
    assert periods("Freight reached 2 million tons in December.") == ["2023-12"]  # the last December before
    assert periods("Currently, 3,500 students study there.")[0] == "2024"


def test_without_a_date_relative_periods_stay_unresolved() -> None:
    assert periods("Trade exceeded $30 billion last year.", None) == [None]


def test_the_dateline_gives_the_date_when_the_release_does_not() -> None:
    assert periods("ASTANA, Jan. 20, 2025 -- Trade reached $44 billion last year.", None) == ["2024"]


def test_the_text_says_when_it_was_written() -> None:
    # "up from the same period of 2012" is said in 2013
    assert periods("Imports reached 8 million tons in January-September, up 2% from the same period of 2012.",
                   None)[0] == "2013-01..2013-09"


def test_a_start_is_since() -> None:
    assert periods("Since 2015, Chinese firms have invested $9 billion.", None) == ["since 2015"]
    assert periods("The line opened in July 2009 and has since carried 70 million tons.", None) == [
        "since 2009-07"]


def test_goals_plans_forecasts_and_deadlines_are_targets() -> None:
    assert periods("The sides aim to raise trade to $40 billion by 2030.", None) == ["target 2030"]
    assert periods("Capacity will reach 25 million tons a year by 2027.", None) == ["target 2027"]
    assert periods("The airline plans to increase flights to 10 per week.", None) == ["target"]
    assert periods("The ministry expects exports to grow by 8 percent next year.") == ["target 2025"]


def test_an_amount_a_named_party_is_to_move_is_a_forecast() -> None:
    assert periods("Uzbekistan will receive 8 bcm and Tajikistan 3 bcm.", None) == ["target", "target"]
    assert periods("Kazakhstan will ship 2 million tons of barley to China.", None) == ["target"]
    # the same verb in the past is an actual, and an asset's future output no target
    assert periods("Kazakhstan shipped 2 million tons of barley to China in 2023.", None) == ["2023"]
    assert periods("The new hydro plant will deliver about 500 GWh a year.", None) == [None]


def test_a_ranked_occurrence_on_a_day_counts_the_year_up_to_that_day() -> None:
    text = ("On Friday, 6 October, the 2,500 train trip through the Altynkol station in 2023 was recorded. "
            "The train on trip number 2,500 carried cotton.")
    assert periods(text, None) == ["2023-01-01..2023-10-06", "2023-01-01..2023-10-06"]  # restated, same period
    assert periods("On 3 July, the president paid his fifth visit to China in 2024.", None) == ["2024"]


def test_a_future_description_of_an_asset_is_no_target() -> None:
    assert periods("The plant will supply power to about 200,000 households.", None) == [None]
    assert periods("The terminal will be able to handle 300,000 TEU per year.", None) == [None]


def test_the_comparison_basis_is_not_the_period() -> None:
    assert periods("Exports rose 12% in 2024 compared with 2023.", None) == ["2024"]
    assert periods("Freight grew 9% year-on-year to 5 million tons in May 2024.", None) == ["2024-05", "2024-05"]
    assert periods("Revenue was $9 million in 2024, compared to $7 million in 2023.", None) == ["2024", "2023"]


def test_present_tense_and_design_parameters_have_no_period() -> None:
    assert periods("The pipeline has a capacity of 20 million tons a year.", None) == [None]
    assert periods("The 1,200-kilometer road links the two cities.", None) == [None]
    assert periods("During the visit in May 2023, the sides agreed to build a 1 GW wind farm.", None) == [None]


def test_a_statistic_in_a_run_of_statistics_takes_the_run_s_period() -> None:
    text = ("In January-June 2024, rail freight between the countries reached 14 million tons. "
            "Exports grew 9%, reaching 6 million tons. Imports increased by 4% to 8 million tons.")
    assert periods(text, None) == ["2024-01..2024-06"] * 5


def test_a_run_ends_at_a_sentence_without_figures() -> None:
    text = ("Trade reached $20 billion in 2023. The two leaders discussed energy and transport projects. "
            "Joint ventures employ 4,000 people.")
    assert periods(text, None) == ["2023", None]


def test_a_growth_figure_takes_the_period_of_its_level() -> None:
    assert periods("Mutual trade rose 11% year-on-year to $19 billion in 2023.", None) == ["2023", "2023"]


def test_a_relationship_length_gets_the_year_it_is_reached() -> None:
    assert periods("This year marks the 32nd anniversary of diplomatic relations.") == ["2024"]
    assert periods("The countries established relations in 1992. Over the past 30 years, trade grew "
                   "40-fold.", None) == ["2022", "since 1992"]
    assert periods("Relations were established 31 years ago.", dt.date(2023, 5, 19)) == ["2023"]


def test_the_time_a_statement_was_made_is_not_a_period() -> None:
    assert periods("Capacity will reach 20 million tons, the minister said in September.", None) == ["target"]


def test_a_reporting_period_ended_on_a_day_is_its_months_and_no_figure() -> None:
    figures = extract_figures("For the nine months ended September 30, 2025, revenue totaled KZT 139.2 billion.")
    assert [(f.text, f.period) for f in figures] == [("KZT 139.2 billion", "2025-01..2025-09")]
    assert [f.period for f in extract_figures("Sales for the twelve months ending March 31, 2024 rose 5%.")] == \
        ["2023-04..2024-03"]


def test_a_company_s_expected_figure_is_a_target_and_a_later_plan_keeps_its_own_time() -> None:
    assert [f.period for f in extract_figures("The company expects revenue of $5 million in 2026.")] == \
        ["target 2026"]
    assert [f.period for f in extract_figures("He said he expects that exports rose 5% in 2024.")] == ["2024"]
    assert [f.period for f in extract_figures(
        "The company expects full-year revenue of $190 million and plans to open a terminal in 2026.")] == [None]


def test_by_the_end_of_the_year_is_this_year_s_deadline() -> None:
    figures = extract_figures("Weekly flights will increase from 104 to 140 by the end of the year.",
                              published=dt.date(2025, 3, 10))
    assert [f.period for f in figures] == [None, "target 2025"]
    assert [f.period for f in extract_figures("Trade reached $5 billion at the end of the year.",
                                              published=dt.date(2025, 3, 10))] == [None]


def test_a_rule_in_force_after_an_aside_takes_no_period_from_the_statistics_before() -> None:
    text = ("Last year, 655,000 Chinese tourists visited Kazakhstan. Visa-free travel between the two countries, "
            "introduced in November 2023, allows stays of up to 30 days.")
    assert [f.period for f in extract_figures(text, published=dt.date(2025, 3, 10))] == ["2024", None]


def test_between_two_months_is_the_stretch_of_months() -> None:
    figures = extract_figures("More than 6,500 container trains crossed Kazakhstan between January and June.",
                              published=dt.date(2025, 7, 14))
    assert [f.period for f in figures] == ["2025-01..2025-06"]


def test_over_the_past_decade_is_since_ten_years_before_the_release() -> None:
    figures = extract_figures("Over the past decade, Chinese companies have invested more than $25 billion in "
                              "Kazakhstan.", published=dt.date(2024, 6, 20))
    assert [f.period for f in figures] == ["since 2014"]


def test_the_date_of_the_event_a_since_clause_opens_with_starts_the_count() -> None:
    assert periods("Since the first China-Europe freight train passed through Khorgos in 2016, the port has handled "
                   "more than 40,000 trips.") == ["since 2016"]
    assert periods("Since Kazakhstan gained independence in 1991, China has invested $25 billion in its economy.") == [
        "since 1991"]
    assert periods("Trade has grown since the two countries set up diplomatic ties in 1992, reaching $41 billion in "
                   "2023.") == ["2023"]


def test_two_months_in_a_row_are_one_span_and_two_apart_are_not() -> None:
    assert periods("In March and April, the port expanded its container yard by 30,000 square meters.",
                   published=dt.date(2025, 4, 8)) == ["2025-03..2025-04"]
    # two months apart are no one period: not March alone, which the figure is not about
    assert periods("Freight rose 5% in March and May.", published=dt.date(2025, 6, 8)) == [None]
    # three or more in a row are one span as two are, written with a year or not
    assert periods("Freight rose 5% in March, April and May.", published=dt.date(2025, 6, 8)) == ["2025-03..2025-05"]
    assert periods("In June, July, August and September 2024, freight rose 5%.") == ["2024-06..2024-09"]
    assert periods("Freight rose 5% in March, and imports fell in April.", published=dt.date(2025, 6, 8)) == ["2025-03"]


def test_a_plan_to_put_money_in_is_a_target() -> None:
    assert periods("The partners expect to invest $1.2 billion.") == ["target"]
    assert periods("The partners will invest $1.2 billion.") == ["target"]
    assert periods("China invested $1.2 billion in Kazakhstan in 2023.") == ["2023"]
    assert periods("The project is expected to produce 60,000 tonnes of copper per year.") == [None]


def test_a_figure_nothing_was_read_of_does_not_take_the_period_of_the_run() -> None:
    assert periods("The number of tourists rose to 655,000 in 2024. The regime allows stays of up to 30 days per "
                   "entry and no more than 90 days within any 180-day period.") == ["2024", None, None, None]


def test_since_a_company_was_founded_is_since_that_year() -> None:
    assert periods("Allur has assembled more than 120,000 vehicles since it was founded in 2003.") == ["since 2003"]


def test_a_plan_s_month_without_a_year_is_the_one_to_come() -> None:
    march = dt.date(2025, 3, 3)
    assert periods("Exports will reach 10 million tons in May.", published=march) == ["target 2025-05"]
    assert periods("Exports reached 10 million tons in May.", published=march) == ["2024-05"]
    assert periods("Air Astana will increase flights between Almaty and Beijing from seven to 10 per week starting "
                   "from April 15.", published=march) == [None, "since 2025-04-15"]


def test_the_first_three_quarters_and_since_then() -> None:
    assert periods("Trade totaled 215.3 billion yuan in the first three quarters of 2025, up 6.1 percent year on "
                   "year.") == ["2025-01..2025-09"] * 2
    assert periods("The company opened an office in Shenzhen in January 2025 and has onboarded more than 4,000 "
                   "Chinese sellers since then.") == ["since 2025-01"]


RESULTS = ("ALMATY, Oct. 27, 2025 -- The bank today announced its financial results for the third quarter ended "
           "September 30, 2025.\n\n"
           "Revenue increased 24% year-over-year to KZT 1,050 billion. \"We are pleased with a strong quarter,\" "
           "the chief executive said.\n\n"
           "Net income grew 12% to KZT 320 billion. The bank expects net income growth of around 10% for the full "
           "year 2025. The bank has 14 branches.")


def test_a_results_release_s_past_statistics_are_of_the_period_its_lead_names() -> None:
    """All through the release, past the quote between them; not a forecast with its own year,
    nor a present-tense statement."""
    assert [(f.text, f.period) for f in extract_figures(RESULTS, published=dt.date(2025, 10, 27))] == [
        ("24%", "2025-Q3"), ("KZT 1,050 billion", "2025-Q3"), ("12%", "2025-Q3"), ("KZT 320 billion", "2025-Q3"),
        ("10%", "target 2025"), ("14 branches", None)]


def test_only_a_company_s_results_name_a_reporting_period() -> None:
    talks = RESULTS.replace("announced its financial results for the third quarter ended September 30, 2025",
                            "welcomed the results of the talks held in May 2025")
    assert [f.period for f in extract_figures(talks, published=dt.date(2025, 10, 27))][:4] == [None] * 4
    nine = RESULTS.replace("the third quarter ended September 30, 2025", "9M 2025")
    assert [f.period for f in extract_figures(nine, published=dt.date(2025, 10, 27))][:4] == [None] * 4  # not all 2025


def test_the_nine_months_of_a_year_are_its_first_nine_and_no_figure() -> None:
    nine = RESULTS.replace("the third quarter ended September 30, 2025", "the nine months of 2025")
    assert [(f.text, f.period) for f in extract_figures(nine, published=dt.date(2025, 10, 27))][:4] == [
        ("24%", "2025-01..2025-09"), ("KZT 1,050 billion", "2025-01..2025-09"), ("12%", "2025-01..2025-09"),
        ("KZT 320 billion", "2025-01..2025-09")]
    assert periods("Exports rose 5% in the nine months of 2025.") == ["2025-01..2025-09"]


def test_a_date_of_the_first_of_two_plans_is_not_the_second_s() -> None:
    assert periods("The partners plan to open a checkpoint in 2026 and to invest $350 million in terminals.") == [
        "target"]
    assert periods("In 2024, trade and investment reached $2 billion.") == ["2024"]


def test_things_counted_and_their_value_are_of_one_time() -> None:
    assert periods("Kazakhstan and China signed 16 agreements worth $2.1 billion on July 11.",
                   published=dt.date(2025, 7, 12)) == ["2025-07-11", "2025-07-11"]


def test_a_time_inside_a_which_clause_dates_that_clause_not_the_figure_after_it() -> None:
    assert periods("The smelter, which is scheduled to start production in 2028, will process 300,000 tonnes of "
                   "copper concentrate a year.") == [None]  # an asset's design output
    assert periods("Trade, which fell in 2020, reached $41 billion in 2024.") == ["2024"]


def test_things_counted_as_planned_for_a_year_are_its_target() -> None:
    assert periods("The service has a capacity of 120 TEU per train, with up to 52 trains planned in 2026.")[1] == \
        "target 2026"
    assert periods("The plan envisages 30 flights scheduled for 2026.") == ["target 2026"]


def test_a_start_does_not_date_a_present_statement_after_it() -> None:
    assert periods("The company has operated in Kazakhstan since 2014 and employs 3,800 people.") == [None]
    assert periods("Since 2014, the company has employed 3,800 people.") == ["since 2014"]


def test_the_past_few_years_are_a_start_and_no_figure() -> None:
    figures = extract_figures("Over the past five years, Chinese investment in Kazakhstan totalled $12 billion.",
                              published=dt.date(2025, 6, 1))
    assert [(f.text, f.period) for f in figures] == [("$12 billion", "since 2020")]
    # a relationship's past 30 years stay its age (test_a_relationship_length_gets_the_year_it_is_reached)
