"""Counter-notices and retractions by mail, and replies threaded only by References: each fixture
under mail_kinds/ gives what its X-Test-Expect header says."""

from datetime import datetime, timezone as dt_timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.actors import Actor
from compliance.business_days import add_business_days
from compliance.models import (AuditEntry, CounterNotice, Decision, InboundMessage, Notice, NoticeItem, OutboundMessage,
                               SlaDeadline)
from compliance.services.decisions import Reasons, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.mail_intake import process_inbound, store_inbound
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db
MAIL = Path(__file__).parent / "mail_kinds"
T0 = datetime(2026, 11, 2, 8, 0, tzinfo=dt_timezone.utc)
REASONS = Reasons(explanation="The claimant owns the report.", legal_ground="Copyright")
AGENCY_STORY = "https://outlet.example/news/agency-photo-story.html"


def ingest(name: str, *, at: datetime = T0) -> InboundMessage:
    stored = store_inbound((MAIL / name).read_bytes(), via="file", received_at=at)
    return process_inbound(message_pk=stored.message.pk, now=at)


def withdrawn_notice(*articles, reference: str = "", **fields) -> Notice:
    notice = receive_notice(channel="web", received_at=T0,
                            submission=submission(*[a.primary_source_url for a in articles], **fields)).notice
    withdraw_items(notice_id=notice.pk, item_ids=list(notice.items.values_list("pk", flat=True)), reasons=REASONS,
                   actor=Actor.parse("user:1"), now=T0)
    if reference:
        Notice.objects.filter(pk=notice.pk).update(reference=reference)
    notice.refresh_from_db()
    return notice


def test_every_fixture_states_what_it_must_give():
    for path in MAIL.glob("*.eml"):
        raw = path.read_bytes()
        assert b"\r\nX-Test-Expect: " in raw and b"\n" not in raw.replace(b"\r\n", b""), path.name


# --- counter-notices ---------------------------------------------------------------------------

def test_counter_notice_by_mail_after_a_withdrawal_is_filed_and_starts_the_restore_window():
    article = ArticleFactory(slug="lviv-tram-depot-fire", primary="https://lviv-courier.example/2026/tram-depot")
    notice = withdrawn_notice(article)
    at = datetime(2026, 11, 3, 10, 0, tzinfo=dt_timezone.utc)

    message = ingest("counter-by-url.eml", at=at)

    assert (message.message_kind, message.role) == ("counter_notice", "counter")
    counter = message.counter_notice
    assert (counter.notice, counter.article, counter.channel, counter.kind) == (notice, article, "email",
                                                                                "counter_notice")
    assert counter.mistake_statement and counter.jurisdiction_consent and counter.missing_elements == []
    assert counter.email == "desk@lviv-courier.example" and counter.name == "Olena Koval"
    restore = SlaDeadline.objects.get(counter_notice=counter)
    assert restore.kind == "restore" and restore.due_at == add_business_days(at, settings.COUNTER_NOTICE_BUSINESS_DAYS)
    assert Notice.objects.count() == 1 and message.notice == notice
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW  # reopened, as the form does
    to_claimant = OutboundMessage.objects.get(purpose="counter_notice", to_address=notice.claimant_email)
    assert "mistake or misidentification" in to_claimant.body and "14 Rynok Square" in to_claimant.body
    assert "does not include" not in to_claimant.body
    assert OutboundMessage.objects.filter(purpose="counter_notice", to_address=counter.email).exists()
    assert AuditEntry.objects.filter(action="counter_notice.received", actor="claimant:email").count() == 1


def test_the_same_counter_notice_delivered_twice_files_one():
    article = ArticleFactory(slug="lviv-tram-depot-fire", primary="https://lviv-courier.example/2026/tram-depot")
    withdrawn_notice(article)
    ingest("counter-by-url.eml")
    raw = b"Received: from relay2.example by mx.example\r\n" + (MAIL / "counter-by-url.eml").read_bytes()
    process_inbound(message_pk=store_inbound(raw, via="imap").message.pk, now=T0)

    assert CounterNotice.objects.count() == 1 and SlaDeadline.objects.filter(kind="restore").count() == 1


def test_counter_notice_naming_a_reference_contests_what_that_notice_withdrew_from_the_senders_source():
    courier = SourceFactory(slug="lviv-courier", takedown_email="desk@lviv-courier.example")
    theirs = ArticleFactory(source=courier, primary="https://lviv-courier.example/photo-report")
    other = ArticleFactory(primary="https://elsewhere.example/other-report")
    notice = withdrawn_notice(theirs, other, reference="TD-2026-K7M2QD")

    message = ingest("counter-by-reference.eml")

    counter = CounterNotice.objects.get()
    assert message.role == "counter" and (counter.notice, counter.article) == (notice, theirs)
    assert counter.mistake_statement and not counter.jurisdiction_consent
    assert "jurisdiction_consent" in counter.missing_elements
    to_claimant = OutboundMessage.objects.get(purpose="counter_notice", to_address=notice.claimant_email)
    assert "does not include" in to_claimant.body and "consent to the jurisdiction" in to_claimant.body
    assert "They consent to the jurisdiction" not in to_claimant.body  # never claims what was not said


def test_counter_notice_that_links_to_nothing_withdrawn_is_kept_for_staff_and_opens_no_takedown():
    message = ingest("counter-unlinked.eml")

    assert (message.message_kind, message.role, message.notice) == ("counter_notice", "for_staff", None)
    assert Notice.objects.count() == 0 and CounterNotice.objects.count() == 0
    assert OutboundMessage.objects.count() == 0


