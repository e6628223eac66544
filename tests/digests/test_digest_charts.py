"""Pictures and text that read at any size: timelines by year with at most a dozen sections,
labels cut at a word boundary with an ellipsis, punctuation kept in titles, colours of their
own, no chart below three points; and feed text that cannot become a link or hide characters."""

from __future__ import annotations

from datetime import datetime, timezone

from digests.charts import TIMELINE_YEARS, timeline, xychart
from digests.model import Digest, MilestoneLine, Period, Series, SeriesPoint, Source
from digests.render import MILESTONE_LINES, render
from digests.safe import clean, escape, mermaid_text

SRC = Source("Wire", "t", None, None, datetime(2025, 1, 1, tzinfo=timezone.utc))


def milestone(year: int, event: str) -> MilestoneLine:
    return MilestoneLine(year, str(year), event, event + ".", "happened", False, SRC)


def test_a_timeline_has_a_section_per_year_and_folds_the_oldest() -> None:
    events = [milestone(1992 + i, f"Event number {i} of the relationship") for i in range(24)]
    lines = timeline(events + [milestone(2015, "Another event that year")], "China–Kazakhstan milestones")
    sections = [x for x in lines if " : " in x]
    assert len(sections) == TIMELINE_YEARS == 12
    assert sections[0].strip().startswith("1992–2004 : 13 earlier milestones")
    assert sections[-1].strip() == "2015 : Another event that year : Event number 23 of the relationship"
    assert "title China–Kazakhstan milestones" in lines[3]  # the en dash stays
    assert lines[1].startswith("%%{init:") and '"cScale0"' in lines[1]  # its own colours


def test_fewer_than_three_points_draw_nothing() -> None:
    assert timeline([milestone(2020, "A"), milestone(2021, "B")], "t") == []
    assert timeline([milestone(2020, "A"), milestone(2021, "B"), milestone(2022, "C")], "t")


def test_labels_are_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    label = mermaid_text("The railway between Kazakhstan and China opened its second track", 40)
    assert label == "The railway between Kazakhstan and…"
    assert clean("Kazakhstan and China agreed", 14) == "Kazakhstan…"


def test_a_chart_title_keeps_its_punctuation_and_a_comment_cannot_start() -> None:
    s = Series("money", "%%China–Kazakhstan trade — total", "USD",
               tuple(SeriesPoint(str(y), (y - 2000) * 1e9, SRC) for y in (2021, 2022, 2023)))
    chart = xychart(s)
    title = next(x for x in chart if x.strip().startswith("title"))
    assert title.strip() == 'title "China–Kazakhstan trade — total (USD billion)"'
    assert not any(x.lstrip().startswith("%%") for x in chart if not x.startswith("%%{init:"))
    assert chart[1].startswith("%%{init:") and '"plotColorPalette":"#2f81f7"' in chart[1]


def test_invisible_characters_are_dropped() -> None:
    hidden = "\u2060\u2061\u2062\u2063\u2064\u180e\u00ad\u061c\U000e0041\U000e007f\u200b\u202e"
    assert clean(f"Kaz{hidden}akh") == "Kazakh"
    assert escape(f"a{hidden}b") == "ab"


def test_mail_and_chat_addresses_do_not_become_links() -> None:
    text = escape("Write to press@example.kz, mailto:press@example.kz or xmpp:desk@example.cn")
    assert "mailto:" not in text and "xmpp:" not in text
    assert "@example" not in text.replace("\\@example", "")  # every @ of an address is escaped
    assert text.count("\\@") == 3


def test_a_month_of_milestones_lists_the_new_ones_and_counts_the_rest() -> None:
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    period = Period("month", "2025-01", start, datetime(2025, 2, 1, tzinfo=timezone.utc), "UTC", "January 2025")
    many = tuple(MilestoneLine(2020 + i % 8, f"{2020 + i % 8}-{i % 12 + 1:02d}", f"Event number {i}", "It did.",
                               "happened", i % 3 != 0, SRC) for i in range(3 * MILESTONE_LINES))
    text = render(Digest("t", "Topic", period, milestones=many))
    items = [line for line in text.splitlines() if line.startswith("- **20")]
    assert len(items) == MILESTONE_LINES  # every new one (a third of them), then known ones
    assert sum("**new**" in line for line in items) == MILESTONE_LINES
    assert items == sorted(items)  # in date order
    assert f"- … and {2 * MILESTONE_LINES} more ({2 * MILESTONE_LINES} already known)" in text
    few = render(Digest("t", "Topic", period, milestones=many[:10]))
    assert sum(line.startswith("- **20") for line in few.splitlines()) == 10 and "more" not in few
