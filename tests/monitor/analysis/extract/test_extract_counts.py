"""Counts: discrete things that mean something; ordinals only for how many times; years of
a relationship; and what is not a count (years, dates, ages, names, list numbers)."""

from __future__ import annotations

from monitor.analysis.extract import extract_figures


def counts(text: str):
    return [f for f in extract_figures(text) if f.kind == "count"]


def values(text: str):
    return [(f.value, f.unit) for f in counts(text)]


def test_documents_signed_is_a_count():
    f = counts("The ministers signed 16 documents on energy and transport.")[0]
    assert (f.value, f.unit, f.text) == (16, None, "16 documents")
    assert f.subject == "documents on energy signed by ministers"


def test_count_in_words_with_adjectives():
    f = counts("The companies concluded five commercial agreements.")[0]
    assert (f.value, f.text) == (5, "five commercial agreements")


def test_fifth_visit_is_a_count_of_5():
    assert values("It was the president's fifth visit to the region.") == [(5, None)]


def test_second_state_visit_counts_the_visits():
    assert values("This is his second state visit to Astana.") == [(2, None)]


def test_thirtieth_anniversary_is_30_years():
    f = counts("The countries celebrate the 30th anniversary of diplomatic ties.")[0]
    assert (f.value, f.unit, f.text) == (30, "years", "30th anniversary")


def test_ordinals_that_name_something_are_not_counts():
    assert counts("The third railway checkpoint opened to traffic.") == []
    assert counts("The 24th meeting of the council took place in Astana.") == []
    assert counts("He attended the second forum on logistics.") == []


def test_first_time_is_not_a_count():
    assert counts("The summit will be held for the first time.") == []


def test_ranks_are_not_counts():
    assert counts("The airline is the sixth-largest in the world and ranks first in Asia.") == []


def test_relationship_length_is_a_count_in_years():
    assert values("The two countries look back on 32 years of cooperation.") == [(32, "years")]
    assert values("Over three decades of partnership, trade grew steadily.") == [(30, "years")]
    assert values("Relations were established 31 years ago.") == [(31, "years")]


def test_company_age_is_not_labelled():
    assert [f for f in extract_figures("A leading provider of software for over 20 years, the firm "
                                       "announced results.") if f.unit == "years"] == []


def test_person_age_is_not_a_count():
    assert counts("The 45-year-old engineer joined in spring.") == []
    assert counts("The minister, aged 58, said trade is growing.") == []
    assert [f for f in extract_figures("She is 40 years old.")] == []


def test_years_and_dates_are_not_counts():
    assert counts("In 2023 the terminal opened on 17 May.") == []
    assert counts("The talks ended on March 3, 2024.") == []
    assert counts("Flights resume on June 7 to 10.") == []


def test_numbers_inside_names_are_not_counts():
    assert counts("No 67 Middle School and the A320 fleet were mentioned.") == []
    assert counts("COVID-19 slowed the works on Line 2.") == []


def test_the_two_countries_is_not_a_count():
    assert counts("Trade between the two countries keeps growing.") == []
    assert counts("The two leaders met in Beijing.") == []


def test_frequency_per_week_is_a_count():
    assert values("Flights run three times a week.") == [(3, None)]
    assert values("The carrier flies twice per week to Urumqi.") == [(2, None)]
    assert values("The hub handles 19 trains per day.") == [(19, None)]


def test_increase_from_x_to_y_per_week_gives_two_counts():
    assert values("Weekly flights will increase from 13 to 19 per week.") == [(13, None), (19, None)]


def test_cardinal_train_trip_and_trip_number_count_occurrences():
    assert values("The train marked the 6,000 train trip this year.") == [(6000, None)]
    assert values("The China-Europe trip number 6,000 left the port.") == [(6000, None)]


def test_bare_number_after_reached_is_a_count():
    assert values("The student number reached 386.") == [(386, None)]


def test_millions_of_households_is_a_count():
    f = counts("The plant will supply electricity to 1 million households.")[0]
    assert (f.value, f.unit) == (1e6, None)


def test_visiting_n_times_counts_occurrences():
    assert values("He has visited China 10 times.") == [(10, None)]


def test_irregular_plurals_are_counted():
    assert values("The fair drew 300 businessmen and 40 women entrepreneurs.") == [(300, None), (40, None)]
    assert values("The factory employs 1,200 people.") == [(1200, None)]


def test_years_of_experience_are_an_age_not_a_count():
    assert extract_figures("The firm brings over 50 years of experience.") == []


