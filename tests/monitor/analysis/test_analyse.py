"""What analysing one release extracts: its story, not its issuer's closing boilerplate."""

from __future__ import annotations

from monitor.analysis.analyse import analyse
from monitor.analysis.topics import parse_topic

TOPIC = parse_topic({"id": "grain", "title": "Grain", "all": [["grain"]]}, "topics[0]")


def test_the_closing_boilerplate_gives_no_figure_and_no_milestone() -> None:
    text = ("Grain exports rose 47% to 2.3 million tonnes in 2024, the union said on Tuesday. The new terminal "
            "opened in November 2024 and handles the grain trade of the whole region.\n\n"
            "About Steppe Grain Union: The union, founded in 1998, represents more than 1,200 farms.")
    analysis = analyse("Grain exports rise", text, [TOPIC], always_extract=True)
    assert [f.text for f in analysis.figures] == ["47%", "2.3 million tonnes"]
    assert [m.year for m in analysis.milestones] == [2024]
