"""Publication dates: a declared date that is a placeholder is no date; the URL path is the fallback.

CMSs fill an empty date field with 0001-01-01, 1970-01-01 or a far-future value; stored, that
would be a fact nobody declared. A date in the URL path (/2019/11/19/) is read only when no
plausible date is declared, and is marked as read from there.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

EARLIEST_YEAR = 1990
DECLARED = "declared"
URL_PATH = "url_path"

_LEADING_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_PATH_DATE = re.compile(
    r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/._-]|$)")
_COMPACT_PATH_DATE = re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/)")


def day_of(value: str) -> date | None:
    """The calendar day a declared date string starts with, if it has one."""
    match = _LEADING_DATE.match(value or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def is_plausible(day: date | None, *, today: date | None = None) -> bool:
    """Not before 1990 and not after tomorrow (time zones can put a fresh article a day ahead)."""
    today = today or datetime.now(timezone.utc).date()
    return day is not None and day.year >= EARLIEST_YEAR and day <= today + timedelta(days=1)


def date_in_path(url: str) -> str:
    """YYYY-MM-DD from /2019/11/19/, /2019-11-19- or /20191119/ in the URL's path, else ""."""
    path = re.sub(r"^[a-z]+://[^/]+", "", url or "", flags=re.IGNORECASE).split("?", 1)[0]
    match = _PATH_DATE.search(path) or _COMPACT_PATH_DATE.search(path)
    if not match:
        return ""
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return ""
    return found.isoformat() if is_plausible(found) else ""


def publication_date(declared: list[object], urls: list[str]) -> tuple[str, str]:
    """(date as declared or YYYY-MM-DD from a URL path, DECLARED | URL_PATH), or ("", "")."""
    flat = [v for value in declared for v in (value if isinstance(value, list) else [value])]
    for value in flat:
        if isinstance(value, str) and is_plausible(day_of(value)):
            return value.strip(), DECLARED
    for url in urls:
        found = date_in_path(url)
        if found:
            return found, URL_PATH
    return "", ""
