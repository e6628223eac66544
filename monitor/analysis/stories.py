"""Stories: copies of one release carried by several wires, grouped by what they say.

A release becomes a `Signature`: the word 3-shingles of its title and body (closing
boilerplate cut, since that is what differs most between wires) summarised by one-permutation
MinHash with 128 bins and rotation densification, and the numbers it states (datelines and
years left out, each weighted by its digits). Two releases are the same story
(`same_story`) when they were published within a week of each other, the shorter one's text
is largely contained in the longer one's (MinHash estimates the Jaccard similarity, hence
the containment) and the numbers of the one that states fewer are nearly all stated by the
other. Numbers are what tell apart the releases one wire writes from one template (March's
trade figures and April's, wheat exports and barley exports on the same day); containment,
not similarity, is what joins a lead-only copy or a trimmed one to the full text.

Stories are the connected groups of that relation, so the grouping of a set of releases does
not depend on the order they arrive in or how they are batched: `place` joins a release to
every story it matches and merges those stories. A store finds the candidates through
`story_keys` (LSH bands of the MinHash, and the release's larger numbers) and never compares a
release with all others. `place` is the one implementation; the database and the in-memory
`MemoryStories` are its two back ends.

Stdlib only (crc32 from zlib as the shingle hash): stable across processes and Python
versions, so signatures and keys can be stored, and nothing heavy to import.
"""

from __future__ import annotations

import re
import struct
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from operator import eq
from typing import Protocol

from monitor.analysis.text import boilerplate_start, dateline_spans
from monitor.domain import StoryCandidate

BINS = 128  # more bins, a steadier estimate; the band keys use only the first 64
BANDS, ROWS = 32, 2  # band_keys reads two adjacent 32-bit bins as one 64-bit band
SHINGLE_WORDS = 3
FORMAT_VERSION = 3  # bump when shingling, numbers or hashing change: stored signatures are then stale
MAX_BUCKET = 256  # release ids kept per band key; copies of a story arrive close together
# the decision, measured on the story corpus (tests/monitor/analysis/story_corpus.py):
SAME_TEXT = 0.2  # containment of the shorter text in the longer one, at least
SAME_NUMBERS = 0.75  # share of the digits of the fewer numbers that the other release states too
SAME_TEXT_WITHOUT_NUMBERS = 0.6  # when one of them states no number
MAX_APART = timedelta(days=7)  # copies and corrections come within days; the next month's figures later
MAX_NUMBERS = 48  # numbers kept per signature
NUMBER_KEY_DIGITS = 3  # numbers with at least this many digits are candidate keys

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
_HEADER = struct.Struct("<BIB")  # version, number of distinct shingles, number of numbers
_NUMBER = struct.Struct("<IB")  # crc32 of a number as written without separators, its digits
_NUMBER_KEY_SALT = 0x3C3C3C3C
_NUM = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_YEARLIKE = re.compile(r"(?:1[89]|2[01])\d\d")


