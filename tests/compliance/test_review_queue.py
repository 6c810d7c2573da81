"""The review queue in the admin: reviewers decide through services, auditors only read, and
personal data is shown only to roles allowed to see it, each look logged."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from compliance import roles
from articles.actors import Actor
from compliance.models import AuditEntry, Decision, Notice, OutboundMessage, PersonalDataAccess
from compliance.services.intake import receive_notice
from compliance.services.supplements import supplement_notice
from tests.compliance.intake_helpers import submission
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
PRIMARY = "https://outlet.example/news/story-one.html"
OTHER = "https://outlet.example/news/story-two.html"
REASONS = {"decide-explanation": "The claimant owns the report; we hold no licence.", "decide-ground":
           Decision.Ground.ILLEGAL_CONTENT, "decide-legal_ground": "Copyright (17 U.S.C. 512)",
           "decide-facts": "Same text as the claimant's report.", "decide-territorial_scope": "EEA",
           "decide-redress": "Counter-notice through the link on the withdrawn page."}


def _staff(django_user_model, name: str, role: str):
    user = django_user_model.objects.create_user(name, password="pw-for-tests-only", is_staff=True,
                                                 email=f"{name}@worldtimetodays.example")
    user.groups.add(Group.objects.get(name=role))  # made, with its permissions, by the migrations
    return user


@pytest.fixture
def reviewer(client, django_user_model):
    user = _staff(django_user_model, "rita", roles.REVIEWER)
    verified_login(client, user)
    return user


def _notice(*urls: str, **fields) -> Notice:
    return receive_notice(channel="web", submission=submission(*urls, **fields)).notice


def _page(notice: Notice) -> str:
    return reverse("admin:compliance_notice_change", args=[notice.pk])


def test_a_reviewer_withdraws_one_item_with_reasons_and_the_article_answers_451(client, reviewer):
    first, second = ArticleFactory(primary=PRIMARY), ArticleFactory(primary=OTHER)
    notice = _notice(PRIMARY, OTHER)
    item = notice.items.get(position=0)

    page = client.get(_page(notice)).content.decode()
    assert "Record decision" in page and PRIMARY in page and "legal@kyivindependent.example" in page

    response = client.post(reverse("admin:compliance_notice_decide", args=[notice.pk]),
                           {**REASONS, "decide-decision": "withdraw", "decide-items": [item.pk]}, follow=True)

    assert "withdrew 1 item(s)" in response.content.decode()
    assert client.get(first.get_absolute_url()).status_code == 451
    assert client.get(second.get_absolute_url()).status_code == 200
    decision = Decision.objects.get(notice=notice)
    assert (decision.actor, decision.decided_by, decision.legal_ground) == (
        f"user:{reviewer.pk}", reviewer, "Copyright (17 U.S.C. 512)")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW  # one item is left; its deadlines stay
    assert notice.deadlines.filter(state="pending").exists()


def test_a_decision_without_reasons_is_refused_beside_the_field(client, reviewer):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)

    response = client.post(reverse("admin:compliance_notice_decide", args=[notice.pk]),
                           {**REASONS, "decide-explanation": "", "decide-decision": "withdraw",
                            "decide-items": [notice.items.get().pk]})

    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_second_reviewer_deciding_the_same_item_is_told_who_decided(client, reviewer, django_user_model):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    item = notice.items.get()
    url = reverse("admin:compliance_notice_decide", args=[notice.pk])
    client.post(url, {**REASONS, "decide-decision": "withdraw", "decide-items": [item.pk]})

    other = client.__class__()
    verified_login(other, _staff(django_user_model, "sam", roles.REVIEWER))
    # The second reviewer's page was loaded before the first decision: the item id is still in their form.
    response = other.post(url, {**REASONS, "decide-decision": "reject", "decide-items": [item.pk]}, follow=True)

    text = response.content.decode()
    assert "already decided by rita" in text and f"user:{reviewer.pk}" not in text
    assert Decision.objects.filter(notice=notice).count() == 1


def test_an_auditor_reads_the_notice_without_personal_data_and_cannot_decide(client, django_user_model):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    verified_login(client, _staff(django_user_model, "audrey", roles.AUDITOR))

    page = client.get(_page(notice)).content.decode()

    assert "Record decision" not in page and "legal@kyivindependent.example" not in page
    assert "Personal data redacted" in page
    assert not PersonalDataAccess.objects.exists()
    response = client.post(reverse("admin:compliance_notice_decide", args=[notice.pk]),
                           {**REASONS, "decide-decision": "withdraw", "decide-items": [notice.items.get().pk]})
    assert response.status_code == 403
    changelist = client.get(reverse("admin:compliance_notice_changelist")).content.decode()
    assert "withdraw_selected" not in changelist and 'name="action"' not in changelist
    assert not Decision.objects.exists()


def test_every_look_at_personal_data_is_logged_with_who_and_when(client, reviewer):
    notice = _notice(PRIMARY)

    client.get(_page(notice))
    client.get(_page(notice))

    looks = PersonalDataAccess.objects.filter(notice=notice, user=reviewer)
    assert looks.count() == 2 and {look.what for look in looks} == {"view"}
    with pytest.raises(Exception):
        looks.first().delete()


def test_the_raw_email_is_shown_as_escaped_text(client, reviewer):
    from compliance.services.mail_intake import process_inbound, store_inbound

    raw = (b"From: Marta <legal@kyivindependent.example>\r\nTo: takedown@worldtimetodays.example\r\n"
           b"Subject: Removal request\r\nMessage-ID: <r1@kyivindependent.example>\r\nContent-Type: text/html\r\n\r\n"
           b"<p>Please remove <a href='" + PRIMARY.encode() + b"'>this</a></p><script>alert(1)</script>"
           b"<p>I state in good faith... under penalty of perjury. Marta Hnatiuk</p>")
    message = store_inbound(raw, via="file").message
    process_inbound(message_pk=message.pk, now=timezone.now())
    message.refresh_from_db()
    assert message.notice_id

    page = client.get(_page(message.notice)).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_asking_for_information_mails_the_claimant_and_their_reply_brings_it_back(client, reviewer):
    ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)

    client.post(reverse("admin:compliance_notice_ask", args=[notice.pk]),
                {"question": "Which photo in the article is yours?"})

    notice.refresh_from_db()
    assert notice.status == Notice.Status.AWAITING_INFORMATION
    mail = OutboundMessage.objects.get(notice=notice, purpose="request_information")
    assert "Which photo" in mail.body and notice.reference in mail.subject
    supplement_notice(notice_id=notice.pk, items=[], good_faith=False, accuracy=False, signature="",
                      actor=Actor.parse("mail"), now=timezone.now())
    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW


def test_marking_a_duplicate_closes_it_and_cancels_its_deadlines(client, reviewer):
    ArticleFactory(primary=PRIMARY)
    original, repeat = _notice(PRIMARY), _notice(PRIMARY, claimant_email="other@kyivindependent.example")

    client.post(reverse("admin:compliance_notice_duplicate", args=[repeat.pk]), {"original": original.reference})

    repeat.refresh_from_db()
    assert (repeat.status, repeat.duplicate_of) == (Notice.Status.CLOSED, original)
    assert set(repeat.deadlines.values_list("state", flat=True)) == {"cancelled"}
    assert AuditEntry.objects.filter(action="notice.marked_duplicate", object_id=str(repeat.pk)).exists()


def test_bulk_withdrawal_asks_for_reasons_then_decides_each_notice(client, reviewer):
    ArticleFactory(primary=PRIMARY)
    ArticleFactory(primary=OTHER)
    notices = [_notice(PRIMARY), _notice(OTHER, claimant_email="b@kyivindependent.example")]
    changelist = reverse("admin:compliance_notice_changelist")
    selected = {"action": "withdraw_selected", "_selected_action": [n.pk for n in notices]}

    confirm = client.post(changelist, selected)
    assert "statement of reasons" in confirm.content.decode().lower()
    assert not Decision.objects.exists()

    client.post(changelist, {**selected, "apply": "1", **{k.removeprefix("decide-"): v for k, v in REASONS.items()}})

    assert Decision.objects.filter(action="withdraw").count() == 2
    assert set(Notice.objects.values_list("status", flat=True)) == {"decided"}


def test_assigning_to_me_and_filtering_mine(client, reviewer):
    mine, other = _notice(PRIMARY), _notice(OTHER, claimant_email="b@kyivindependent.example")
    changelist = reverse("admin:compliance_notice_changelist")

    client.post(changelist, {"action": "assign_to_me", "_selected_action": [mine.pk]})

    page = client.get(changelist + "?mine=yes").content.decode()
    assert mine.reference in page and other.reference not in page


def test_the_queue_puts_the_soonest_deadline_first_and_a_trusted_flagger_first_at_equal_deadline(client, reviewer):
    now = timezone.now()
    late = _notice(PRIMARY, claimant_email="a@kyivindependent.example")
    plain = _notice(OTHER, claimant_email="b@kyivindependent.example")
    trusted = _notice("https://outlet.example/news/three.html", claimant_email="c@kyivindependent.example")
    Notice.objects.filter(pk=late.pk).update(due_at=now + timedelta(hours=20))
    Notice.objects.filter(pk__in=[plain.pk, trusted.pk]).update(due_at=now + timedelta(hours=2))
    Notice.objects.filter(pk=trusted.pk).update(trusted=True)

    page = client.get(reverse("admin:compliance_notice_changelist")).content.decode()

    positions = [page.index(n.reference) for n in (trusted, plain, late)]
    assert positions == sorted(positions)


@pytest.mark.parametrize("spelling", [
    "HTTP://Outlet.Example:80/news/story-one.html?utm_source=x#top",
    "outlet.example/news/story-one.html",
])
def test_search_finds_a_notice_by_any_spelling_of_its_url(client, reviewer, spelling):
    notice, other = _notice(PRIMARY), _notice(OTHER, claimant_email="b@kyivindependent.example")

    page = client.get(reverse("admin:compliance_notice_changelist"), {"q": spelling}).content.decode()

    assert notice.reference in page and other.reference not in page


def test_search_by_our_article_url_finds_a_notice_that_named_the_primary_source(client, reviewer, settings):
    article = ArticleFactory(primary=PRIMARY)
    notice = _notice(PRIMARY)
    ours = f"https://{settings.PUBLIC_HOSTS[0]}{article.get_absolute_url()}"

    page = client.get(reverse("admin:compliance_notice_changelist"), {"q": ours}).content.decode()

    assert notice.reference in page


def test_a_reviewer_cannot_change_the_sla_policy_and_a_lead_can(client, reviewer, django_user_model):
    add = reverse("admin:compliance_slapolicy_add")
    assert client.get(add).status_code == 403

    lead = client.__class__()
    verified_login(lead, _staff(django_user_model, "lena", roles.COMPLIANCE_LEAD))
    assert lead.get(add).status_code == 200


def test_an_auditor_can_change_nothing_anywhere_in_the_admin(django_user_model):
    from django.contrib import admin
    from django.test import RequestFactory

    auditor = _staff(django_user_model, "audrey", roles.AUDITOR)
    request = RequestFactory().get("/admin/")
    request.user = auditor
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_permission(request):
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
        assert not model_admin.get_actions(request), model


def test_staff_without_a_second_factor_are_not_let_into_the_admin(client, django_user_model):
    user = _staff(django_user_model, "nofactor", roles.REVIEWER)
    client.force_login(user)  # password only

    response = client.get(reverse("admin:compliance_notice_changelist"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_items_are_found_by_any_spelling_of_their_url(client, reviewer):
    notice, other = _notice(PRIMARY), _notice(OTHER, claimant_email="b@kyivindependent.example")

    page = client.get(reverse("admin:compliance_noticeitem_changelist"),
                      {"q": "http://OUTLET.example/news/story-one.html?utm_medium=mail"}).content.decode()

    assert notice.reference in page and other.reference not in page


def test_the_notice_page_shows_articles_that_look_like_the_reported_one(client, reviewer, seed_page_bytes):
    from articles.ingestion.page import ingest_page

    first = ingest_page(html=seed_page_bytes, source_url=PRIMARY, actor="test").article
    copy = ingest_page(html=seed_page_bytes.replace(b"</article>", b"<p>Updated at noon.</p></article>"),
                       source_url="https://mirror.example/copy.html", actor="test").article
    notice = _notice(PRIMARY)
    assert notice.items.get().matches.get().article == first

    page = client.get(_page(notice)).content.decode()

    assert "look like the one reported" in page and copy.title in page


def test_mail_records_hide_personal_data_from_auditors_and_log_reviewers_looks(client, django_user_model):
    from compliance.services.mail_intake import store_inbound

    raw = (b"From: Marta <legal@kyivindependent.example>\r\nSubject: Removal request\r\n"
           b"Message-ID: <pd1@kyivindependent.example>\r\n\r\nPlease remove " + PRIMARY.encode())
    message = store_inbound(raw, via="file").message
    page = reverse("admin:compliance_inboundmessage_change", args=[message.pk])
    verified_login(client, _staff(django_user_model, "audrey", roles.AUDITOR))

    assert "legal@kyivindependent.example" not in client.get(page).content.decode()
    assert "legal@kyivindependent.example" not in client.get(
        reverse("admin:compliance_inboundmessage_changelist")).content.decode()

    verified_login(client, _staff(django_user_model, "rita", roles.REVIEWER))
    assert "legal@kyivindependent.example" in client.get(page).content.decode()
    assert PersonalDataAccess.objects.filter(detail__startswith="inbound message").count() == 1
