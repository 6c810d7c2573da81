"""Public notice references (TD-2026-7F3KQ9) and the secret tokens of claimants' status links."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.core import signing

from compliance.parsing.mail_parse import REFERENCE_ALPHABET  # with the one pattern that finds a reference


def new_reference(now: datetime) -> str:
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"TD-{now.year}-{suffix}"


def new_status_token() -> tuple[str, str]:
    """The token goes to the claimant once; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# Only the status token's digest is stored, so a later mail (a decision) cannot repeat the link the
# claimant got first. It carries a signed link instead, to the same private page, valid as long as a
# complaint may be made (DSA Art. 20: six months after the decision) and a little longer.
STATUS_LINK_SALT = "compliance.notice.status-link"


def signed_status_token(notice_id: int) -> str:
    return signing.dumps({"notice": notice_id}, salt=STATUS_LINK_SALT)


def notice_id_of_signed_token(token: str) -> int | None:
    max_age = (settings.COMPLAINT_WINDOW_DAYS + 30) * 24 * 3600
    try:
        return int(signing.loads(token, salt=STATUS_LINK_SALT, max_age=max_age)["notice"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
