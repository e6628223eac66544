"""The [alerts] section of config.toml: channels, rules, delivery.

Checked like every other section (monitor.config_schema: no unknown key, "did you mean",
numbers in range), by every command, without importing Apprise: a channel's URL is only
checked for its form here, and Apprise reads it when a message is sent. Secrets stay out
of the file: `${NAME}` in a URL is the environment variable NAME, read when sending, and a
webhook's signing key comes from the variable `secret_env` names.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from monitor import config_schema as schema
from monitor.errors import ConfigError

TRIGGERS = ("figure", "conflict", "milestone", "release", "words")
ALERT_KEYS = ("give_up_after_hours", "retry_seconds", "first_fetch", "digest_channels", "channels", "rules")
CHANNEL_KEYS = ("name", "url", "webhook", "secret_env")
RULE_KEYS = ("name", "topic", "on", "measures", "subjects", "words", "min_change_percent", "channels")
MAX_NAME = 100  # the outbox's column
_ENV = re.compile(r"\$\{([^}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True, slots=True)
class Channel:
    """Where messages go: an Apprise URL (`url`), or a JSON webhook signed with the key in
    the environment variable `secret_env`."""

    name: str
    url: str | None = None  # Apprise URL, ${NAME} placeholders unresolved
    webhook: str | None = None  # http(s) URL of a JSON webhook, ${NAME} placeholders unresolved
    secret_env: str | None = None

    @property
    def kind(self) -> str:
        return "webhook" if self.webhook else "apprise"

    @property
    def target(self) -> str:
        """The URL as written, for people (placeholders, not secrets)."""
        return self.webhook or self.url or ""

    def resolved(self, environ: Mapping[str, str] | None = None) -> str:
        """The URL with its ${NAME} placeholders read from the environment."""
        return expand(self.target, environ, f"alerts channel {self.name!r}")

    def secret(self, environ: Mapping[str, str] | None = None) -> bytes | None:
        if not self.secret_env:
            return None
        value = (os.environ if environ is None else environ).get(self.secret_env)
        if not value:
            raise MissingSecret(f"alerts channel {self.name!r}: the environment variable {self.secret_env} "
                                "(its secret_env) is not set")
        return value.encode()


class MissingSecret(ValueError):
    """A secret the config names is not in the environment (the message waits for it)."""


def expand(text: str, environ: Mapping[str, str] | None, what: str) -> str:
    env = os.environ if environ is None else environ

    def one(m: re.Match[str]) -> str:
        value = env.get(m.group(1))
        if value is None:
            raise MissingSecret(f"{what}: the environment variable {m.group(1)} is not set")
        return value
    return _ENV.sub(one, text)


@dataclass(frozen=True, slots=True)
class Rule:
    """When to tell whom: `on` one of TRIGGERS, for one topic, to some channels (all when empty)."""

    name: str
    topic: str
    on: str
    channels: tuple[str, ...]
    measures: tuple[str, ...] = ()  # measure ids; "id/*" is the measure and every measure under it
    subjects: tuple[str, ...] = ()  # words in what a figure measures (figures without a known measure)
    words: tuple[str, ...] = ()  # for on = "words": any of these in a release's title or text
    min_change_percent: float = 0.0

    def wants_measure(self, measure: str | None, subject: str | None) -> bool:
        """Whether a figure of this measure (or, without one, of this subject) concerns the rule."""
        if not self.measures and not self.subjects:
            return True
        if measure and any(measure == m or (m.endswith("/*") and (measure + "/").startswith(m[:-1]))
                           for m in self.measures):
            return True
        said = f" {' '.join((subject or '').lower().split())} "
        return any(f" {w.lower()} " in said for w in self.subjects)


@dataclass(frozen=True, slots=True)
class AlertSettings:
    channels: tuple[Channel, ...] = ()
    rules: tuple[Rule, ...] = ()
    give_up_after_hours: float = 24.0
    retry_seconds: float = 60.0  # the first wait after a failed send; each next one doubles (up to an hour)
    first_fetch: bool = False  # alert on what a feed's first fetch brings (its archive)
    digest_channels: tuple[str, ...] = ()  # channels sent each digest when its period closes

    def channel(self, name: str) -> Channel:
        return next(c for c in self.channels if c.name == name)

    def rules_of(self, topic_id: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.topic == topic_id)

    @property
    def active(self) -> bool:
        return bool(self.rules or self.digest_channels)


def parse_alerts(raw: Any, topics: Sequence[Any]) -> AlertSettings:
    """Validate [alerts] against the configured topics (ids, and their measure vocabulary)."""
    if raw is None:
        return AlertSettings()
    if not isinstance(raw, dict):
        raise ConfigError("alerts", "must be a table ([alerts])")
    schema.check_keys(raw, "alerts", ALERT_KEYS)
    d = AlertSettings()
    channels = _channels(raw.get("channels", []))
    names = tuple(c.name for c in channels)
    rules = _rules(raw.get("rules", []), names, topics)
    return AlertSettings(
        channels=channels, rules=rules,
        give_up_after_hours=schema.number(raw, "alerts", "give_up_after_hours", d.give_up_after_hours,
                                          minimum=0.01, maximum=24 * 365),
        retry_seconds=schema.number(raw, "alerts", "retry_seconds", d.retry_seconds, minimum=1, maximum=86400),
        first_fetch=schema.flag(raw, "alerts", "first_fetch", False),
        digest_channels=_channel_names(raw, "alerts", "digest_channels", names, default=[]),
    )


def _channels(raw: Any) -> tuple[Channel, ...]:
    if not isinstance(raw, list):
        raise ConfigError("alerts.channels", "must be an array of tables: one [[alerts.channels]] block per channel")
    out: list[Channel] = []
    for i, t in enumerate(raw):
        where = f"alerts.channels[{i}]"
        if not isinstance(t, dict):
            raise ConfigError(where, "must be a table with a name and a url (or webhook)")
        schema.check_keys(t, where, CHANNEL_KEYS)
        name = schema.text(t, where, "name", max_length=MAX_NAME)
        if any(c.name == name for c in out):
            raise ConfigError(f"{where}.name", f"duplicate channel name {name!r}")
        if ("url" in t) == ("webhook" in t):
            raise ConfigError(where, "needs either url (an Apprise URL: mailtos://, slack://, ntfy://, ...) "
                                     "or webhook (an http(s) URL that gets signed JSON), not both")
        url = webhook = secret_env = None
        if "url" in t:
            url = schema.text(t, where, "url")
            _check_placeholders(url, f"{where}.url")
            if not _SCHEME.match(url):
                raise ConfigError(f"{where}.url", f"must be an Apprise URL such as mailtos://user@host?to=... or "
                                                  f"ntfy://topic; got {url!r}")
            if "secret_env" in t:
                raise ConfigError(f"{where}.secret_env", "signs webhooks only; put ${NAME} in the url instead")
        else:
            webhook = schema.text(t, where, "webhook")
            _check_placeholders(webhook, f"{where}.webhook")
            if not webhook.lower().startswith(("http://", "https://")):
                raise ConfigError(f"{where}.webhook", f"must start with http:// or https://; got {webhook!r}")
            if "secret_env" in t:
                secret_env = schema.text(t, where, "secret_env")
                if not _ENV_NAME.fullmatch(secret_env):
                    raise ConfigError(f"{where}.secret_env", "must name an environment variable (letters, digits "
                                                             f"and _), e.g. PRWATCH_WEBHOOK_SECRET; got {secret_env!r}")
        out.append(Channel(name, url, webhook, secret_env))
    return tuple(out)


def _check_placeholders(url: str, at: str) -> None:
    for m in _ENV.finditer(url):
        if not _ENV_NAME.fullmatch(m.group(1)):
            raise ConfigError(at, f"${{{m.group(1)}}} must name an environment variable (letters, digits and _)")
    if "${" in _ENV.sub("", url):
        raise ConfigError(at, "has a ${ without its closing }")


def _rules(raw: Any, channels: tuple[str, ...], topics: Sequence[Any]) -> tuple[Rule, ...]:
    if not isinstance(raw, list):
        raise ConfigError("alerts.rules", "must be an array of tables: one [[alerts.rules]] block per rule")
    topic_ids = tuple(t.id for t in topics)
    out: list[Rule] = []
    for i, t in enumerate(raw):
        where = f"alerts.rules[{i}]"
        if not isinstance(t, dict):
            raise ConfigError(where, "must be a table with a name, a topic and what to alert on")
        schema.check_keys(t, where, RULE_KEYS)
        name = schema.text(t, where, "name", max_length=MAX_NAME)
        if any(r.name == name for r in out):
            raise ConfigError(f"{where}.name", f"duplicate rule name {name!r}")
        default_topic = topic_ids[0] if len(topic_ids) == 1 else schema._MISSING
        topic = schema.text(t, where, "topic", default_topic)
        if topic not in topic_ids:
            raise ConfigError(f"{where}.topic", f"no topic with id {topic!r}{schema.did_you_mean(topic, topic_ids)}"
                                                f" (configured: {', '.join(topic_ids) or 'none'})")
        on = schema.choice(t, where, "on", "figure", TRIGGERS)
        if not channels:
            raise ConfigError(where, "has no channel to send to: add an [[alerts.channels]] block")
        rule = Rule(name=name, topic=topic, on=on, channels=_channel_names(t, where, "channels", channels),
                    measures=_measures(t, where, next(x for x in topics if x.id == topic)),
                    subjects=schema.words(t, where, "subjects", max_length=200),
                    words=schema.words(t, where, "words", max_length=200),
                    min_change_percent=schema.number(t, where, "min_change_percent", 0, minimum=0, maximum=1e6))
        _fits(rule, t, where)
        out.append(rule)
    return tuple(out)


def _fits(rule: Rule, t: Mapping[str, Any], where: str) -> None:
    """Options that mean nothing for the rule's trigger are mistakes worth one line."""
    if rule.on == "words" and not rule.words:
        raise ConfigError(f"{where}.words", 'is required for on = "words", e.g. words = ["pipeline", "Khorgos"]')
    if rule.on != "words" and "words" in t:
        raise ConfigError(f"{where}.words", f'is for on = "words" (this rule is on = "{rule.on}")')
    if rule.on not in ("figure", "conflict"):
        for key in ("measures", "subjects"):
            if key in t:
                raise ConfigError(f"{where}.{key}", f'is for on = "figure" or "conflict" (this rule is on = "{rule.on}")')
    if rule.on != "figure" and "min_change_percent" in t:
        raise ConfigError(f"{where}.min_change_percent", f'is for on = "figure" (this rule is on = "{rule.on}")')


