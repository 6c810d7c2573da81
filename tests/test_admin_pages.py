import pytest
from django.contrib import admin
from django.urls import reverse

from tests.conftest import verified_login
from tests.factories import AssetFactory
from articles.actors import Actor

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_change_page_renders(client, django_user_model):
    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    asset = AssetFactory()
    pages = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    pages.append(reverse("admin:articles_article_change", args=[asset.article.pk]))

    for page in pages:
        assert client.get(page).status_code == 200, page


def test_audit_entries_cannot_be_added_or_edited_in_the_admin(client, django_user_model):
    from django.db import transaction

    from compliance.services.audit import record

    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    asset = AssetFactory()
    with transaction.atomic():
        entry = record(action="test", target=asset, actor=Actor.parse("user:1"))

    assert client.get(reverse("admin:compliance_auditentry_add")).status_code == 403
    response = client.post(reverse("admin:compliance_auditentry_change", args=[entry.pk]), {"action": "x"})
    assert response.status_code == 403


def test_raw_mail_is_shown_as_text_never_as_live_html(client, django_user_model):
    from compliance.services.mail_intake import store_inbound

    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    raw = b"From: a@b.example\r\nContent-Type: text/html\r\nSubject: hi\r\n\r\n<script>alert('x')</script><b>bold</b>"
    message = store_inbound(raw, via="file").message

    html = client.get(reverse("admin:compliance_inboundmessage_change", args=[message.pk])).content.decode()

    assert "&lt;script&gt;alert" in html and "<script>alert" not in html


def test_notice_page_lists_its_items(client, django_user_model):
    from compliance.services.intake import receive_notice
    from tests.compliance.intake_helpers import submission

    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    notice = receive_notice(channel="web", submission=submission("https://a.example/page")).notice

    html = client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()

    assert notice.reference in html and "https://a.example/page" in html


def test_notice_list_colours_time_left_by_escalation_step(client, django_user_model):
    from datetime import timedelta

    import time_machine

    from compliance.services.intake import receive_notice
    from tests.compliance.intake_helpers import submission

    verified_login(client, django_user_model.objects.create_superuser("root", "root@example.test", "x-y-z-123"))
    notice = receive_notice(channel="web", submission=submission("https://a.example/page")).notice

    pages = {}
    for hours, step in [(1, "ok"), (13, "50"), (19, "75"), (22, "90"), (25, "overdue")]:
        with time_machine.travel(notice.received_at + timedelta(hours=hours), tick=False):
            pages[step] = client.get(reverse("admin:compliance_notice_changelist")).content.decode()

    for step, html in pages.items():
        assert f'class="sla sla-{step}"' in html
    assert "overdue 1 h 00 min" in pages["overdue"]


def test_the_admin_index_leads_to_the_work(client, django_user_model):
    from django.contrib.auth.models import Group

    auditor = django_user_model.objects.create_user("audrey", is_staff=True)
    auditor.groups.add(Group.objects.get(name="Auditor"))
    verified_login(client, auditor)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Review queue" in page and reverse("compliance-report") in page
