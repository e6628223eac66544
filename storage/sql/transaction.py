"""storage.port.Transaction on one SQLAlchemy session: the unit of work every writing command
uses. Apart from storage.sql.engine so that opening a store does not import the ORM and every
domain's statements; the first transaction does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from storage.sql.alerts import SqlAlerts
from storage.sql.analysis import SqlAnalysis
from storage.sql.claims import SqlClaims
from storage.sql.digests import SqlDigests
from storage.sql.feeds import SqlFeeds
from storage.sql.measures import SqlMeasures
from storage.sql.polls import SqlPollRuns
from storage.sql.releases import SqlReleases
from storage.sql.search import SqlSearch
from storage.sql.stories import SqlStories


class SqlTransaction:
    """storage.port.Transaction on one SQLAlchemy session; `session` is for storage.sql and tests."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.feeds = SqlFeeds(session)
        self.claims = SqlClaims(session)
        self.releases = SqlReleases(session)
        self.analysis = SqlAnalysis(session)
        self.stories = SqlStories(session)
        self.digests = SqlDigests(session)
        self.polls = SqlPollRuns(session)
        self.alerts = SqlAlerts(session)
        self.search = SqlSearch(session)
        self.measures = SqlMeasures(session)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.session.begin_nested():
            yield
