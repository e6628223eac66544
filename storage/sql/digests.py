"""Digests written: where, with which content, generated when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.sql.models import DigestMark, DigestRow


def record_digest(session: Session, *, topic_id: str, kind: str, key: str, path: str, content_hash: str,
                  summary: str, now: datetime) -> None:
    """Remember a written digest; `generated_at` moves only when its content or place changed."""
    row = session.scalar(select(DigestRow).where(DigestRow.topic_id == topic_id, DigestRow.period_key == key))
    if row is None:
        session.add(DigestRow(topic_id=topic_id, period=kind, period_key=key, path=path, content_hash=content_hash,
                              summary=summary, generated_at=now))
    elif (row.content_hash, row.path) != (content_hash, path):
        row.content_hash, row.path, row.summary, row.generated_at = content_hash, path, summary, now
    elif row.summary != summary:
        row.summary = summary


def digests_written_through(session: Session) -> datetime | None:
    """Before when every stored release's period has been written by a finished digest run."""
    return session.scalar(select(DigestMark.written_through).where(DigestMark.id == 1))


def mark_digests_written(session: Session, through: datetime) -> None:
    """Record that every release stored before `through` is in the digests (never moves back)."""
    mark = session.get(DigestMark, 1)
    if mark is None:
        session.add(DigestMark(id=1, written_through=through))
    elif mark.written_through < through:
        mark.written_through = through


def all_digests(session: Session) -> list[DigestRow]:
    """Every digest prwatch wrote, newest generation first."""
    return list(session.scalars(select(DigestRow).order_by(DigestRow.generated_at.desc(), DigestRow.id.desc())))

