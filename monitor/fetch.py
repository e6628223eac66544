"""HTTP retrieval: polite, bounded, conditional.

feedparser's own fetcher has no timeout and can hang a scheduler, so feeds and release
pages are fetched here with httpx and only the bytes go to the parser. One client (one
connection pool, keep-alive) serves a whole poll; concurrency is bounded overall and per
host; every response is read with a byte limit (decoded bytes, so a gzip bomb is cut too);
redirects are followed by hand so permanent ones can update the stored URL.
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx

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
    """Fetches feeds and pages with one shared httpx client; use as an async context manager."""

    def __init__(self, settings: PollSettings, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.settings = settings
        limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
        timeout = httpx.Timeout(connect=settings.connect_timeout, read=settings.read_timeout,
                                write=settings.read_timeout, pool=settings.total_timeout)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=limits, timeout=timeout, follow_redirects=False, transport=transport, trust_env=False,
        )
        self._overall = asyncio.Semaphore(settings.concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

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
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body = await self._request(url, headers)
            if status in REDIRECTS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location header", status=status)
                permanent = permanent and status in PERMANENT_REDIRECTS
                url = urljoin(url, location)
                continue
            if status == 304:
                return FetchResult(304, url, None, resp_headers, url if permanent and len(seen) > 1 else None)
            if status == 200:
                return FetchResult(200, url, body, resp_headers, url if permanent and len(seen) > 1 else None)
            raise FetchError(_status_message(status), status=status,
                             retry_after=parse_retry_after(resp_headers.get("retry-after")))
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    async def _request(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes | None]:
        host = urlsplit(url).netloc.lower()
        sem = self._hosts.get(host)
        if sem is None:
            sem = self._hosts[host] = asyncio.Semaphore(self.settings.per_host)
        async with self._overall, sem:
            try:
                async with self._client.stream("GET", url, headers=headers) as resp:
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if resp.status_code != 200:
                        return resp.status_code, hdrs, None
                    declared = hdrs.get("content-length")
                    limit = self.settings.max_body_bytes
                    if declared and declared.isdigit() and int(declared) > limit and "content-encoding" not in hdrs:
                        raise FetchError(f"body of {int(declared):,} bytes exceeds the limit of {limit:,} bytes",
                                         status=200)
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in resp.aiter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise FetchError(f"body exceeds the limit of {limit:,} bytes (cut while reading)",
                                             status=200)
                        chunks.append(chunk)
                    return 200, hdrs, b"".join(chunks)
            except httpx.ConnectTimeout:
                raise FetchError(f"connect timed out after {self.settings.connect_timeout:g} s") from None
            except httpx.ReadTimeout:
                raise FetchError(f"read timed out after {self.settings.read_timeout:g} s") from None
            except httpx.PoolTimeout:
                raise FetchError("no connection available in time") from None
            except httpx.DecodingError as e:
                raise FetchError(f"cannot decode the response body: {e}") from None
            except httpx.ConnectError as e:
                raise FetchError(f"cannot connect: {_reason(e)}") from None
            except httpx.HTTPError as e:
                raise FetchError(f"{e.__class__.__name__}: {_reason(e)}") from None


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


def _reason(e: Exception) -> str:
    text = str(e) or e.__class__.__name__
    return text.splitlines()[0][:200]
