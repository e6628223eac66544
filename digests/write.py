"""Write digests to files: atomically (temporary file, then rename) and idempotently (the
same content is not rewritten, so the file's modification time does not move). After the
digests, `index.md` and the Atom feed `digests.xml` are brought up to date the same way."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from digests.build import build_digest
from digests.index import Entry, entry_from_row, markdown_html, render_atom, render_index
from digests.periods import period_for
from digests.render import render
from monitor.config import Settings
from storage.sql import queries as q
from storage.sql.engine import Store

_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK  # what open() would give; mkstemp alone makes files private (0600)
INDEX_NAME = "index.md"
ATOM_NAME = "digests.xml"
ATOM_ID = "urn:prwatch:digests"


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    changed: bool  # False when the file already had these bytes
    releases: int


def digest_filename(period_key: str, topic_id: str) -> str:
    """Stable per topic and period: 2024-07-04-x.md, 2024-W27-x.md, 2024-07-x.md."""
    return f"{period_key}-{topic_id}.md"


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, FILE_MODE)
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
    """Build, render and write the digest of each topic and period kind containing `day`,
    then the index and the Atom feed."""
    topics = [settings.topic(t) for t in topic_ids] if topic_ids else list(settings.topics)
    directory = settings.digests.directory
    out: list[Written] = []
    for kind in kinds or settings.digests.periods:
        period = period_for(kind, day, settings.digests.timezone)
        for topic in topics:
            with store.transaction() as s:
                digest = build_digest(s, topic, period)
                if digest.empty and not settings.digests.write_empty:
                    continue
                data = render(digest).encode("utf-8")
                path = directory / digest_filename(period.key, topic.id)
                changed = write_atomic(path, data)
                q.record_digest(s, topic_id=topic.id, kind=kind, key=period.key, path=str(path),
                                content_hash=hashlib.sha256(data).hexdigest(), summary=digest.summary,
                                now=datetime.now(timezone.utc))
            out.append(Written(path, changed, digest.releases))
    write_index(store, settings)
    return out


def write_index(store: Store, settings: Settings) -> tuple[bool, bool]:
    """Rewrite index.md and digests.xml from the digests recorded in this folder."""
    directory = settings.digests.directory
    titles = {t.id: t.title for t in settings.topics}
    with store.transaction() as s:
        rows = [(r.topic_id, r.period_key, Path(r.path), r.summary, r.generated_at) for r in q.all_digests(s)]
    entries: list[Entry] = []
    for topic_id, key, path, summary, updated in rows:
        if path.parent != directory or not path.is_file():
            continue  # written to another folder, or deleted since
        e = entry_from_row(topic_id, titles.get(topic_id, topic_id), key, path, summary, updated,
                           settings.digests.timezone)
        if e is not None:
            entries.append(e)
    index = write_atomic(directory / INDEX_NAME, render_index(entries).encode("utf-8"))
    atom = write_atomic(directory / ATOM_NAME, render_atom(
        entries, lambda e: markdown_html(directory / e.filename), feed_id=ATOM_ID).encode("utf-8"))
    return index, atom
