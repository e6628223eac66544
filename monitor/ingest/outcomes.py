"""What a poll reports (each feed's outcome, the run's totals) and how long a stopping poll
waits: apart from monitor.ingest.pipeline so that a poll which claimed no feed, and the
commands that only show a report, need not import the pipeline (asyncio, the fetcher, the
workers, the parsers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

STOP_GRACE_SECONDS = 10.0  # after should_stop(), feeds in flight get this long before they are cancelled


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What one feed's poll did, for the summary table and the log."""

    name: str
    status: str  # "updated" (a new body read), "not modified", "unchanged", "error", "skipped", "disabled"
    new: int = 0
    revised: int = 0
    error: str | None = None
    http_status: int | None = None
    ms: int = 0
    unstored: bool = False  # what the feed brought could not be written to the database

    @property
    def failed(self) -> bool:
        return self.status in ("error", "disabled")


@dataclass
class PollReport:
    worker: str
    started_at: datetime
    outcomes: list[FeedOutcome] = field(default_factory=list)
    finished_at: datetime | None = None
    unfinished: str | None = None  # why the poll's closing write failed (its claims then expire with the lease)
    run_id: int | None = None  # the poll run recorded in the database

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def revised(self) -> int:
        return sum(o.revised for o in self.outcomes)

    @property
    def failed(self) -> int:
        return sum(o.failed for o in self.outcomes)

    @property
    def unstored(self) -> int:
        """Feeds whose results the database refused: the run failed, whatever the feeds did."""
        return sum(o.unstored for o in self.outcomes) + (self.unfinished is not None)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
