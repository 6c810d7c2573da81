"""Counter-notices (DMCA 512(g)) and complaints (DSA Art. 20): filed from the 451 page, copied to the
claimant, back to staff after 10 business days on the holiday calendar, decided with reasons."""

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from compliance import roles
from articles.actors import Actor
from compliance.business_days import add_business_days
from compliance.errors import IllegalTransition
from compliance.models import CounterNotice, Notice, OutboundMessage, SlaDeadline
from compliance.services.counter_notices import (CounterNoticeInput, receive_counter_notice, record_claimant_sued,
                                                 restore_contested)
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.sla_enforce import enforce
from compliance.services.sla_sweep import sweep
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/news/contested.html"
REASONS = Reasons(explanation="The claimant owns the report.", legal_ground="Copyright")
FORM = {"kind": "counter_notice", "name": "Olena Publisher", "organisation": "Outlet Media",
        "email": "desk@outlet.example", "address": "1 Press Lane, Lviv", "phone": "+380 32 000 0000",
        "explanation": "We licensed this report from the author; the licence is attached to our records.",
        "mistake_statement": "on", "jurisdiction_consent": "on", "signature": "Olena Publisher"}


def _withdrawn(now=None):
    article = ArticleFactory(primary=PRIMARY)
    notice = receive_notice(channel="web", submission=submission(PRIMARY)).notice
    withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=REASONS, actor=Actor.parse("user:1"),
                   now=now or timezone.now())
    return article, notice


def _input(**changes) -> CounterNoticeInput:
    fields = {k: v for k, v in FORM.items() if k not in ("mistake_statement", "jurisdiction_consent")}
    return CounterNoticeInput(**{**fields, "mistake_statement": True, "jurisdiction_consent": True, **changes})


def _run_deadlines(at):
    enqueued = []
    sweep(now=at, enqueue=enqueued.extend)
    return [enforce(deadline_id=pk, now=at) for pk in enqueued]


def test_ten_business_days_skip_weekends_and_the_holidays_of_the_calendar(settings):
    settings.TIME_ZONE, settings.BUSINESS_CALENDAR_COUNTRY = "Europe/Berlin", "US"
    friday = datetime(2026, 12, 18, 9, 0, tzinfo=dt_timezone.utc)  # 10:00 in Berlin

    due = add_business_days(friday, 10)

    # Christmas (Fri 25 Dec) and New Year's Day (Fri 1 Jan) are US holidays: the tenth day is Tue 5 Jan.
    assert due == datetime(2027, 1, 5, 9, 0, tzinfo=dt_timezone.utc)


def test_the_451_page_links_to_the_counter_notice_form_which_files_one(client):
    article, notice = _withdrawn()
    page = client.get(article.get_absolute_url())
    assert page.status_code == 451
    form_url = reverse("takedown-counter", args=[article.slug])
    assert form_url in page.content.decode()

    response = client.post(form_url, FORM)

    assert response.status_code == 302 and "/takedown/counter/status/" in response["Location"]
    counter = CounterNotice.objects.get()
    assert (counter.kind, counter.status, counter.notice, counter.article) == (
        "counter_notice", "received", notice, article)
    restore = SlaDeadline.objects.get(kind="restore", counter_notice=counter, state="pending")
    assert restore.due_at == counter.restore_due_at == add_business_days(counter.received_at, 10)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW  # reopened
    copy = OutboundMessage.objects.get(to_address=notice.claimant_email, purpose="counter_notice")
    assert "1 Press Lane" in copy.body and "court action" in copy.body
    assert OutboundMessage.objects.filter(to_address="desk@outlet.example", purpose="counter_notice").exists()
    status = client.get(response["Location"])
    assert status.status_code == 200 and counter.reference in status.content.decode()
    assert "no-store" in status["Cache-Control"] and status["Referrer-Policy"] == "same-origin"


def test_a_counter_notice_without_its_statements_is_refused_beside_each_field(client):
    article, _ = _withdrawn()
    incomplete = {k: v for k, v in FORM.items() if k not in ("mistake_statement", "phone")}

    response = client.post(reverse("takedown-counter", args=[article.slug]), incomplete)

    text = response.content.decode()
    assert response.status_code == 400
    assert "A counter-notice needs this statement." in text and "A counter-notice needs your phone number." in text
    assert "1 Press Lane" in text  # what was typed is kept
    assert not CounterNotice.objects.exists()


def test_the_same_counter_notice_twice_is_one(client):
    article, _ = _withdrawn()
    url = reverse("takedown-counter", args=[article.slug])

    client.post(url, FORM)
    again = client.post(url, FORM)

    assert again.status_code == 200 and "already have this" in again.content.decode()
    assert CounterNotice.objects.count() == 1 and SlaDeadline.objects.filter(kind="restore").count() == 1


def test_there_is_nothing_to_contest_on_an_article_that_was_not_withdrawn_on_a_notice(client):
    article = ArticleFactory(primary=PRIMARY)

    response = client.get(reverse("takedown-counter", args=[article.slug]))

    assert response.status_code == 404 and "no decision to object to" in response.content.decode()


def test_a_complaint_after_six_months_is_refused():
    decided = timezone.now() - timedelta(days=200)
    article, _ = _withdrawn(now=decided)

    with pytest.raises(IllegalTransition, match="six months"):
        receive_counter_notice(article_slug=article.slug, data=_input(kind="complaint"), now=timezone.now())


