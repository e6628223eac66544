"""Every feedparser sanitize test feed, served on 127.0.0.1 to a real `prwatch fetch`,
lands in a digest with no active markup: no raw HTML, no script, no javascript:/data: link."""

from __future__ import annotations

import itertools
import json
import string
from collections.abc import Callable

from digest_markdown import parse
from pytest_httpserver import HTTPServer
from shared_data import shared_path

from monitor.app.cli import main
from monitor.config import Settings

# a topic that matches any text with a word of two letters or more (every two-letter prefix)
ANY_WORD = [a + b + "*" for a, b in itertools.product(string.ascii_lowercase, repeat=2)]
TOPIC = f'[[topics]]\nid = "anything"\ntitle = "Anything <b>at all</b>"\nany = {json.dumps(ANY_WORD)}\nmin_score = 0.0\n'


def test_no_digest_carries_active_markup(httpserver: HTTPServer, write_config: Callable[..., Settings]) -> None:
    sanitize = shared_path("robustness/feedparser-tests/wellformed/sanitize", "feedparser's sanitize test feeds")
    files = sorted(sanitize.glob("*.xml"))
    assert len(files) > 700, f"sanitize feeds missing at {sanitize}"
    for f in files:
        httpserver.expect_request(f"/{f.name}").respond_with_data(f.read_bytes(), content_type="application/xml")
    settings = write_config([(f.stem, httpserver.url_for(f"/{f.name}")) for f in files], topics=TOPIC)

    assert main(["--config", str(settings.path), "fetch", "--quiet"]) == 0

    digest = settings.digests.directory
    # a first poll files each dated entry under the day it was published: several day digests
    written = sorted(digest.glob("*-anything.md"))
    assert len(written) > 1
    releases = 0
    for path in written:
        text = path.read_text(encoding="utf-8")
        releases += int(text.split("**", 2)[1].split(" release")[0].replace("No", "0"))  # "**168 releases, …"
        md = parse(text)
        assert md.active_markup() == [], path.name
        lowered = text.lower()
        for needle in ("<script", "javascript:", "vbscript:", "data:text", "<iframe", "<img", "onerror=", "onclick="):
            assert needle not in lowered.replace("\\", ""), needle
    assert releases >= 150, "the sanitize entries should all be in the digests"
    busiest = max((p.read_text(encoding="utf-8") for p in written), key=len)
    assert 5 <= len(parse(busiest).headings(3)) and "Also carried by" in busiest  # alike entries group into stories
    for other in (digest / "index.md",):
        assert parse(other.read_text(encoding="utf-8")).active_markup() == []
    atom = (digest / "digests.xml").read_text(encoding="utf-8")
    assert "<script" not in atom and "&lt;script" not in atom
