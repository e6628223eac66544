"""Listeners of what a poll stores, called inside the storing transaction.

After a feed's releases are written, and before its transaction commits, every listener is
called with the stored releases as domain values (monitor.domain.StoredRelease) and the
transaction itself, so what a listener writes through storage (an alert outbox, a search
index) commits with the releases or not at all: a crash never leaves a release without its
alert, or an alert for a release that was rolled back. A transaction may be retried (the
poll commits several feeds together and redoes them one by one if the group fails), so a
listener must do nothing outside the database.

A listener that raises is isolated (a savepoint, monitor.ingest.storing): it loses its own
writes and is logged; the feed's releases are stored all the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from monitor.domain import StoredRelease
from storage.port import Transaction


class ReleaseListener(Protocol):
    def __call__(self, tx: Transaction, stored: Sequence[StoredRelease]) -> None:
        """React to `stored` (one feed's releases) inside the storing transaction `tx` (the
        store's port: write through it only)."""


class ReleaseEvents:
    """The listeners of one poll, in the order they subscribed."""

    def __init__(self, listeners: Sequence[ReleaseListener] = ()) -> None:
        self._listeners: list[ReleaseListener] = list(listeners)

    def subscribe(self, listener: ReleaseListener) -> None:
        self._listeners.append(listener)

    def __bool__(self) -> bool:
        return bool(self._listeners)

    def __iter__(self) -> Iterator[ReleaseListener]:
        return iter(self._listeners)


NO_EVENTS = ReleaseEvents()
