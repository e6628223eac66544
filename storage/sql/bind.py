"""What the repositories of one transaction execute on: its connection, and an ORM session
on that same connection made only when a repository first needs the ORM.

A command whose transactions only run Core statements (a `prwatch fetch` that claimed no
feed: poll runs, claims, the config's feeds, digest records) then never imports
sqlalchemy.orm. Once a session exists every statement goes through it, as when each
transaction was a session: Core statements run as they did (a session does not autoflush
for them), and the statements that were ORM statements before call `autoflush()` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, TypeVarTuple, overload

from sqlalchemy import Connection, Executable, Result

if TYPE_CHECKING:
    from sqlalchemy.engine import ScalarResult
    from sqlalchemy.orm import Session
    from sqlalchemy.sql.selectable import TypedReturnsRows

_T = TypeVar("_T")
_Ts = TypeVarTuple("_Ts")


class SqlBind:
    """A transaction's connection, and its ORM session once `session` was asked for."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The transaction's ORM session: on its connection, inside its transaction (joined
        for rollback only: the transaction is committed or rolled back by its owner)."""
        if self._session is None:
            from sqlalchemy.orm import Session

            self._session = Session(bind=self.connection, expire_on_commit=False,
                                    join_transaction_mode="rollback_only")
        return self._session

    def _executor(self) -> Session | Connection:
        return self.connection if self._session is None else self._session

    @overload
    def execute(self, statement: TypedReturnsRows[*_Ts], params: Any = None) -> Result[*_Ts]: ...

    @overload
    def execute(self, statement: Executable, params: Any = None) -> Result[*tuple[Any, ...]]: ...

    def execute(self, statement: Executable, params: Any = None) -> Result[*tuple[Any, ...]]:
        return self._executor().execute(statement, params)

    @overload
    def scalar(self, statement: TypedReturnsRows[_T], params: Any = None) -> _T | None: ...

    @overload
    def scalar(self, statement: Executable, params: Any = None) -> Any: ...

    def scalar(self, statement: Executable, params: Any = None) -> Any:
        return self._executor().scalar(statement, params)

    @overload
    def scalars(self, statement: TypedReturnsRows[_T], params: Any = None) -> ScalarResult[_T]: ...

    @overload
    def scalars(self, statement: Executable, params: Any = None) -> ScalarResult[Any]: ...

    def scalars(self, statement: Executable, params: Any = None) -> ScalarResult[Any]:
        return self._executor().scalars(statement, params)

    def get_bind(self) -> Connection:
        return self.connection

    @property
    def dialect_name(self) -> str:
        return self.connection.dialect.name

    def autoflush(self) -> None:
        """What an ORM statement did first: write the session's pending changes."""
        if self._session is not None and (self._session.new or self._session.dirty or self._session.deleted):
            self._session.flush()

    def finish(self) -> None:
        """End of the unit of work: the session's last changes written (on the way to COMMIT)."""
        if self._session is not None:
            self._session.flush()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
