"""Helpers for the tests that run real `prwatch` processes: a threaded feed server on
127.0.0.1 that counts requests per feed, generated feeds, configs, and process handling
that always cleans up (every process gets its own session and is killed as a group)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PRWATCH = str(Path(sys.executable).parent / "prwatch")


_WORDS = ("wheat", "copper", "solar", "pipeline", "airport", "university", "steel", "tourism", "bank", "cargo",
          "hospital", "satellite", "textile", "water", "railcar", "vaccine", "lithium", "bridge", "dairy", "cable")


def _topic_words(feed: int, item: int) -> str:
    """A sentence of its own for each item, so no two items read as copies of one story."""
    rng = random.Random(feed * 1000 + item)
    return " ".join(f"{rng.choice(_WORDS)}{rng.randint(1, 99)}" for _ in range(90))


def rss(feed: int, items: int) -> bytes:
    """A small RSS feed whose items match the china-kazakhstan topic, with figures and milestones."""
    out = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
           f"<title>Wire {feed}</title><link>http://example.org/{feed}</link><description>wire</description>"]
    for i in range(items):
        out.append(
            f"<item><guid>wire{feed}-item{i}</guid><link>http://example.org/{feed}/{i}</link>"
            f"<title>China and Kazakhstan sign agreement {feed}-{i} on the Khorgos dry port</title>"
            f"<pubDate>Mon, 0{1 + i % 9} Jul 2024 08:00:00 GMT</pubDate>"
            f"<description>ASTANA -- Kazakhstan and China signed agreement number {feed}-{i} on Tuesday. "
            f"Two-way trade between China and Kazakhstan reached ${20 + feed + i} billion in 2023, up {5 + i} percent. "
            f"The partners plan to open the new rail line in {2026 + i % 3}. Kazakhstan first shipped grain to "
            f"China through Khorgos in 2015. The deal covers {_topic_words(feed, i)}.</description></item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


class FeedServer:
    """Serves `feeds` (path -> body) from a thread; records each request's arrival time."""

    def __init__(self, feeds: dict[str, bytes], *, delay: Callable[[str], float] = lambda _p: 0.0) -> None:
        self.feeds = feeds
        self.delay = delay
        self.requests: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?")[0]
                with server.lock:
                    server.requests[path].append(time.time())
                body = server.feeds.get(path)
                wait = server.delay(path)
                if wait:
                    time.sleep(wait)
                try:
                    if body is None:
                        self.send_error(404)
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/rss+xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client was killed or cancelled

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def times(self, path: str) -> list[float]:
        with self.lock:
            return list(self.requests.get(path, []))

    def total(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.requests.values())

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def feed_server(feeds: dict[str, bytes], **kw: Callable[[str], float]) -> Iterator[FeedServer]:
    server = FeedServer(feeds, **kw)
    try:
        yield server
    finally:
        server.close()


def write_config(folder: Path, db_url: str, feeds: dict[str, str], *, interval_minutes: float = 30,
                 lease_minutes: float = 10, concurrency: int = 8, workers: int = 1, extra_poll: str = "",
                 level: str = "info") -> Path:
    """A config.toml with short, test-sized polling; topics as shipped (tests/conftest.py)."""
    from conftest import TOPIC_TOML

    lines = [f'[storage]\nurl = "{db_url}"\n',
             f'[digests]\ndirectory = "{folder / "digests"}"\n',
             f"[poll]\ninterval_minutes = {interval_minutes}\nmin_interval_minutes = 0\n"
             f"lease_minutes = {lease_minutes}\nconcurrency = {concurrency}\nper_host = {concurrency}\n"
             f"workers = {workers}\nallow_private_addresses = true\nconnect_timeout = 5\nread_timeout = 60\n"
             f"total_timeout = 90\n{extra_poll}\n",
             f'[logging]\nlevel = "{level}"\n']
    for name, url in feeds.items():
        lines.append(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n')
    lines.append(TOPIC_TOML)
    path = folder / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _as_from_a_terminal() -> None:
    """In the child, before exec: SIGINT and SIGQUIT act as they do for a command started from
    a terminal. A test suite started in the background by a non-interactive shell (a CI script's
    `pytest &`) inherits them ignored, and so would prwatch, which then never sees the Ctrl-C a
    test sends it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGQUIT, signal.SIG_DFL)


class Procs:
    """Started `prwatch` processes; all are killed (as process groups) when the block ends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.started: list[subprocess.Popen[bytes]] = []
        self.logs: dict[int, Path] = {}

    def start(self, config: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = self.folder / f"prwatch-{len(self.started)}.log"
        fh = open(log, "wb")  # noqa: SIM115 - the child writes it
        p = subprocess.Popen([PRWATCH, "--config", str(config), *args], stdout=fh, stderr=subprocess.STDOUT,
                             start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                             preexec_fn=_as_from_a_terminal)
        fh.close()
        self.started.append(p)
        self.logs[p.pid] = log
        return p

    def log(self, p: subprocess.Popen[bytes]) -> str:
        return self.logs[p.pid].read_text(errors="replace")

    def wait_log(self, p: subprocess.Popen[bytes], text: str, timeout: float = 20) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.log(p):
                return
            if p.poll() is not None:
                raise AssertionError(f"prwatch exited ({p.returncode}) before logging {text!r}:\n{self.log(p)}")
            time.sleep(0.05)
        raise AssertionError(f"prwatch did not log {text!r} within {timeout} s:\n{self.log(p)}")

    @staticmethod
    def kill(p: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        """Send `sig` to the process's whole group (its worker processes die with it)."""
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass
        if sig == signal.SIGKILL:
            p.wait(10)

    def close(self) -> None:
        for p in self.started:
            self.kill(p)


@contextmanager
def procs(folder: Path) -> Iterator[Procs]:
    ps = Procs(folder)
    try:
        yield ps
    finally:
        ps.close()
