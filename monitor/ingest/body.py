"""A response body decoded within a byte limit, whatever the server claims.

httpx decodes each network chunk whole before handing it over, and one 64 KiB chunk of a gzip
bomb inflates to 64 MiB; a `Content-Encoding: gzip, gzip` body of a few kilobytes inflates to
gigabytes. So bodies are read raw here and inflated by zlib with `max_length`: the decoded
bytes are counted as they are produced, never more than the limit is held, and a body
coded more than once, or with a coding prwatch did not ask for, is refused before any of
it is decoded.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

from monitor.errors import FetchError

# the codings prwatch asks for (Accept-Encoding), with the zlib window of each
_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}
ACCEPT_ENCODING = "gzip, deflate"
_STEP = 256 * 1024  # decoded bytes produced per zlib call: the most held beyond the body itself


def content_coding(header: str | None) -> str | None:
    """The one coding of a Content-Encoding header (None for none or identity); FetchError for
    stacked or unknown codings."""
    codings = [c.strip().lower() for c in (header or "").split(",")]
    codings = [c for c in codings if c and c != "identity"]
    if len(codings) > 1:
        raise FetchError(f"refusing a body coded more than once (Content-Encoding: {header})", status=200)
    if codings and codings[0] not in _WBITS:
        raise FetchError(f"refusing an unsupported Content-Encoding {codings[0]!r} "
                         f"(prwatch asks for {ACCEPT_ENCODING})", status=200)
    return codings[0] if codings else None


class _Inflater:
    """zlib decompression that yields at most _STEP bytes at a time, so the size can be checked
    between steps. A `deflate` body may be zlib-wrapped (the standard) or raw deflate (what
    some servers send): the first bytes decide, as in httpx."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self.zlib = zlib.decompressobj(_WBITS[coding])
        self.started = False

    def feed(self, data: bytes) -> Iterable[bytes]:
        if not self.started and self.coding == "deflate":
            self.started = True
            try:
                probe = zlib.decompressobj(zlib.MAX_WBITS)
                probe.decompress(data[:64], 1)
            except zlib.error:
                self.zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        while data:
            out = self._step(data)
            data = self.zlib.unconsumed_tail
            if out:
                yield out
            if self.zlib.eof:
                return  # bytes after the end of the stream are ignored, as zlib and httpx do

    def flush(self) -> bytes:
        try:
            return self.zlib.flush()
        except zlib.error as e:
            raise FetchError(f"cannot decode the response body: {e}", status=200) from None

    def _step(self, data: bytes) -> bytes:
        try:
            return self.zlib.decompress(data, _STEP)
        except zlib.error as e:
            raise FetchError(f"cannot decode the response body: {e}", status=200) from None


class BoundedBody:
    """Accumulates the decoded body of one response; raises FetchError as soon as it would
    pass `limit` bytes."""

    def __init__(self, coding: str | None, limit: int) -> None:
        self.limit = limit
        self.inflater = _Inflater(coding) if coding else None
        self.parts: list[bytes] = []
        self.size = 0

    def feed(self, raw: bytes) -> None:
        if self.inflater is None:
            self._add(raw)
            return
        for piece in self.inflater.feed(raw):
            self._add(piece)

    def finish(self) -> bytes:
        if self.inflater is not None:
            self._add(self.inflater.flush())
        body = b"".join(self.parts)
        self.parts = []
        return body

    def _add(self, piece: bytes) -> None:
        self.size += len(piece)
        if self.size > self.limit:
            self.parts = []
            raise FetchError(f"body exceeds the limit of {self.limit:,} bytes (cut while reading)", status=200)
        if piece:
            self.parts.append(piece)