def test_at_the_end_of_the_window_it_comes_back_to_staff_and_stays_down_by_default(client, django_user_model):
    lead = django_user_model.objects.create_user("lena", email="lena@worldtimetodays.example")
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    article, notice = _withdrawn()
    counter = receive_counter_notice(article_slug=article.slug, data=_input(), now=timezone.now()).counter_notice

    outcomes = _run_deadlines(counter.restore_due_at + timedelta(seconds=1))

    assert any("back to staff" in outcome for outcome in outcomes)
    assert client.get(article.get_absolute_url()).status_code == 451
    mail = OutboundMessage.objects.filter(to_address=lead.email, purpose="escalation").last()
    assert counter.reference in mail.body


def test_timed_restore_is_a_policy_option(client, settings):
    settings.COUNTER_NOTICE_TIMED_RESTORE = True
    article, notice = _withdrawn()
    counter = receive_counter_notice(article_slug=article.slug, data=_input(), now=timezone.now()).counter_notice

    _run_deadlines(counter.restore_due_at + timedelta(seconds=1))

    assert client.get(article.get_absolute_url()).status_code == 200
    counter.refresh_from_db()
    assert counter.status == CounterNotice.Status.RESTORED
    restore = notice.decisions.get(action="restore")
    assert restore.automated and "512(g)" in restore.legal_ground


def test_a_court_action_stops_the_timer(client, settings):
    settings.COUNTER_NOTICE_TIMED_RESTORE = True
    article, notice = _withdrawn()
    counter = receive_counter_notice(article_slug=article.slug, data=_input(), now=timezone.now()).counter_notice

    record_claimant_sued(counter_notice_id=counter.pk, actor=Actor.parse("user:2"), now=timezone.now(), note="S.D.N.Y. 26-cv-1")
    _run_deadlines(counter.restore_due_at + timedelta(seconds=1))

    assert client.get(article.get_absolute_url()).status_code == 451
    assert SlaDeadline.objects.get(counter_notice=counter).state == "cancelled"
    with pytest.raises(IllegalTransition, match="already settled"):
        restore_contested(counter_notice_id=counter.pk, reasons=REASONS, actor=Actor.parse("user:2"), now=timezone.now())


def test_a_lead_restores_in_the_admin_and_a_reviewer_may_only_uphold(client, django_user_model):
    article, notice = _withdrawn()
    counter = receive_counter_notice(article_slug=article.slug, data=_input(), now=timezone.now()).counter_notice
    reasons = {"reasons-explanation": "The publisher showed a licence.", "reasons-ground":
               "DECISION_GROUND_ILLEGAL_CONTENT", "reasons-legal_ground": "", "reasons-facts": "",
               "reasons-territorial_scope": "EEA", "reasons-redress": "You may go to court."}
    reviewer = django_user_model.objects.create_user("rita", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, reviewer)
    page = client.get(reverse("admin:compliance_counternotice_change", args=[counter.pk])).content.decode()
    assert "Uphold the withdrawal" in page and "Restore the content" not in page
    assert client.post(reverse("admin:compliance_counternotice_restore", args=[counter.pk]),
                       reasons).status_code == 403

    lead = django_user_model.objects.create_user("lena", is_staff=True)
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    verified_login(client, lead)
    client.post(reverse("admin:compliance_counternotice_restore", args=[counter.pk]), reasons)

    assert client.get(article.get_absolute_url()).status_code == 200
    item = notice.items.get()
    assert item.state == "restored" and Notice.outcome_of([item.state]) == "restored"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DECIDED
    assert OutboundMessage.objects.filter(to_address="desk@outlet.example", purpose="decision").exists()


def _rejected_notice(client):
    ArticleFactory(primary=PRIMARY)
    received = receive_notice(channel="web", submission=submission(PRIMARY))
    notice = received.notice
    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.parse("user:1"), now=timezone.now(),
                 reasons=Reasons(explanation="The report is the publisher's own work."))
    return notice, received.status_url.split("://", 1)[-1].split("/", 1)[1]


def test_a_claimant_complains_about_a_rejection_and_a_reviewer_reopens_it(client, django_user_model):
    notice, status_path = _rejected_notice(client)
    status_url = "/" + status_path
    assert "If you disagree" in client.get(status_url).content.decode()

    response = client.post(status_url, {"explanation": "The report is ours: see our archive of 16 May."})
    client.post(status_url, {"explanation": "Again."})

    assert response.status_code == 302
    complaint = CounterNotice.objects.get()
    assert (complaint.kind, complaint.article) == ("claimant_complaint", None)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW
    assert "Send complaint" not in client.get(status_url).content.decode()

    reviewer = django_user_model.objects.create_user("rita", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, reviewer)
    page = client.get(reverse("admin:compliance_counternotice_change", args=[complaint.pk])).content.decode()
    assert "Reopen the rejected items" in page and "Restore the content" not in page
    client.post(reverse("admin:compliance_counternotice_reopen", args=[complaint.pk]))

    item = notice.items.get()
    assert item.state == "matched" and item.matches.get().state == "matched"
    withdraw_items(notice_id=notice.pk, item_ids=[item.pk], reasons=REASONS, actor=Actor.parse("user:2"), now=timezone.now())
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DECIDED
    assert OutboundMessage.objects.filter(to_address=notice.claimant_email, purpose="decision").count() == 3


def test_there_is_nothing_to_complain_about_without_a_rejection(client):
    ArticleFactory(primary=PRIMARY)
    received = receive_notice(channel="web", submission=submission(PRIMARY))
    status_url = "/" + received.status_url.split("://", 1)[-1].split("/", 1)[1]

    assert "Send complaint" not in client.get(status_url).content.decode()
    response = client.post(status_url, {"explanation": "Why?"})
    assert response.status_code == 400 and "Nothing of this request was rejected" in response.content.decode()
    assert not CounterNotice.objects.exists()
