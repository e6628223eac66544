"""Stories: copies of one release carried by several wires, grouped by near-duplicate text.

A release becomes a `Signature`: the word 3-shingles of its title and body (closing
boilerplate cut, since that is what differs most between wires) summarised by one-permutation
MinHash with 128 bins and rotation densification. Two signatures agree in a bin with
probability equal to the Jaccard similarity of the shingle sets, so `similarity` estimates
it in 128 comparisons (standard error 0.044 at J = 0.5). `band_keys` cuts the first 64 bins
into 32 bands of 2; copies of one story share at least one band key (J = 0.5 -> 99.99 %,
J = 0.3 -> 95 %), so a store finds the candidates through an index on those keys and never
compares a release with all others.

Stdlib only (crc32 from zlib as the shingle hash): stable across processes and Python
versions, so signatures and band keys can be stored, and nothing heavy to import.
"""

from __future__ import annotations

import struct
import sys
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from operator import eq

from monitor.analysis.topics import boilerplate_start
from monitor.domain import StoryCandidate

BINS = 128  # more bins, a steadier estimate; the band keys use only the first 64
BANDS, ROWS = 32, 2  # band_keys reads two adjacent 32-bit bins as one 64-bit band
SHINGLE_WORDS = 3
SAME_STORY = 0.45  # estimated Jaccard at or above which two releases are one story
FORMAT_VERSION = 2  # bump when shingling or hashing changes: stored signatures are then stale
MAX_BUCKET = 256  # release ids kept per band key; copies of a story arrive close together

_ASCII_PUNCT = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()), b" " * sum(not chr(c).isalnum() for c in range(128))
)
_UNICODE_PUNCT = "\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u00ab\u00bb\u00a0"
_MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
_BAND_STEP, _BAND_MIX = 0x9E3779B97F4A7C15, 0xD6E8FEB86659FD93  # odd: a bijection per band
_BIG_ENDIAN = sys.byteorder == "big"
_NUMBER_SALT = 0x5A5A5A5A  # crc32 start value for the extra number shingles
_MIX = 0x9E3779B1  # odd: a bijection on 32 bits
_BIN_SHIFT = 32 - (BINS.bit_length() - 1)
_ROTATE = 0x9E3779B1  # added per step when an empty bin borrows from its neighbour
_HEADER = struct.Struct("<BI")  # version, number of distinct shingles


@dataclass(frozen=True, slots=True)
class Signature:
    """MinHash summary of one release: BINS unsigned 32-bit values and the shingle count."""

    values: bytes  # BINS little-endian uint32
    size: int  # distinct shingles; 0 for a release without words

    def to_bytes(self) -> bytes:
        return _HEADER.pack(FORMAT_VERSION, self.size) + self.values

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) != _HEADER.size + 4 * BINS:
            raise ValueError(f"a signature has {_HEADER.size + 4 * BINS} bytes, got {len(data)}")
        version, size = _HEADER.unpack_from(data)
        if version != FORMAT_VERSION:
            raise ValueError(f"signature format {version} is not {FORMAT_VERSION}; recompute it")
        return cls(bytes(data[_HEADER.size:]), size)

    @classmethod
    def from_stored(cls, data: bytes | None) -> Signature | None:
        """Like from_bytes, but None for a missing, damaged or older-format signature, so a
        store written before a format change degrades to "no candidate" instead of failing."""
        try:
            return cls.from_bytes(data) if data else None
        except ValueError:
            return None

    def bins(self) -> array[int]:
        out = array("I")
        out.frombytes(self.values)
        if _BIG_ENDIAN:
            out.byteswap()
        return out


def words(title: str, text: str) -> list[bytes]:
    """Lowercase words of the title and of the body before its closing boilerplate, as UTF-8.
    Punctuation (ASCII, typographic quotes and dashes) separates words; done with C-level
    replace/translate/split, several times faster than a regex over the text."""
    low = f"{title}\n{text[:boilerplate_start(text)]}".lower()
    for ch in _UNICODE_PUNCT:
        if ch in low:
            low = low.replace(ch, " ")
    return low.encode().translate(_ASCII_PUNCT).split()


def shingles(title: str, text: str) -> set[int]:
    """crc32 of every run of three words; a text shorter than three words is one shingle.

    Each number adds one more shingle (itself and its neighbours, hashed apart): releases
    written from one template (next month's trade figures, next quarter's results) differ
    mostly in their numbers, so numbers weigh double and such look-alikes stay apart."""
    bw = words(title, text)
    if len(bw) < SHINGLE_WORDS:
        return {zlib.crc32(b" ".join(bw))} if bw else set()
    runs = zip(*(bw[i:] for i in range(SHINGLE_WORDS)))
    out = set(map(zlib.crc32, map(b" ".join, runs)))
    out.update(zlib.crc32(b" ".join(bw[max(0, i - 1):i + 2]), _NUMBER_SALT)
               for i, w in enumerate(bw) if 48 <= w[0] <= 57)
    return out


