"""The compiled MinHash of stay-down fingerprints gives datasketch's values, bit for bit: stored
keys made before it must still meet the keys of new text."""

import numpy as np
from datasketch import MinHash

from articles.fingerprints import (MINHASH_SEED, NUM_PERM, USED_PERM, _minhash_kernel, _minhash_numpy,
                                   _permutations)


def _datasketch(hashes: np.ndarray) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=lambda value: value)
    minhash.update_batch(hashes.tolist())
    return minhash.hashvalues[:USED_PERM]


def test_compiled_and_numpy_minhash_equal_datasketch():
    rng = np.random.default_rng(5)
    a, b = _permutations()
    for size in (1, 2, 7, 450, 3000):
        hashes = np.unique(rng.integers(0, 2**32, size=size, dtype=np.uint64))
        expected = _datasketch(hashes)
        assert np.array_equal(_minhash_kernel()(hashes, a, b), expected)
        assert np.array_equal(_minhash_numpy(hashes, a, b), expected)


def test_extreme_hashes_fold_the_modulo_right():
    a, b = _permutations()
    hashes = np.array([0, 1, 2**31, 2**32 - 2, 2**32 - 1], dtype=np.uint64)
    for hash_ in hashes:
        assert np.array_equal(_minhash_kernel()(hash_[None], a, b), _datasketch(hash_[None]))
