"""The fetcher against a real local HTTP server."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from monitor.config import PollSettings
from monitor.errors import FetchError
from monitor.ingest.fetch import Fetcher, FetchResult

POLL = PollSettings(connect_timeout=2, read_timeout=1, total_timeout=3, max_body_bytes=10_000, max_redirects=3,
                    allow_private_addresses=True)


def fetch(url: str, poll: PollSettings = POLL, **kw: object) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(poll) as f:
            return await f.fetch(url, **kw)  # type: ignore[arg-type]
    return asyncio.run(go())


def test_sends_validators_and_user_agent_and_reads_304(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"}
                              ).respond_with_data("", status=304, headers={"ETag": '"v1"'})
    r = fetch(httpserver.url_for("/feed"), etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT")
    assert r.not_modified and r.body is None
    req, _ = httpserver.log[0]
    assert req.headers["User-Agent"].startswith("prwatch/")
    assert "gzip" in req.headers["Accept-Encoding"]


def test_gzip_bodies_are_decoded(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    assert fetch(httpserver.url_for("/feed")).body == b"<rss/>"


def test_body_limit_is_enforced_while_reading_and_on_gzip_bombs(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 50_000)
    httpserver.expect_request("/bomb").respond_with_data(gzip.compress(b"\0" * 5_000_000), headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="exceeds the limit"):
        fetch(httpserver.url_for("/big"))
    with pytest.raises(FetchError, match="exceeds the limit"):
        fetch(httpserver.url_for("/bomb"))


def _gzip_of_zeros(size: int, times: int = 1) -> bytes:
    """`size` zero bytes gzipped `times` over, compressed piece by piece (a bomb is small to make)."""
    import zlib

    data = b""
    for layer in range(times):
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        if layer == 0:
            piece = bytes(1 << 20)
            parts = [z.compress(piece) for _ in range(size >> 20)]
        else:
            parts = [z.compress(data)]
        data = b"".join(parts) + z.flush()
    return data


def test_a_body_coded_twice_or_with_an_unknown_coding_is_refused_before_decoding(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/stacked").respond_with_data(_gzip_of_zeros(64 << 20, times=2),
                                                            headers={"Content-Encoding": "gzip, gzip"})
    httpserver.expect_request("/br").respond_with_data(b"\x0b\x02\x80<rss/>\x03", headers={"Content-Encoding": "br"})
    httpserver.expect_request("/identity").respond_with_data(gzip.compress(b"<rss/>"),
                                                             headers={"Content-Encoding": "identity, gzip"})
    with pytest.raises(FetchError, match="coded more than once"):
        fetch(httpserver.url_for("/stacked"))
    with pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        fetch(httpserver.url_for("/br"))
    assert fetch(httpserver.url_for("/identity")).body == b"<rss/>"


@contextlib.contextmanager
def _plain_server(body: bytes, headers: dict[str, str]) -> Iterator[str]:
    """A stdlib server on 127.0.0.1 that answers every GET with `body` (the werkzeug test server
    allocates megabytes per request in this process, which would hide what the client holds)."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            for k, v in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(k, v)
            self.end_headers()
            with contextlib.suppress(OSError):
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/feed"
    finally:
        server.shutdown()
        server.server_close()


def test_a_gzip_bomb_is_cut_before_more_than_the_limit_is_decoded() -> None:
    """64 MiB of zeros in 64 KiB on the wire: one network chunk must not be inflated whole."""
    import tracemalloc

    async def go(url: str) -> int:
        async with Fetcher(POLL) as f:
            with pytest.raises(FetchError, match="exceeds the limit"):
                await f.fetch(url)  # the client and its threads exist before measuring
            tracemalloc.start()
            try:
                with pytest.raises(FetchError, match="exceeds the limit of 10,000 bytes"):
                    await f.fetch(url)
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    with _plain_server(_gzip_of_zeros(64 << 20), {"Content-Encoding": "gzip"}) as url:
        peak = asyncio.run(go(url))
    assert peak < 2 << 20, f"reading the bomb held {peak / 2**20:.1f} MiB for a 10 kB limit"


