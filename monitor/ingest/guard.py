"""Release pages only from globally routable addresses, checked where the connection is made.

A link in a feed is the publisher's to choose, so a page fetch must not reach this machine,
its network or a cloud metadata service. Checking a host name and then letting the HTTP
client resolve it again leaves a gap: a DNS answer that changes between the two (rebinding)
reaches whatever the second answer names. So the check lives in the network backend: the
host is resolved once, every address is checked, and the socket is opened to an address
that was checked. Each redirect hop to a new host makes a new connection, and so a new check;
a kept-alive connection stays with the address it was opened to.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

import httpcore

from monitor.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Ranges Python's is_global lets through (3.11) that still lead somewhere private or odd:
# the 6to4 relay anycast and 6to4 itself (2002::/16 embeds any IPv4 address, 127.0.0.1 too),
# IPv4-compatible IPv6 (deprecated, ::a.b.c.d) and local-use NAT64.
_NOT_PUBLIC = tuple(ipaddress.ip_network(n) for n in (
    "192.88.99.0/24", "2002::/16", "::/96", "64:ff9b:1::/48"))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64: public only if the IPv4 inside is


def is_public_address(ip: IPAddress) -> bool:
    """True for a globally routable unicast address (IANA's special-purpose registries, as
    ipaddress knows them, plus the ranges above); an IPv6 address that carries an IPv4
    address is judged by that IPv4 address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return is_public_address(ip.ipv4_mapped)
        if ip in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.is_multicast or any(ip in n for n in _NOT_PUBLIC if n.version == ip.version):
        return False
    return ip.is_global


class PublicOnlyBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend, except that a host is resolved here, refused when any
    of its addresses is not public, and connected to by address."""

    def __init__(self) -> None:
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        addresses = _resolve(host, port)
        for ip in addresses:
            if not is_public_address(ip):
                raise FetchError(f"refusing to fetch from {host}: it resolves to a non-public address ({ip}); "
                                 "set poll.allow_private_addresses = true to allow it")
        error: Exception | None = None
        for ip in addresses:
            try:
                return self._sockets.connect_tcp(str(ip), port, timeout=timeout, local_address=local_address,
                                                 socket_options=socket_options)
            except httpcore.ConnectError as e:  # the next address, as socket.create_connection would
                error = e
        assert error is not None
        raise error

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[Any] | None = None) -> httpcore.NetworkStream:
        raise FetchError("refusing to connect to a unix socket")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address of `host`, in the resolver's order, each once."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise httpcore.ConnectError(str(e)) from e  # worded by monitor.ingest.net_errors
    out: list[IPAddress] = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if ip not in out:
            out.append(ip)
    if not out:
        raise httpcore.ConnectError(f"no address for {host}")
    return out