@dataclass(frozen=True, slots=True)
class Signature:
    """MinHash summary of one release: BINS unsigned 32-bit values, the shingle count, and the
    numbers it states ((crc32, digits) pairs, sorted)."""

    values: bytes  # BINS little-endian uint32
    size: int  # distinct shingles; 0 for a release without words
    numbers: tuple[tuple[int, int], ...] = ()

    def to_bytes(self) -> bytes:
        return (_HEADER.pack(FORMAT_VERSION, self.size, len(self.numbers)) + self.values
                + b"".join(_NUMBER.pack(h, d) for h, d in self.numbers))

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        if len(data) < _HEADER.size + 4 * BINS:
            raise ValueError(f"a signature has at least {_HEADER.size + 4 * BINS} bytes, got {len(data)}")
        version, size, n = _HEADER.unpack_from(data)
        if version != FORMAT_VERSION:
            raise ValueError(f"signature format {version} is not {FORMAT_VERSION}; recompute it")
        at = _HEADER.size + 4 * BINS
        if len(data) != at + n * _NUMBER.size:
            raise ValueError(f"a signature with {n} numbers has {at + n * _NUMBER.size} bytes, got {len(data)}")
        numbers = tuple(_NUMBER.unpack_from(data, at + i * _NUMBER.size) for i in range(n))
        return cls(bytes(data[_HEADER.size:at]), size, numbers)

    @classmethod
    def from_stored(cls, data: bytes | None) -> Signature | None:
        """Like from_bytes, but None for a missing, damaged or older-format signature, so a
        store written before a format change degrades to "no candidate" instead of failing."""
        try:
            return cls.from_bytes(data) if data else None
        except (ValueError, struct.error):
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
    runs = zip(*(bw[i:] for i in range(SHINGLE_WORDS)), strict=False)
    out = set(map(zlib.crc32, map(b" ".join, runs)))
    out.update(zlib.crc32(b" ".join(bw[max(0, i - 1):i + 2]), _NUMBER_SALT)
               for i, w in enumerate(bw) if 48 <= w[0] <= 57)
    return out


def numbers(title: str, text: str) -> tuple[tuple[int, int], ...]:
    """The numbers a release states in its title and body, as (crc32, digits): separators
    dropped ("1,250" = "1250"), years, datelines and closing boilerplate left out (a year is
    shared by every release of that year; a dateline's day by every release of that day)."""
    body = text[:boilerplate_start(text)]
    for a, b in reversed(dateline_spans(body)):
        body = body[:a] + " " + body[b:]
    found: dict[int, int] = {}
    for raw in _NUM.findall(f"{title}\n{body}"):
        n = raw.replace(",", "")
        if _YEARLIKE.fullmatch(n):
            continue
        found[zlib.crc32(n.encode())] = sum(c.isdigit() for c in n)
    return tuple(sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_NUMBERS])


def signature(title: str, text: str) -> Signature:
    """One-permutation MinHash: each shingle hash falls in the bin of its top 7 bits; a bin
    keeps its smallest hash. Empty bins borrow from the next filled bin, shifted by the distance
    (rotation densification), so short releases still have BINS comparable values."""
    hashes = shingles(title, text)
    if not hashes:
        return Signature(bytes(4 * BINS), 0)
    stated = numbers(title, text)
    # crc32 is linear; a multiplicative step spreads its bits before the top bits pick the bin
    ordered = sorted([(h * _MIX) & _MASK32 for h in hashes], reverse=True)
    mins = dict(zip([h >> _BIN_SHIFT for h in ordered], ordered, strict=False))  # last write = smallest
    values = array("I", [mins[i] for i in range(BINS)] if len(mins) == BINS else _densify(mins))
    if _BIG_ENDIAN:
        values.byteswap()
    return Signature(values.tobytes(), len(hashes), stated)


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
    same: int = sum(map(eq, a.bins(), b.bins()))
    return same / BINS


def containment(a: Signature, b: Signature) -> float:
    """Estimated share of the smaller shingle set that the larger one contains, in [0, 1]:
    from the estimated Jaccard J, |A ∩ B| = J (|A| + |B|) / (1 + J)."""
    if not a.size or not b.size:
        return 0.0
    j = similarity(a, b)
    return min(1.0, j * (a.size + b.size) / (1 + j) / min(a.size, b.size))


def number_agreement(a: Signature, b: Signature) -> float | None:
    """Of the release stating fewer digits' worth of numbers, the share (by digits) the other
    one states too; None when one of them states no number."""
    if not a.numbers or not b.numbers:
        return None
    da, db = dict(a.numbers), dict(b.numbers)
    shared = sum(d for h, d in da.items() if h in db)
    return shared / min(sum(da.values()), sum(db.values()))