def test_an_incomplete_counter_notice_is_not_restored_by_the_timer(settings):
    from compliance.services.sla_enforce import enforce

    settings.COUNTER_NOTICE_TIMED_RESTORE = True
    courier = SourceFactory(slug="lviv-courier", takedown_email="desk@lviv-courier.example")
    article = ArticleFactory(source=courier, primary="https://lviv-courier.example/photo-report")
    withdrawn_notice(article, reference="TD-2026-K7M2QD")
    ingest("counter-by-reference.eml")
    restore = SlaDeadline.objects.get(kind="restore")

    outcome = enforce(deadline_id=restore.pk, now=restore.due_at)

    article.refresh_from_db()
    assert "back to staff" in outcome and article.status == "withdrawn"


# --- retractions ------------------------------------------------------------------------------

def _open_notice(reference: str = "") -> Notice:
    ArticleFactory(primary=AGENCY_STORY)
    notice = receive_notice(channel="web", received_at=T0, submission=submission(
        AGENCY_STORY, claimant_email="claims@rights-agency.example")).notice
    if reference:
        Notice.objects.filter(pk=notice.pk).update(reference=reference)
        notice.refresh_from_db()
    return notice


def _open_deadlines(notice: Notice) -> list[tuple[str, str]]:
    return sorted(notice.deadlines.values_list("kind", "state"))


def test_retraction_naming_its_reference_joins_the_notice_and_cancels_nothing():
    notice = _open_notice("TD-2026-R3TR4C")
    deadlines = _open_deadlines(notice)

    message = ingest("retraction-by-reference.eml")

    assert (message.message_kind, message.role, message.notice) == ("retraction", "retraction", notice)
    assert Notice.objects.count() == 1 and _open_deadlines(notice) == deadlines
    assert list(notice.items.values_list("state", flat=True)) == ["matched"]
    assert not Decision.objects.exists()
    assert AuditEntry.objects.filter(action="notice.retraction_received").count() == 1


def test_retraction_without_reference_is_linked_by_the_claimant_and_the_urls():
    notice = _open_notice()

    message = ingest("retraction-by-urls.eml")

    assert (message.role, message.notice) == ("retraction", notice)


def test_retraction_of_a_notice_we_do_not_have_is_kept_for_staff():
    message = ingest("retraction-by-urls.eml")

    assert (message.message_kind, message.role, message.notice) == ("retraction", "for_staff", None)
    assert Notice.objects.count() == 0


@pytest.fixture
def reviewer_client(client, django_user_model):
    user = django_user_model.objects.create_user("rev", password="pw-for-tests-only", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["decide_notice", "view_notice"]))
    verified_login(client, user)
    return client


def test_staff_confirm_the_retraction_in_one_click(reviewer_client):
    notice = _open_notice("TD-2026-R3TR4C")
    ingest("retraction-by-reference.eml")
    page = reverse("admin:compliance_notice_change", args=[notice.pk])
    assert 'id="claimant-withdrew-form"' in reviewer_client.get(page).content.decode()

    response = reviewer_client.post(reverse("admin:compliance_notice_claimant_withdrew", args=[notice.pk]))

    assert response.status_code == 302
    notice.refresh_from_db()
    decision = Decision.objects.get()
    assert notice.status == Notice.Status.DECIDED and decision.action == "claimant_withdrew"
    assert "withdrew this notice by email" in decision.explanation and decision.legal_ground
    assert "the claimant's own address" in decision.facts
    assert list(notice.items.values_list("state", flat=True)) == [NoticeItem.State.REJECTED]
    assert not notice.deadlines.filter(state__in=SlaDeadline.OPEN_STATES).exists()
    assert OutboundMessage.objects.filter(purpose="decision", to_address=notice.claimant_email).exists()
    assert AuditEntry.objects.filter(action="notice.retraction_accepted").count() == 1
    assert 'id="claimant-withdrew-form"' not in reviewer_client.get(page).content.decode()


# --- threading by References ------------------------------------------------------------------

def test_reply_whose_only_link_is_our_message_id_in_references_threads_and_starts_the_clock():
    ArticleFactory(slug="kyiv-night-trains")
    first = ingest("incomplete-names-ours.eml")
    notice = first.notice
    Notice.objects.filter(pk=notice.pk).update(reference="TD-2026-7F3KQ9")
    at = datetime(2026, 11, 2, 12, 0, tzinfo=dt_timezone.utc)

    reply = ingest("reply-references-only.eml", at=at)

    assert (reply.message_kind, reply.role, reply.notice_id) == ("supplement", "threaded", notice.pk)
    assert Notice.objects.count() == 1
    notice.refresh_from_db()
    assert notice.missing_elements == [] and notice.clock_started_at == at
    response = notice.deadlines.get(kind="response")
    assert response.state == "cancelled" and "removal clock started" in response.outcome


def test_mails_about_a_mailed_counter_notice_give_times_in_utc():
    article = ArticleFactory(slug="lviv-tram-depot-fire", primary="https://lviv-courier.example/2026/tram-depot")
    withdrawn_notice(article)

    counter = ingest("counter-by-url.eml").counter_notice

    due = f"{counter.restore_due_at.astimezone(dt_timezone.utc):%-d %B %Y, %H:%M} UTC"
    assert all(due in mail.body for mail in OutboundMessage.objects.filter(purpose="counter_notice"))


def test_the_claimant_writing_about_the_counter_notice_files_none_in_their_own_name():
    courier = SourceFactory(slug="lviv-courier", takedown_email="desk@lviv-courier.example")
    notice = withdrawn_notice(ArticleFactory(source=courier), reference="TD-2026-K7M2QD")

    message = ingest("claimant-answers-counter-notice.eml")

    assert (message.message_kind, message.role, message.notice) == ("counter_notice", "for_staff", notice)
    assert CounterNotice.objects.count() == 0 and Notice.objects.count() == 1
