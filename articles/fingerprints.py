"""Content hashes and the idempotency key of an article whose primary source is unknown."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

import numpy as np
from datasketch import MinHash

_SPACE = re.compile(r"\s+")


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def normalise_text(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip().casefold()


def fallback_lookup_key(*, source: str, title: str, body: str) -> str:
    """Never NULL, so re-importing an article without a known primary source stays idempotent."""
    parts = [normalise_text(source), normalise_text(title), normalise_text(body)]
    return sha256_hex("\x1f".join(parts))


# --- near-duplicate fingerprints (stay-down) ----------------------------------------------
# 5-word shingles per paragraph, MinHash with 128 permutations (datasketch), cut into 21 LSH
# bands of 6 rows (126 of the 128 values): a text of Jaccard 0.8 with a stored one shares a band
# with probability 0.998, of 0.6 with 0.63, of 0.3 with 0.015. Plus one key per paragraph (its
# least shingle hash) so that an excerpt, whose Jaccard with the whole is low, still meets its
# paragraphs. Shingles never cross paragraphs, so reordering paragraphs keeps every shingle.
# Every key is a row to write and an index probe to make per article: 21 bands rather than 32
# of 4 rows made bulk import a third faster (bench/README.md, staydown).

SHINGLE_WORDS = 5
NUM_PERM = 128
BAND_ROWS = 6
BANDS = NUM_PERM // BAND_ROWS
PARAGRAPH_MIN_WORDS = 8
MAX_PARAGRAPH_KEYS = 40
MINHASH_SEED = 7
TRIGRAM_WORDS = 3
# A text of at most this many 5-word shingles (about 250 words: up to three paragraphs) also stores SHORT_TEXT_KEYS keys of
# its least 3-word shingle hashes: bands alone rarely bring an edited short copy to its original.
SHORT_TEXT_SHINGLES = 250
SHORT_TEXT_KEYS = 8

_WORD = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """What the store keeps of a text (``keys``) and what verification compares (``shingles``:
    its distinct 5-word shingle hashes, sorted; ``trigrams``: its distinct 3-word shingle hashes,
    which survive word edits better: one word in ten changed keeps 73% of them, 59% of the 5-word)."""

    keys: tuple[int, ...]
    shingles: np.ndarray
    trigrams: np.ndarray = field(default_factory=lambda: NO_SHINGLES)

    @property
    def size(self) -> int:
        return len(self.shingles)


_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
USED_PERM = BANDS * BAND_ROWS  # the LSH bands use 126 of the 128 permutations


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's MinHash permutations (a, b) for our seed, the ones the bands use."""
    a, b = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED).permutations
    return np.ascontiguousarray(a[:USED_PERM]), np.ascontiguousarray(b[:USED_PERM])


