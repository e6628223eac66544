"""HTTP retrieval: polite, bounded, conditional.

feedparser's own fetcher has no timeout and can hang a scheduler, so feeds and release
pages are fetched here (HTTP/1.1 on asyncio streams, see _ConnectionPool) and only the
bytes go to the parser. One connection pool (keep-alive) serves a whole poll; concurrency is bounded overall and per
host; every response is read with a byte limit (decoded bytes, so a gzip bomb is cut too);
redirects are followed by hand so permanent ones can update the stored URL.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import socket
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from monitor.config import PollSettings
from monitor.errors import FetchError

PERMANENT_REDIRECTS = (301, 308)
REDIRECTS = (301, 302, 303, 307, 308)
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5")


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a retrieval produced. `body` is None when the server said 304 Not Modified."""

    status: int
    url: str  # the URL finally read
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    permanent_url: str | None = None  # set when every hop to `url` was a 301/308
    elapsed_ms: int = 0

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


class Fetcher:
    """Fetches feeds and pages over one keep-alive connection pool; use as an async context manager."""

    def __init__(self, settings: PollSettings) -> None:
        self.settings = settings
        self._pool = _ConnectionPool(settings)
        self._overall = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._base_headers = (f"User-Agent: {_header_value(settings.user_agent)}\r\n"
                              "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n")

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pool.close()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str = FEED_ACCEPT, public_only: bool = False) -> FetchResult:
        """Retrieve `url` conditionally. Raises FetchError with a message fit for `prwatch status`."""
        if url.startswith("file://"):
            return await asyncio.to_thread(read_file_url, url, self.settings.max_body_bytes)
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.settings.total_timeout):
                result = await self._follow(url, etag, last_modified, accept, public_only)
        except TimeoutError:
            raise FetchError(f"timed out after {self.settings.total_timeout:g} s in all") from None
        return FetchResult(result.status, result.url, result.body, result.headers, result.permanent_url,
                           int((time.monotonic() - started) * 1000))

    async def _follow(self, url: str, etag: str | None, last_modified: str | None, accept: str,
                      public_only: bool) -> FetchResult:
        permanent = True
        seen: set[str] = set()
        for _ in range(self.settings.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"refusing to fetch {url!r}: only http and https are allowed")
            if public_only and not self.settings.allow_private_addresses:
                await _require_public_host(url)
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
            extra = f"Accept: {accept}\r\n"
            if etag:
                extra += f"If-None-Match: {_header_value(etag)}\r\n"
            if last_modified:
                extra += f"If-Modified-Since: {_header_value(last_modified)}\r\n"
            status, resp_headers, body = await self._request(url, extra)
            if status in REDIRECTS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location header", status=status)
                permanent = permanent and status in PERMANENT_REDIRECTS
                url = urljoin(url, location.strip())
                continue
            if status == 304:
                return FetchResult(304, url, None, resp_headers, url if permanent and len(seen) > 1 else None)
            if status == 200:
                return FetchResult(200, url, body, resp_headers, url if permanent and len(seen) > 1 else None)
            raise FetchError(_status_message(status), status=status,
                             retry_after=parse_retry_after(resp_headers.get("retry-after")))
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _request(self, url: str, extra_headers: str) -> tuple[int, dict[str, str], bytes | None]:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        async with self._overall, sem:
            return await self._pool.get(parts, self._base_headers + extra_headers)


