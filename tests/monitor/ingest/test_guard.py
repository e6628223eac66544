"""Release pages reach only globally routable addresses, and the address checked is the one
connected to: a DNS answer that changes between the check and the connection (rebinding)
must not reach what the second answer names. Everything stays on 127.0.0.0/8: a stub
resolver answers for made-up host names, and one loopback address is declared public."""

from __future__ import annotations

import asyncio
import http.server
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from monitor.config import PollSettings
from monitor.errors import FetchError
from monitor.ingest.fetch import Fetcher, FetchResult
from monitor.ingest.guard import is_public_address

GUARDED = PollSettings(connect_timeout=2, read_timeout=2, total_timeout=5, allow_private_addresses=False)
PUBLIC, INTERNAL = "127.0.0.2", "127.0.0.3"  # the "public" web server and a loopback-only one


@pytest.mark.parametrize("address", [
    "100.64.0.1", "100.100.100.200",  # shared address space (carrier NAT; a cloud metadata address)
    "192.88.99.1", "2002:7f00:1::1", "2002:808:808::1",  # the 6to4 relay anycast, 6to4 (127.0.0.1 inside)
    "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "64:ff9b:1::808:808",  # IPv4 in IPv6 forms
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "255.255.255.255",
    "198.18.0.1", "240.0.0.1", "224.0.0.1", "::1", "fe80::1", "fc00::1", "2001:db8::1", "2001::1", "ff02::1",
])
def test_addresses_that_are_not_globally_routable_are_not_public(address: str) -> None:
    assert not is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2606:4700::1111", "::ffff:8.8.8.8",
                                     "64:ff9b::808:808"])
def test_globally_routable_addresses_are_public(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


def _serve(address: str, port: int, body: bytes, redirect: str | None = None) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if redirect and self.path == "/hop":
                self.send_response(302)
                self.send_header("Location", redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass
    server = http.server.ThreadingHTTPServer((address, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def two_servers() -> Iterator[int]:
    """The same port on two loopback addresses: a public page, and an internal one."""
    for _ in range(20):
        public = _serve(PUBLIC, 0, b"<html>the public page</html>", redirect=None)
        port = public.server_address[1]
        try:
            internal = _serve(INTERNAL, port, b"<html>INTERNAL ONLY</html>")
        except OSError:  # that port is taken on the other address: try another
            public.shutdown()
            public.server_close()
            continue
        break
    else:
        pytest.fail("no port free on both loopback addresses")
    yield port
    for server in (public, internal):
        server.shutdown()
        server.server_close()


@pytest.fixture
def resolver(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A stub DNS: each made-up name gives its answers in turn (the last one from then on);
    any other name goes to the real resolver. Also declares PUBLIC a public address."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kw: Any) -> list[Any]:
        if isinstance(host, bytes):
            host = host.decode()
        if host in answers:
            queue = answers[host]
            ip = queue.pop(0) if len(queue) > 1 else queue[0]
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port or 0)))]
        return real(host, port, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("is_global", "is_private", "is_loopback"):
        original = getattr(ipaddress.IPv4Address, name)
        public_value = name == "is_global"

        def patched(self: ipaddress.IPv4Address, _o: Any = original, _v: bool = public_value) -> bool:
            return _v if str(self) == PUBLIC else bool(_o.fget(self))
        monkeypatch.setattr(ipaddress.IPv4Address, name, property(patched))
    return answers


def page(url: str, poll: PollSettings = GUARDED) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(poll) as f:
            return await f.fetch(url, accept="text/html", public_only=True)
    return asyncio.run(go())


def test_a_dns_answer_that_changes_after_the_check_does_not_reach_the_internal_address(
        two_servers: int, resolver: dict[str, list[str]]) -> None:
    resolver["wire.test"] = [PUBLIC, INTERNAL]  # checked once as public; any later lookup says loopback
    result = page(f"http://wire.test:{two_servers}/release")
    assert result.body == b"<html>the public page</html>"


def test_every_redirect_hop_is_checked_where_it_connects(two_servers: int, resolver: dict[str, list[str]]) -> None:
    hop = _serve(PUBLIC, 0, b"", redirect=f"http://inside.test:{two_servers}/secret")
    try:
        resolver["wire.test"] = [PUBLIC]
        resolver["inside.test"] = [INTERNAL]
        with pytest.raises(FetchError, match=r"inside.test: it resolves to a non-public address \(127.0.0.3\)"):
            page(f"http://wire.test:{hop.server_address[1]}/hop")
    finally:
        hop.shutdown()
        hop.server_close()


def test_a_host_with_one_private_address_among_public_ones_is_refused(
        two_servers: int, resolver: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    stub: Callable[..., list[Any]] = socket.getaddrinfo

    def both(host: Any, port: Any, *args: Any, **kw: Any) -> list[Any]:
        if host == "mixed.test":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port))) for ip in (PUBLIC, "100.100.100.200")]
        return stub(host, port, *args, **kw)
    monkeypatch.setattr(socket, "getaddrinfo", both)
    with pytest.raises(FetchError, match=r"non-public address \(100.100.100.200\)"):
        page(f"http://mixed.test:{two_servers}/release")


def test_private_addresses_are_reached_when_the_config_allows_them(two_servers: int) -> None:
    allowed = PollSettings(connect_timeout=2, read_timeout=2, total_timeout=5, allow_private_addresses=True)
    assert page(f"http://{INTERNAL}:{two_servers}/release", allowed).body == b"<html>INTERNAL ONLY</html>"
    with pytest.raises(FetchError, match="non-public address"):
        page(f"http://{INTERNAL}:{two_servers}/release")
