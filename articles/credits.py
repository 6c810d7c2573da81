"""Who a credit line names: "Photo by John Moore/Getty Images" -> John Moore of Getty Images."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = re.compile(
    r"^\s*(?:(?:photo(?:graph)?|image|picture|video|footage|map|graphic|illustration|credit|source|"
    r"courtesy(?: of)?)\s*(?:by|:)?|©|\(c\)|copyright)\s*",
    re.IGNORECASE,
)
_BY = re.compile(r"\bby\s", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.;,]+$")


@dataclass(frozen=True)
class Credit:
    creator: str
    holder: str


def parse_credit(credit_line: str) -> Credit:
    """Split a credit line into the person who made the work and who holds its rights.

    "A/B" names a creator and an agency; a single name is taken as the rights holder, since
    credit lines such as "Source: Ministry of Defence" or "Map: ISW" name organisations.
    """
    text = _TRAILING.sub("", _LABEL.sub("", credit_line or "", count=1))
    if not text:
        return Credit("", "")
    if "/" in text:
        creator, _, holder = text.partition("/")
        return Credit(creator.strip(), holder.strip())
    if " for " in text and _BY.search(credit_line):  # "Photo by Jane Doe for The Times"
        creator, _, holder = text.partition(" for ")
        return Credit(creator.strip(), holder.strip())
    return Credit("", text.strip())
