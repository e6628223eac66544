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


class FeedExistsError(PrwatchError):
    """A feed of that name, or at that URL, is already subscribed."""

    def __init__(self, message: str, *, name: str | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.url = url


class HookError(PrwatchError):
    """An after-store hook failed on a release; nothing of its feed was stored."""

    def __init__(self, hook: str, feed_id: int, release_id: int, problem: str) -> None:
        super().__init__(f"after-store hook {hook} failed on release {release_id} of feed {feed_id}: {problem}")
        self.hook, self.feed_id, self.release_id, self.problem = hook, feed_id, release_id, problem

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.hook, self.feed_id, self.release_id, self.problem))
