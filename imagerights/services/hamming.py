"""64-bit perceptual hashes cut into five bands (13, 13, 13, 13 and 12 bits), and the band values to
probe for a Hamming search (multi-index hashing).

Pigeonhole: if two hashes differ in at most t bits, one of the five bands differs in at most
t // 5 bits, so probing every value within that radius of each band finds every hash within t.
At the threshold chosen from the ROC (8, bench/README.md) that is radius 1: 14 probes per band,
70 index lookups in all, each meeting about 1/8192 of the stored hashes.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

BAND_BITS = (13, 13, 13, 13, 12)
BAND_SHIFTS = tuple(sum(BAND_BITS[:i]) for i in range(len(BAND_BITS)))
BANDS = len(BAND_BITS)


def to_signed(value: int) -> int:
    """An unsigned 64-bit hash as the signed integer a BIGINT column holds."""
    return value - (1 << 64) if value >= (1 << 63) else value


def to_unsigned(value: int) -> int:
    return value & ((1 << 64) - 1)


def bands_of(value: int) -> list[int]:
    unsigned = to_unsigned(value)
    return [(unsigned >> shift) & ((1 << bits) - 1) for shift, bits in zip(BAND_SHIFTS, BAND_BITS)]


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def probe_radius(threshold: int) -> int:
    return max(threshold, 0) // BANDS


@lru_cache(maxsize=16)
def _flip_masks(bits: int, radius: int) -> tuple[int, ...]:
    return tuple(sum(1 << p for p in positions)
                 for flipped in range(radius + 1) for positions in combinations(range(bits), flipped))


def band_probes(value: int, threshold: int) -> list[list[int]]:
    """For each band, every value within the probe radius of the hash's band value."""
    radius = probe_radius(threshold)
    return [[band ^ mask for mask in _flip_masks(bits, radius)] for band, bits in zip(bands_of(value), BAND_BITS)]
