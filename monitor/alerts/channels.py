"""Sending one message through one channel: Apprise for every service it knows (e-mail by
SMTP, Slack, Teams, Telegram, Matrix, ntfy, Discord, ... by URL), or a plain JSON webhook
signed like miniflux's: HMAC-SHA256 of the exact body bytes, hex, in X-Prwatch-Signature.

Apprise is imported here only, when a message is sent: commands that send nothing do not
pay for it. Every message carries its idempotency key: the webhook's Idempotency-Key header
and `id` field, an e-mail's X-Prwatch-Message header, and the last line of every text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping

from monitor.alerts.message import Message
from monitor.alerts.settings import Channel, MissingSecret

SEND_TIMEOUT_SECONDS = 30.0
SIGNATURE_HEADER = "X-Prwatch-Signature"
USER_AGENT = "prwatch-alerts/1"


class DeliveryError(Exception):
    """A message did not get through; the text says why, in a line (it is shown by status)."""


def send(channel: Channel, message: Message, *, environ: Mapping[str, str] | None = None,
         timeout: float = SEND_TIMEOUT_SECONDS) -> None:
    """Deliver `message` or raise DeliveryError."""
    try:
        url = channel.resolved(environ)
        if channel.kind == "webhook":
            _webhook(url, channel.secret(environ), message, timeout)
        else:
            _apprise(url, message, timeout)
    except MissingSecret as e:
        raise DeliveryError(str(e)) from None


def signature(secret: bytes, body: bytes) -> str:
    """What X-Prwatch-Signature carries: hex HMAC-SHA256 of the body with the channel's secret."""
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def webhook_body(message: Message) -> bytes:
    return json.dumps(message.body, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def _webhook(url: str, secret: bytes | None, message: Message, timeout: float) -> None:
    import httpx

    body = webhook_body(message)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "Idempotency-Key": message.key,
               "X-Prwatch-Event-Type": str(message.body.get("type", "alert"))}
    if secret is not None:
        headers[SIGNATURE_HEADER] = signature(secret, body)
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False,
                              trust_env=False)
    except httpx.HTTPError as e:
        raise DeliveryError(f"webhook {_host(url)}: {e.__class__.__name__}: {e}") from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"webhook {_host(url)} answered HTTP {response.status_code} "
                            f"{response.reason_phrase}".rstrip())


def _apprise(url: str, message: Message, timeout: float) -> None:
    import apprise

    if url.lower().startswith(("mailto://", "mailtos://")):  # an e-mail header carries the key
        url += ("&" if "?" in url else "?") + f"+X-Prwatch-Message={message.key}"
    asset = apprise.AppriseAsset(app_id="prwatch", app_desc="prwatch alerts", app_url="https://github.com/prwatch/prwatch")
    notifier = apprise.Apprise(asset=asset)
    if not notifier.add(url):
        raise DeliveryError(f"Apprise does not understand the URL {_redacted(url)} "
                            "(see https://github.com/caronc/apprise/wiki for the URL of each service)")
    for server in notifier:  # Apprise's own default is a minute or more on some services
        if hasattr(server, "socket_read_timeout"):
            server.socket_read_timeout = timeout
        if hasattr(server, "socket_connect_timeout"):
            server.socket_connect_timeout = min(timeout, 10.0)
        if hasattr(server, "timeout"):
            server.timeout = int(timeout)
    attach = apprise.AppriseAttachment(message.attachment) if message.attachment else None
    fmt = apprise.NotifyFormat.HTML if message.html else apprise.NotifyFormat.MARKDOWN
    with _apprise_errors() as errors:
        ok = notifier.notify(body=message.html or message.markdown, title=message.title, body_format=fmt,
                             attach=attach)
    if not ok:
        why = "; ".join(dict.fromkeys(errors)) or "the service refused the message"
        raise DeliveryError(f"{_redacted(url).split('://')[0]}: {why}")


class _apprise_errors:
    """Apprise reports why a send failed only in its log: collect those lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __enter__(self) -> list[str]:
        lines = self.lines

        class Collect(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if record.levelno >= logging.WARNING:
                    lines.append(" ".join(record.getMessage().split())[:300])
        self.handler = Collect()
        logging.getLogger("apprise").addHandler(self.handler)
        return self.lines

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("apprise").removeHandler(self.handler)


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.netloc.rsplit("@", 1)[-1] or url


def _redacted(url: str) -> str:
    """A URL without what may be a secret: its user info and query."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "<URL>"
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}{parts.path}"
