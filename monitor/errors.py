"""The one exception hierarchy of prwatch: callers catch PrwatchError, the CLI maps each
kind to a clear message and an exit status.

Every error carries the ids it concerns as attributes (the config key, the URL, the feed),
and pickles with them: errors raised in a worker process (parsing) reach the parent whole.
"""

from __future__ import annotations

from typing import Any


def _restore(cls: type[PrwatchError], args: tuple[Any, ...], state: dict[str, Any]) -> PrwatchError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class PrwatchError(Exception):
    """Base of every error prwatch raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # the default calls cls(*args), which a subclass with keyword attributes refuses or loses
        return (_restore, (type(self), self.args, dict(self.__dict__)))


class ConfigError(PrwatchError):
    """The configuration is invalid; `key` is the dotted path of the offending setting."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key = key
        self.problem = problem


class FetchError(PrwatchError):
    """A feed or page could not be retrieved; the message is what `prwatch status` shows.
    `status` is the HTTP status when the server answered; `retry_after` its Retry-After in
    seconds; `url` what was fetched."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None,
                 url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.url = url


class ParseError(PrwatchError):
    """A fetched body is not a feed prwatch can read; `url` is where it came from."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class StorageError(PrwatchError):
    """The database cannot be used (locked by another daemon, unreachable, wrong schema, a
    write refused); `database` says which (no password)."""

    def __init__(self, message: str, *, database: str | None = None) -> None:
        super().__init__(message)
        self.database = database


class FeedExistsError(PrwatchError):
    """A feed of that name, or at that URL, is already subscribed."""

    def __init__(self, message: str, *, name: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.url = url
