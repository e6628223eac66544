"""Write digests to files: atomically (temporary file, then rename) and idempotently (the
same content is not rewritten, so the file's modification time does not move). After the
digests, `index.md` and the Atom feed `digests.xml` are brought up to date the same way."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from digests.build import build_digest
from digests.index import (
    Entry,
    digest_link,
    entry_from_row,
    highlights_html,
    link_html,
    opening_html,
    render_atom,
    render_index,
)
from digests.model import Period
from digests.periods import digest_filename, period_for
from digests.render import render
from monitor.config import Settings
from monitor.domain import DigestRecord
from storage.port import Store

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


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> bool:
    """Write `data` to `path` unless it already holds exactly that; True if written.
    `durable` flushes it to disk before the rename (not needed for files that every run
    rewrites from the database, such as the index)."""
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
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_digests(store: Store, settings: Settings, *, topic_ids: Sequence[str] | None = None,
                  kinds: Sequence[str] | None = None, day: date) -> list[Written]:
    """Build, render and write the digest of each topic and period kind containing `day`,
    keeping the index and the Atom feed in step."""
    topics = list(topic_ids) if topic_ids else [t.id for t in settings.topics]
    return write_periods(store, settings, [(t, kind, day) for kind in kinds or settings.digests.periods
                                           for t in topics])


def write_periods(store: Store, settings: Settings, targets: Iterable[tuple[str, str, date]]) -> list[Written]:
    """Write the digest of each (topic id, period kind, a day in the period), once per period.

    The index and the Atom feed are rewritten after every digest they listed whose file
    changed, so a writer killed half-way leaves them describing the digests as they are on
    disk (each file is replaced atomically), never the ones it had replaced; digests new to
    the index are added at the end (a kill before then only leaves them unlisted until the
    next run, which starts by listing them)."""
    tz = settings.digests.timezone
    directory = settings.digests.directory
    out: list[Written] = []
    done: set[tuple[str, str, str]] = set()
    listing = Listing.load(store, settings)
    pending = False
    if listing.entries or (directory / INDEX_NAME).exists():
        listing.write()  # a writer killed before its index caught up: the next one starts by catching up
    for topic_id, kind, day in targets:
        period = period_for(kind, day, tz)
        if (topic_id, kind, period.key) in done:
            continue
        done.add((topic_id, kind, period.key))
        topic = settings.topic(topic_id)
        with store.transaction() as tx:
            digest = build_digest(tx, topic, period)
            if digest.empty and not settings.digests.write_empty:
                continue
            text = render(digest)
            data = text.encode("utf-8")
            digest_hash = hashlib.sha256(data).hexdigest()
            path = directory / digest_filename(period.key, topic.id)
            changed = write_atomic(path, data)
            now = datetime.now(timezone.utc)
            html = listing.html_of(topic.id, period.key, digest_hash) or opening_html(text)
            tx.digests.record(DigestRecord(topic.id, kind, period.key, str(path), digest_hash, digest.summary, now,
                                           html))
            listed = listing.summary_of(topic.id, period.key)
            if changed or listed != digest.summary or listing.html_of(topic.id, period.key, digest_hash) != html:
                listing.put(topic.id, topic.title, period, path.name, digest.summary, now if changed else None,
                            html=html, content_hash=digest_hash)
                if listed is not None:  # the index described the file just replaced: bring it up to date now
                    listing.write()
                else:
                    pending = True  # a digest new to the index: listed at the end (nothing old is described)
        out.append(Written(path, changed, digest.releases))
    if pending:
        listing.write()
    return out


class Listing:
    """The digests of the folder as index.md and digests.xml list them, kept in memory while
    a run writes digests, so each rewrite of the two costs only their rendering."""

    def __init__(self, settings: Settings, entries: dict[tuple[str, str], Entry]) -> None:
        self.settings = settings
        self.entries = entries

    @classmethod
    def load(cls, store: Store, settings: Settings) -> Listing:
        directory = settings.digests.directory
        titles = {t.id: t.title for t in settings.topics}
        with store.transaction() as tx:
            rows = tx.digests.all()
        entries: dict[tuple[str, str], Entry] = {}
        for r in rows:
            path = Path(r.path)
            if path.parent != directory or not path.is_file():
                continue  # written to another folder, or deleted since
            e = entry_from_row(r.topic_id, titles.get(r.topic_id, r.topic_id), r.period_key, path, r.summary,
                               r.generated_at, settings.digests.timezone)
            if e is not None:
                entries[(r.topic_id, r.period_key)] = replace(e, html=r.html, content_hash=r.content_hash)
        return cls(settings, entries)

    def summary_of(self, topic_id: str, key: str) -> str | None:
        e = self.entries.get((topic_id, key))
        return e.summary if e else None

    def html_of(self, topic_id: str, key: str, content_hash: str) -> str | None:
        """The Atom HTML kept for this digest, if it was rendered from this very content."""
        e = self.entries.get((topic_id, key))
        return e.html if e is not None and e.content_hash == content_hash else None

    def put(self, topic_id: str, title: str, period: Period, filename: str, summary: str,
            updated: datetime | None, *, html: str | None = None, content_hash: str = "") -> None:
        old = self.entries.get((topic_id, period.key))
        when = updated or (old.updated if old else datetime.now(timezone.utc))
        self.entries[(topic_id, period.key)] = Entry(topic_id, title, period, filename, summary, when, html,
                                                     content_hash)

    def write(self) -> tuple[bool, bool]:
        directory = self.settings.digests.directory
        entries = list(self.entries.values())
        index = write_atomic(directory / INDEX_NAME, render_index(entries).encode("utf-8"), durable=False)
        base = self.settings.digests.base_url
        atom = write_atomic(directory / ATOM_NAME, render_atom(
            entries, lambda e: self._html(e, digest_link(e.filename, base)), feed_id=ATOM_ID,
            base_url=base).encode("utf-8"), durable=False)
        return index, atom

    def _html(self, e: Entry, link: str) -> str:
        """An entry's content: its kept HTML; a digest recorded without one is rendered from its file."""
        if e.html is None:
            return highlights_html(self.settings.digests.directory / e.filename, link)
        return e.html + link_html(link)


