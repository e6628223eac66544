"""Milestones: dated events with a written year; not datelines, statistic periods or targets."""

from __future__ import annotations

import datetime as dt

from monitor.analysis.extract import extract_milestones


def dates(text: str, **kw):
    return [(m.year, m.date) for m in extract_milestones(text, **kw)]


def test_signed_on_a_full_date():
    ms = extract_milestones("The visa agreement was signed in Astana on 12 March 2024.")
    assert [(m.year, m.date, m.status) for m in ms] == [(2024, "2024-03-12", "happened")]
    assert ms[0].sentence == "The visa agreement was signed in Astana on 12 March 2024."


def test_month_day_year_and_month_year():
    assert dates("The bridge opened on October 5, 2021.") == [(2021, "2021-10-05")]
    assert dates("The pipeline started operating in July 2006.") == [(2006, "2006-07")]


def test_year_only_event():
    assert dates("The institute was founded in 2007.") == [(2007, "2007")]
    assert dates("In 2016, the leaders signed a plan to link the two programmes.") == [(2016, "2016")]


def test_since_the_establishment_in_year():
    assert dates("Since the establishment of diplomatic relations in 1992, ties have deepened.") == [
        (1992, "1992")]


def test_anniversary_on_a_date():
    assert dates("January 3, 2022 is the 30th anniversary of diplomatic relations.") == [(2022, "2022-01-03")]


def test_short_pronoun_sentence_that_was_in_year():
    assert dates("That was in 1995.") == [(1995, "1995")]


def test_planned_event_is_announced():
    ms = extract_milestones("Kazakhstan will hold the Year of Tourism of China in 2025.")
    assert [(m.year, m.status) for m in ms] == [(2025, "announced")]
    ms = extract_milestones("The final stage is scheduled for completion by 2027.")
    assert [(m.year, m.status) for m in ms] == [(2027, "announced")]


def test_year_as_adjective_of_a_named_year():
    assert dates("The 2017 Year of Culture will bring the two peoples closer.") == [(2017, "2017")]


def test_statistic_period_is_not_a_milestone():
    assert dates("Trade between the countries exceeded $32 billion in 2022.") == []
    assert dates("According to the results of January-April 2024, freight reached 10 million tons.") == []
    assert dates("Net revenues were $134.6 million in the fourth quarter of 2013.") == []


def test_target_with_deadline_is_not_a_milestone():
    assert dates("Capacity is expected to reach 20 million tons a year by 2015.") == []
    assert dates("The country plans to raise output by 50 percent before 2030.") == []


def test_dateline_is_not_a_milestone():
    assert dates("BEIJING, 19. May 2023 /PRNewswire/ -- The summit will be held on May 18-19 in Xi'an.") == []
    assert dates("ATLANTA, Feb. 20, 2014 /PRNewswire/ -- The company announced results.") == []


def test_dates_without_a_year_are_not_milestones():
    assert dates("The album was launched on June 6 in Astana.") == []
    assert dates("He visited the plant last September.") == []


def test_year_ranges_of_a_strategy_are_not_milestones():
    assert dates("They approved a cooperation strategy for the years 2023-2027.") == []


def test_the_year_next_to_the_event_word_is_chosen():
    ms = extract_milestones("There were few students in 2007, but numbers rose after 2013, when the "
                            "programme was launched.")
    assert [m.year for m in ms] == [2013]


def test_two_events_in_one_sentence():
    assert dates("He was born in 1970 and the firm was founded in 1998.") == [(1970, "1970"), (1998, "1998")]


def test_one_event_stated_twice_is_one_milestone():
    text = ("The terminal opened in March 2019. Officials recalled that the terminal opened in "
            "March 2019 with two berths.")
    assert dates(text) == [(2019, "2019-03")]


def test_relative_date_resolves_when_the_publication_date_is_known():
    text = "Kazakhstan joined construction of the pipeline on Wednesday."
    assert dates(text) == []
    assert dates(text, published=dt.date(2008, 7, 10)) == [(2008, "2008-07-09")]
    assert dates("Turkmenistan launched its segment last year.", published=dt.date(2008, 7, 10)) == [
        (2007, "2007")]


def test_a_future_year_after_publication_is_announced():
    ms = extract_milestones("The line opens in 2026.", published=dt.date(2024, 1, 1))
    assert [m.status for m in ms] == ["announced"]


def test_event_phrase_is_short_and_without_the_date():
    m = extract_milestones("In 2016, the two leaders signed a plan to link the two programmes.")[0]
    assert "2016" not in m.event
    assert m.event == "two leaders sign plan to link two programmes"
    assert len(m.event.split()) <= 14


def test_to_json_uses_text_for_the_sentence():
    d = extract_milestones("The port opened in 2010.")[0].to_json()
    assert d["text"] == "The port opened in 2010." and d["year"] == 2010


def test_speech_and_departure_are_events():
    assert dates("On September 7, 2013, the president delivered a speech at the university.") == [
        (2013, "2013-09-07")]
    assert dates("On 15 October 2024 the first train departed from the port.") == [(2024, "2024-10-15")]


def test_since_year_with_a_cumulative_figure_is_a_statistic():
    assert dates("Since 2005, the partners have built 52 joint projects worth $21 billion.") == []


def test_a_figure_that_visited_in_a_year_is_a_statistic():
    assert dates("Over 600,000 tourists visited the country in 2023.") == []


