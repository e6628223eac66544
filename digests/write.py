"""Write digests to files: atomically (temporary file, then rename) and idempotently (the
same content is not rewritten, so the file's modification time does not move)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import select

from digests.build import build_digest
from digests.periods import period_for
from digests.render import render
from monitor.config import Settings
from storage.engine import Store
from storage.models import DigestRow


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    changed: bool  # False when the file already had these bytes
    releases: int


def digest_filename(period_key: str, topic_id: str) -> str:
    return f"{period_key}-{topic_id}.md"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_digests(store: Store, settings: Settings, *, topic_ids: Sequence[str] | None = None,
                  kinds: Sequence[str] | None = None, day: date) -> list[Written]:
    """Build, render and write the digest of each topic and period kind containing `day`."""
    topics = [settings.topic(t) for t in topic_ids] if topic_ids else list(settings.topics)
    out: list[Written] = []
    for kind in kinds or settings.digests.periods:
        period = period_for(kind, day, settings.digests.timezone)
        for topic in topics:
            with store.transaction() as s:
                digest = build_digest(s, topic, period)
                if digest.empty and not settings.digests.write_empty:
                    continue
                data = render(digest).encode("utf-8")
                path = settings.digests.directory / digest_filename(period.key, topic.id)
                changed = write_atomic(path, data)
                _record(s, topic.id, kind, period.key, path, data)
            out.append(Written(path, changed, digest.releases))
    return out


def _record(session, topic_id: str, kind: str, key: str, path: Path, data: bytes) -> None:  # type: ignore[no-untyped-def]
    digest = hashlib.sha256(data).hexdigest()
    row = session.scalar(select(DigestRow).where(DigestRow.topic_id == topic_id, DigestRow.period_key == key))
    if row is None:
        session.add(DigestRow(topic_id=topic_id, period=kind, period_key=key, path=str(path), content_hash=digest,
                              summary="", generated_at=datetime.now(timezone.utc)))
    elif row.content_hash != digest or row.path != str(path):
        row.content_hash, row.path, row.generated_at = digest, str(path), datetime.now(timezone.utc)
