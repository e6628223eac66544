"""How a search query is read: the syntax people know, slips forgiven and said, and a clear
refusal when nothing can be searched. Nothing of the text ever becomes backend syntax."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.app.query import MAX_CHARS, MAX_DEPTH, MAX_WORDS, QueryError, describe, parse_query
from monitor.domain import AllOf, AnyOf, SearchExpr, Words


def read(text: str) -> SearchExpr:
    return parse_query(text).expr


def test_words_are_all_required_and_a_quoted_phrase_keeps_its_order() -> None:
    assert read("wheat exports") == AllOf((Words("wheat"), Words("exports")))
    assert read("wheat AND exports") == read("wheat exports")
    assert read('"wheat exports" china') == AllOf((Words("wheat exports", phrase=True), Words("china")))
    assert read('"wheat"') == Words("wheat")
    assert read("“two-way trade”") == Words("two-way trade", phrase=True)  # typographic quotes too


def test_or_binds_looser_than_and_and_parentheses_group() -> None:
    assert read("wheat OR grain china") == AnyOf((Words("wheat"), AllOf((Words("grain"), Words("china")))))
    assert read("(wheat OR grain) china") == AllOf((AnyOf((Words("wheat"), Words("grain"))), Words("china")))


def test_a_dash_or_not_excludes_and_a_hyphen_inside_a_word_does_not() -> None:
    assert read("wheat -russia") == AllOf((Words("wheat"),), (Words("russia"),))
    assert read("wheat NOT russia") == read("wheat -russia")
    assert read('grain -"flour mill" -(oil OR gas)') == AllOf(
        (Words("grain"),), (Words("flour mill", phrase=True), AnyOf((Words("oil"), Words("gas")))))
    assert read("China-Kazakhstan co-operation") == AllOf((Words("China-Kazakhstan"), Words("co-operation")))


def test_lower_case_operators_are_words() -> None:
    assert read("trade and or not") == AllOf((Words("trade"), Words("and"), Words("or"), Words("not")))


@pytest.mark.parametrize(("query", "expected", "note"), [
    ('"grain terminal', Words("grain terminal", phrase=True), "quote is not closed"),
    ("(wheat OR grain", AnyOf((Words("wheat"), Words("grain"))), "parenthesis is not closed"),
    ("wheat ) grain", AllOf((Words("wheat"), Words("grain"))), "closing parenthesis that has no opening"),
    ("wheat OR", Words("wheat"), "OR with nothing on one side"),
    ("OR wheat", Words("wheat"), "OR with nothing on one side"),
    ("wheat NOT", Words("wheat"), "NOT with nothing after it"),
    ("wheat () ", Words("wheat"), "empty parentheses"),
    ("wheat *** ^:", Words("wheat"), "no letters or digits"),
])
def test_slips_are_read_the_forgiving_way_and_said(query: str, expected: SearchExpr, note: str) -> None:
    parsed = parse_query(query)
    assert parsed.expr == expected
    assert any(note in n for n in parsed.notes), parsed.notes


def test_fts_syntax_is_kept_as_words_to_tokenise() -> None:
    assert read("NEAR(wheat exports, 5)") == AllOf((Words("NEAR"), AllOf((Words("wheat"), Words("exports,"), Words("5")))))
    assert read("title:wheat {body} x*") == AllOf((Words("title:wheat"), Words("{body}"), Words("x*")))


@pytest.mark.parametrize(("query", "message"), [
    ("", "nothing to search for"),
    ("   ", "nothing to search for"),
    ('*** "" () AND OR', "nothing to search for"),
    ("-russia", "only excludes"),
    ("NOT russia -oil", "only excludes"),
    ("wheat OR -russia", "only excludes"),
    ("x" * (MAX_CHARS + 1), f"at most {MAX_CHARS:,}"),
    (" ".join(["w"] * (MAX_WORDS + 1)), f"at most {MAX_WORDS}"),
    ("(" * (MAX_DEPTH + 1) + "x", f"more than {MAX_DEPTH} deep"),
    ("wheat \udcff", "not valid UTF-8"),
])
def test_a_query_that_cannot_be_searched_is_refused_in_one_line(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message) as err:
        parse_query(query)
    assert "\n" not in str(err.value)


def test_control_characters_separate_words() -> None:
    assert read("wheat\x00exports\x1b[2J") == AllOf((Words("wheat"), Words("exports"), Words("[2J")))


def test_describe_writes_back_what_was_read() -> None:
    for query in ('"wheat exports" china -russia', "(wheat OR grain) china", "wheat OR grain china",
                  "a -(b OR c)"):
        assert describe(read(query)) == query
        assert read(describe(read(query))) == read(query)


@given(st.text(max_size=200))
def test_any_text_is_read_or_refused_with_a_query_error(text: str) -> None:
    try:
        parsed = parse_query(text)
    except QueryError:
        return
    assert read(describe(parsed.expr)) is not None
