"""Worker processes, the fork server and the resource tracker die with a prwatch process
killed outright (SIGKILL of that process alone, not of its process group)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from procs import feed_server, procs, rss, write_config

from benchmarks.tree_memory import tree

BOUND_SECONDS = 20  # the kernel signals at once; this only absorbs a loaded machine


def descendants(pid: int) -> list[int]:
    return tree(pid)[1:]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("command", [["fetch", "--no-digest"], ["run"]])
def test_a_killed_prwatch_leaves_no_process_behind(tmp_path: Path, command: list[str]) -> None:
    feeds = {f"/f{i}.xml": rss(i, 20) for i in range(12)}
    with feed_server(feeds, delay=lambda _p: 0.5) as server, procs(tmp_path) as ps:
        config = write_config(tmp_path, f"sqlite:///{tmp_path / 'p.db'}",
                              {f"f{i}": server.url(f"/f{i}.xml") for i in range(12)}, workers=2, concurrency=2)
        p = ps.start(config, *command)
        end = time.monotonic() + BOUND_SECONDS
        while len(descendants(p.pid)) < 2 and time.monotonic() < end:  # the workers (and the fork server)
            time.sleep(0.1)
        started = descendants(p.pid)
        assert len(started) >= 2, ps.log(p)
        os.kill(p.pid, signal.SIGKILL)  # the process alone: its group is left as it is
        p.wait(10)
        while any(alive(c) for c in started) and time.monotonic() < end + BOUND_SECONDS:
            time.sleep(0.1)
        left = [c for c in started if alive(c)]
        for c in left:
            os.kill(c, signal.SIGKILL)
        assert not left, f"processes left running after prwatch was killed: {left}"
