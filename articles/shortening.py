"""Text shortened to fit a column, a message or a page says so: it ends with an ellipsis."""

from __future__ import annotations

ELLIPSIS = "…"


def shortened(text: str, limit: int) -> str:
    """`text` whole when it has at most `limit` characters, else its start and an ellipsis, `limit` in all."""
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS
