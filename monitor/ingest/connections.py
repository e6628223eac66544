"""The keep-alive connection pool of a poll, split into shards of httpx clients.

httpcore rescans every pooled connection, under one lock, each time a request starts or ends
(quadratic in the pool's size), and with 32 keep-alive connections to one host that cost more
than the requests themselves: on the incremental poll of 500 feeds, parent CPU 1.8 s with one
pool, 1.1 s with eight shards. A request goes to a shard that holds an idle connection to its
host when one does (how many each shard has is counted as requests end), else to the least
busy shard, so keep-alive does not depend on which thread happens to run the request.
"""

from __future__ import annotations

import itertools
import threading
from typing import Any

from monitor.config import PollSettings
from monitor.ingest.body import ACCEPT_ENCODING

POOL_SHARDS = 8  # httpx clients a pool is split into


class ShardedPool:
    """Shards of httpx clients sharing one TLS context; `backend` (an httpcore network
    backend) decides how sockets are opened, httpcore's own when None."""

    def __init__(self, settings: PollSettings, tls: Any, *, shards: int = POOL_SHARDS, backend: Any = None) -> None:
        import httpx

        shards = max(1, min(shards, settings.concurrency))
        self.per_shard = -(-settings.concurrency // shards)
        limits = httpx.Limits(max_connections=self.per_shard, max_keepalive_connections=self.per_shard)
        timeout = httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                write=settings.read_timeout, pool=settings.total_timeout)
        self.clients = [httpx.Client(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            limits=limits, timeout=timeout, follow_redirects=False, trust_env=False, verify=tls,
            transport=None if backend is None else _transport(tls, limits, backend),
        ) for _ in range(shards)]
        self._busy = [0] * shards  # requests in flight per shard
        self._idle: dict[str, dict[int, int]] = {}  # host -> shard -> connections to it left idle there
        self._next = itertools.count()
        self._lock = threading.Lock()

    def checkout(self, host: str) -> int:
        """The shard for a request to `host`: one holding an idle connection to it, else the
        least busy one (ties taken in turn)."""
        with self._lock:
            idle = self._idle.get(host)
            candidates = [i for i, n in idle.items() if n > 0] if idle else []
            if idle and candidates:
                shard = min(candidates, key=self._busy.__getitem__)
                idle[shard] -= 1
            else:
                start = next(self._next)
                order = [(start + i) % len(self.clients) for i in range(len(self.clients))]
                shard = min(order, key=self._busy.__getitem__)
            self._busy[shard] += 1
            return shard

    def checkin(self, host: str, shard: int, *, kept: bool) -> None:
        """A request to `host` on `shard` ended; `kept` when its connection stays open for the next one."""
        with self._lock:
            self._busy[shard] -= 1
            if kept:
                idle = self._idle.setdefault(host, {})
                idle[shard] = min(idle.get(shard, 0) + 1, self.per_shard)

    def close(self) -> None:
        for client in self.clients:
            client.close()


def _transport(tls: Any, limits: Any, backend: Any) -> Any:
    """httpx's transport over an httpcore pool that opens its sockets through `backend`
    (httpx builds the same pool without a way to pass a backend)."""
    import httpcore
    import httpx

    transport = httpx.HTTPTransport(verify=tls, limits=limits, trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001 - the pool httpx would build, plus the backend
        ssl_context=tls, max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=backend)
    return transport
