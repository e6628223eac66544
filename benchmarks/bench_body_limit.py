"""Peak memory of fetching compressed bombs with the default byte limit (15 MiB).

    .venv/bin/python benchmarks/bench_body_limit.py [--gib 1]

Serves, from a separate process on 127.0.0.1, a body of GIB GiB of zeros gzipped once
(`Content-Encoding: gzip`) and gzipped twice (`gzip, gzip`), plus a plain body just over the
limit; each is fetched by a fresh process with prwatch's Fetcher, which prints how much its
peak RSS (ru_maxrss) rose above its resident size before the fetch and how the fetch ended. A fetch should cost about
the limit, whatever the body inflates to.
"""

from __future__ import annotations

import argparse
import http.server
import json
import subprocess
import sys
import threading
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gzip_of_zeros(size: int, times: int) -> bytes:
    data = b""
    for layer in range(times):
        z = zlib.compressobj(9, zlib.DEFLATED, 31)
        if layer == 0:
            block = bytes(1 << 20)
            data = b"".join(z.compress(block) for _ in range(size >> 20)) + z.flush()
        else:
            data = z.compress(data) + z.flush()
    return data


def serve(bodies: dict[str, tuple[bytes, dict[str, str]]]) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            body, headers = bodies[self.path]
            self.send_response(200)
            for k, v in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(k, v)
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                pass

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that stops reading a bomb resets the connection: expected

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


CHILD = """
import asyncio, json, resource, sys
sys.path.insert(0, {root!r})
from monitor.config import PollSettings
from monitor.ingest.fetch import Fetcher

async def go(url):
    async with Fetcher(PollSettings(allow_private_addresses=True)) as f:
        await f.fetch(url.rsplit("/", 1)[0] + "/warm")
        with open("/proc/self/statm") as fh:
            before = int(fh.read().split()[1]) * resource.getpagesize() / 1024  # resident now, KiB
        try:
            r = await f.fetch(url)
            outcome = f"read {{len(r.body):,}} bytes"
        except Exception as e:
            outcome = f"{{e.__class__.__name__}}: {{e}}"
        return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, outcome

grew, outcome = asyncio.run(go(sys.argv[1]))
print(json.dumps({{"grew_mib": round(grew, 1), "outcome": outcome}}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gib", type=float, default=1.0, help="size of the inflated bombs in GiB")
    args = ap.parse_args()
    size = int(args.gib * (1 << 30))
    bodies = {
        "/warm": (b"<rss/>", {}),
        "/gzip": (gzip_of_zeros(size, 1), {"Content-Encoding": "gzip"}),
        "/gzip-gzip": (gzip_of_zeros(size, 2), {"Content-Encoding": "gzip, gzip"}),
        "/plain": (b" " * (16 << 20), {}),
        "/gzip-14mib": (gzip_of_zeros(14 << 20, 1), {"Content-Encoding": "gzip"}),
    }
    server = serve(bodies)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for path, (body, headers) in bodies.items():
        if path == "/warm":
            continue
        out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT)), base + path],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout)
        print(f"{path:<11} {len(body):>11,} bytes on the wire ({headers.get('Content-Encoding', 'none')}): "
              f"peak RSS +{result['grew_mib']:.0f} MiB; {result['outcome']}")
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
