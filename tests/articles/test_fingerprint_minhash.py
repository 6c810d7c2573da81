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


def test_compiled_windows_and_keys_equal_numpy():
    from articles.fingerprints import _compiled, _keys_numpy, _windows_numpy

    rng = np.random.default_rng(9)
    for size in (1, 2, 3, 5, 6, 40, 500):
        ids = rng.integers(0, 2**32, size=size, dtype=np.uint64)
        for width in (3, 5):
            count = max(1, size - width + 1)
            assert np.array_equal(_compiled("windows")(ids, count, width), _windows_numpy(ids, count, width))
    rows = rng.integers(0, 2**32, size=(21, 6), dtype=np.uint64)
    for tag in (0, 1, 2):
        assert np.array_equal(_compiled("keys")(tag, rows), _keys_numpy(tag, rows))
        assert np.array_equal(_compiled("keys")(tag, rows[:, :1].copy()), _keys_numpy(tag, rows[:, :1]))
