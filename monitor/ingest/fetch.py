"""HTTP retrieval: polite, bounded, conditional.

feedparser's own fetcher has no timeout and can hang a scheduler, so feeds and release
pages are fetched here with httpx and only the bytes go to the parser. One client (one
connection pool, keep-alive) serves a whole poll; concurrency is bounded overall and per
host; every response is read with a byte limit on its decoded bytes (monitor.ingest.body, so a
gzip bomb is cut too); redirects are followed by hand so permanent ones can update the
stored URL. Only http(s) is fetched from the network; a file:// URL is read only where the
caller says it is a feed the user named (never a link found in a feed or a redirect).
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import stat
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from monitor.config import PollSettings
from monitor.errors import FetchError
from monitor.ingest.body import BoundedBody, content_coding
from monitor.ingest.connections import ShardedPool
from monitor.ingest.net_errors import connect_error_message
from monitor.ingest.schedule import ascii_number

PERMANENT_REDIRECTS = (301, 308)
DRAIN_LIMIT = 64 * 1024  # unused response bodies up to this size are read, so the connection is kept (_drain)
FILE_CHUNK = 256 * 1024  # bytes read at a time from a file:// feed
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
    """Fetches feeds and pages over keep-alive connections shared by all feeds; use as an
    async context manager.

    Requests run on httpx's synchronous client in a thread pool, awaited from the poll's
    event loop: measured on 500 conditional requests, httpx's async stack cost about 5 ms of
    CPU per request against 0.6 ms for the same client in threads (reader also retrieves in
    threads). Concurrency is bounded overall by the threads and per host by a semaphore.

    Connections come from a ShardedPool (monitor.ingest.connections). Release pages, unless
    private addresses are allowed, go through a pool of their own whose sockets are opened
    by monitor.ingest.guard: only to globally routable addresses, checked where the
    connection is made.
    """

    def __init__(self, settings: PollSettings) -> None:
        import httpx  # imported here: commands that fetch nothing do not pay for it

        self.settings = settings
        self._tls = httpx.create_ssl_context()  # httpx's own (certifi), built once for every client
        self._feeds = ShardedPool(settings, self._tls)
        self._pages: ShardedPool | None = None  # the guarded pool, made on the first release page
        self._threads = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="prwatch-fetch")
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the requests not begun and close the connections; the fetcher is reusable
        until then, by one event loop after another (a daemon's batches)."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._feeds.close()
        if self._pages is not None:
            self._pages.close()

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    accept: str = FEED_ACCEPT, public_only: bool = False, local_files: bool = False) -> FetchResult:
        """Retrieve `url` conditionally. Raises FetchError with a message fit for `prwatch status`.

        `local_files` lets a file:// URL be read from disk: only for a feed the user named
        (config.toml, `feeds add`); any other URL must be http(s). The error's `url` is `url`."""
        try:
            return await self._fetch(url, etag, last_modified, accept, public_only, local_files)
        except FetchError as e:
            if e.url is None:
                e.url = url
            raise

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None, accept: str, public_only: bool,
                     local_files: bool) -> FetchResult:
        if local_files and urlsplit(url).scheme == "file":
            return await asyncio.to_thread(read_file_url, url, self.settings.max_body_bytes)
        started = time.monotonic()
        deadline = started + self.settings.total_timeout
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(self._threads, self._follow, url, etag, last_modified, accept, public_only,
                                    deadline)
        try:
            # the thread checks the deadline between reads; this is the backstop
            result = await asyncio.wait_for(work, self.settings.total_timeout + 1.0)
        except TimeoutError:
            raise FetchError(f"timed out after {self.settings.total_timeout:g} s in all") from None
        return FetchResult(result.status, result.url, result.body, result.headers, result.permanent_url,
                           int((time.monotonic() - started) * 1000))

    def _follow(self, url: str, etag: str | None, last_modified: str | None, accept: str, public_only: bool,
                deadline: float) -> FetchResult:
        permanent = True
        seen: set[str] = set()
        pool = self._page_pool() if public_only and not self.settings.allow_private_addresses else self._feeds
        for _ in range(self.settings.max_redirects + 1):
            if urlsplit(url).scheme not in ("http", "https"):
                raise FetchError(f"refusing to fetch {url!r}: only http and https are allowed")
            if url in seen:
                raise FetchError(f"redirect loop at {url}")
            seen.add(url)
            headers = {"Accept": accept}
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body = self._request(pool, url, headers, deadline)
            if status in REDIRECTS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {status} without a Location header", status=status)
                permanent = permanent and status in PERMANENT_REDIRECTS
                url = urljoin(url, location.strip())
                continue
            moved = url if permanent and len(seen) > 1 else None
            if status == 304:
                return FetchResult(304, url, None, resp_headers, moved)
            if status == 200:
                return FetchResult(200, url, body, resp_headers, moved)
            raise FetchError(_status_message(status), status=status,
                             retry_after=parse_retry_after(resp_headers.get("retry-after")))
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _page_pool(self) -> ShardedPool:
        """The pool for release pages: sockets only to public addresses (monitor.ingest.guard)."""
        with self._hosts_lock:
            if self._pages is None:
                from monitor.ingest.guard import PublicOnlyBackend

                self._pages = ShardedPool(self.settings, self._tls, backend=PublicOnlyBackend())
            return self._pages

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._hosts_lock:
            sem = self._hosts.get(host)
            if sem is None:
                sem = self._hosts[host] = threading.BoundedSemaphore(self.settings.per_host)
            return sem

    def _request(self, pool: ShardedPool, url: str, headers: dict[str, str],
                 deadline: float) -> tuple[int, dict[str, str], bytes | None]:
        import httpx

        host = urlsplit(url).netloc.lower()
        with self._host_slot(host):
            shard = pool.checkout(host)
            kept = False
            try:
                with pool.clients[shard].stream("GET", url, headers=headers) as resp:
                    hdrs = {k.lower(): v for k, v in resp.headers.items()}
                    if resp.status_code != 200:
                        kept = _drain(resp)
                        return resp.status_code, hdrs, None
                    body = self._read_body(resp, hdrs, deadline)
                    kept = True
                return 200, hdrs, body
            except httpx.ConnectTimeout:
                raise FetchError(f"connect timed out after {self.settings.connect_timeout:g} s") from None
            except httpx.ReadTimeout:
                raise FetchError(f"read timed out after {self.settings.read_timeout:g} s") from None
            except httpx.PoolTimeout:
                raise FetchError("no connection available in time") from None
            except httpx.DecodingError as e:
                raise FetchError(f"cannot decode the response body: {_reason(e)}") from None
            except httpx.ConnectError as e:
                raise FetchError(connect_error_message(e, url)) from None
            except httpx.HTTPError as e:
                raise FetchError(f"{e.__class__.__name__}: {_reason(e)}") from None
            finally:
                pool.checkin(host, shard, kept=kept)

    def _read_body(self, resp: Any, hdrs: dict[str, str], deadline: float) -> bytes:
        """The decoded body, cut at the byte limit while reading and decoding (so a gzip bomb
        is cut too, within one network chunk), and at the total deadline (a server dripping
        one byte per second is cut too)."""
        limit = self.settings.max_body_bytes
        coding = content_coding(hdrs.get("content-encoding"))
        declared = hdrs.get("content-length", "")
        size = ascii_number(declared)
        if size is not None and size > limit and coding is None:
            raise FetchError(f"body of {size:,} bytes exceeds the limit of {limit:,} bytes", status=200)
        body = BoundedBody(coding, limit)
        for chunk in resp.iter_raw():
            body.feed(chunk)
            if time.monotonic() > deadline:
                raise FetchError(f"timed out after {self.settings.total_timeout:g} s in all")
        return body.finish()