def same_story(a: Signature, b: Signature, apart: timedelta | None = None) -> bool:
    """Whether two releases, published `apart` from each other (None: unknown), are copies
    of one story. Symmetric, so the stories of a set of releases do not depend on order."""
    if not a.size or not b.size or (apart is not None and abs(apart) > MAX_APART):
        return False
    text = containment(a, b)
    agree = number_agreement(a, b)
    if agree is None:
        return text >= SAME_TEXT_WITHOUT_NUMBERS
    return text >= SAME_TEXT and agree >= SAME_NUMBERS


def story_keys(sig: Signature) -> list[int]:
    """Where a store looks for a release's candidates: its band keys (similar texts) and a key
    per larger number it states (a lead-only copy shares few shingles with the full text, but
    its numbers); non-negative integers below 2**63."""
    return band_keys(sig) + [(zlib.crc32(struct.pack("<I", h), _NUMBER_KEY_SALT) << 30 | d) & (_MASK64 >> 1)
                             for h, d in sig.numbers if d >= NUMBER_KEY_DIGITS]


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


STORY_CANDIDATES = 500  # stored releases compared with a new one at most: the most recent sharing a key


class StoryBackend(Protocol):
    """What `place` needs from a store of releases' story keys and stories."""

    def candidates(self, keys: Sequence[int], exclude: int, limit: int) -> Iterable[StoryCandidate]: ...

    def assign(self, release_id: int, story_id: int, band_keys: Sequence[int]) -> None: ...

    def merge(self, stories: Sequence[int], into: int) -> None: ...


def place(backend: StoryBackend, release_id: int, sig: Signature, published: datetime | None) -> int:
    """Put a release in the story of every stored release it is a copy of, merging those
    stories (a release can join two stories that were apart until then), or in a story of its
    own; returns the story id (the smallest of those merged). Stories are then the connected
    groups of `same_story`, whatever order releases come in."""
    keys = story_keys(sig)
    found: set[int] = set()
    for c in backend.candidates(keys, release_id, STORY_CANDIDATES):
        if c.story_id in found:
            continue
        theirs = Signature.from_stored(c.signature)  # an older format: skipped, not fatal
        apart = published - c.published if published is not None and c.published is not None else None
        if theirs is not None and same_story(sig, theirs, apart):
            found.add(c.story_id)
    story = min(found | {release_id}) if found else release_id
    if found - {story}:
        backend.merge(sorted(found - {story}), story)
    backend.assign(release_id, story, keys)
    return story


@dataclass
class MemoryStories:
    """Stories in memory, for the corpus, the tests and the benchmarks (the database keeps
    the same: (key, release id) rows, each release's signature, time and story id)."""

    buckets: dict[int, list[int]] = field(default_factory=dict)
    releases: dict[int, tuple[Signature, datetime | None]] = field(default_factory=dict)
    story: dict[int, int] = field(default_factory=dict)

    def candidates(self, keys: Sequence[int], exclude: int, limit: int = STORY_CANDIDATES) -> list[StoryCandidate]:
        found: dict[int, StoryCandidate] = {}
        for k in keys:
            for rid in self.buckets.get(k, ()):
                if rid not in found and rid != exclude:
                    sig, when = self.releases[rid]
                    found[rid] = StoryCandidate(rid, self.story[rid], sig.to_bytes(), when)
        return sorted(found.values(), key=lambda c: -c.release_id)[:limit]

    def assign(self, release_id: int, story_id: int, keys: Sequence[int]) -> None:
        for k in set(keys):
            ids = self.buckets.setdefault(k, [])
            ids.append(release_id)
            if len(ids) > MAX_BUCKET:  # a number everyone states: keep the most recent releases
                del ids[0]
        self.story[release_id] = story_id

    def merge(self, stories: Sequence[int], into: int) -> None:
        gone = set(stories)
        for rid, sid in self.story.items():
            if sid in gone:
                self.story[rid] = into

    def place(self, release_id: int, sig: Signature, published: datetime | None = None) -> int:
        self.releases[release_id] = (sig, published)
        return place(self, release_id, sig, published)
