"""Who polls: worker ids ("host:pid:nonce") and the claims of workers that died.

A daemon or a `prwatch fetch` killed mid-poll leaves its feeds claimed until the lease runs
out; a prwatch starting on the same host sees the holder's process is gone and frees them
at once. Workers of other hosts are left to their leases.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable

from storage.port import Transaction


def worker_host() -> str:
    """The host part of worker ids: $PRWATCH_HOST, else the host name. Set it where several
    machines (or containers with their own process ids) share a host name."""
    return os.environ.get("PRWATCH_HOST") or socket.gethostname()


def worker_id() -> str:
    return f"{worker_host()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def worker_is_dead(worker: str, host: str | None = None, alive: Callable[[int], bool] = pid_alive) -> bool:
    """Whether a worker id names a process of this host (or `host`) that is gone; workers of
    other hosts are never judged dead: their leases tell."""
    host = host or worker_host()
    if not worker.startswith(f"{host}:"):
        return False
    pid = worker[len(host) + 1:].split(":", 1)[0]
    return pid.isdecimal() and pid.isascii() and not alive(int(pid))


def release_dead_claims(tx: Transaction, host: str | None = None,
                        alive: Callable[[int], bool] = pid_alive) -> list[str]:
    """Release the claims held by workers of `host` (this one by default) whose process is
    gone; returns the feed names."""
    host = host or worker_host()
    freed = []
    for claim in tx.claims.held_by_host(host):
        if worker_is_dead(claim.holder, host, alive):
            tx.claims.release_one(claim.feed_id, claim.holder)
            freed.append(claim.name)
    return freed