def test_permanent_redirects_report_the_new_url_and_temporary_ones_do_not(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/tmp").respond_with_data("", status=302, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("<rss/>")
    moved = fetch(httpserver.url_for("/old"))
    assert moved.body == b"<rss/>" and moved.permanent_url == httpserver.url_for("/new")
    assert fetch(httpserver.url_for("/tmp")).permanent_url is None


def test_redirect_loops_and_too_many_redirects_are_errors(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    for i in range(6):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=301, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="redirect loop"):
        fetch(httpserver.url_for("/a"))
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(httpserver.url_for("/r0"))


def test_error_statuses_carry_status_and_retry_after(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/busy").respond_with_data("", status=503, headers={"Retry-After": "120"})
    httpserver.expect_request("/gone").respond_with_data("", status=410)
    with pytest.raises(FetchError) as busy:
        fetch(httpserver.url_for("/busy"))
    assert busy.value.status == 503 and busy.value.retry_after == 120
    with pytest.raises(FetchError) as gone:
        fetch(httpserver.url_for("/gone"))
    assert gone.value.status == 410


def test_a_slow_server_times_out(httpserver: HTTPServer) -> None:
    def slow(_req: Request) -> Response:
        time.sleep(2)
        return Response("<rss/>")
    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchError, match="timed out"):  # the 1 s read timeout, before the 2 s answer
        fetch(httpserver.url_for("/slow"))


def test_connection_refused_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="connection refused by 127.0.0.1:9"):
        fetch("http://127.0.0.1:9/feed")


def test_pages_on_private_addresses_are_refused_unless_allowed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/page").respond_with_data("<html></html>")
    strict = PollSettings(allow_private_addresses=False)
    with pytest.raises(FetchError, match="non-public address"):
        fetch(httpserver.url_for("/page"), strict, public_only=True)
    assert fetch(httpserver.url_for("/page"), POLL, public_only=True).status == 200


def test_file_urls_are_read_only_for_feeds_the_user_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "f.xml"
    p.write_bytes(b"<rss/>")
    assert fetch(p.as_uri(), local_files=True).body == b"<rss/>"
    assert fetch(f"file://localhost{p}", local_files=True).body == b"<rss/>"
    with pytest.raises(FetchError, match="no such file"):
        fetch((tmp_path / "missing.xml").as_uri(), local_files=True)
    # a link found in a feed (a release page) is never read from disk, whatever its host part
    for url in (p.as_uri(), f"file://localhost{p}", f"file://anyhost{p}"):
        with pytest.raises(FetchError, match="only http and https"):
            fetch(url)
    with pytest.raises(FetchError, match="a file on this machine"):
        fetch(f"file://anyhost{p}", local_files=True)


def test_file_feeds_are_read_in_chunks_with_the_byte_limit_and_only_from_regular_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    big = tmp_path / "big.xml"
    big.write_bytes(b"<rss>" + b" " * 20_000 + b"</rss>")
    with pytest.raises(FetchError, match="exceeds the limit of 10,000 bytes"):
        fetch(big.as_uri(), local_files=True)
    with pytest.raises(FetchError, match="not a regular file"):
        fetch("file:///dev/zero", local_files=True)
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)  # nobody writes to it: reading must not wait for a writer
    with pytest.raises(FetchError, match="not a regular file"):
        fetch(fifo.as_uri(), local_files=True)


