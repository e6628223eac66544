"""Poll runs: one row per poll, the heartbeat `prwatch status` reads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, update
from sqlalchemy.orm import Session

from storage.sql import health
from storage.sql.models import PollRun

POLL_RUNS_KEPT = timedelta(days=30)
EMPTY_POLL_RUNS_KEPT = timedelta(hours=1)  # a daemon ticks every minute: its empty runs are only heartbeats


class SqlPollRuns:
    """storage.port.PollRunStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def start(self, worker: str, now: datetime, kind: str = "fetch") -> int:
        """Record a poll's start; `kind` is "daemon" for `prwatch run` and "fetch" for a one-off."""
        run = PollRun(worker=worker, started_at=now, feeds=0, failed=0, new=0, revised=0, kind=kind)
        self._s.add(run)
        self._s.flush()
        return run.id

    def finish(self, run_id: int, now: datetime, *, feeds: int, failed: int, new: int, revised: int) -> None:
        """Record the end of a run, and forget old runs (empty ones sooner: they are only heartbeats)."""
        self._s.execute(update(PollRun).where(PollRun.id == run_id).values(
            finished_at=now, feeds=feeds, failed=failed, new=new, revised=revised))
        self._s.execute(delete(PollRun).where(or_(
            PollRun.started_at < now - POLL_RUNS_KEPT,
            and_(PollRun.feeds == 0, PollRun.started_at < now - EMPTY_POLL_RUNS_KEPT))))

    def last_finished(self, kind: str | None = None) -> datetime | None:
        return health.last_finished(self._s, kind)

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        return health.active_workers(self._s, since, kind)
