"""Real receivers for alert tests, on 127.0.0.1: a JSON webhook that checks the signature
(and can be told to fail, or to run something on arrival), and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "a-test-signing-key"


@dataclass
class Delivery:
    headers: dict[str, str]
    body: dict[str, Any]
    signed: bool  # the signature header matched the body


@dataclass
class Receiver:
    """Answers `fail_first` requests with 503, then 200; `on_arrival(delivery)` runs first."""

    fail_first: int = 0
    on_arrival: Callable[[Delivery], None] | None = None
    received: list[Delivery] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def accepted(self) -> list[Delivery]:
        with self.lock:
            return list(self.received)

    def wait_for(self, n: int, timeout: float = 60) -> list[Delivery]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            got = self.accepted()
            if len(got) >= n:
                return got
            time.sleep(0.05)
        raise AssertionError(f"the receiver got {len(self.accepted())} messages within {timeout} s, not {n}")


@contextmanager
def webhook_receiver(**kw: Any) -> Iterator[Receiver]:
    receiver = Receiver(**kw)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            expected = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
            d = Delivery(dict(self.headers.items()), json.loads(raw),
                         hmac.compare_digest(expected, self.headers.get("X-Prwatch-Signature", "")))
            if receiver.on_arrival:
                receiver.on_arrival(d)
            with receiver.lock:
                receiver.attempts += 1
                failing = receiver.attempts <= receiver.fail_first
                if not failing:
                    receiver.received.append(d)
            self.send_response(503 if failing else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{httpd.server_address[1]}/hook"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Mailbox:
    port: int
    messages: list[Message] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def wait_for(self, n: int, timeout: float = 60) -> list[Message]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.messages) >= n:
                return list(self.messages)
            time.sleep(0.05)
        raise AssertionError(f"the SMTP server got {len(self.messages)} messages within {timeout} s, not {n}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server(password: str | None = None) -> Iterator[Mailbox]:
    """An SMTP server; with `password`, it requires a login with it (AUTH over plain SMTP)."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    box = Mailbox(port=0)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, given = data.login.decode(), data.password.decode()
        box.logins.append((user, given))
        return AuthResult(success=given == password)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
            box.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            box.messages.append(message_from_bytes(envelope.original_content or envelope.content))
            return "250 OK"

    auth: dict[str, Any] = dict(authenticator=authenticate, auth_required=True, auth_require_tls=False) \
        if password is not None else {}
    controller = Controller(Handler(), hostname="127.0.0.1", port=_free_port(), **auth)
    controller.start()
    box.port = controller.port
    try:
        yield box
    finally:
        controller.stop()