class _ConnectionPool:
    """A small HTTP/1.1 client on asyncio streams: keep-alive connections per origin,
    Content-Length, chunked and close-delimited bodies, gzip/deflate decoded under the byte
    limit (so a gzip bomb is cut), a timeout on every read (a slow drip is cut by the total
    timeout of `Fetcher.fetch`).

    Why not httpx: a poll is hundreds of small conditional GETs, and httpx's async stack
    costs about 2 ms of CPU per request against about 0.2 ms here; at 500 feeds that second
    of CPU is more than the whole start-up of a poll, and its import another 0.15 s."""

    MAX_HEADER_BYTES = 64 * 1024
    MAX_HEADERS = 200

    def __init__(self, settings: PollSettings) -> None:
        self.settings = settings
        self._idle: dict[tuple[str, str, int], list[tuple[asyncio.StreamReader, asyncio.StreamWriter]]] = {}
        self._ssl: Any = None

    def close(self) -> None:
        for conns in self._idle.values():
            for _, w in conns:
                w.close()
        self._idle.clear()

    async def get(self, parts: SplitResult, headers: str) -> tuple[int, dict[str, str], bytes | None]:
        host = parts.hostname or ""
        if not host:
            raise FetchError(f"no host in {parts.geturl()!r}")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise FetchError(f"bad port in {parts.geturl()!r}") from None
        key = (parts.scheme, host, port)
        target = _quote_target((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        host_header = _idna(host) + (f":{parts.port}" if parts.port else "")
        head = f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\n{headers}\r\n".encode("latin-1", "replace")
        idle = self._idle.get(key)
        while idle:
            reader, writer = idle.pop()
            if reader.at_eof() or writer.is_closing():
                writer.close()
                continue
            try:
                return await self._exchange(key, reader, writer, head)
            except _StaleConnection:
                writer.close()  # the server closed a kept-alive connection: try a fresh one
        reader, writer = await self._connect(key)
        try:
            return await self._exchange(key, reader, writer, head)
        except _StaleConnection:
            raise FetchError("the server closed the connection without answering") from None

    async def _connect(self, key: tuple[str, str, int]) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        scheme, host, port = key
        ssl_ctx = None
        if scheme == "https":
            if self._ssl is None:
                import ssl

                try:
                    import certifi

                    self._ssl = ssl.create_default_context(cafile=certifi.where())
                except ImportError:
                    self._ssl = ssl.create_default_context()
            ssl_ctx = self._ssl
        try:
            async with asyncio.timeout(self.settings.connect_timeout):
                return await asyncio.open_connection(host, port, ssl=ssl_ctx, limit=self.MAX_HEADER_BYTES,
                                                     server_hostname=host if ssl_ctx else None)
        except TimeoutError:
            raise FetchError(f"connect timed out after {self.settings.connect_timeout:g} s") from None
        except socket.gaierror as e:
            raise FetchError(f"cannot connect: cannot resolve {host}: {e.strerror or e}") from None
        except OSError as e:
            raise FetchError(f"cannot connect: {e.strerror or e}") from None

    async def _exchange(self, key: tuple[str, str, int], reader: asyncio.StreamReader,
                        writer: asyncio.StreamWriter, head: bytes) -> tuple[int, dict[str, str], bytes | None]:
        reusable = False
        try:
            writer.write(head)
            timeout = self.settings.read_timeout
            loop = asyncio.get_running_loop()
            async with asyncio.timeout(timeout) as deadline:
                status, headers = await self._read_head(reader)
                if status == 200:
                    body, reusable = await self._read_body(reader, headers, deadline, loop, timeout)
                elif status in (204, 304) or 100 <= status < 200:
                    body, reusable = None, True
                else:
                    body = None  # error and redirect bodies are not read: the connection is dropped
                reusable = reusable and headers.get("connection", "").lower() != "close"
            return status, headers, body
        except TimeoutError:
            raise FetchError(f"read timed out after {self.settings.read_timeout:g} s") from None
        except (ConnectionError, OSError) as e:
            raise FetchError(f"connection lost: {e.strerror or e.__class__.__name__}") from None
        finally:
            if reusable:
                self._idle.setdefault(key, []).append((reader, writer))
            else:
                writer.close()

    async def _read_head(self, reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
        try:
            line = await reader.readline()
        except (ConnectionError, OSError):
            raise _StaleConnection() from None
        if not line:
            raise _StaleConnection()
        while line in (b"\r\n", b"\n"):  # tolerate stray blank lines before the status line
            line = await reader.readline()
        fields = line.split(None, 2)
        if len(fields) < 2 or not fields[0].startswith(b"HTTP/") or not fields[1].isdigit():
            raise FetchError(f"not an HTTP response: {line[:60]!r}")
        status = int(fields[1])
        headers: dict[str, str] = {}
        total = 0
        try:
            while True:
                line = await reader.readuntil(b"\n")
                total += len(line)
                if line in (b"\r\n", b"\n"):
                    break
                if total > self.MAX_HEADER_BYTES or len(headers) > self.MAX_HEADERS:
                    raise FetchError("response headers too large")
                name, sep, value = line.decode("latin-1").partition(":")
                if not sep:
                    continue
                name = name.strip().lower()
                value = value.strip()
                headers[name] = f"{headers[name]}, {value}" if name in headers and name != "set-cookie" else value
        except asyncio.IncompleteReadError:
            raise FetchError("connection closed inside the response headers") from None
        except asyncio.LimitOverrunError:
            raise FetchError("response headers too large") from None
        if 100 <= status < 200 and status != 101:
            return await self._read_head(reader)  # an interim response: the real one follows
        return status, headers

    async def _read_body(self, reader: asyncio.StreamReader, headers: dict[str, str], deadline: Any,
                         loop: asyncio.AbstractEventLoop, timeout: float) -> tuple[bytes, bool]:
        limit = self.settings.max_body_bytes
        decoder = _Decoder(headers.get("content-encoding", ""), limit)
        te = headers.get("transfer-encoding", "").lower()
        if "chunked" in te:
            while True:
                size_line = await reader.readuntil(b"\n")
                try:
                    size = int(size_line.split(b";")[0].strip() or b"x", 16)
                except ValueError:
                    raise FetchError("bad chunked encoding") from None
                if size == 0:
                    while (await reader.readuntil(b"\n")) not in (b"\r\n", b"\n"):
                        pass  # trailers
                    return decoder.finish(), True
                if decoder.raw + size > limit and not decoder.encoded:
                    raise FetchError(f"body exceeds the limit of {limit:,} bytes (cut while reading)", status=200)
                await _read_exactly(reader, size, decoder, lambda: deadline.reschedule(loop.time() + timeout))
                await reader.readuntil(b"\n")
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise FetchError(f"bad Content-Length {length[:40]!r}")
            remaining = int(length)
            if remaining > limit and not decoder.encoded:
                raise FetchError(f"body of {remaining:,} bytes exceeds the limit of {limit:,} bytes", status=200)
            await _read_exactly(reader, remaining, decoder, lambda: deadline.reschedule(loop.time() + timeout))
            return decoder.finish(), True
        while chunk := await reader.read(65536):  # delimited by the end of the connection
            decoder.feed(chunk)
            deadline.reschedule(loop.time() + timeout)
        return decoder.finish(), False


async def _read_exactly(reader: asyncio.StreamReader, size: int, decoder: _Decoder, progress: Any) -> None:
    """Read `size` body bytes into `decoder`; `progress()` after each read (the read timeout)."""
    while size:
        chunk = await reader.read(min(size, 65536))
        if not chunk:
            raise FetchError("connection closed inside the body")
        size -= len(chunk)
        decoder.feed(chunk)
        progress()


class _StaleConnection(Exception):
    """A connection closed before any byte of the response (reused keep-alive connections)."""


class _Decoder:
    """Content-Encoding decoding with the byte limit counted on the decoded bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        enc = encoding.strip().lower()
        self.encoded = enc in ("gzip", "x-gzip", "deflate")
        if enc and not self.encoded and enc != "identity":
            raise FetchError(f"unsupported Content-Encoding {encoding[:40]!r}")
        self._deflate = enc == "deflate"
        self._z = zlib.decompressobj(47) if self.encoded else None  # 47: gzip or zlib header, detected
        self.limit = limit
        self.raw = 0
        self._out: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        self.raw += len(data)
        if self._z is None:
            self._append(data)
            return
        try:
            while data:
                out = self._z.decompress(data, self.limit + 1 - self._size)
                self._append(out)
                data = self._z.unconsumed_tail
        except zlib.error as e:
            if self._deflate and not self._out and self.raw == len(data):
                self._z = zlib.decompressobj(-15)  # "deflate" sent as a raw stream, no zlib header
                self.raw = 0
                self.feed(data)
                return
            raise FetchError(f"cannot decode the response body: {e}") from None

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.limit:
            raise FetchError(f"body exceeds the limit of {self.limit:,} bytes (cut while reading)", status=200)
        if data:
            self._out.append(data)

    def finish(self) -> bytes:
        if self._z is not None:
            self._append(self._z.flush())
        return b"".join(self._out)


def _header_value(value: str) -> str:
    """No CR/LF (header injection) in a value we send."""
    return value.replace("\r", " ").replace("\n", " ")


def _idna(host: str) -> str:
    if host.isascii():
        return f"[{host}]" if ":" in host else host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(f"bad host name {host!r}") from None


def _quote_target(target: str) -> str:
    return target if target.isascii() and " " not in target else quote(target, safe="/%?=&;:@!$'()*+,~-._[]#")


def read_file_url(url: str, limit: int) -> FetchResult:
    """A file:// URL read as a 200 response (conditional handling is by body hash)."""
    path = Path(unquote(urlsplit(url).path))
    try:
        size = path.stat().st_size
        if size > limit:
            raise FetchError(f"file of {size:,} bytes exceeds the limit of {limit:,} bytes")
        body = path.read_bytes()
    except FileNotFoundError:
        raise FetchError(f"no such file: {path}") from None
    except OSError as e:
        raise FetchError(f"cannot read {path}: {e.strerror or e}") from None
    return FetchResult(200, url, body, {})


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def cache_lifetime(headers: dict[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds the server says the response stays fresh (Cache-Control max-age, else Expires)."""
    cc = headers.get("cache-control", "")
    for part in cc.split(","):
        name, _, val = part.strip().partition("=")
        if name.lower() in ("max-age", "s-maxage") and val.strip().isdigit():
            return float(val.strip())
    expires = headers.get("expires")
    if expires:
        try:
            when = email.utils.parsedate_to_datetime(expires)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())
    return None


async def _require_public_host(url: str) -> None:
    """Refuse hosts that resolve to private, loopback or link-local addresses (SSRF guard)."""
    host = urlsplit(url).hostname or ""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except OSError as e:
        raise FetchError(f"cannot resolve {host}: {e.strerror or e}") from None
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            raise FetchError(f"refusing to fetch {url}: {host} is a non-public address ({ip}); "
                             "set poll.allow_private_addresses = true to allow it")


def _status_message(status: int) -> str:
    names = {404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
             502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 403: "Forbidden",
             401: "Unauthorized"}
    return f"HTTP {status} {names.get(status, '')}".strip()