def _measures(t: Mapping[str, Any], where: str, topic: Any) -> tuple[str, ...]:
    """Measure ids of the topic's vocabulary; checked against it when the topic has one."""
    ids = schema.words(t, where, "measures", max_length=200)
    vocabulary = tuple(m.id for m in getattr(topic, "measures", ()) or ())
    for m in ids:
        bare = m[:-2] if m.endswith("/*") else m
        if vocabulary and bare not in vocabulary:
            raise ConfigError(f"{where}.measures", f"{m!r} is not a measure of topic {topic.id!r}"
                                                   f"{schema.did_you_mean(bare, vocabulary)}; its measures are the "
                                                   "ids of its [[topics.measures]] blocks")
    return ids


def _channel_names(t: Mapping[str, Any], where: str, key: str, channels: tuple[str, ...],
                   default: list[str] | None = None) -> tuple[str, ...]:
    value = t.get(key, list(channels) if default is None else default)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        example = channels[0] if channels else "mail"
        raise ConfigError(f"{where}.{key}", f'must be a list of channel names, e.g. {key} = ["{example}"]')
    for v in value:
        if v not in channels:
            raise ConfigError(f"{where}.{key}", f"no channel named {v!r}{schema.did_you_mean(v, channels)} "
                                                f"(channels: {', '.join(channels) or 'none'})")
    return tuple(dict.fromkeys(value))
