"""`python -m monitor.analysis.extract FILE|-` prints the figures and milestones of a text as one JSON object.

A plain-text article file starts with its headline, a blank line, then the body; the headline
is skipped (figures are taken from the body) when the first line reads as one
(monitor.analysis.text.headline_end). `--published
YYYY-MM-DD` resolves relative dates. Topics are left empty: `prwatch extract --json` adds them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from monitor.analysis.extract import extract_figures, extract_milestones
from monitor.analysis.text import headline_end


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.analysis.extract", description=__doc__)
    ap.add_argument("path", help="a text file, or - for stdin")
    ap.add_argument("--published", type=dt.date.fromisoformat, default=None)
    ap.add_argument("--keep-title", action="store_true", help="also extract from the headline")
    args = ap.parse_args(argv)
    if args.path == "-":
        text = sys.stdin.read()
    else:
        with open(args.path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    skip = 0 if args.keep_title else headline_end(text)
    figures = [f for f in extract_figures(text, published=args.published) if f.start >= skip]
    milestones = [m for m in extract_milestones(text, published=args.published) if m.start >= skip]
    json.dump({"topics": [], "figures": [f.to_json() for f in figures],
               "milestones": [m.to_json() for m in milestones]}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
