"""A milestone's event is a whole short clause, who did what, in the present tense; each
date of a chained sentence is its own milestone. Sentences written for these tests."""

from __future__ import annotations

from monitor.analysis.extract import extract_milestones
from monitor.analysis.extract.events import lemma_of, present


def events(text: str) -> list[tuple[str, str]]:
    return [(m.date, m.event) for m in extract_milestones(text)]


def test_a_passive_with_its_parties_is_said_actively() -> None:
    assert events("The air services agreement was signed between Kazakhstan and China on 2 April 2024 in "
                  "Beijing.") == [("2024-04-02", "Kazakhstan and China sign air services agreement in Beijing")]


def test_subject_verb_and_object() -> None:
    assert events("KazMunayGas opened a representative office in Shanghai in 2019.") == [
        ("2019", "KazMunayGas opens representative office in Shanghai")]


def test_an_opening_date_dates_the_main_clause() -> None:
    assert events("In 2022, the two governments launched a joint fund for green energy.") == [
        ("2022", "two governments launch joint fund for green energy")]
    assert events("During the state visit in June 2024, Tokayev and Xi signed a joint declaration.") == [
        ("2024-06", "Tokayev and Xi sign joint declaration")]


def test_a_name_and_a_common_noun_are_both_the_subject() -> None:
    assert events("KTZ and the ministry jointly launched the service in 2024.") == [
        ("2024", "KTZ and ministry launch service")]
    assert events("In 2024, KTZ and the ministry launched the service.") == [
        ("2024", "KTZ and ministry launch service")]


def test_the_first_of_a_list_of_signatories_stands_for_them() -> None:
    assert events("In 2023, KTZ, the ministry and two Chinese banks signed a loan agreement.") == [
        ("2023", "KTZ signs loan agreement")]


def test_a_when_clause_after_the_date_is_the_event() -> None:
    assert events("Exports grew quickly after 2015, when the new border crossing opened at Nur Zholy.") == [
        ("2015", "new border crossing opens at Nur Zholy")]


def test_a_pronoun_takes_what_it_stands_for() -> None:
    assert events("The bank opened its Astana branch in 2018. It opened a second office in 2021.")[1] == (
        "2021", "bank opens second office")
    assert events("She has led the Astana office since it opened in 2015.") == [("2015", "Astana office opens")]


def test_a_date_that_names_an_event_or_is_one() -> None:
    assert events("The 2025 Kazakhstan-China Business Forum will gather 500 companies.") == [
        ("2025", "Kazakhstan-China Business Forum")]
    assert events("June 20, 2022 was the 30th anniversary of the Khorgos border crossing.") == [
        ("2022-06-20", "30th anniversary of Khorgos border crossing")]


def test_a_nominal_event_becomes_a_verb() -> None:
    assert events("Since the signing of the trade agreement in 2003, China-Kazakhstan trade has grown.") == [
        ("2003", "China-Kazakhstan sign trade agreement")]


def test_that_was_in_year_is_the_event_of_the_sentence_before() -> None:
    assert events("The story began with the opening of the first border market. That was in 1996.") == [
        ("1996", "open first border market")]


def test_what_is_scheduled_is_the_event() -> None:
    assert events("The second line is scheduled for completion by 2027.") == [("2027", "second line completes")]
    assert events("The bypass is scheduled to open in 2026.") == [("2026", "bypass opens")]


def test_each_date_of_a_chain_is_its_own_milestone() -> None:
    text = ("Ties were elevated first to a strategic partnership in 2005, then a comprehensive strategic "
            "partnership in 2011 and a permanent comprehensive strategic partnership in 2019.")
    assert events(text) == [
        ("2005", "Ties elevated to strategic partnership"),
        ("2011", "Ties elevated to comprehensive strategic partnership"),
        ("2019", "Ties elevated to permanent comprehensive strategic partnership")]


def test_two_verbs_two_dates_two_events() -> None:
    assert events("The line was completed in 2011 and began commercial operation in 2012.") == [
        ("2011", "line completed"), ("2012", "line begins commercial operation")]


def test_numbers_and_dates_stay_out_of_the_event() -> None:
    ((_, event),) = events("The first phase of the pipeline was completed in 2009 at a cost of $700 million.")
    assert event == "first phase of pipeline completed"