def changed_periods(store: Store, settings: Settings, since: datetime, *,
                    topic_ids: Sequence[str] | None = None) -> list[tuple[str, str, date]]:
    """(topic, kind, day) of every period whose releases were stored or revised since `since`
    (a poll's new releases, a feed's backfill, a late arrival), oldest first."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(settings.digests.timezone)
    known = {t.id for t in settings.topics}
    with store.transaction() as tx:
        placed = tx.releases.placed_since(since)
    days = sorted({(topic, at.astimezone(zone).date()) for topic, at in placed
                   if topic in known and (not topic_ids or topic in topic_ids)}, key=lambda t: (t[1], t[0]))
    return [(topic, kind, day) for topic, day in days for kind in settings.digests.periods]


MARK_MARGIN = timedelta(minutes=10)  # a poll's transaction may commit this long after it stamped its releases


def write_after_poll(store: Store, settings: Settings, since: datetime, today: date, *,
                     topic_ids: Sequence[str] | None = None) -> list[Written]:
    """The digests a poll begun at `since` changed (every period it stored releases for) and
    every period a digest run killed before it finished left behind, then the current ones."""
    topics = list(topic_ids) if topic_ids else [t.id for t in settings.topics]
    current = [(t, kind, today) for kind in settings.digests.periods for t in topics]
    asked = datetime.now(timezone.utc)
    with store.transaction() as tx:
        through = tx.digests.written_through()
    start = min(since, through) if through is not None else since
    written = write_periods(store, settings, changed_periods(store, settings, start, topic_ids=topics) + current)
    if not topic_ids:  # every topic's periods are written up to here
        with store.transaction() as tx:
            tx.digests.mark_written(asked - MARK_MARGIN)
    return written


def write_index(store: Store, settings: Settings) -> tuple[bool, bool]:
    """Rewrite index.md and digests.xml from the digests recorded in this folder."""
    return Listing.load(store, settings).write()
