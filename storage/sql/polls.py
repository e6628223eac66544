"""Poll runs: one row per poll, the heartbeat `prwatch status` reads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, update

from storage.sql import health
from storage.sql.bind import SqlBind
from storage.sql.tables import POLL_RUNS

_P = POLL_RUNS.c

POLL_RUNS_KEPT = timedelta(days=30)
EMPTY_POLL_RUNS_KEPT = timedelta(hours=1)  # a daemon ticks every minute: its empty runs are only heartbeats


class SqlPollRuns:
    """storage.port.PollRunStore on SQLAlchemy Core (a poll of no feed needs no ORM)."""

    def __init__(self, bind: SqlBind) -> None:
        self._s = bind

    def start(self, worker: str, now: datetime, kind: str = "fetch") -> int:
        """Record a poll's start; `kind` is "daemon" for `prwatch run` and "fetch" for a one-off."""
        self._s.autoflush()
        run_id: int = self._s.execute(insert(POLL_RUNS).returning(_P.id), dict(
            worker=worker, started_at=now, feeds=0, failed=0, new=0, revised=0, kind=kind)).scalar_one()
        return run_id

    def finish(self, run_id: int, now: datetime, *, feeds: int, failed: int, new: int, revised: int) -> None:
        """Record the end of a run, and forget old runs (empty ones sooner: they are only heartbeats)."""
        self._s.autoflush()
        self._s.execute(update(POLL_RUNS).where(_P.id == run_id).values(
            finished_at=now, feeds=feeds, failed=failed, new=new, revised=revised))
        self._s.execute(delete(POLL_RUNS).where(or_(
            _P.started_at < now - POLL_RUNS_KEPT,
            and_(_P.feeds == 0, _P.started_at < now - EMPTY_POLL_RUNS_KEPT))))

    def last_finished(self, kind: str | None = None) -> datetime | None:
        return health.last_finished(self._s, kind)

    def active_workers(self, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
        return health.active_workers(self._s, since, kind)
