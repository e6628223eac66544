"""storage.port.Transaction on one connection: the unit of work every writing command uses.
Apart from storage.sql.engine so that opening a store does not import every domain's
statements. Each domain's store is made when first used; those a poll of no feed and the
digests use (feeds, claims, poll runs, digests, releases) run on Core, the others on the ORM
session of the transaction (storage.sql.bind), made and imported only when one needs it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from storage.sql.bind import SqlBind
from storage.sql.claims import SqlClaims
from storage.sql.digests import SqlDigests
from storage.sql.feeds import SqlFeeds
from storage.sql.polls import SqlPollRuns
from storage.sql.releases import SqlReleases

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.sql.alerts import SqlAlerts
    from storage.sql.analysis import SqlAnalysis
    from storage.sql.measures import SqlMeasures
    from storage.sql.search import SqlSearch
    from storage.sql.stories import SqlStories


class SqlTransaction:
    """storage.port.Transaction on one connection; `session` is for storage.sql and tests."""

    def __init__(self, connection: Connection) -> None:
        self.bind = SqlBind(connection)

    @property
    def session(self) -> Session:
        return self.bind.session

    @cached_property
    def feeds(self) -> SqlFeeds:
        return SqlFeeds(self.bind)

    @cached_property
    def claims(self) -> SqlClaims:
        return SqlClaims(self.bind)

    @cached_property
    def releases(self) -> SqlReleases:
        return SqlReleases(self.bind)

    @cached_property
    def digests(self) -> SqlDigests:
        return SqlDigests(self.bind)

    @cached_property
    def polls(self) -> SqlPollRuns:
        return SqlPollRuns(self.bind)

    @cached_property
    def analysis(self) -> SqlAnalysis:
        from storage.sql.analysis import SqlAnalysis

        return SqlAnalysis(self.session)

    @cached_property
    def stories(self) -> SqlStories:
        from storage.sql.stories import SqlStories

        return SqlStories(self.session)

    @cached_property
    def alerts(self) -> SqlAlerts:
        from storage.sql.alerts import SqlAlerts

        return SqlAlerts(self.session)

    @cached_property
    def search(self) -> SqlSearch:
        from storage.sql.search import SqlSearch

        return SqlSearch(self.session)

    @cached_property
    def measures(self) -> SqlMeasures:
        from storage.sql.measures import SqlMeasures

        return SqlMeasures(self.session)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        with self.session.begin_nested():
            yield
