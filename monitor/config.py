"""Settings: config.toml read once with tomllib, validated, frozen.

Every section and key is checked (config_schema: types, finite numbers within range, no
unknown key, "did you mean" for a near miss; cron and time zone at load). Every problem is
a ConfigError naming the key's dotted path, so a user sees one line ("poll.interval_minutes:
must be a number; got 'often'") and the CLI exits with status 2. Relative paths resolve
against the config file's folder.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor import config_schema as schema
from monitor.alerts.settings import AlertSettings, parse_alerts
from monitor.analysis.topic_config import Topic, parse_topic
from monitor.cron import CronError, normalize_cron
from monitor.errors import ConfigError

DEFAULT_USER_AGENT = "prwatch/0.1 (+https://github.com/prwatch/prwatch)"
PERIODS = ("day", "week", "month")
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")
MAX_FEED_NAME = 200  # the database column's length
MAX_TOPIC_ID = 100  # the database column's length; it also names digest files
MAX_TAG = 100


@dataclass(frozen=True, slots=True)
class StorageSettings:
    url: str


@dataclass(frozen=True, slots=True)
class DigestSettings:
    directory: Path
    periods: tuple[str, ...] = ("day",)
    schedule: str = "0 7 * * *"  # cron: when the daemon writes digests (weekdays as names, see monitor.cron)
    timezone: str = "UTC"
    write_empty: bool = True
    base_url: str | None = None  # where the digest folder is published: absolute links in digests.xml


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
    tags: tuple[str, ...] = ()  # categories, as OPML folders give them (feeds list, export)


@dataclass(frozen=True, slots=True)
class Settings:
    path: Path
    storage: StorageSettings
    digests: DigestSettings
    poll: PollSettings
    feeds: tuple[FeedSettings, ...] = ()
    topics: tuple[Topic, ...] = ()
    log_level: str = "info"
    log_format: str = "text"  # "json": one JSON object per log line (journald, ELK)
    alerts: AlertSettings = field(default_factory=AlertSettings)
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


SECTIONS = ("storage", "digests", "poll", "logging", "feeds", "topics", "alerts")
STORAGE_KEYS = ("url",)
DIGEST_KEYS = ("directory", "periods", "schedule", "timezone", "write_empty", "base_url")
POLL_KEYS = ("interval_minutes", "min_interval_minutes", "max_interval_minutes", "concurrency", "per_host",
             "connect_timeout", "read_timeout", "total_timeout", "max_body_mib", "max_redirects",
             "backoff_cap_hours", "retry_after_cap_hours", "user_agent", "allow_private_addresses", "workers",
             "lease_minutes")
LOGGING_KEYS = ("level", "format")
FEED_KEYS = ("name", "url", "full_text", "tags")
YEAR_MINUTES = 365 * 24 * 60.0


def settings_from_mapping(raw: Mapping[str, Any], path: Path) -> Settings:
    """Validate an already-parsed config; `path` anchors relative paths."""
    folder = path.parent
    schema.check_keys(raw, "", SECTIONS, what="section")
    storage = schema.table(raw, "storage")
    schema.check_keys(storage, "storage", STORAGE_KEYS)
    digests = schema.table(raw, "digests")
    schema.check_keys(digests, "digests", DIGEST_KEYS)
    poll = schema.table(raw, "poll")
    schema.check_keys(poll, "poll", POLL_KEYS)
    logging_t = schema.table(raw, "logging")
    schema.check_keys(logging_t, "logging", LOGGING_KEYS)

    storage_url = resolve_db_url(schema.text(storage, "storage", "url", "sqlite:///prwatch.db"), folder)
    feeds = _feeds(raw.get("feeds", []), folder)
    topics = _topics(raw.get("topics", []))
    return Settings(
        path=path,
        storage=StorageSettings(url=storage_url),
        digests=_digests(digests, folder),
        poll=_poll(poll),
        feeds=feeds,
        topics=topics,
        log_level=schema.choice(logging_t, "logging", "level", "info", LOG_LEVELS),
        log_format=schema.choice(logging_t, "logging", "format", "text", LOG_FORMATS),
        alerts=parse_alerts(raw.get("alerts"), topics),
    )


def _digests(t: Mapping[str, Any], folder: Path) -> DigestSettings:
    tz = schema.text(t, "digests", "timezone", "UTC")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("digests.timezone", f"unknown time zone {tz!r} "
                                              "(use an IANA name such as 'UTC' or 'Asia/Almaty')") from None
    expr = schema.text(t, "digests", "schedule", "0 7 * * *")
    try:
        schedule = normalize_cron(expr)
    except CronError as e:
        raise ConfigError("digests.schedule", f"{e}; got {expr!r} (e.g. '0 7 * * *': 07:00 every day)") from None
    return DigestSettings(
        directory=_resolve_path(schema.text(t, "digests", "directory", "out/digests"), folder),
        periods=schema.choices(t, "digests", "periods", ["day"], PERIODS),
        schedule=schedule,
        timezone=tz,
        write_empty=schema.flag(t, "digests", "write_empty", True),
        base_url=_base_url(t),
    )


def _base_url(t: Mapping[str, Any]) -> str | None:
    """`digests.base_url`: an absolute http(s) URL, or none (digests.xml then has no self link)."""
    from urllib.parse import urlsplit

    if "base_url" not in t:
        return None
    url = schema.text(t, "digests", "base_url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError("digests.base_url", f"must be an absolute http(s) URL such as "
                          f"'https://example.org/digests/', got {url!r}")
    return url


def _poll(t: Mapping[str, Any]) -> PollSettings:
    d = PollSettings()

    def num(key: str, default: float, low: float, high: float) -> float:
        return schema.number(t, "poll", key, default, minimum=low, maximum=high)

    def whole(key: str, default: int, low: int, high: int) -> int:
        return int(schema.number(t, "poll", key, default, minimum=low, maximum=high, integer=True))

    p = PollSettings(
        interval_minutes=num("interval_minutes", d.interval_minutes, 0.1, YEAR_MINUTES),
        min_interval_minutes=num("min_interval_minutes", d.min_interval_minutes, 0.0, YEAR_MINUTES),
        max_interval_minutes=num("max_interval_minutes", d.max_interval_minutes, 0.1, YEAR_MINUTES),
        concurrency=whole("concurrency", d.concurrency, 1, 1024),
        per_host=whole("per_host", d.per_host, 1, 1024),
        connect_timeout=num("connect_timeout", d.connect_timeout, 0.01, 3600),
        read_timeout=num("read_timeout", d.read_timeout, 0.01, 3600),
        total_timeout=num("total_timeout", d.total_timeout, 0.01, 3600),
        max_body_bytes=int(num("max_body_mib", d.max_body_bytes / 2**20, 0.001, 1024) * 2**20),
        max_redirects=whole("max_redirects", d.max_redirects, 0, 30),
        backoff_cap_hours=num("backoff_cap_hours", d.backoff_cap_hours, 0.01, 24 * 365),
        retry_after_cap_hours=num("retry_after_cap_hours", d.retry_after_cap_hours, 0.01, 24 * 365),
        user_agent=schema.text(t, "poll", "user_agent", d.user_agent, max_length=500),
        allow_private_addresses=schema.flag(t, "poll", "allow_private_addresses", False),
        workers=whole("workers", 0, 0, 256),
        lease_minutes=num("lease_minutes", d.lease_minutes, 0.1, 24 * 60),
    )
    if p.max_interval_minutes < p.interval_minutes:
        raise ConfigError("poll.max_interval_minutes", "must not be smaller than poll.interval_minutes "
                                                       f"({p.max_interval_minutes:g} < {p.interval_minutes:g})")
    if p.min_interval_minutes > p.interval_minutes:
        raise ConfigError("poll.min_interval_minutes", "must not be larger than poll.interval_minutes "
                                                       f"({p.min_interval_minutes:g} > {p.interval_minutes:g})")
    return p


def _topics(raw: Any) -> tuple[Topic, ...]:
    if not isinstance(raw, list):
        raise ConfigError("topics", "must be an array of tables ([[topics]])")
    topics = tuple(parse_topic(t, f"topics[{i}]") for i, t in enumerate(raw))
    seen: set[str] = set()
    for i, t in enumerate(topics):
        if len(t.id) > MAX_TOPIC_ID:
            raise ConfigError(f"topics[{i}].id", f"is {len(t.id)} characters long; at most {MAX_TOPIC_ID} are "
                                                 "allowed (it names digest files)")
        if t.id in seen:
            raise ConfigError(f"topics[{i}].id", f"duplicate topic id {t.id!r}")
        seen.add(t.id)
    return topics


# a database URL as SQLAlchemy reads it: dialect[+driver]://[user[:password]@][host][:port][/database][?query]
_DB_URL = re.compile(r"(?P<driver>[\w+]+)://(?P<netloc>[^/?]*)(?:/(?P<database>[^?]*))?(?:\?(?P<query>.*))?",
                     re.DOTALL)


def resolve_db_url(url: str, folder: Path) -> str:
    """Make a relative SQLite path absolute against the config's folder; other URLs pass
    (`postgresql://` gets the psycopg driver). Parsed here as SQLAlchemy parses URLs, so
    the config does not load a database library to check one."""
    m = _DB_URL.fullmatch(url)
    if m is None:
        raise ConfigError("storage.url", f"not a database URL: {url!r} (e.g. 'sqlite:///prwatch.db' or 'postgresql+psycopg://user@host/db')")
    driver, backend = m["driver"], m["driver"].split("+", 1)[0]
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError("storage.url", f"unsupported database {backend!r}: use sqlite or postgresql")
    if backend == "postgresql" and driver == "postgresql":
        driver, url = "postgresql+psycopg", "postgresql+psycopg" + url[len("postgresql"):]
    if backend == "postgresql" and driver == "postgresql+psycopg" and not _installed("psycopg"):
        raise ConfigError("storage.url", "PostgreSQL needs the psycopg driver, which is not installed: "
                                         "pip install 'prwatch[postgres]' (from a checkout: pip install -e '.[postgres]')")
    database = m["database"]
    if backend == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        db = Path(database).expanduser()
        if not db.is_absolute():
            query = f"?{m['query']}" if m["query"] is not None else ""
            url = f"{driver}://{m['netloc']}/{(folder / db).resolve()}{query}"
    return url


def resolve_feed_url(url: str, folder: Path, key: str) -> str:
    """Accept http(s) URLs and file URLs; `file://relative/path` is relative to the config.
    The scheme is matched in any case (`HTTPS://` is https), as URLs define it."""
    scheme, sep, rest = url.strip().partition("://")
    scheme = scheme.lower()
    if sep and scheme in ("http", "https") and rest:
        return f"{scheme}://{rest}"
    if sep and scheme == "file" and rest:
        p = Path(rest) if rest.startswith("/") else (folder / rest)
        return p.resolve().as_uri()
    raise ConfigError(key, f"must start with http://, https:// or file://; got {url!r}")


def _feeds(raw: Any, folder: Path) -> tuple[FeedSettings, ...]:
    if not isinstance(raw, list):
        raise ConfigError("feeds", "must be an array of tables ([[feeds]])")
    out: list[FeedSettings] = []
    names: dict[str, int] = {}
    for i, f in enumerate(raw):
        where = f"feeds[{i}]"
        if not isinstance(f, dict):
            raise ConfigError(where, "must be a table with name and url")
        schema.check_keys(f, where, FEED_KEYS)
        name = schema.text(f, where, "name", max_length=MAX_FEED_NAME)
        if name in names:
            raise ConfigError(f"{where}.name", f"duplicate feed name {name!r} (also feeds[{names[name]}])")
        names[name] = i
        url = resolve_feed_url(schema.text(f, where, "url"), folder, f"{where}.url")
        out.append(FeedSettings(name=name, url=url, full_text=schema.flag(f, where, "full_text", False),
                                tags=schema.words(f, where, "tags", max_length=MAX_TAG)))
    return tuple(out)


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def _resolve_path(value: str, folder: Path) -> Path:
    p = Path(value).expanduser()
    return p if p.is_absolute() else (folder / p).resolve()
