"""Staff pages say who acted by name: the records store an actor's id ("user:3"), the pages never show it.

One member of staff does everything that stores an actor: decides, upholds and restores after a
complaint and a counter-notice, warns a sender, marks a trusted flagger, clears a repeat infringer,
acknowledges a failed deadline, looks at personal data and checks the audit chain. Then every page of
the compliance admin, lists and records, is read."""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.models import Source
from articles.actors import Actor
from compliance.models import OutboundMessage, SlaDeadline, SourceStanding, TrustedFlagger
from compliance.services.audit import verify_and_remember
from compliance.services.counter_notices import (CounterNoticeInput, receive_claimant_complaint,
                                                 receive_counter_notice, restore_contested, uphold_contested)
from compliance.services.decisions import Reasons, reject_items, withdraw_items
from compliance.services.intake import receive_notice
from compliance.services.personal_data import log_access
from compliance.services.queue_failures import acknowledge_failed_deadlines
from compliance.services.standing import clear_repeat_infringer, save_trusted_flagger, warn_sender
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
NAME = "Lena Leadbetter"
WHY = Reasons(explanation="The claimant owns the report.")
UNFOUNDED = Reasons(explanation="The sender owns nothing here.", manifestly_unfounded=True)


@pytest.fixture
def lead(client, django_user_model):
    user = django_user_model.objects.create_superuser("lena", "lena@desk.example", "pw", first_name="Lena",
                                                      last_name="Leadbetter")
    verified_login(client, user)
    return user


def _everything_by(user) -> None:
    actor, now = Actor.staff(user), timezone.now()
    article = ArticleFactory(primary="https://outlet.example/a.html", slug="taken-down")
    ArticleFactory(primary="https://outlet.example/b.html")
    withdrawn = receive_notice(channel="web", submission=submission("https://outlet.example/a.html")).notice
    withdraw_items(notice_id=withdrawn.pk, item_ids=[withdrawn.items.get().pk], reasons=WHY, actor=actor, now=now)
    objection = receive_counter_notice(article_slug=article.slug, now=now, data=CounterNoticeInput(
        kind="counter_notice", name="Pavlo Desk", email="desk@outlet.example", explanation="Licensed.",
        signature="Pavlo Desk", address="1 Press Lane", phone="+380 1", mistake_statement=True,
        jurisdiction_consent=True)).counter_notice
    restore_contested(counter_notice_id=objection.pk, reasons=Reasons(explanation="Licence shown."), actor=actor,
                      now=now)
    rejected = receive_notice(channel="web", submission=submission("https://outlet.example/b.html")).notice
    reject_items(notice_id=rejected.pk, item_ids=[rejected.items.get().pk], reasons=UNFOUNDED, actor=actor, now=now)
    complaint = receive_claimant_complaint(notice_id=rejected.pk, explanation="It is ours.", now=now)
    uphold_contested(counter_notice_id=complaint.pk, reasons=Reasons(explanation="Still licensed."), actor=actor,
                     now=now)
    warn_sender(notice_id=rejected.pk, reason="Unfounded.", actor=actor, now=now)
    save_trusted_flagger(TrustedFlagger(name="Rights Watch", email_domain="watch.example"), actor=actor, now=now)
    source = Source.objects.create(slug="outlet", name="Outlet")
    SourceStanding.objects.create(source=source, repeat_infringer=True, flagged_at=now - timedelta(days=1))
    clear_repeat_infringer(source_id=source.pk, actor=actor, now=now)
    deadline = SlaDeadline.objects.order_by("-pk").first()  # the pages below read the latest rows
    SlaDeadline.objects.filter(pk=deadline.pk).update(state=SlaDeadline.State.FAILED)
    acknowledge_failed_deadlines(deadline_ids=[deadline.pk], actor=actor, now=now)
    log_access(user=user, what="view", notice=withdrawn, detail="notice review page")
    verify_and_remember(actor=actor)


def _compliance_pages(client) -> dict[str, str]:
    pages = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "compliance":
            continue
        name = f"admin:compliance_{model._meta.model_name}"
        try:
            url = reverse(f"{name}_changelist")
        except NoReverseMatch:
            continue
        response = client.get(url, {"queue": "all"} if model._meta.model_name == "notice" else {})
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
        for pk in model.objects.order_by("-pk").values_list("pk", flat=True)[:3]:
            url = reverse(f"{name}_change", args=[pk])
            response = client.get(url)
            assert response.status_code == 200, url
            pages[url] = response.content.decode()
    return pages


def _shown(html: str) -> str:
    """The page as read: the stored audit payload, kept as hashed, is evidence and shown as it is."""
    return re.sub(r'<div class="readonly">\{.*?</div>', "", html, flags=re.S)


def test_staff_pages_name_whoever_acted_and_never_show_an_actor_id(client, lead):
    _everything_by(lead)

    pages = _compliance_pages(client)

    stored = f"user:{lead.pk}"
    assert len(pages) > 20
    assert not [url for url, html in pages.items() if stored in _shown(html)]
    named = [url for url, html in pages.items() if NAME in html]
    for model in ("decision", "counternotice", "senderrestriction", "trustedflagger", "sourcestanding",
                  "sladeadline", "personaldataaccess", "auditverification", "auditentry", "notice"):
        assert any(f"/compliance/{model}/" in url for url in named), model


def test_mails_name_no_actor_id(lead):
    _everything_by(lead)

    bodies = OutboundMessage.objects.values_list("body", flat=True)

    assert bodies and not [body for body in bodies if re.search(r"\buser:\d+", body)]

