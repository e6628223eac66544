"""Connection failures in words a user can act on: `cannot resolve HOST`, `connection
refused by HOST:PORT`, `TLS: certificate has expired (HOST)`, instead of `[Errno -2] Name or
service not known`. The cause is read from the exception chain httpx keeps (the socket or
ssl error underneath), so the wording does not depend on the platform's message text."""

from __future__ import annotations

import errno
import socket
import ssl
from urllib.parse import urlsplit


def connect_error_message(exc: BaseException, url: str) -> str:
    """One line for a failed connection to `url`."""
    parts = urlsplit(url)
    host = parts.hostname or url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for cause in _chain(exc):
        if isinstance(cause, socket.gaierror):
            if cause.errno == socket.EAI_AGAIN:
                return f"cannot resolve {host} (temporary DNS failure; is the network up?)"
            return f"cannot resolve {host} (no such host name)"
        if isinstance(cause, ssl.SSLCertVerificationError):
            why = cause.verify_message or cause.reason or "cannot be verified"
            return f"TLS: certificate {_certificate(why)} ({host})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS: {cause.reason or cause.strerror or cause} ({host})"
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {host}:{port} (nothing listens there)"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return f"cannot connect to {host}: {'network' if cause.errno == errno.ENETUNREACH else 'host'} unreachable"
    text = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
    return f"cannot connect to {host}: {text}"


def _certificate(why: str) -> str:
    """OpenSSL's wording, starting after 'certificate': 'has expired', 'is self signed', ..."""
    why = why.strip()
    lower = why.lower()
    if lower.startswith("certificate "):
        return why[len("certificate "):]
    if lower.startswith("self-signed certificate") or lower.startswith("self signed certificate"):
        return "is self-signed" + why[len("self-signed certificate"):]
    if lower.startswith("hostname mismatch"):
        return "is not for this host name" + why[len("hostname mismatch"):]
    return f"not trusted: {why}"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