def signature(title: str, text: str) -> Signature:
    """One-permutation MinHash: each shingle hash falls in the bin of its top 7 bits; a bin
    keeps its smallest hash. Empty bins borrow from the next filled bin, shifted by the distance
    (rotation densification), so short releases still have BINS comparable values."""
    hashes = shingles(title, text)
    if not hashes:
        return Signature(bytes(4 * BINS), 0)
    # crc32 is linear; a multiplicative step spreads its bits before the top bits pick the bin
    ordered = sorted([(h * _MIX) & _MASK32 for h in hashes], reverse=True)
    mins = dict(zip([h >> _BIN_SHIFT for h in ordered], ordered))  # last write = smallest
    values = array("I", [mins[i] for i in range(BINS)] if len(mins) == BINS else _densify(mins))
    if _BIG_ENDIAN:
        values.byteswap()
    return Signature(values.tobytes(), len(hashes))


def _densify(mins: dict[int, int]) -> list[int]:
    out = []
    for i in range(BINS):
        step = 0
        while (i + step) % BINS not in mins:
            step += 1
        out.append((mins[(i + step) % BINS] + step * _ROTATE) & _MASK32)
    return out


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two releases' shingle sets, in [0, 1]."""
    if not a.size or not b.size:
        return 0.0
    return sum(map(eq, a.bins(), b.bins())) / BINS


def same_story(a: Signature, b: Signature) -> bool:
    return similarity(a, b) >= SAME_STORY


STORY_CANDIDATES = 500  # stored releases compared with a new one at most: the most recent that share a band key


def nearest_story(mine: Signature, candidates: Iterable[StoryCandidate]) -> int | None:
    """The story of the candidate most similar to `mine`, at or above SAME_STORY (the first
    of equals); None when none is. Candidates whose signature is missing or of an older
    format are skipped rather than failing."""
    story, best = None, 0.0
    for c in candidates:
        theirs = Signature.from_stored(c.signature)
        if theirs is None:
            continue
        sim = similarity(mine, theirs)
        if sim >= SAME_STORY and sim > best:
            best, story = sim, c.story_id
    return story


def band_keys(sig: Signature) -> list[int]:
    """One key per band of ROWS bins, the band's number mixed in: non-negative integers
    below 2**63, so they fit a signed BIGINT column. Empty releases have no keys."""
    if not sig.size:
        return []
    bands = array("Q")  # two adjacent little-endian uint32 bins read as one uint64 per band
    bands.frombytes(sig.values[:8 * BANDS])
    if _BIG_ENDIAN:
        bands.byteswap()
    return [(((q + band * _BAND_STEP) & _MASK64) * _BAND_MIX & _MASK64) >> 1 for band, q in enumerate(bands)]


class StoryIndex:
    """In-memory story assignment: a release joins the story of its most similar stored
    release found through shared band keys, or starts a story named by its own id.

    A database keeps the same three things: (band key, release id) rows with an index on the
    key, each release's signature bytes, and its story id; candidates are
    `WHERE key IN (:band_keys)`, compared with `similarity` against SAME_STORY."""

    def __init__(self, threshold: float = SAME_STORY) -> None:
        self.threshold = threshold
        self._buckets: dict[int, int | list[int]] = {}  # band key -> release id(s)
        self._bins: dict[int, array[int]] = {}  # kept unpacked: compared on every candidate
        self._story: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._story)

    def candidates(self, sig: Signature) -> set[int]:
        found: set[int] = set()
        for key in band_keys(sig):
            ids = self._buckets.get(key)
            if ids is None:
                continue
            if isinstance(ids, int):
                found.add(ids)
            else:
                found.update(ids)
        return found

    def best_match(self, sig: Signature) -> tuple[int | None, float]:
        """The stored release most similar to `sig` at or above the threshold, and the score."""
        best, best_sim = None, 0.0
        if not sig.size:
            return best, best_sim
        mine = sig.bins()
        for rid in self.candidates(sig):
            s = sum(map(eq, mine, self._bins[rid])) / BINS
            if s >= self.threshold and (s > best_sim or (s == best_sim and best is not None and rid < best)):
                best, best_sim = rid, s
        return best, best_sim

    def add(self, release_id: int, sig: Signature) -> int:
        """Store the release; return its story id (the first release of the story)."""
        best, _ = self.best_match(sig)
        story = self._story[best] if best is not None else release_id
        self._story[release_id] = story
        self._bins[release_id] = sig.bins()
        for key in band_keys(sig):
            ids = self._buckets.get(key)
            if ids is None:
                self._buckets[key] = release_id
            elif isinstance(ids, int):
                self._buckets[key] = [ids, release_id]
            else:
                ids.append(release_id)
                if len(ids) > MAX_BUCKET:  # a phrase everyone uses: keep the most recent copies
                    del ids[0]
        return story

    def story_of(self, release_id: int) -> int:
        return self._story[release_id]
