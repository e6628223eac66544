"""What polls run on: the worker processes and the fetcher (its threads and keep-alive
connections). `prwatch fetch` has one set for its poll; a `prwatch run` daemon one for its
whole life, reused by every batch and tick, so that neither workers nor connections are set
up again (a pool and a fetcher per 256-feed batch made the daemon slower than a fetch).
"""

from __future__ import annotations

from types import TracebackType

from monitor.config import Settings
from monitor.ingest.fetch import Fetcher
from monitor.ingest.workpool import WorkerPool


class PollResources:
    """The worker pool and the fetcher, each made when a poll first needs it (a poll of no
    feed needs neither), closed by `close()` or at the end of a `with` block."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.workers = WorkerPool(settings)
        self._fetcher: Fetcher | None = None
        self.fetchers_made = 0  # how many fetchers this set made (one, for as long as it lives)

    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings.poll)
            self.fetchers_made += 1
        return self._fetcher

    def close(self) -> None:
        self.workers.close()
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def __enter__(self) -> PollResources:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
