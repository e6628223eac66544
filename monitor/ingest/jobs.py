"""The feeds a poll works through, in claim order. A daemon's poll claims its next batch
while the last feeds of the current one are still in flight, so that the fetcher and the
workers never wait for a batch to drain; a one-off poll has the feeds it claimed at its start.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence

from monitor.domain import FeedJob

log = logging.getLogger("prwatch.poll")


class JobQueue:
    """`jobs` first; then, with `more`, the next `batch` claimed each time no more than `low`
    jobs are left unstarted, until a claim comes back short (nothing more is due), fails, or
    `should_stop()`. Runners share one queue: each job is taken once."""

    def __init__(self, jobs: Sequence[FeedJob], *, more: Callable[[], Awaitable[list[FeedJob]]] | None = None,
                 batch: int = 0, low: int = 0, should_stop: Callable[[], bool] = lambda: False) -> None:
        self._queue = deque(jobs)
        self._more, self._batch, self._low, self._should_stop = more, batch, low, should_stop
        self._exhausted = more is None or batch <= 0 or len(jobs) < batch
        self._claiming: asyncio.Future[None] | None = None
        self.claimed = len(jobs)

    @property
    def may_grow(self) -> bool:
        return not self._exhausted

    async def next(self) -> FeedJob | None:
        """The next job, None when there is none left and none to claim."""
        while True:
            if (self._claiming is None and not self._exhausted and len(self._queue) <= self._low
                    and not self._should_stop()):
                self._claiming = asyncio.ensure_future(self._claim())
            if self._queue:
                return self._queue.popleft()
            if self._claiming is None:
                return None
            await asyncio.shield(self._claiming)  # several runners wait for one claim; a stop does not cancel it

    async def _claim(self) -> None:
        assert self._more is not None
        try:
            got = await self._more()
        except Exception as e:  # noqa: BLE001 - the round ends with the feeds it has; the next tick claims again
            log.error("claiming more feeds failed: %s: %s", e.__class__.__name__, str(e).splitlines()[0] if str(e) else "")
            got = []
        self._queue.extend(got)
        self.claimed += len(got)
        if len(got) < self._batch:
            self._exhausted = True
        self._claiming = None
