"""Text from feeds reaches the terminal as text: `[/x]` is not markup (no MarkupError),
`[link=...]` is no hyperlink, `:smile:` no emoji, and escape sequences are neutralised."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result
from pytest_httpserver import HTTPServer

from monitor.config import Settings

NAME = "[/x] name [link=file:///etc/passwd]here[/link] :smile:"
TOML_NAME = NAME + "\\u001b]8;;file:///etc/passwd\\u001b\\\\x"


def test_feed_names_urls_and_errors_are_printed_literally(
        prwatch: Callable[..., Result], write_config: Callable[..., Settings], httpserver: HTTPServer,
        tmp_path: Path) -> None:
    httpserver.expect_request("/moved").respond_with_data("", status=302, headers={"Location": "gopher://x/[/boom]"})
    settings = write_config([(TOML_NAME, httpserver.url_for("/moved"))])
    cfg = str(settings.path)
    outputs = []
    for args in (["fetch", "--no-digest"], ["status"], ["feeds", "list"], ["status", "--json"]):
        r = prwatch("--config", cfg, *args)
        assert r.exit_code in (0, 1), r.output
        assert "MarkupError" not in r.stderr and "Traceback" not in r.stderr
        outputs.append(r.stdout)
    fetched, status, listed, as_json = outputs
    for out in (fetched, status, listed):
        assert "\x1b" not in out and "\ufffd" in out  # the escape sequence, neutralised
        assert "[/x]" in out and "😄" not in out
    # not a terminal: one feed per line, whole, tab-separated
    assert listed.startswith(NAME + "\ufffd]8;;file:///etc/passwd\ufffd\\x\t" + httpserver.url_for("/moved"))
    assert "gopher://x/" in json.loads(as_json)["failing_feeds"][0]["error"]

    r = prwatch("--config", cfg, "feeds", "add", "https://example.org/[/b].xml", "--name", "[/b] mine", "--no-check")
    assert r.exit_code == 0, r.output
    r = prwatch("--config", cfg, "feeds", "remove", "[/b] mine")
    assert r.exit_code == 0 and "removed [/b] mine" in r.stdout


def test_extract_prints_document_text_literally(prwatch: Callable[..., Result],
                                                write_config: Callable[..., Settings], tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Port [/b] opens\n\nThe [link=file:///etc/passwd]port[/link] handled 1.5 million tonnes "
                   "[/b] in 2024, up 12% on 2023.\n")
    r = prwatch("--config", str(write_config().path), "extract", str(doc))
    assert r.exit_code == 0, r.output
    assert "MarkupError" not in r.stderr
    assert "1.5 million tonnes" in r.stdout.replace("\n", " ") or "1,500,000" in r.stdout
