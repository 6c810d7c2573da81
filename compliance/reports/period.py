"""A report's period: a month (2026-11) or a year (2026), in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime
    end: datetime  # exclusive


def parse_period(text: str) -> Period:
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"no month {month} in {text!r}")
        start = datetime(year, month, 1, tzinfo=dt_timezone.utc)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=dt_timezone.utc)
        return Period(text, start, end)
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return Period(text, datetime(year, 1, 1, tzinfo=dt_timezone.utc), datetime(year + 1, 1, 1, tzinfo=dt_timezone.utc))
    raise ValueError(f"a period is a month like 2026-11 or a year like 2026, not {text!r}")
