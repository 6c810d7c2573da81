"""Public notice references (TD-2026-7F3KQ9) and the secret tokens of claimants' status links."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

# Crockford's base32: no I, L, O or U, so a reference read aloud or retyped stays the same.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_RE = re.compile(r"\bTD-\d{4}-[0-9A-HJKMNP-TV-Z]{6}\b")


def new_reference(now: datetime) -> str:
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"TD-{now.year}-{suffix}"


def new_status_token() -> tuple[str, str]:
    """The token goes to the claimant once; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
