"""The compliance report: figures under the DSA Art. 15/24 headings, a chart, three formats, by role."""

import json
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from compliance import roles
from articles.actors import Actor
from compliance.models import Notice, SlaBreach, SlaDeadline
from compliance.reports.compliance_report import build_report
from compliance.reports.period import parse_period
from compliance.reports.render import to_csv, to_html, to_json
from compliance.services.counter_notices import CounterNoticeInput, receive_counter_notice, restore_contested
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 3, 9, 0, tzinfo=dt_timezone.utc)
REASONS = Reasons(explanation="Owned by the claimant.")


def _notice(url: str, email: str, at: datetime):
    return receive_notice(channel="web", submission=submission(url, claimant_email=email), received_at=at).notice


@pytest.fixture
def november():
    """Three notices: withdrawn after 2 h, rejected after 30 h, one still open past its deadline
    with a breach; a counter-notice on the first, restored."""
    first_article = ArticleFactory(primary="https://outlet.example/a.html")
    ArticleFactory(primary="https://outlet.example/b.html")
    first = _notice("https://outlet.example/a.html", "a@rights.example", T0)
    withdraw_items(notice_id=first.pk, item_ids=[first.items.get().pk], reasons=REASONS, actor=Actor.parse("user:1"),
                   now=T0 + timedelta(hours=2))
    second = _notice("https://outlet.example/b.html", "b@rights.example", T0 + timedelta(days=1))
    reject_items(notice_id=second.pk, item_ids=[second.items.get().pk], reasons=REASONS, actor=Actor.parse("user:1"),
                 now=T0 + timedelta(days=1, hours=30))
    third = _notice("https://outlet.example/c.html", "c@rights.example", T0 + timedelta(days=2))
    due = third.deadlines.get(kind="due")
    SlaBreach.objects.create(notice=third, deadline=due, due_at=due.due_at, detected_at=due.due_at + timedelta(
        minutes=3), lateness_seconds=180, reason="unverified notice undecided at the deadline")
    SlaDeadline.objects.filter(pk=due.pk).update(state="done")
    counter = receive_counter_notice(article_slug=first_article.slug, now=T0 + timedelta(days=3), data=CounterNoticeInput(
        kind="complaint", name="Olena", email="desk@outlet.example", explanation="Licensed.", signature="Olena")
    ).counter_notice
    restore_contested(counter_notice_id=counter.pk, reasons=REASONS, actor=Actor.parse("user:2"), now=T0 + timedelta(days=5))
    return parse_period("2026-11")


def test_the_figures_of_a_month(november):
    report = build_report(november, now=T0 + timedelta(days=20))

    assert report.notices == 3 and report.by_kind == {"copyright": 3} and report.by_channel == {"web": 3}
    assert report.by_outcome["restored"] == 1 and report.by_outcome["rejected"] == 1
    assert report.by_outcome["open"] == 1
    assert (report.time_to_action_hours.count, report.time_to_action_hours.median) == (2, 16.0)
    assert report.time_to_action_hours.p95 == 30.0
    # One within 24 hours; one decided late and one still open long past its deadline.
    assert (report.within_24h, report.late_or_pending_over_24h, report.within_24h_share) == (1, 2, 0.3333)
    # Still undecided when the report is made: late by the time since its deadline, not the 3 minutes the
    # sweeper took to notice.
    [breach] = report.breaches
    overdue = T0 + timedelta(days=20) - breach.due_at
    assert (breach.decided_at, breach.late_minutes, breach.detected_after_minutes) == (
        None, int(overdue.total_seconds()) // 60, 3)
    assert report.counter_notices_by_kind["complaint"] == 1 and report.restores == 1
    assert [day.day.isoformat() for day in report.per_day] == ["2026-11-03", "2026-11-05"]


def test_the_three_formats_carry_the_same_figures(november):
    report = build_report(november, now=T0 + timedelta(days=20))

    data = json.loads(to_json(report))
    assert data["notices"] == 3 and data["within_24h_share"] == 0.3333 and data["period"]["label"] == "2026-11"
    rows = dict(line.split(",", 1) for line in to_csv(report).splitlines()[1:])
    assert rows["notices"] == "3" and rows["time_to_action_hours.median"] == "16.0"
    html = to_html(report)
    assert "<svg" in html and "24-hour promise" in html and "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_the_command_writes_a_file_and_refuses_a_bad_period_in_one_line(november, tmp_path):
    out = tmp_path / "report.json"
    call_command("compliance_report", "--period", "2026-11", "--format", "json", "--out", str(out))
    assert json.loads(out.read_text())["notices"] == 3

    with pytest.raises(CommandError, match="a period is a month like 2026-11"):
        call_command("compliance_report", "--period", "November")


def test_auditors_and_leads_see_the_report_and_reviewers_do_not(november, client, django_user_model):
    url = reverse("compliance-report")
    reviewer = django_user_model.objects.create_user("rita", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, reviewer)
    assert client.get(url, {"period": "2026-11"}).status_code == 403

    auditor = django_user_model.objects.create_user("audrey", is_staff=True)
    auditor.groups.add(Group.objects.get(name=roles.AUDITOR))
    verified_login(client, auditor)
    page = client.get(url, {"period": "2026-11"})
    assert page.status_code == 200 and "<svg" in page.content.decode()
    download = client.get(url, {"period": "2026-11", "download": "csv"})
    assert download["Content-Disposition"] == 'attachment; filename="compliance-report-2026-11.csv"'
    assert client.get(url, {"period": "2026-13"}).status_code == 400


def test_a_breach_is_as_late_as_the_decision_that_ended_it_in_words_not_codes(november):
    third = Notice.objects.get(items__url="https://outlet.example/c.html")
    ArticleFactory(primary="https://outlet.example/c.html")
    reject_items(notice_id=third.pk, item_ids=[third.items.get().pk], reasons=REASONS, actor=Actor.parse("user:1"),
                 now=third.due_at + timedelta(hours=2, minutes=5))

    report = build_report(parse_period("2026-11"), now=T0 + timedelta(days=20))
    html = to_html(report)

    assert report.breaches[0].late_minutes == 125 and report.breaches[0].detected_after_minutes == 3
    assert "Partially actioned" in html and "Withdraw the article" in html and "Copyright" in html
    for code in ("DECISION_GROUND_ILLEGAL_CONTENT", "partially_actioned", "remove_asset", "claimant_sued"):
        assert f">{code}<" not in html and f"{code}:" not in html
