"""Digests written: where, with which content, generated when; and up to when stored
releases are in the digests (a run killed half-way leaves the mark where it was)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import DigestRecord
from storage.sql.models import DigestMark, DigestRow


class SqlDigests:
    """storage.port.DigestStore on SQLAlchemy."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def record(self, record: DigestRecord) -> None:
        r = record
        row = self._s.scalar(select(DigestRow).where(DigestRow.topic_id == r.topic_id,
                                                     DigestRow.period_key == r.period_key))
        if row is None:
            self._s.add(DigestRow(topic_id=r.topic_id, period=r.period, period_key=r.period_key, path=r.path,
                                  content_hash=r.content_hash, summary=r.summary, generated_at=r.generated_at,
                                  html=r.html))
            return
        if (row.content_hash, row.path) != (r.content_hash, r.path):
            row.content_hash, row.path, row.summary, row.generated_at, row.html = r.content_hash, r.path, \
                r.summary, r.generated_at, r.html
            return
        if row.summary != r.summary:
            row.summary = r.summary
        if r.html is not None and row.html != r.html:
            row.html = r.html

    def all(self) -> list[DigestRecord]:
        return [DigestRecord(r.topic_id, r.period, r.period_key, r.path, r.content_hash, r.summary, r.generated_at,
                             r.html)
                for r in self._s.scalars(select(DigestRow).order_by(DigestRow.generated_at.desc(),
                                                                     DigestRow.id.desc()))]

    def written_through(self) -> datetime | None:
        return self._s.scalar(select(DigestMark.written_through).where(DigestMark.id == 1))

    def mark_written(self, through: datetime) -> None:
        mark = self._s.get(DigestMark, 1)
        if mark is None:
            self._s.add(DigestMark(id=1, written_through=through))
        elif mark.written_through < through:
            mark.written_through = through
