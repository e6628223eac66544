"""Settings: config.toml read once with tomllib, validated, frozen.

Every problem is reported as a ConfigError naming the key's dotted path, so a user sees
one clear message ("poll.interval_minutes: must be a number > 0, got 'often'") and the
CLI exits with status 2. Relative paths resolve against the config file's folder.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.errors import ConfigError
from monitor.analysis.topics import Topic, parse_topic

DEFAULT_USER_AGENT = "prwatch/0.1 (+https://github.com/prwatch/prwatch)"
PERIODS = ("day", "week", "month")
LOG_LEVELS = ("debug", "info", "warning", "error")


@dataclass(frozen=True, slots=True)
class StorageSettings:
    url: str


@dataclass(frozen=True, slots=True)
class DigestSettings:
    directory: Path
    periods: tuple[str, ...] = ("day",)
    schedule: str = "0 7 * * *"  # cron: when the daemon writes digests
    timezone: str = "UTC"
    write_empty: bool = True


@dataclass(frozen=True, slots=True)
class PollSettings:
    interval_minutes: float = 30.0
    min_interval_minutes: float = 5.0
    max_interval_minutes: float = 24 * 60.0
    concurrency: int = 32
    per_host: int = 16
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0
    max_body_bytes: int = 15 * 1024 * 1024
    max_redirects: int = 5
    backoff_cap_hours: float = 24.0
    retry_after_cap_hours: float = 24.0
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_addresses: bool = False
    workers: int = 0  # processes for parsing and analysis; 0 = one per core
    lease_minutes: float = 10.0


@dataclass(frozen=True, slots=True)
class FeedSettings:
    name: str
    url: str
    full_text: bool = False


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path
    storage: StorageSettings
    digests: DigestSettings
    poll: PollSettings
    feeds: tuple[FeedSettings, ...] = ()
    topics: tuple[Topic, ...] = ()
    log_level: str = "info"
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def topic(self, topic_id: str) -> Topic:
        for t in self.topics:
            if t.id == topic_id:
                return t
        known = ", ".join(t.id for t in self.topics) or "none"
        raise ConfigError("topics", f"no topic with id {topic_id!r} (configured: {known})")


def config_path(cli_value: str | None) -> Path:
    """The config file to use: --config, else $PRWATCH_CONFIG, else ./config.toml."""
    return Path(cli_value or os.environ.get("PRWATCH_CONFIG") or "config.toml").expanduser().resolve()


def load_settings(path: Path) -> Settings:
    """Read and validate a config file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError("", f"config file not found: {path} (use --config PATH or PRWATCH_CONFIG)") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError("", f"{path} is not valid TOML: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError("", f"cannot read {path}: {e}") from None
    return settings_from_mapping(raw, path.resolve())


def settings_from_mapping(raw: Mapping[str, Any], path: Path) -> Settings:
    """Validate an already-parsed config; `path` anchors relative paths."""
    folder = path.parent
    known = {"storage", "digests", "poll", "feeds", "topics", "logging"}
    for key in raw:
        if key not in known:
            raise ConfigError(key, f"unknown section (expected one of: {', '.join(sorted(known))})")

    storage = _table(raw, "storage")
    storage_url = _str(storage, "storage.url", "url", "sqlite:///prwatch.db")
    digests = _table(raw, "digests")
    poll = _table(raw, "poll")
    logging_t = _table(raw, "logging")

    feeds = _feeds(raw.get("feeds", []), folder)
    topics_raw = raw.get("topics", [])
    if not isinstance(topics_raw, list):
        raise ConfigError("topics", "must be an array of tables ([[topics]])")
    topics = tuple(parse_topic(t, f"topics[{i}]") for i, t in enumerate(topics_raw))
    seen: set[str] = set()
    for i, t in enumerate(topics):
        if t.id in seen:
            raise ConfigError(f"topics[{i}].id", f"duplicate topic id {t.id!r}")
        seen.add(t.id)

    periods = digests.get("periods", ["day"])
    if not isinstance(periods, list) or not periods or any(p not in PERIODS for p in periods):
        raise ConfigError("digests.periods", f"must be a non-empty list of {', '.join(PERIODS)}; got {periods!r}")
    tz = _str(digests, "digests.timezone", "timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("digests.timezone", f"unknown time zone {tz!r} (use an IANA name such as 'UTC' or 'Asia/Almaty')") from None
    schedule = _str(digests, "digests.schedule", "schedule", "0 7 * * *")
    _check_cron(schedule, "digests.schedule")

    defaults = PollSettings()
    poll_settings = PollSettings(
        interval_minutes=_num(poll, "poll", "interval_minutes", defaults.interval_minutes, minimum=0.1),
        min_interval_minutes=_num(poll, "poll", "min_interval_minutes", defaults.min_interval_minutes, minimum=0.0),
        max_interval_minutes=_num(poll, "poll", "max_interval_minutes", defaults.max_interval_minutes, minimum=0.1),
        concurrency=int(_num(poll, "poll", "concurrency", defaults.concurrency, minimum=1, integer=True)),
        per_host=int(_num(poll, "poll", "per_host", defaults.per_host, minimum=1, integer=True)),
        connect_timeout=_num(poll, "poll", "connect_timeout", defaults.connect_timeout, minimum=0.01),
        read_timeout=_num(poll, "poll", "read_timeout", defaults.read_timeout, minimum=0.01),
        total_timeout=_num(poll, "poll", "total_timeout", defaults.total_timeout, minimum=0.01),
        max_body_bytes=int(_num(poll, "poll", "max_body_mib", defaults.max_body_bytes / 2**20, minimum=0.001) * 2**20),
        max_redirects=int(_num(poll, "poll", "max_redirects", defaults.max_redirects, minimum=0, integer=True)),
        backoff_cap_hours=_num(poll, "poll", "backoff_cap_hours", defaults.backoff_cap_hours, minimum=0.01),
        retry_after_cap_hours=_num(poll, "poll", "retry_after_cap_hours", defaults.retry_after_cap_hours, minimum=0.01),
        user_agent=_str(poll, "poll.user_agent", "user_agent", defaults.user_agent),
        allow_private_addresses=_bool(poll, "poll.allow_private_addresses", "allow_private_addresses", False),
        workers=int(_num(poll, "poll", "workers", 0, minimum=0, integer=True)),
        lease_minutes=_num(poll, "poll", "lease_minutes", defaults.lease_minutes, minimum=0.1),
    )
    if poll_settings.max_interval_minutes < poll_settings.interval_minutes:
        raise ConfigError("poll.max_interval_minutes", "must not be smaller than poll.interval_minutes")

    level = _str(logging_t, "logging.level", "level", "info").lower()
    if level not in LOG_LEVELS:
        raise ConfigError("logging.level", f"must be one of {', '.join(LOG_LEVELS)}; got {level!r}")

    return Settings(
        path=path,
        storage=StorageSettings(url=resolve_db_url(storage_url, folder)),
        digests=DigestSettings(
            directory=_resolve_path(_str(digests, "digests.directory", "directory", "out/digests"), folder),
            periods=tuple(periods),
            schedule=schedule,
            timezone=tz,
            write_empty=_bool(digests, "digests.write_empty", "write_empty", True),
        ),
        poll=poll_settings,
        feeds=feeds,
        topics=topics,
        log_level=level,
    )


def resolve_db_url(url: str, folder: Path) -> str:
    """Make a relative SQLite path absolute against the config's folder; other URLs pass."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError("storage.url", f"not a database URL: {url!r} (e.g. 'sqlite:///prwatch.db' or 'postgresql+psycopg://user@host/db')") from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError("storage.url", f"unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        db = Path(parsed.database).expanduser()
        if not db.is_absolute():
            parsed = parsed.set(database=str((folder / db).resolve()))
    return parsed.render_as_string(hide_password=False)


def resolve_feed_url(url: str, folder: Path, key: str) -> str:
    """Accept http(s) URLs and file URLs; `file://relative/path` is relative to the config."""
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("file://"):
        rest = url[len("file://"):]
        p = Path(rest) if rest.startswith("/") else (folder / rest)
        return p.resolve().as_uri()
    raise ConfigError(key, f"must start with http://, https:// or file://; got {url!r}")


def _feeds(raw: Any, folder: Path) -> tuple[FeedSettings, ...]:
    if not isinstance(raw, list):
        raise ConfigError("feeds", "must be an array of tables ([[feeds]])")
    out: list[FeedSettings] = []
    names: set[str] = set()
    for i, f in enumerate(raw):
        where = f"feeds[{i}]"
        if not isinstance(f, dict):
            raise ConfigError(where, "must be a table with name and url")
        for key in f:
            if key not in ("name", "url", "full_text"):
                raise ConfigError(f"{where}.{key}", "unknown key (expected name, url, full_text)")
        name = _str(f, f"{where}.name", "name", None)
        if name in names:
            raise ConfigError(f"{where}.name", f"duplicate feed name {name!r}")
        names.add(name)
        url = resolve_feed_url(_str(f, f"{where}.url", "url", None), folder, f"{where}.url")
        out.append(FeedSettings(name=name, url=url, full_text=_bool(f, f"{where}.full_text", "full_text", False)))
    return tuple(out)


def _table(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "must be a table")
    return value


def _str(table: Mapping[str, Any], where: str, key: str, default: str | None) -> str:
    value = table.get(key, default)
    if value is None:
        raise ConfigError(where, "is required")
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(where, f"must be a non-empty string; got {value!r}")
    return value.strip()


def _bool(table: Mapping[str, Any], where: str, key: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(where, f"must be true or false; got {value!r}")
    return value


def _num(table: Mapping[str, Any], section: str, key: str, default: float, *, minimum: float,
         integer: bool = False) -> float:
    value = table.get(key, default)
    where = f"{section}.{key}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(where, f"must be a number; got {value!r}")
    if integer and int(value) != value:
        raise ConfigError(where, f"must be a whole number; got {value!r}")
    if value < minimum:
        raise ConfigError(where, f"must be at least {minimum}; got {value!r}")
    return float(value)


def _resolve_path(value: str, folder: Path) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else (folder / p).resolve()


def _check_cron(expr: str, where: str) -> None:
    if len(expr.split()) != 5:
        raise ConfigError(where, f"must be a 5-field cron expression like '0 7 * * *'; got {expr!r}")
