"""Poll runs: one row per poll, the heartbeat `prwatch status` reads."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage.sql.models import PollRun


def start_poll_run(session: Session, worker: str, now: datetime, kind: str = "fetch") -> int:
    """Record a poll's start; `kind` is "daemon" for `prwatch run` and "fetch" for a one-off."""
    run = PollRun(worker=worker, started_at=now, feeds=0, failed=0, new=0, revised=0, kind=kind)
    session.add(run)
    session.flush()
    return run.id


POLL_RUNS_KEPT = timedelta(days=30)


EMPTY_POLL_RUNS_KEPT = timedelta(hours=1)  # a daemon ticks every minute: its empty runs are only heartbeats


def finish_poll_run(session: Session, run_id: int, now: datetime, *, feeds: int, failed: int, new: int,
                    revised: int) -> None:
    session.execute(update(PollRun).where(PollRun.id == run_id).values(
        finished_at=now, feeds=feeds, failed=failed, new=new, revised=revised))
    session.execute(delete(PollRun).where(or_(PollRun.started_at < now - POLL_RUNS_KEPT,
                                              and_(PollRun.feeds == 0, PollRun.started_at < now - EMPTY_POLL_RUNS_KEPT))))


def active_workers(session: Session, since: datetime, kind: str | None = "daemon") -> list[tuple[str, datetime]]:
    """(worker, last finished poll) of every worker (daemons by default) that finished a poll since `since`."""
    q = select(PollRun.worker, func.max(PollRun.finished_at)).where(PollRun.finished_at >= since)
    if kind:
        q = q.where(PollRun.kind == kind)
    return [(w, at) for w, at in session.execute(q.group_by(PollRun.worker).order_by(PollRun.worker))]


def last_poll_run(session: Session, *, finished: bool = True, kind: str | None = None) -> PollRun | None:
    """The latest poll run (finished ones by default; of one kind, "daemon" or "fetch", if given)."""
    q = select(PollRun)
    if finished:
        q = q.where(PollRun.finished_at.is_not(None))
    if kind:
        q = q.where(PollRun.kind == kind)
    return session.scalar(q.order_by(PollRun.started_at.desc()).limit(1))

