"""Time `prwatch feeds import` of large OPML files, through the real command.

    .venv/bin/python benchmarks/bench_opml_import.py [--sizes 5000,10000,50000]

Each size gets a fresh SQLite store and an OPML file whose outlines all share one title
(the worst case for name de-duplication: every name after the first needs a suffix), in
folders of 100. Prints seconds per size and checks every outline was added.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRWATCH = str(Path(sys.executable).parent / "prwatch")


def opml(n: int) -> str:
    folders = []
    for start in range(0, n, 100):
        items = "".join(f'<outline text="Same wire" xmlUrl="https://w{i}.example/rss"/>'
                        for i in range(start, min(n, start + 100)))
        folders.append(f'<outline text="Folder {start // 100}">{items}</outline>')
    return f'<?xml version="1.0"?><opml version="2.0"><body>{"".join(folders)}</body></opml>'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="5000,10000,50000")
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            (folder / "config.toml").write_text('[storage]\nurl = "sqlite:///p.db"\n')
            (folder / "big.opml").write_text(opml(n))
            started = time.perf_counter()
            out = subprocess.run([PRWATCH, "--config", str(folder / "config.toml"), "feeds", "import",
                                  str(folder / "big.opml"), "--json"], capture_output=True, text=True, check=True)
            took = time.perf_counter() - started
            added = json.loads(out.stdout)["added"]
            assert added == n, (added, n)
            print(f"{n:>7} outlines: {took:6.2f} s ({added} added)")


if __name__ == "__main__":
    main()
