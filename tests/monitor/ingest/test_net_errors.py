"""A failed connection reads as what happened: cannot resolve HOST, connection refused,
TLS: certificate ... (never `[Errno -2] Name or service not known`)."""

from __future__ import annotations

import asyncio
import http.server
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.config import PollSettings
from monitor.errors import FetchError
from monitor.ingest.fetch import Fetcher
from monitor.ingest.net_errors import connect_error_message


def fetch(url: str) -> None:
    async def go() -> None:
        async with Fetcher(PollSettings(connect_timeout=5, total_timeout=10)) as f:
            await f.fetch(url)
    asyncio.run(go())


def test_an_unknown_host_cannot_be_resolved() -> None:
    with pytest.raises(FetchError) as err:
        fetch("http://no-such-host.invalid/feed.xml")
    assert str(err.value) == "cannot resolve no-such-host.invalid (no such host name)"


def test_a_closed_port_refuses_the_connection() -> None:
    with pytest.raises(FetchError) as err:
        fetch("http://127.0.0.1:9/feed.xml")
    assert str(err.value) == "connection refused by 127.0.0.1:9 (nothing listens there)"


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a certificate no one signed."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=localhost"], check=True, capture_output=True, timeout=60)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}/feed.xml"
    finally:
        server.shutdown()
        server.server_close()


def test_an_untrusted_certificate_says_tls_and_why(self_signed_server: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch(self_signed_server)
    assert str(err.value) == "TLS: certificate is self-signed (localhost)"


def test_other_failures_keep_their_reason_and_name_the_host() -> None:
    assert connect_error_message(OSError("something odd"), "https://wire.example/rss") == \
        "cannot connect to wire.example: something odd"
