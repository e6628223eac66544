"""Peak memory of a command's whole process tree, as PSS (proportional set size).

    .venv/bin/python benchmarks/tree_memory.py .venv/bin/prwatch --config CONFIG fetch --no-digest

Summed RSS counts the pages that forked worker processes share with their parent once per
process, so it overstates what a poll with workers really holds; PSS splits every shared
page between the processes that map it, so the sum over the tree is the true footprint.
Samples /proc/PID/smaps_rollup every 50 ms (Linux); prints the peaks of both sums and each
process's peak PSS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(name))
    out, stack = [], [root]
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack += children.get(pid, [])
    return out


def field_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    peak_pss = peak_rss = 0
    per: dict[int, int] = {}
    while proc.poll() is None:
        pids = tree(proc.pid)
        pss = {pid: field_kb(pid, "Pss:") for pid in pids}
        for pid, kb in pss.items():
            per[pid] = max(per.get(pid, 0), kb)
        peak_pss = max(peak_pss, sum(pss.values()))
        peak_rss = max(peak_rss, sum(field_kb(pid, "Rss:") for pid in pids))
        time.sleep(0.05)
    print(f"exit {proc.returncode}; peak tree PSS {peak_pss / 1024:.0f} MB (summed RSS {peak_rss / 1024:.0f} MB); "
          f"per process peak PSS MB: {sorted((kb // 1024 for kb in per.values()), reverse=True)}")
    return proc.returncode


if __name__ == "__main__":
    raise SystemExit(main())