def test_past_forms_become_present() -> None:
    assert [lemma_of(w) for w in ("signed", "proposed", "ratified", "held", "agreed", "launched", "planned")] == [
        "sign", "propose", "ratify", "hold", "agree", "launch", "plan"]
    assert [present(w, False) for w in ("sign", "launch", "ratify", "go")] == ["signs", "launches", "ratifies", "goes"]
    assert present("sign", True) == "sign"


def test_what_is_due_after_a_comma_is_what_the_event_is_about() -> None:
    assert events("The deals cover two new depots and a 320-kilometre railway line between Bakhty and "
                  "Ayagoz, due to open in 2027.") == [("2027", "railway line between Bakhty and Ayagoz opens")]


def test_who_agreed_to_do_something_does_it() -> None:
    assert events("The sides agreed to hold a Culture Year in Almaty in 2026.") == \
        [("2026", "sides hold Culture Year in Almaty")]


def test_the_subject_stands_before_an_aside_between_commas() -> None:
    assert events("A new grain terminal in Xi'an, built at a cost of $120 million, started operations in "
                  "November 2024.") == [("2024-11", "new grain terminal in Xi'an starts operations")]
    assert events("The bridge, 2 km long, opened in 2019.") == [("2019", "bridge opens")]


def test_a_deadline_after_by_is_no_agent_and_a_long_subject_ends_on_a_noun() -> None:
    assert events("A second railway line linking the port with Almaty is expected to be completed by the "
                  "end of 2026.") == [("2026", "second railway line linking port with Almaty completed")]
    assert events("A pipeline connecting the two countries was built in 2009.") == \
        [("2009", "pipeline connecting two countries built")]


def test_a_noun_phrase_in_apposition_is_skipped_to_the_subject() -> None:
    assert events("The pipeline, part of the Kazakhstan-China gas pipeline system, was commissioned in 2015.") == [
        ("2015", "pipeline commissioned")]
    assert events("The Khorgos dry port, one of the largest in the world, opened in 2015.") == [
        ("2015", "Khorgos dry port opens")]


def test_a_part_of_the_year_is_when_not_where() -> None:
    assert events("Construction of the mine and concentrator is scheduled to begin in the fourth quarter of "
                  "2025.") == [("2025", "Construction of mine and concentrator begins")]
    assert events("The agreement came into force in 2024.") == [("2024", "agreement comes into force")]


def test_visa_free_travel_is_what_was_introduced() -> None:
    assert events("Visa-free travel for citizens of both countries, introduced on November 10, 2023, allows stays "
                  "of up to 30 days.") == [("2023-11-10", "Visa-free travel for citizens of countries introduced")]


def test_which_after_a_place_is_about_the_place_and_has_its_own_tense() -> None:
    assert events("KTZ Express holds a 49 percent stake in the base, which opened in 2014.") == [("2014", "base opens")]
    assert [(m.date, m.status, m.event) for m in extract_milestones(
        "The company plans to build a second track on the Dostyk-Moyinty line, which was completed in 2022.")] == [
        ("2022", "happened", "Dostyk-Moyinty line completed")]
    assert events("China opened a new terminal in Xi'an, which started operating in 2020.") == [
        ("2020", "new terminal in Xi'an starts operating")]


def test_what_is_to_be_built_is_the_event_and_it_is_announced() -> None:
    assert [(m.date, m.status, m.event) for m in extract_milestones(
        "The documents include a memorandum on a third railway crossing at the border, to be built by 2028.")] == [
        ("2028", "announced", "third railway crossing at border built")]


def test_the_words_of_a_date_stay_with_it() -> None:
    assert events("The partners plan to launch a container train service between Lianyungang and Almaty in early "
                  "2026.") == [("2026", "partners launch container train service between Lianyungang and Almaty")]


def test_a_plural_that_opens_the_sentence_takes_a_plural_verb() -> None:
    assert events("Shipments of beef to China began in 2019.") == [("2019", "Shipments of beef to China begin")]
    assert events("KazMunayGas opened an office in 2019.") == [("2019", "KazMunayGas opens office")]


def test_an_aside_with_with_is_skipped_and_a_quarter_is_no_object() -> None:
    assert events("The first phase, with a capacity of 20,000 cars a year, is due to start production in the third "
                  "quarter of 2026.") == [("2026", "first phase starts production")]


def test_a_founding_after_a_cumulative_figure_is_a_milestone() -> None:
    assert events("Allur has assembled more than 120,000 vehicles since it was founded in 2003.") == [
        ("2003", "Allur founded")]


