import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from compliance.models import AuditEntry, Notice, OutboundMessage
from compliance.services.outbox import send_pending
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

VALID = {
    "claimant_name": "Marta Hnatiuk", "claimant_organisation": "Kyiv Independent Media LLC",
    "claimant_email": "Legal@KyivIndependent.example", "claimant_address": "12 Example St, Kyiv, Ukraine",
    "claimant_phone": "+380 44 000 0000", "acting_as": "owner", "acting_for_name": "", "kind": "copyright",
    "work_description": "News report of 16 May 2022",
    "urls": "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/\n\n"
            "https://www.kyivindependent.example/news/kharkiv-border-2022-05-16/?utm_source=x",
    "domains": "", "explanation": "Copied in full without a licence.", "good_faith": "on", "accuracy": "on",
    "signature": "Marta Hnatiuk", "website": "",
}


def _post(client, **changes):
    return client.post("/takedown/", {**VALID, **changes})


def test_valid_request_redirects_to_the_private_status_page(client):
    ArticleFactory(slug="ukrainian-army-secures-kharkiv")

    response = _post(client)

    assert response.status_code == 302
    status_page = client.get(response["Location"])
    html = status_page.content.decode()
    notice = Notice.objects.get()
    assert notice.reference in html and "Thank you" in html
    assert notice.claimant_email == "legal@kyivindependent.example"
    assert notice.status == Notice.Status.AWAITING_CONFIRMATION and notice.items.count() == 2
    assert status_page["Referrer-Policy"] == "same-origin" and "no-store" in status_page["Cache-Control"]


def test_every_invalid_field_is_named_and_what_was_typed_is_kept(client):
    response = _post(client, claimant_email="not-an-email", good_faith="", signature="Someone Else",
                     urls="javascript:alert(1)\nhttps://ok.example/a\nftp://files.example/x")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in html
    assert "This statement is required." in html
    assert "Type your full name exactly" in html
    assert "Line 1:" in html and "Line 3:" in html and "only http and https" in html
    assert "Kyiv Independent Media LLC" in html and "https://ok.example/a" in html
    assert Notice.objects.count() == 0


def test_agent_must_name_the_rights_holder(client):
    html = _post(client, acting_as="agent", acting_for_name="").content.decode()

    assert "Name the rights holder you act for." in html


def test_honeypot_refuses_and_stores_nothing(client):
    response = _post(client, website="http://spam.example")

    assert response.status_code == 400 and Notice.objects.count() == 0


def test_csrf_is_enforced():
    response = Client(enforce_csrf_checks=True).post("/takedown/", VALID)

    assert response.status_code == 403 and Notice.objects.count() == 0


def test_rate_limit_per_email_answers_429(client, settings):
    settings.TAKEDOWN_RATE_PER_EMAIL = 2
    codes = [_post(client, urls=f"https://a.example/{n}").status_code for n in range(3)]

    assert codes == [302, 302, 429]
    assert Notice.objects.count() == 2


def test_status_link_is_unguessable_and_shows_only_that_notice(client):
    _post(client)

    assert client.get("/takedown/status/not-a-real-token/").status_code == 404
    assert client.get("/takedown/status/1/").status_code == 404


def test_confirmation_link_confirms_on_post_only_once(client):
    _post(client)
    notice = Notice.objects.get()
    body = OutboundMessage.objects.get(notice=notice).body
    path = re.search(r"https?://[^/]+(/takedown/confirm/[^\s]+/)", body).group(1)

    assert client.get(path).status_code == 200
    notice.refresh_from_db()
    assert notice.status == Notice.Status.AWAITING_CONFIRMATION
    client.post(path)
    client.post(path)

    notice.refresh_from_db()
    assert notice.status == Notice.Status.IN_REVIEW
    assert notice.verification == Notice.Verification.EMAIL_CONFIRMED
    assert AuditEntry.objects.filter(action="notice.email_confirmed").count() == 1
    assert client.post("/takedown/confirm/forged-token/").status_code == 400


def test_outbox_sends_the_acknowledgment_with_its_message_id(client):
    _post(client)
    outbound = OutboundMessage.objects.get()

    assert send_pending(now=timezone.now()) == 1
    assert send_pending(now=timezone.now()) == 0

    sent = mail.outbox[0]
    assert sent.to == ["legal@kyivindependent.example"]
    assert sent.subject.startswith(f"[{outbound.notice.reference}]")
    assert sent.extra_headers["Message-ID"] == outbound.message_id
    outbound.refresh_from_db()
    assert outbound.state == OutboundMessage.State.SENT


def test_failed_sends_are_retried_then_marked_failed(client, settings):
    settings.EMAIL_BACKEND = "tests.compliance.test_takedown_form.BrokenBackend"
    _post(client)

    for _ in range(8):
        send_pending(now=timezone.now())

    outbound = OutboundMessage.objects.get()
    assert outbound.state == OutboundMessage.State.FAILED and outbound.attempts == 8
    assert "SMTP is down" in outbound.last_error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")
