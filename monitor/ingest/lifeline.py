"""Worker processes die with the process that started them.

A SIGKILL of `prwatch fetch` or `prwatch run` (the OOM killer, `kill -9`, a service manager
giving up) used to leave its worker processes, the multiprocessing fork server and the
resource tracker running for ever, blocked on queues nobody writes to. Linux can send a
process a signal when its parent dies (prctl PR_SET_PDEATHSIG): each worker asks for SIGKILL
(they ignore SIGTERM), and so does the fork server, through `forkserver_preload` (which
imports this module there and calls `die_with_parent`). Once they are gone the resource
tracker reads the end of its pipe and exits by itself. Elsewhere than Linux nothing changes.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


ROOT_ENV = "PRWATCH_ROOT_PID"  # the prwatch process its workers and fork server must not outlive


def mark_root() -> None:
    """Name this process, in the environment its children inherit, as the one they die with."""
    os.environ[ROOT_ENV] = str(os.getpid())


def die_with_parent() -> None:
    """Have the kernel SIGKILL this process when its parent dies; exit at once if the prwatch
    process it belongs to is already gone (it died before the signal was asked for)."""
    if not sys.platform.startswith("linux"):
        return
    # the symbols already loaded into this process (libc's among them): find_library("c")
    # would run /sbin/ldconfig in a child process at every worker's start
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return  # not allowed here (a sandbox): the old behaviour, nothing worse
    root = os.environ.get(ROOT_ENV, "")
    if root.isdecimal() and not _alive(int(root)):
        os._exit(1)


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for its own parent to reap it (Linux's /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