def test_a_measurement_before_the_subject_does_not_make_the_event_a_statistic() -> None:
    assert events("The 965-km pipeline was put into operation in 2006.") == [("2006", "pipeline put into operation")]


def test_which_after_counted_things_is_those_things_and_the_first_of_which_is_one() -> None:
    assert events("The bank lent 12 companies, which opened offices in 2019.") == [("2019", "companies open offices")]
    assert events("Kazakhstan has five Confucius Institutes, the first of which opened at Eurasian National "
                  "University in 2007.") == [("2007", "first Confucius Institute opens at Eurasian National University")]
    assert events("China built 12 plants, the largest of which was commissioned in 2020.") == [
        ("2020", "largest plant commissioned")]


def test_a_relative_clause_between_commas_is_skipped_to_the_main_clause() -> None:
    """The date after the clause dates the main verb, whose subject is before the clause."""
    assert events("The deal was signed by KTZ, which runs the railway, in 2024.") == [("2024", "KTZ signs deal")]
    assert events("KTZ, which runs the railway, opened a terminal in 2024.") == [("2024", "KTZ opens terminal")]
    assert events("The deal, which KTZ signed, was ratified in 2024.") == [("2024", "deal ratified")]


def test_one_agent_of_a_passive_takes_a_singular_verb() -> None:
    assert events("The deal was signed by KTZ in 2024.") == [("2024", "KTZ signs deal")]
    assert events("The plant was built by Chinese companies in 2019.") == [("2019", "Chinese companies build plant")]


def test_a_departure_from_a_named_place_is_an_event() -> None:
    assert events("The first train left Xi'an for Almaty in 2013.") == [("2013", "first train leaves Xi'an for Almaty")]
    assert events("Prices were left unchanged in 2024.") == []


def test_a_year_named_as_something_is_the_object() -> None:
    assert events("The two sides agreed to mark 2026 as the Year of Tourism.") == [
        ("2026", "two sides mark Year of Tourism")]


def test_an_event_cut_to_its_length_never_ends_on_a_dangling_word() -> None:
    (m,) = extract_milestones("Kazakhstan Temir Zholy and China Railway Container Transport Corp. plan to open a "
                              "second rail checkpoint at the border in 2026.")
    assert m.event == "Kazakhstan Temir Zholy and China Railway Container Transport Corp open second rail checkpoint"


def test_what_a_count_names_is_the_object_without_its_number() -> None:
    assert events("In 2023, the sides signed 26 cooperation documents worth $4 billion.") == [
        ("2023", "sides sign cooperation documents")]
    assert events("In 2023, the sides signed about 30 agreements.") == [("2023", "sides sign agreements")]
    assert events("In 2024, the bank opened five branches in Almaty.") == [("2024", "bank opens branches")]


def test_a_measure_of_the_object_is_left_out_and_its_place_kept() -> None:
    assert events("The sides agreed to build a grain terminal with a capacity of 500,000 tons per year in Xi'an "
                  "by 2027.") == [("2027", "sides build grain terminal in Xi'an")]
    assert events("In 2024, the company opened a plant worth $1 billion in Kostanay.") == [
        ("2024", "company opens plant in Kostanay")]
    assert events("The sides opened a terminal with modern cranes in 2024.") == [
        ("2024", "sides open terminal with modern cranes")]  # no measure: the phrase stays


def test_an_adverb_before_the_verb_is_not_the_subject_s_and_a_particle_stays_with_its_verb() -> None:
    assert events("The two companies first cooperated in 2019, when they set up a joint venture to develop the "
                  "Aktogay deposit.") == [("2019", "two companies set up joint venture to develop Aktogay deposit")]
    assert events("The terminal first opened in 2015.") == [("2015", "terminal opens")]


def test_what_a_signed_paper_is_for_is_done_by_its_signatories_and_still_to_come() -> None:
    (m,) = extract_milestones("KTZ and China Railway signed an agreement on Tuesday to build a second line by 2029.")
    assert (m.date, m.event, m.status) == ("2029", "KTZ and China Railway build second line", "announced")


def test_a_name_with_its_short_form_in_brackets_is_the_name() -> None:
    assert events("Kazakhstan Temir Zholy (KTZ) opened a terminal in Xi'an in 2024.") == [
        ("2024", "Kazakhstan Temir Zholy opens terminal in Xi'an")]
    assert events("Kazakhstan Temir Zholy (KTZ) and China Railway signed a deal in 2024.") == [
        ("2024", "Kazakhstan Temir Zholy and China Railway sign deal")]