def _minhash_numpy(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """datasketch's ``MinHash.update_batch`` on 32-bit shingle hashes: per permutation the least of
    ((a * h + b) mod 2**64 mod (2**61 - 1)) & (2**32 - 1)."""
    return np.bitwise_and((hashes[:, None] * a + b) % _MERSENNE_PRIME, _MAX_HASH).min(axis=0)


def _minhash_loop(hashes: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """The same values as :func:`_minhash_numpy`, as a loop for numba: the modulo by the Mersenne prime
    is folded ((x & p) + (x >> 61), then + 1 when that reaches p, which only the low 32 bits keep)."""
    prime, mask, one, shift = np.uint64((1 << 61) - 1), np.uint64((1 << 32) - 1), np.uint64(1), np.uint64(61)
    out = np.empty(a.shape[0], dtype=np.uint64)
    for j in range(a.shape[0]):
        aj, bj, least = a[j], b[j], mask
        for i in range(hashes.shape[0]):
            x = aj * hashes[i] + bj
            x = (x & prime) + (x >> shift)
            x = (x + ((x + one) >> shift)) & mask
            if x < least:
                least = x
        out[j] = least
    return out


_KERNELS: dict[str, tuple[Callable, Callable]] = {}  # name: (loop for numba, numpy equivalent); filled below


@lru_cache(maxsize=None)
def _compiled(name: str) -> Callable:
    """A fingerprint's arithmetic (the MinHash most of all) compiled by numba, several times faster than
    numpy on arrays of a few hundred values and cached on disk after the first process; numpy where
    numba is not installed. tests/articles/test_fingerprint_minhash.py holds the two equal."""
    loop, numpy_version = _KERNELS[name]
    try:
        import numba
    except ImportError:  # pragma: no cover - numba is a dependency; kept working without it
        return numpy_version
    return numba.njit(cache=True, nogil=True)(loop)


def _minhash_kernel() -> Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]:
    return _compiled("minhash")


def _signature(unique: np.ndarray) -> np.ndarray:
    a, b = _permutations()
    return _minhash_kernel()(unique, a, b)


_WORD_IDS: dict[str, int] = {}
_WORD_IDS_LIMIT = 200_000


def _word_ids(words: list[str]) -> np.ndarray:
    """crc32 of each word, remembered per word (a dict is several times cheaper than an lru_cache call)."""
    ids = _WORD_IDS
    try:
        return np.fromiter(map(ids.__getitem__, words), dtype=np.uint64, count=len(words))
    except KeyError:
        if len(ids) > _WORD_IDS_LIMIT:
            ids.clear()
        for word in words:
            if word not in ids:
                ids[word] = zlib.crc32(word.encode("utf-8"))
        return np.fromiter(map(ids.__getitem__, words), dtype=np.uint64, count=len(words))


NO_SHINGLES: np.ndarray = np.zeros(0, dtype=np.uint64)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_SHIFT = np.uint64(32)


def _windows_numpy(ids: np.ndarray, count: int, width: int) -> np.ndarray:
    acc = np.zeros(count, dtype=np.uint64)
    for offset in range(min(width, len(ids))):
        acc = acc * _MIX + ids[offset:offset + count] + np.uint64(offset + 1)
    return (acc * _MIX) >> _SHIFT


def _windows_loop(ids: np.ndarray, count: int, width: int) -> np.ndarray:  # pragma: no cover - compiled
    mix, shift = np.uint64(0x9E3779B97F4A7C15), np.uint64(32)
    out = np.empty(count, dtype=np.uint64)
    span = min(width, ids.shape[0])
    for start in range(count):
        acc = np.uint64(0)
        for offset in range(span):
            acc = acc * mix + ids[start + offset] + np.uint64(offset + 1)
        out[start] = (acc * mix) >> shift
    return out


def _windows(ids: np.ndarray, count: int, width: int = SHINGLE_WORDS) -> np.ndarray:
    """One 32-bit hash per window of ``width`` word hashes: a polynomial over them, then mixed."""
    return _compiled("windows")(ids, count, width)


def _paragraph_words(text: str) -> list[list[str]]:
    return [words for words in map(_WORD.findall, _PARAGRAPH_BREAK.split(
        unicodedata.normalize("NFKC", text).casefold())) if words]


def paragraph_shingles(text: str, width: int = SHINGLE_WORDS) -> list[np.ndarray]:
    """The shingle hashes of each paragraph; a paragraph shorter than ``width`` words is one shingle.

    Computed over the whole text at once (numpy calls on tiny arrays cost more than their work),
    then cut at paragraph ends so that no shingle spans two paragraphs.
    """
    return _cut(_paragraph_words(text), width)


def _cut(paragraphs: list[list[str]], width: int, ids: np.ndarray | None = None) -> list[np.ndarray]:
    if not paragraphs:
        return []
    if ids is None:
        ids = _word_ids([w for words in paragraphs for w in words])
    hashes = _windows(ids, max(1, len(ids) - width + 1), width)
    out, start = [], 0
    for words in paragraphs:
        if len(words) >= width:
            out.append(hashes[start:start + len(words) - width + 1])
        else:
            out.append(_windows(ids[start:start + len(words)], 1, width))
        start += len(words)
    return out


def shingle_set(text: str) -> np.ndarray:
    """The distinct shingle hashes of a text, sorted."""
    paragraphs = paragraph_shingles(text)
    return np.unique(np.concatenate(paragraphs)) if paragraphs else NO_SHINGLES


def trigram_set(text: str) -> np.ndarray:
    """The distinct 3-word shingle hashes of a text, sorted."""
    paragraphs = paragraph_shingles(text, TRIGRAM_WORDS)
    return np.unique(np.concatenate(paragraphs)) if paragraphs else NO_SHINGLES


def _keys_numpy(tag: int, rows: np.ndarray) -> np.ndarray:
    acc = np.full(rows.shape[0], tag + 1, dtype=np.uint64) * _MIX
    for column in range(rows.shape[1]):
        acc = (acc ^ rows[:, column].astype(np.uint64)) * _MIX
        acc ^= acc >> _SHIFT
    return acc


def _keys_loop(tag: int, rows: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    mix, shift = np.uint64(0x9E3779B97F4A7C15), np.uint64(32)
    out = np.empty(rows.shape[0], dtype=np.uint64)
    for row in range(rows.shape[0]):
        acc = np.uint64(tag + 1) * mix
        for column in range(rows.shape[1]):
            acc = (acc ^ rows[row, column]) * mix
            acc ^= acc >> shift
        out[row] = acc
    return out


def _keys(tag: int, rows: np.ndarray) -> list[int]:
    """One signed 64-bit key per row of 32-bit values, distinct per tag (band number, paragraph)."""
    return _compiled("keys")(tag, np.ascontiguousarray(rows, dtype=np.uint64)).view(np.int64).tolist()


_KERNELS.update(minhash=(_minhash_loop, _minhash_numpy), windows=(_windows_loop, _windows_numpy),
                keys=(_keys_loop, _keys_numpy))


def fingerprint(text: str) -> Fingerprint:
    words = _paragraph_words(text)
    if not words:
        return Fingerprint((), NO_SHINGLES)
    ids = _word_ids([w for paragraph in words for w in paragraph])  # hashed once for both shingle widths
    paragraphs = _cut(words, SHINGLE_WORDS, ids)
    unique = np.unique(np.concatenate(paragraphs))
    trigrams = np.unique(np.concatenate(_cut(words, TRIGRAM_WORDS, ids)))
    signature = _signature(unique).reshape(BANDS, BAND_ROWS)
    bands = signature ^ (np.arange(BANDS, dtype=np.uint64) << _SHIFT)[:, None]  # band number in each key
    keys = _keys(0, bands)
    # A paragraph's key is the least of its shingle hashes: a one-permutation MinHash of the paragraph.
    minima = [p.min() for p in paragraphs if len(p) >= PARAGRAPH_MIN_WORDS - SHINGLE_WORDS + 1][:MAX_PARAGRAPH_KEYS]
    if minima:
        keys += _keys(1, np.array(minima, dtype=np.uint64)[:, None])
    if len(unique) <= SHORT_TEXT_SHINGLES:
        # A short text has too few bands and paragraphs for an edited copy to meet it by chance:
        # its least 3-word shingle hashes (a bottom-k sketch) are keys too, and an edited copy keeps
        # most of them.
        keys += _keys(2, trigrams[:SHORT_TEXT_KEYS][:, None])
    return Fingerprint(tuple(dict.fromkeys(keys)), unique, trigrams)


def resemblance(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger), exactly, on sorted distinct shingle hashes."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))


def store_fingerprints(fingerprints: list[tuple[int, Fingerprint]], *, replace: bool = False) -> None:
    """Write the LSH keys of these articles (``replace``: their text changed, drop the old keys)."""
    from django.db import connection

    from articles.importing.bulk import copy_text, insert_rows
    from articles.models import LshBand

    if replace:
        LshBand.objects.filter(article_id__in=[article_id for article_id, _ in fingerprints]).delete()
    if not fingerprints:
        return
    # In key order, so that the inserts walk the key index from one end to the other.
    keys = np.fromiter((key for _, print_ in fingerprints for key in print_.keys), dtype=np.int64)
    ids = np.repeat(np.array([article_id for article_id, _ in fingerprints], dtype=np.int64),
                    [len(print_.keys) for _, print_ in fingerprints])
    order = np.lexsort((ids, keys))
    rows = zip(keys[order].tolist(), ids[order].tolist())
    if connection.vendor == "postgresql":  # about 30 rows an article: written as COPY text, not row by row
        copy_text(LshBand, ("key", "article_id"), "".join(f"{key}\t{article_id}\n" for key, article_id in rows))
    else:
        insert_rows(LshBand, [{"key": key, "article_id": article_id} for key, article_id in rows])


def paragraph_overlap(text: str, other: str) -> list[tuple[str, float]]:
    """Each paragraph of ``text`` with the share of its shingles found in ``other``: what the
    side-by-side review highlights."""
    theirs = shingle_set(other)
    out = []
    for paragraph in (p.strip() for p in _PARAGRAPH_BREAK.split(text)):
        if paragraph:
            mine = shingle_set(paragraph)
            shared = len(np.intersect1d(mine, theirs, assume_unique=True)) / len(mine) if len(mine) else 0.0
            out.append((paragraph, round(shared, 2)))
    return out


def articles_without_fingerprints():
    """Articles stored before stay-down existed (or by hand): their ids, for the backfill command."""
    from django.db.models import Exists, OuterRef

    from articles.models import Article, LshBand

    return (Article.objects.filter(~Exists(LshBand.objects.filter(article_id=OuterRef("pk"))))
            .order_by("pk").values_list("pk", flat=True))


def fingerprint_articles(article_ids: list[int], *, replace: bool = False) -> int:
    from django.db import transaction

    from articles.models import Article

    bodies = Article.objects.filter(pk__in=article_ids).values_list("pk", "body")
    with transaction.atomic():
        store_fingerprints([(pk, fingerprint(body)) for pk, body in bodies], replace=replace)
    return len(article_ids)
