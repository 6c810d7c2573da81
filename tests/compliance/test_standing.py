"""Trusted flaggers go first (DSA Art. 22); senders of manifestly unfounded notices are warned, then
suspended (Art. 23); sources with repeated upheld notices become repeat infringers (DMCA 512(i))."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from compliance import roles
from articles.actors import Actor
from compliance.errors import IllegalTransition
from compliance.models import Notice, OutboundMessage, SourceStanding, TrustedFlagger
from compliance.services.confirmation import confirm_email
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.standing import (clear_repeat_infringer, is_repeat_infringer, save_trusted_flagger,
                                          suspend_sender, warn_sender)
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db
UNFOUNDED = Reasons(explanation="The sender owns nothing on this page.", manifestly_unfounded=True)
UPHELD = Reasons(explanation="The claimant owns the report.")
SPAMMER = "bot@claims.example"


def _notice(url: str, email: str = SPAMMER, **kwargs) -> Notice:
    return receive_notice(channel="web", submission=submission(url, claimant_email=email), **kwargs).notice


def _reject_unfounded(n: int) -> Notice:
    notice = None
    for i in range(n):
        notice = _notice(f"https://outlet.example/claimed/{i}.html")
        reject_items(notice_id=notice.pk, item_ids=list(notice.items.values_list("pk", flat=True)),
                     reasons=UNFOUNDED, actor=Actor.parse("user:1"), now=timezone.now())
    return notice


def test_a_confirmed_trusted_flagger_goes_first_in_the_queue():
    save_trusted_flagger(TrustedFlagger(name="Rights Alliance", email_domain="rightsalliance.example",
                                        designated_by="Coimisiún na Meán"), actor=Actor.parse("user:1"), now=timezone.now())
    notice = _notice("https://outlet.example/a.html", email="desk@rightsalliance.example", needs_confirmation=True)
    assert not notice.trusted  # an address typed into a form proves nothing yet

    notice = confirm_email(notice_id=notice.pk, now=timezone.now())

    assert notice.trusted and notice.verification == Notice.Verification.TRUSTED_FLAGGER


def test_an_api_account_marked_as_trusted_flagger_is_trusted_at_intake(django_user_model):
    account = django_user_model.objects.create_user("alliance-api")
    save_trusted_flagger(TrustedFlagger(name="Rights Alliance", sender=account), actor=Actor.parse("user:1"), now=timezone.now())

    notice = _notice("https://outlet.example/a.html", email="desk@elsewhere.example", sender=account)

    assert notice.trusted


def test_suspension_needs_a_prior_warning_and_frequent_unfounded_notices():
    last = _reject_unfounded(1)
    with pytest.raises(IllegalTransition, match="warn the sender first"):
        suspend_sender(notice_id=last.pk, days=30, reason="Repeated bogus claims.", actor=Actor.parse("user:1"), now=timezone.now())
    warn_sender(notice_id=last.pk, reason="Your claim was manifestly unfounded.", actor=Actor.parse("user:1"), now=timezone.now())
    with pytest.raises(IllegalTransition, match="suspension needs 3"):
        suspend_sender(notice_id=last.pk, days=30, reason="Repeated bogus claims.", actor=Actor.parse("user:1"), now=timezone.now())

    last = _reject_unfounded(2)
    suspension = suspend_sender(notice_id=last.pk, days=30, reason="Repeated bogus claims.", actor=Actor.parse("user:1"),
                                now=timezone.now())

    assert suspension.unfounded_notices == 3
    assert OutboundMessage.objects.filter(to_address=SPAMMER, purpose="restriction").count() == 2


def test_a_suspended_senders_notice_is_kept_but_not_processed_and_the_sender_is_told():
    last = _reject_unfounded(3)
    warn_sender(notice_id=last.pk, reason="Manifestly unfounded.", actor=Actor.parse("user:1"), now=timezone.now())
    suspend_sender(notice_id=last.pk, days=30, reason="Repeated bogus claims.", actor=Actor.parse("user:1"), now=timezone.now())

    notice = _notice("https://outlet.example/new-claim.html")

    assert (notice.status, notice.sender_suspended, notice.due_at) == (Notice.Status.CLOSED, True, None)
    assert not notice.deadlines.exists() and notice.items.count() == 1
    ack = OutboundMessage.objects.filter(notice=notice, purpose="acknowledgment").get()
    assert "suspended until" in ack.body
    later = _notice("https://outlet.example/after.html", received_at=timezone.now() + timedelta(days=31))
    assert not later.sender_suspended and later.deadlines.exists()


def test_a_source_with_three_upheld_notices_is_a_repeat_infringer_until_a_lead_clears_it():
    source = SourceFactory(host="pirate.example")
    for i in range(3):
        ArticleFactory(primary=f"https://elsewhere.example/{i}.html", source=source)
        notice = _notice(f"https://elsewhere.example/{i}.html", email=f"owner{i}@rights.example")
        assert not is_repeat_infringer(source.pk)
        withdraw_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], reasons=UPHELD, actor=Actor.parse("user:1"),
                       now=timezone.now())

    assert is_repeat_infringer(source.pk)
    assert SourceStanding.objects.get(source=source).upheld_notices == 3
    clear_repeat_infringer(source_id=source.pk, actor=Actor.parse("user:2"), now=timezone.now())
    assert not is_repeat_infringer(source.pk)


def test_only_a_lead_sees_the_warn_and_suspend_form(client, django_user_model):
    notice = _reject_unfounded(1)
    reviewer = django_user_model.objects.create_user("rita", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, reviewer)
    page = reverse("admin:compliance_notice_change", args=[notice.pk])
    assert "Warn or suspend" not in client.get(page).content.decode()
    restrict = reverse("admin:compliance_notice_restrict", args=[notice.pk])
    assert client.post(restrict, {"kind": "warning", "reason": "x"}).status_code == 403

    lead = django_user_model.objects.create_user("lena", is_staff=True)
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    verified_login(client, lead)
    assert "Warn or suspend" in client.get(page).content.decode()
    client.post(restrict, {"kind": "warning", "reason": "Manifestly unfounded."})
    assert OutboundMessage.objects.filter(to_address=SPAMMER, purpose="restriction").exists()


def test_new_articles_of_a_repeat_infringer_are_held_for_review():
    from articles.ingestion.page import ingest_page
    from tests.compliance.test_staydown_gate import UNRELATED_KHARKIV, page

    source = SourceFactory(host="pirate.example")
    SourceStanding.objects.create(source=source, repeat_infringer=True, upheld_notices=3)

    article = ingest_page(html=page("Metro reopens", UNRELATED_KHARKIV).encode(),
                          source_url="https://pirate.example/metro.html", actor="test").article

    assert article.status == "held" and "repeat infringer" in article.status_reason