def test_a_year_in_the_subject_of_a_statistic_is_its_period():
    assert dates("The number of Chinese tourists who visited Kazakhstan in 2024 rose 2.4 times to 655,000.") == []
    assert dates("The bridge opened in 2024 carried 2 million tons of cargo last year.") == [(2024, "2024")]


def test_numeric_day_month_year_date():
    assert dates("The memorandum was signed on 17.05.2023 in the capital.") == [(2023, "2023-05-17")]


def test_each_date_gets_its_own_status():
    ms = extract_milestones("The line was first proposed in 2019 and construction will begin in the second "
                            "half of 2024.")
    assert [(m.year, m.status) for m in ms] == [(2019, "happened"), (2024, "announced")]


def test_short_clause_event_borrows_its_subject():
    m = extract_milestones("The centre, opened in 2012, received many visitors.")[0]
    assert m.event == "centre opened"


def test_dateline_with_place_in_ordinary_case():
    assert dates("Astana, 2 June 2024 – The two ministries signed a memorandum.") == []
    assert dates("Almaty, March 3, 2023 /Kazinform/ - The bank opened a branch.") == []


def test_a_year_naming_data_or_a_report_is_not_an_event():
    assert dates("According to the 2023 data presented at the forum, trade grew.") == []
    assert dates("We are pleased with our 2013 performance, the founder said at the meeting.") == []


def test_two_dated_events_with_different_verbs():
    text = "The countries established relations in 1992 and upgraded their ties to a partnership in 2019."
    assert dates(text) == [(1992, "1992"), (2019, "2019")]


def test_agreed_to_hold_is_announced_and_named_years_are_events():
    ms = extract_milestones("The sides agreed to hold the Tourism Year of China in 2025 and a Culture Year "
                            "in 2026.")
    assert [(m.year, m.status) for m in ms] == [(2025, "announced"), (2026, "announced")]


def test_two_dates_give_two_separate_event_phrases():
    ms = extract_milestones("The treaty was ratified in 2020 and entered into force in 2021.")
    assert [m.event for m in ms] == ["treaty ratified", "treaty enters into force"]


def test_relative_date_at_sentence_start():
    assert dates("On Monday, the leaders signed the charter.", published=dt.date(2024, 5, 22)) == [
        (2024, "2024-05-20")]


def test_a_plan_s_quarter_is_its_date_even_with_a_figure_earlier_in_the_sentence():
    found = extract_milestones("The company expects full-year revenue of $190 million and plans to open a "
                               "terminal in Lianyungang in the first quarter of 2026.")
    assert [(m.year, m.status, m.event) for m in found] == [
        (2026, "announced", "company opens terminal in Lianyungang")]
    assert extract_milestones("Exports reached $5 billion in the first half of 2025.") == []


def test_what_a_figure_did_last_year_is_a_statistic_not_a_milestone():
    assert extract_milestones("Last year, about 655,000 Chinese tourists visited Kazakhstan.",
                              published=dt.date(2025, 3, 10)) == []


def test_an_event_on_a_relative_day_is_said_like_the_others():
    found = extract_milestones("The Chinese consulate in Aktobe opened on Monday.", published=dt.date(2024, 9, 3))
    assert [(m.date, m.event) for m in found] == [("2024-09-02", "Chinese consulate in Aktobe opens")]
    found = extract_milestones("The two leaders met last year in Astana and signed a deal.", published=dt.date(2024, 9, 3))
    assert [(m.date, m.event) for m in found] == [("2023", "two leaders meet in Astana")]


def test_business_wire_s_dateline_is_no_milestone() -> None:
    text = ("AKTAU, Kazakhstan--(BUSINESS WIRE)--Dec. 1, 2025-- The group today announced a weekly service "
            "between Aktau and Lianyungang. The group was founded in 2011.")
    assert [(m.date, m.event) for m in extract_milestones(text)] == [("2011", "group founded")]


def test_an_asset_s_capacity_before_the_date_leaves_the_date_to_the_event():
    # a capacity has no period, so the year is when the terminal opened
    assert [(m.date, m.event) for m in extract_milestones(
        "The company opened a terminal with a capacity of 1 million TEU in 2024.")] == [
        ("2024", "company opens terminal")]
    assert [(m.date, m.event) for m in extract_milestones(
        "The pipeline with a capacity of 20 million tons a year was commissioned in 2009.")] == [
        ("2009", "pipeline commissioned")]
    assert extract_milestones("Exports reached 1 million tons in 2024.") == []  # the figure's period


def test_last_this_and_next_month_date_an_event_against_the_publication_date():
    def month_events(text):
        return [(m.date, m.event, m.status) for m in extract_milestones(text, published=dt.date(2026, 1, 10))]
    assert month_events("The wind farm started operation last month.") == [
        ("2025-12", "wind farm starts operation", "happened")]
    assert month_events("The forum will open next month in Astana.") == [("2026-02", "forum opens in Astana", "announced")]
    assert month_events("Exports reached 2 million tons last month.") == []  # a statistic's period


def test_the_day_something_was_said_does_not_date_what_was_said():
    assert [(m.date, m.event) for m in extract_milestones(
        "The ministry said on Wednesday that the plant opened last month.", published=dt.date(2026, 1, 10))] == [
        ("2025-12", "plant opens")]


def test_what_a_participle_s_agent_made_is_the_subject_of_the_event():
    # not the developer: what it built started
    assert [(m.date, m.event) for m in extract_milestones(
        "A wind farm built by a Chinese developer in the Zhambyl region started operation in 2025.")] == [
        ("2025", "wind farm built by Chinese developer in Zhambyl region starts operation")]
