"""Every time a page or mail shows is labelled with its true zone, and the label agrees with the value.

The moments of one notice's life are chosen off the hour (09:07, 10:20, ...) so a Berlin time labelled
"UTC", or a UTC time labelled "Europe/Berlin", names a minute at which nothing happened."""

import re
from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.test import override_settings
from django.urls import reverse

from articles.actors import Actor
from compliance.models import OutboundMessage
from compliance.reports.compliance_report import build_report
from compliance.reports.period import parse_period
from compliance.reports.render import to_html
from compliance.services.counter_notices import (CounterNoticeInput, receive_claimant_complaint,
                                                 receive_counter_notice)
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import later_status_url, receive_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 3, 9, 7, tzinfo=dt_timezone.utc)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
LABELLED = re.compile(rf"(?P<when>\d{{1,2}} (?:{MONTHS}) \d{{4}}, \d{{2}}:\d{{2}}|\d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}(?::\d{{2}})?)"
                      r" (?P<zone>UTC|Europe/Berlin)")
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
# What Django's admin prints by itself (config/formats/en/formats.py): "Nov. 3, 2026, 10:07 CET".
AP_MONTHS = {"Jan.": 1, "Feb.": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7, "Aug.": 8,
             "Sept.": 9, "Oct.": 10, "Nov.": 11, "Dec.": 12}
ADMIN_LABELLED = re.compile(r"(?P<month>[A-Z][a-z]+\.?) (?P<day>\d{1,2}), (?P<year>\d{4}), (?P<h>\d{2}):(?P<m>\d{2}) "
                            r"(?P<abbr>CET|CEST)")


