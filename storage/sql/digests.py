"""Digests written: where, with which content, generated when; and up to when stored
releases are in the digests (a run killed half-way leaves the mark where it was)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update

from monitor.domain import DigestRecord
from storage.sql.bind import SqlBind
from storage.sql.tables import DIGEST_MARKS, DIGESTS

_D, _M = DIGESTS.c, DIGEST_MARKS.c
_RECORD = (_D.topic_id, _D.period, _D.period_key, _D.path, _D.content_hash, _D.summary, _D.generated_at, _D.html)


class SqlDigests:
    """storage.port.DigestStore on SQLAlchemy Core (writing digests needs no ORM)."""

    def __init__(self, bind: SqlBind) -> None:
        self._s = bind

    def record(self, record: DigestRecord) -> None:
        r = record
        self._s.autoflush()
        row = self._s.execute(select(_D.id, _D.content_hash, _D.path, _D.summary, _D.html).where(
            _D.topic_id == r.topic_id, _D.period_key == r.period_key)).first()
        if row is None:
            self._s.execute(insert(DIGESTS).values(topic_id=r.topic_id, period=r.period, period_key=r.period_key,
                                                   path=r.path, content_hash=r.content_hash, summary=r.summary,
                                                   generated_at=r.generated_at, html=r.html))
            return
        changes: dict[str, object] = {}
        if (row.content_hash, row.path) != (r.content_hash, r.path):
            changes = dict(content_hash=r.content_hash, path=r.path, summary=r.summary, generated_at=r.generated_at,
                           html=r.html)
        else:
            if row.summary != r.summary:
                changes["summary"] = r.summary
            if r.html is not None and row.html != r.html:
                changes["html"] = r.html
        if changes:
            self._s.execute(update(DIGESTS).where(_D.id == row.id).values(**changes))

    def all(self) -> list[DigestRecord]:
        self._s.autoflush()
        return [DigestRecord(*r) for r in self._s.execute(
            select(*_RECORD).order_by(_D.generated_at.desc(), _D.id.desc()))]

    def written_through(self) -> datetime | None:
        self._s.autoflush()
        at: datetime | None = self._s.scalar(select(_M.written_through).where(_M.id == 1))
        return at

    def mark_written(self, through: datetime) -> None:
        self._s.autoflush()
        mark = self._s.scalar(select(_M.written_through).where(_M.id == 1))
        if mark is None:
            self._s.execute(insert(DIGEST_MARKS).values(id=1, written_through=through))
        elif mark < through:
            self._s.execute(update(DIGEST_MARKS).where(_M.id == 1).values(written_through=through))
