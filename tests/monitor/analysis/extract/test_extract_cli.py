"""python -m monitor.analysis.extract prints one JSON object for a text file or stdin."""

from __future__ import annotations

import io
import json

from monitor.analysis.extract.__main__ import main


def run(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_headline_is_skipped_and_body_extracted(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("Trade hits $9 billion in 2020\n\nTrade reached $41 billion in 2023. The port opened in 2010.\n")
    out = run(capsys, [str(p)])
    assert out["topics"] == []
    assert [f["value"] for f in out["figures"]] == [41e9]
    assert [m["year"] for m in out["milestones"]] == [2010]
    assert out["milestones"][0]["text"] == "The port opened in 2010."


def test_stdin_and_published(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Exports exceeded $24 billion last year."))
    out = run(capsys, ["-", "--published", "2023-04-20"])
    assert out["figures"][0]["period"] == "2022"


def test_a_first_line_that_is_a_lead_paragraph_is_extracted(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("ALMATY, May 2, 2024 -- Trade reached $41 billion in 2023.\n\nThe port opened in 2010.\n")
    out = run(capsys, [str(p)])
    assert [f["value"] for f in out["figures"]] == [41e9]
