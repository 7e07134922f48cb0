"""Near-duplicate detection: MinHash signatures over word shingles, an LSH index over them (datasketch).

Signatures are stored in the `minhashes` table, so a new run rebuilds the index from the store and links
new copies to articles ingested in earlier runs.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

__all__ = ["NUM_PERM", "NearDuplicateIndex", "signature", "signature_of_normalized"]

# 64 permutations: a Jaccard estimate within ~0.06 of the truth, at half the cost of datasketch's 128;
# wire copies sit near 0.9-1.0, far from unrelated articles, so the extra precision buys nothing.
NUM_PERM = 64
SHINGLE_WORDS = 4
_SEED = 1
# Pinned, since stored signatures must stay comparable with new ones across datasketch upgrades.
_SCHEME = "affine32"
_WORD = re.compile(r"\w+")


# Odd multipliers mixing the word hashes of one shingle into a 32-bit shingle hash.
_MIX = np.array([0x9E3779B1, 0x85EBCA77, 0xC2B2AE3D, 0x27D4EB2F], dtype=np.uint64)[:SHINGLE_WORDS]
class _WordHashes(dict[str, int]):
    """word -> CRC-32, shared across articles: news vocabulary repeats, so most words are hashed once."""

    def __missing__(self, word: str) -> int:
        if len(self) > _WORD_CACHE_LIMIT:
            self.clear()  # bounded memory whatever the input size
        value = self[word] = zlib.crc32(word.encode("utf-8"))
        return value


_WORD_CACHE_LIMIT = 500_000
_WORD_HASHES = _WordHashes()


def _word_hashes(words: list[str]) -> np.ndarray:
    return np.fromiter(map(_WORD_HASHES.__getitem__, words), dtype=np.uint64, count=len(words))


def _shingles(normalized: str) -> np.ndarray:
    """32-bit hashes (not deduplicated, as uint64) of the 4-word shingles of already-normalised text."""
    hashes = _word_hashes(_WORD.findall(normalized))
    if len(hashes) < SHINGLE_WORDS:
        hashes = np.concatenate([hashes, np.zeros(SHINGLE_WORDS - len(hashes), dtype=np.uint64)])
    windows = np.lib.stride_tricks.sliding_window_view(hashes, SHINGLE_WORDS)
    mixed: np.ndarray = (windows * _MIX).sum(axis=1, dtype=np.uint64) & np.uint64(0xFFFFFFFF)
    return mixed


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the distinct 4-word shingles of the casefolded, NFKC-normalised words of `text`.

    Profiling showed SHA-1 per shingle string (datasketch's default) as the top cost of an ingest; a CRC-32
    per word mixed arithmetically per shingle is stable across runs (signatures are stored) and ~5x cheaper.
    """
    return np.unique(_shingles(unicodedata.normalize("NFKC", text).casefold()))


# Drawing the random permutations is a visible share of the cost per article; every MinHash reuses one set.
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME).permutations
_A = np.asarray(_PERMUTATIONS[0], dtype=np.uint32)
_B = np.asarray(_PERMUTATIONS[1], dtype=np.uint32)
# datasketch's affine32 pre-mix (the MurmurHash3 32-bit finalizer), applied here to a whole array at once:
# `update_batch` calls a Python hash function per value and was a tenth of the ingest.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    out: np.ndarray = hv ^ (hv >> s3)
    return out


def _minhash(shingles: np.ndarray) -> MinHash:
    # Bit-for-bit what datasketch's update_batch computes (tests pin it), so stored signatures stay valid.
    # The minimum does not care about repeated shingles, so no np.unique is needed.
    mixed = _fmix32(shingles.astype(np.uint32))
    values = (mixed[:, None] * _A + _B).min(axis=0)
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, scheme=_SCHEME,
                   permutations=_PERMUTATIONS)


def signature(text: str) -> MinHash:
    """The MinHash of `text`'s normalized 4-word shingles."""
    return _minhash(_shingles(unicodedata.normalize("NFKC", text).casefold()))


def signature_of_normalized(normalized: str) -> MinHash:
    """`signature(text)` from `normalize_text(text)` (collapsing whitespace does not change the words)."""
    return _minhash(_shingles(normalized))


def to_blob(minhash: MinHash) -> bytes:
    return np.asarray(minhash.hashvalues, dtype=np.uint32).tobytes()


def from_blob(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype=np.uint32).copy()
    return MinHash(num_perm=NUM_PERM, seed=_SEED, hashvalues=values, scheme=_SCHEME,
                   permutations=_PERMUTATIONS)


class NearDuplicateIndex:
    """The LSH index of one run; `matches` finds earlier articles at least `threshold` similar."""

    def __init__(self, threshold: float, signatures: Iterable[tuple[str, bytes]] = ()) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._sigs: dict[str, MinHash] = {}
        for key, blob in signatures:
            self.add(key, from_blob(blob))

    def __len__(self) -> int:
        return len(self._sigs)

    def add(self, key: str, minhash: MinHash) -> None:
        if key not in self._sigs:
            self._lsh.insert(key, minhash)
            self._sigs[key] = minhash

    def matches(self, minhash: MinHash) -> list[tuple[str, float]]:
        """(article id, estimated Jaccard similarity) of indexed articles over the threshold, best first."""
        found = []
        for key in self._lsh.query(minhash):
            similarity = float(minhash.jaccard(self._sigs[key]))
            if similarity >= self.threshold:
                found.append((str(key), similarity))
        return sorted(found, key=lambda pair: (-pair[1], pair[0]))
