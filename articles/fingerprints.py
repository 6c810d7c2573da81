"""Content hashes and the idempotency key of an article whose primary source is unknown."""

from __future__ import annotations

import hashlib
import re
import unicodedata

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