def test_two_nationalities_before_the_noun():
    assert values("Over 100 Kazakh and Chinese companies took part.") == [(100, None)]


def test_bare_number_after_a_verb_to():
    assert values("The number of firms has tripled to more than 4,000.")[-1:] == [(4000, None)]


def test_routes_number_80_is_a_count():
    assert values("Its rail routes number 80.") == [(80, None)]


def test_rise_from_x_to_y_without_a_noun_gives_two_counts():
    assert values("Weekly flights will rise from 20 to 35.") == [(20, None), (35, None)]


def test_plural_noun_used_as_modifier():
    f = counts("The plan covers five new logistics projects.")[0]
    assert (f.value, f.text) == (5, "five new logistics projects")


def test_a_hyphenated_name_before_the_counted_noun_is_part_of_it():
    assert [f.text for f in counts("More than 6,500 China-Europe container trains crossed the border.")] == \
        ["6,500 China-Europe container trains"]
    assert [f.text for f in counts("The 12 Kazakh-Chinese joint ventures opened.")] == \
        ["12 Kazakh-Chinese joint ventures"]


def test_two_modifiers_joined_by_and_before_the_counted_noun():
    assert [f.text for f in counts("The sides signed 16 bilateral and commercial agreements.")] == \
        ["16 bilateral and commercial agreements"]
    assert [f.text for f in counts("He met 5 ministers and 3 governors.")] == ["5 ministers", "3 governors"]


def test_one_in_five_is_a_proportion_not_a_count_of_five():
    assert counts("Chinese investors account for one in five new projects.") == []


def test_a_bare_number_after_up_from_or_compared_with_is_the_earlier_count() -> None:
    assert [(f.kind, f.value) for f in extract_figures(
        "The number of accredited companies has reached 1,100, up from 650 in 2022.")] == [
        ("count", 1100), ("count", 650)]
    assert [(f.kind, f.value) for f in extract_figures(
        "Carriers now operate 150 flights a week, compared with 68 a year earlier.")] == [("count", 150), ("count", 68)]
    assert [f.value for f in extract_figures("Exports reached 1,100 tons, up from 2022.")] == [1100]


def test_an_ordinal_before_a_compound_names_what_it_numbers() -> None:
    assert extract_figures("KTZ Express and COSCO today opened a second container terminal at the base.") == []
    assert [f.text for f in extract_figures("It was his fifth visit to China.")] == ["fifth visit"]


def test_a_part_of_them_and_the_same_verb_again_count_too() -> None:
    assert [f.value for f in extract_figures("Some 15,000 Kazakh students are studying in China. Of them, about 2,500 "
                                             "study on Chinese government scholarships.")] == [15000, 2500]
    figures = extract_figures("Chinese airlines currently operate 84 flights a week to Kazakh cities, while Kazakh "
                              "carriers operate 56.")
    assert [(f.value, f.subject) for f in figures] == [
        (84, "weekly flights to Kazakh cities by Chinese airlines"), (56, "weekly flights by Kazakh carriers")]


def test_years_later_say_when_not_how_long() -> None:
    assert extract_figures("Two years later, in 2015, the two sides signed an agreement.") == []


def test_things_a_measure_is_counted_in_take_the_measure_as_subject():
    # "people", "vehicles", "units" say only what is counted: the measure is the verb's subject
    for text, subject in (
            ("The number of Chinese tourists visiting Kazakhstan reached 500,000 people in 2024.",
             "Chinese tourists visiting Kazakhstan"),
            ("Exports of Kazakh cars to China rose to 3,000 vehicles in 2024.", "Exports of Kazakh cars to China"),
            ("Sales of Chinese cars in Kazakhstan reached 45,000 units in 2024.",
             "Sales of Chinese cars in Kazakhstan"),
            ("The number of trips by Chinese travellers to Kazakhstan rose to 650,000 people.",
             "Chinese travellers to Kazakhstan")):
        assert [f.subject for f in counts(text)] == [subject], text


def test_things_counted_after_another_subject_are_still_the_things():
    assert [f.subject for f in counts("The company hired 500 workers in 2024.")] == ["workers"]
    assert [f.subject for f in counts("The plant reached 1,200 employees in 2024.")] == ["employees"]


def test_things_that_are_a_passive_s_agent_did_it():
    assert [f.subject for f in counts("Kazakhstan was visited by 600,000 Chinese tourists in 2024.")] == [
        "Chinese tourists visiting Kazakhstan"]
    assert [f.subject for f in counts("The forum was attended by 3,000 delegates.")] == ["delegates attending forum"]