def _drain(resp: Any) -> bool:
    """Read what is left of a response we do not use (a 304's empty body, a short error page):
    httpx hands a connection back to the pool only once its response was read to the end, and
    closes it otherwise, so without this every 304 would cost a new connection. A longer body
    is left unread and its connection closed. True when the connection is kept."""
    size = 0
    for chunk in resp.iter_raw():
        size += len(chunk)
        if size > DRAIN_LIMIT:
            return False
    return True


def read_file_url(url: str, limit: int) -> FetchResult:
    """A file:// URL read as a 200 response (conditional handling is by body hash): a regular
    file on this machine, read in chunks and cut at the byte limit like any body (a device
    such as /dev/zero reports no size, and a FIFO could block for ever)."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise FetchError(f"refusing {url!r}: a file:// URL must name a file on this machine")
    path = Path(unquote(parts.path))
    try:
        # opened without blocking: opening a FIFO for reading would wait for a writer
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise FetchError(f"refusing to read {path}: not a regular file")
            body = BoundedBody(None, limit)
            while chunk := fh.read(FILE_CHUNK):
                body.feed(chunk)
    except FileNotFoundError:
        raise FetchError(f"no such file: {path}") from None
    except OSError as e:
        raise FetchError(f"cannot read {path}: {e.strerror or e}") from None
    return FetchResult(200, url, body.finish(), {})


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    seconds = ascii_number(value)
    return float(seconds) if seconds is not None else _seconds_until(value.strip(), now)


def cache_lifetime(headers: dict[str, str], *, now: datetime | None = None) -> float | None:
    """Seconds the server says the response stays fresh (Cache-Control max-age, else Expires)."""
    for part in headers.get("cache-control", "").split(","):
        name, _, val = part.strip().partition("=")
        seconds = ascii_number(val) if name.strip().lower() in ("max-age", "s-maxage") else None
        if seconds is not None:
            return float(seconds)
    expires = headers.get("expires")
    return _seconds_until(expires, now) if expires else None


def _seconds_until(http_date: str, now: datetime | None) -> float | None:
    """Seconds from `now` to an HTTP date (0 when past); None when it is not a date."""
    try:
        when = email.utils.parsedate_to_datetime(http_date)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def _status_message(status: int) -> str:
    names = {404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
             502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout", 403: "Forbidden",
             401: "Unauthorized"}
    return f"HTTP {status} {names.get(status, '')}".strip()


def _reason(e: Exception) -> str:
    text = str(e) or e.__class__.__name__
    return text.splitlines()[0][:200]
