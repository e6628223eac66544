"""The one exception hierarchy of prwatch: callers catch PrwatchError, the CLI maps each
kind to a clear message and an exit status."""

from __future__ import annotations


class PrwatchError(Exception):
    """Base of every error prwatch raises on purpose."""


class ConfigError(PrwatchError):
    """The configuration is invalid; `key` is the dotted path of the offending setting."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.key = key
        self.problem = problem


class FetchError(PrwatchError):
    """A feed or page could not be retrieved; the message is what `prwatch status` shows."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class ParseError(PrwatchError):
    """A fetched body is not a feed prwatch can read."""


class StorageError(PrwatchError):
    """The database cannot be used (locked by another daemon, unreachable, wrong schema)."""