def test_a_redirect_to_a_file_url_is_refused(httpserver: HTTPServer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    secret = tmp_path / "secret.html"
    secret.write_bytes(b"<html>secret</html>")
    httpserver.expect_request("/to-file").respond_with_data("", status=302, headers={"Location": secret.as_uri()})
    with pytest.raises(FetchError, match="only http and https"):
        fetch(httpserver.url_for("/to-file"), local_files=True)


def test_chunked_and_deflate_bodies_are_decoded(httpserver: HTTPServer) -> None:
    import zlib

    def chunked(_req: Request) -> Response:
        return Response(iter([b"<rss>", b"x" * 100, b"</rss>"]))  # no length: sent chunked
    httpserver.expect_request("/chunked").respond_with_handler(chunked)
    httpserver.expect_request("/zlib").respond_with_data(zlib.compress(b"<rss/>"), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-15)
    httpserver.expect_request("/raw").respond_with_data(raw.compress(b"<rss/>") + raw.flush(),
                                                        headers={"Content-Encoding": "deflate"})
    assert fetch(httpserver.url_for("/chunked")).body == b"<rss>" + b"x" * 100 + b"</rss>"
    assert fetch(httpserver.url_for("/zlib")).body == b"<rss/>"
    assert fetch(httpserver.url_for("/raw")).body == b"<rss/>"


def test_repeated_requests_to_one_host_work_whether_or_not_the_server_keeps_the_connection(httpserver: HTTPServer) -> None:
    ports: list[str] = []

    def peer(req: Request) -> Response:
        ports.append(req.environ.get("REMOTE_PORT", ""))
        return Response("<rss/>", headers={"Content-Length": "6"})
    httpserver.expect_request("/k").respond_with_handler(peer)

    async def go() -> None:
        async with Fetcher(POLL) as f:
            for _ in range(3):
                assert (await f.fetch(httpserver.url_for("/k"))).body == b"<rss/>"
    asyncio.run(go())
    assert len(ports) == 3


class _KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive (the werkzeug test server closes every connection)."""

    protocol_version = "HTTP/1.1"
    connections: list[tuple[str, int]] = []

    def setup(self) -> None:
        super().setup()
        self.connections.append(self.client_address)

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if self.path == "/feed" and self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        body = b"<rss/>" if self.path == "/feed" else b"<html>" + b"not here " * 100 + b"</html>"
        self.send_response(200 if self.path == "/feed" else 404)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def keepalive_server() -> Iterator[str]:
    """The base URL of a keep-alive server on 127.0.0.1; _KeepAliveHandler.connections lists
    the connections it accepted."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _KeepAliveHandler)
    _KeepAliveHandler.connections = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_one_connection_serves_200s_304s_and_error_pages_in_turn(keepalive_server: str) -> None:
    base = keepalive_server

    async def go() -> list[int]:
        async with Fetcher(POLL) as f:
            statuses = [(await f.fetch(base + "/feed")).status]
            for _ in range(3):
                statuses.append((await f.fetch(base + "/feed", etag='"v1"')).status)
            with pytest.raises(FetchError, match="404"):
                await f.fetch(base + "/missing")
            statuses.append((await f.fetch(base + "/feed", etag='"v1"')).status)
            return statuses
    assert asyncio.run(go()) == [200, 304, 304, 304, 304]
    assert len(_KeepAliveHandler.connections) == 1


def test_concurrent_fetches_to_one_host_reuse_their_connections_round_after_round(keepalive_server: str) -> None:
    """40 fetches, 8 at a time, twice: at most 8 connections are opened, all in the first round."""
    base = keepalive_server
    # a generous read timeout: this counts connections, and 80 requests to a server in this
    # process can wait more than the 1 s of POLL on two busy cores
    poll = replace(POLL, concurrency=8, per_host=8, read_timeout=10, total_timeout=20)

    async def go() -> list[int]:
        async with Fetcher(poll) as f:
            first = await asyncio.gather(*(f.fetch(base + "/feed", etag='"v1"') for _ in range(40)))
            opened = len(_KeepAliveHandler.connections)
            second = await asyncio.gather(*(f.fetch(base + "/feed", etag='"v1"') for _ in range(40)))
            assert {r.status for r in first + second} == {304}
            return [opened, len(_KeepAliveHandler.connections)]
    opened, total = asyncio.run(go())
    assert 1 <= opened <= 8 and total == opened


def test_a_host_never_gets_more_connections_than_its_per_host_limit(keepalive_server: str) -> None:
    """60 fetches at once to one host with per_host = 3 (of 16 in flight overall), twice:
    three connections serve them all, whichever fetch threads run them."""
    base = keepalive_server
    poll = replace(POLL, concurrency=16, per_host=3)

    async def go() -> set[int]:
        async with Fetcher(poll) as f:
            results = []
            for _ in range(2):
                results += await asyncio.gather(*(f.fetch(base + "/feed", etag='"v1"') for _ in range(60)))
            return {r.status for r in results}
    assert asyncio.run(go()) == {304}
    assert 1 <= len(_KeepAliveHandler.connections) <= 3
