"""Business-day windows (the counter-notice restore window) on the operator's holiday calendar.

Counted in the operator's time zone, returned in UTC: "10 business days" ends at the same local
time of day on the tenth working day after receipt, skipping weekends and public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone as dt_timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings


@lru_cache(maxsize=16)
def _calendar(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision or None, years=[year, year + 1])


def is_business_day(day: date, *, country: str | None = None, subdivision: str | None = None) -> bool:
    country = country or settings.BUSINESS_CALENDAR_COUNTRY
    subdivision = settings.BUSINESS_CALENDAR_SUBDIVISION if subdivision is None else subdivision
    return day.weekday() < 5 and day not in _calendar(country, subdivision, day.year)


def add_business_days(start: datetime, days: int, *, country: str | None = None,
                      subdivision: str | None = None) -> datetime:
    local = start.astimezone(ZoneInfo(settings.TIME_ZONE))
    day, counted = local.date(), 0
    while counted < days:
        day += timedelta(days=1)
        if is_business_day(day, country=country, subdivision=subdivision):
            counted += 1
    naive = datetime.combine(day, local.time().replace(tzinfo=None))
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)).astimezone(dt_timezone.utc)
