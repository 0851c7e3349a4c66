"""The scrypt parameter table of the page: memory, maxmem, and what fails without it."""

import hashlib
import os

import pytest

MiB = 1024 * 1024
SALT = os.urandom(16)

# n, r, p, memory that scrypt needs (128 * n * r), maxmem that the page gives
TABLE = [
    (2**14, 8, 1, 16 * MiB, 32 * MiB),
    (2**15, 8, 1, 32 * MiB, 64 * MiB),
    (2**16, 8, 1, 64 * MiB, 128 * MiB),
    (2**17, 8, 1, 128 * MiB, 256 * MiB),
]


@pytest.mark.parametrize(("n", "r", "p", "memory", "maxmem"), TABLE)
def test_each_row_hashes_with_its_maxmem(n, r, p, memory, maxmem):
    assert 128 * n * r == memory and maxmem == 2 * memory
    digest = hashlib.scrypt(b"secret", salt=SALT, n=n, r=r, p=p, maxmem=maxmem, dklen=32)
    assert len(digest) == 32


def test_without_maxmem_only_the_first_row_works():
    hashlib.scrypt(b"secret", salt=SALT, n=2**14, r=8, p=1, dklen=32)
    for n in (2**15, 2**16):
        with pytest.raises(ValueError, match="memory limit exceeded"):
            hashlib.scrypt(b"secret", salt=SALT, n=n, r=8, p=1, dklen=32)


def test_maxmem_of_exactly_128_n_r_is_not_enough():
    # scrypt also needs a little more than 128 * n * r: hence the margin.
    with pytest.raises(ValueError):
        hashlib.scrypt(b"secret", salt=SALT, n=2**15, r=8, p=1, maxmem=32 * MiB, dklen=32)


def test_the_example_uses_the_first_row():
    from pathlib import Path

    source = (Path(__file__).parent / "login.py").read_text()
    assert "SCRYPT = dict(n=2**14, r=8, p=1, dklen=32)" in source
    assert 'SCRYPT_MAXMEM = 2 * 128 * SCRYPT["n"] * SCRYPT["r"]' in source