def _instant(when: str, zone: str) -> datetime:
    for fmt in ("%d %B %Y, %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            local = datetime.strptime(when, fmt)
        except ValueError:
            continue
        return local.replace(tzinfo=dt_timezone.utc if zone == "UTC" else ZoneInfo(zone)).astimezone(dt_timezone.utc)
    raise AssertionError(when)


def _known_moments() -> set[datetime]:
    """Every moment stored in the compliance and articles records, to the minute."""
    moments = set()
    for model in [*apps.get_app_config("compliance").get_models(), *apps.get_app_config("articles").get_models()]:
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        for row in model.objects.values_list(*fields) if fields else []:
            moments |= {value.replace(second=0, microsecond=0) for value in row if value}
    return moments


def _check(text: str, where: str, known: set[datetime], *, zone: str) -> int:
    text = re.sub(r'datetime="[^"]*"', "", text)
    found = list(LABELLED.finditer(text))
    for match in found:
        assert match["zone"] == zone, f"{where}: {match[0]} should be in {zone}"
        instant = _instant(match["when"], match["zone"])
        assert instant.replace(second=0) in known, f"{where}: {match[0]} is not a moment of this notice"
    assert not CLOCK.findall(LABELLED.sub("", text)), f"{where}: a time without its zone"
    return len(found)


@pytest.fixture
def history():
    """A notice with two items: one withdrawn, one rejected; the publisher's counter-notice; the claimant's
    complaint. Returns the private links."""
    withdrawn = ArticleFactory(primary="https://outlet.example/a.html", slug="withdrawn-report")
    ArticleFactory(primary="https://outlet.example/b.html")
    notice = receive_notice(channel="web", needs_confirmation=True, received_at=T0, submission=submission(
        "https://outlet.example/a.html", "https://outlet.example/b.html")).notice
    first, second = notice.items.order_by("position")
    withdraw_items(notice_id=notice.pk, item_ids=[first.pk], actor=Actor.parse("user:1"), now=T0 + timedelta(hours=1, minutes=13),
                   reasons=Reasons(explanation="Republished without a licence."))
    reject_items(notice_id=notice.pk, item_ids=[second.pk], actor=Actor.parse("user:1"), now=T0 + timedelta(hours=2, minutes=29),
                 reasons=Reasons(explanation="Licensed from the outlet."))
    counter = receive_counter_notice(article_slug=withdrawn.slug, now=T0 + timedelta(days=1, hours=3, minutes=41),
                                     data=CounterNoticeInput(kind="counter_notice", name="Olena", signature="Olena",
                                                             email="desk@outlet.example", explanation="Licensed.",
                                                             address="1 Main St", phone="+380 44 000 0000", mistake_statement=True,
                                                             jurisdiction_consent=True))
    receive_claimant_complaint(notice_id=notice.pk, explanation="It is ours.",
                               now=T0 + timedelta(days=2, hours=5, minutes=53))
    return {"notice": notice, "counter": counter.counter_notice, "counter_path": counter.status_path,
            "status_path": later_status_url(notice).split("://", 1)[1].split("/", 1)[1], "article": withdrawn}


@override_settings(TIME_ZONE="Europe/Berlin")
def test_claimants_publishers_and_mails_read_utc(client, history):
    known = _known_moments()
    shown = 0
    for message in OutboundMessage.objects.all():
        shown += _check(message.body, f"mail {message.purpose}", known, zone="UTC")
    for path in ["/" + history["status_path"], history["counter_path"], history["article"].get_absolute_url()]:
        response = client.get(path)
        assert response.status_code in (200, 451), path
        shown += _check(response.content.decode(), path, known, zone="UTC")
    report = build_report(parse_period("2026-11"), now=T0 + timedelta(days=3, minutes=11))
    shown += _check(to_html(report), "report", known | {T0 + timedelta(days=3, minutes=11),
                                                        datetime(2026, 11, 1, tzinfo=dt_timezone.utc),
                                                        datetime(2026, 12, 1, tzinfo=dt_timezone.utc)}, zone="UTC")
    assert shown >= 20


@override_settings(TIME_ZONE="Europe/Berlin")
def test_staff_pages_read_the_operators_zone_by_name(client, django_user_model, history):
    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    known = _known_moments()
    shown = 0
    for path in [reverse("admin:compliance_notice_change", args=[history["notice"].pk]),
                 reverse("admin:compliance_counternotice_change", args=[history["counter"].pk])]:
        html = client.get(path).content.decode()
        shown += _check(html, path, known, zone="Europe/Berlin")
    assert shown >= 10


def test_the_filters_say_the_same_moment_in_both_zones():
    from articles.templatetags.moments import staff_time, utc

    winter, summer = datetime(2026, 1, 5, 23, 30, tzinfo=dt_timezone.utc), datetime(2026, 7, 5, 23, 30,
                                                                                     tzinfo=dt_timezone.utc)
    with override_settings(TIME_ZONE="Europe/Berlin"):
        assert (utc(winter), staff_time(winter)) == ("5 January 2026, 23:30 UTC", "2026-01-06 00:30 Europe/Berlin")
        assert staff_time(summer) == "2026-07-06 01:30 Europe/Berlin"
    assert utc(None) == "" and staff_time(None) == ""


@override_settings(TIME_ZONE="Europe/Berlin")
def test_times_the_admin_prints_by_itself_carry_their_zone(client, django_user_model, history):
    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    known = _known_moments()
    shown = 0
    for name in ("auditentry", "decision", "counternotice", "sladeadline"):
        html = re.sub(r'datetime="[^"]*"', "", client.get(reverse(f"admin:compliance_{name}_changelist")).content.decode())
        for match in ADMIN_LABELLED.finditer(html):
            local = datetime(int(match["year"]), AP_MONTHS[match["month"]], int(match["day"]), int(match["h"]),
                             int(match["m"]), tzinfo=ZoneInfo("Europe/Berlin"))
            assert local.tzname() == match["abbr"], match[0]
            assert local.astimezone(dt_timezone.utc) in known, f"{name}: {match[0]} is not a moment of this notice"
            shown += 1
        rest = ADMIN_LABELLED.sub("", html)
        assert not CLOCK.findall(re.sub(r"<script.*?</script>", "", rest, flags=re.S)), f"{name}: a time without its zone"
    assert shown >= 10
