"""This process's peak resident memory, for the benchmarks that report one.

VmHWM from /proc/self/status: the high-water mark of this process's own address space,
which exec starts afresh. ru_maxrss would not do for a measured child: Linux carries the
parent's peak over across fork and exec, so a child of a big benchmark reports at least the
benchmark's own size.
"""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mb() -> float:
    """MiB; ru_maxrss where /proc is not there (not Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
