"""Every time a person reads carries its true zone, formatted in this one place.

Stored times are UTC. Claimants, mails and exports read UTC, labelled "UTC"; staff pages read the
operator's zone (settings.TIME_ZONE, from OPERATOR_TIME_ZONE), labelled with that zone's name.
Django's |date filter converts to the current zone silently, which is how Berlin times came to be
labelled "UTC": templates use these filters instead."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import dateformat
from django.utils.html import format_html

register = template.Library()

LONG = "j F Y, H:i"
SHORT = "Y-m-d H:i"


def operator_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def moment_text(value: datetime, *, zone: timezone | ZoneInfo, fmt: str) -> str:
    """`value` as read in `zone`, followed by the zone's name ("UTC", "Europe/Berlin")."""
    label = "UTC" if zone is timezone.utc else str(zone)
    return f"{dateformat.format(value.astimezone(zone), fmt)} {label}"


@register.filter
def utc(value: datetime | None, fmt: str = LONG) -> str:
    """For claimants, publishers and mail: the moment in UTC, labelled."""
    return moment_text(value, zone=timezone.utc, fmt=fmt) if value else ""


@register.filter
def staff_time(value: datetime | None, fmt: str = SHORT) -> str:
    """For staff pages: the moment in the operator's zone, labelled with its name."""
    return moment_text(value, zone=operator_zone(), fmt=fmt) if value else ""


@register.filter
def utc_tag(value: datetime | None, fmt: str = LONG) -> str:
    """A <time> element: machine-readable UTC instant, human text in UTC."""
    if not value:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.astimezone(timezone.utc).isoformat(),
                       utc(value, fmt))
