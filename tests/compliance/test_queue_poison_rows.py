"""Every queue worker isolates a poison row: marked failed with its error, the leads alerted, the
rest of the queue done in the same pass."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from compliance import roles
from articles.actors import Actor
from compliance.models import OutboundMessage, WebhookDelivery, WebhookEndpoint
from compliance.services.outbox import MAX_ATTEMPTS, send_pending
from compliance.services.webhooks import deliver_pending
from compliance.services.withdrawal import withdraw_article
from tests.compliance.test_webhooks import receiver  # noqa: F401 (fixture)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(django_user_model):
    user = django_user_model.objects.create_user("lead", email="lead@worldtimetodays.example")
    user.groups.add(Group.objects.get_or_create(name=roles.COMPLIANCE_LEAD)[0])
    return user


def _outbound(to: str, n: int) -> OutboundMessage:
    return OutboundMessage.objects.create(purpose=OutboundMessage.Purpose.DECISION, to_address=to,
                                          subject=f"Decision {n}", body="Withdrawn.", message_id=f"<d{n}@x.example>")


def test_an_unsendable_mail_is_set_aside_after_its_tries_and_alerted(lead):
    poison = _outbound("claimant@example.org\nBcc: everyone@example.org", 1)
    good = _outbound("claimant@example.org", 2)

    for _ in range(MAX_ATTEMPTS):
        send_pending(now=timezone.now())

    poison.refresh_from_db()
    good.refresh_from_db()
    assert good.state == "sent" and poison.state == "failed" and poison.attempts == MAX_ATTEMPTS
    assert "BadHeaderError" in poison.last_error
    alert = OutboundMessage.objects.get(to_address=lead.email)
    assert alert.subject.startswith("URGENT: mail to a claimant") and "BadHeaderError" in alert.body
    send_pending(now=timezone.now())
    assert [m.subject for m in mail.outbox].count("URGENT: mail to a claimant or source could not be sent "
                                                 "(Decision to the claimant)") == 1


def test_a_webhook_row_that_breaks_the_sender_is_set_aside_and_the_next_delivered(receiver, lead):  # noqa: F811
    hook = receiver()
    WebhookEndpoint.objects.create(name="cms", url=hook.url, secret="s", events=["article.withdrawn"])
    broken = WebhookEndpoint.objects.create(name="misconfigured", url=hook.url, secret="s",
                                            events=["article.withdrawn"])
    WebhookEndpoint.objects.filter(pk=broken.pk).update(url="cms.internal/hook")  # no scheme: urllib refuses it
    withdraw_article(article_id=ArticleFactory().pk, actor=Actor.parse("user:1"), reason="notice")

    assert deliver_pending(now=timezone.now()) == 1

    failed = WebhookDelivery.objects.get(endpoint=broken)
    assert failed.state == "failed" and "ValueError" in failed.last_error
    assert len(hook.requests) == 1
    assert OutboundMessage.objects.get(to_address=lead.email).subject.startswith("URGENT: webhook delivery")


def test_a_message_whose_dkim_check_breaks_is_recorded_and_the_next_checked(monkeypatch):
    from compliance.models import InboundMessage
    from compliance.services import dkim_check
    from compliance.services.mail_intake import store_inbound

    def mail(n: int) -> bytes:
        return (f"From: desk{n}@rights.example\r\nTo: takedown@worldtimetodays.example\r\nSubject: notice {n}\r\n"
                f"Message-ID: <dkim-{n}@rights.example>\r\n\r\nRemove https://outlet.example/{n}\r\n").encode()

    poison, good = (store_inbound(mail(n), via="file").message for n in range(2))
    real = dkim_check.dkim_result

    def breaks_on_the_first(raw, **kwargs):
        if b"desk0@" in raw:
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "a header no decoder expected")
        return real(raw, **kwargs)

    monkeypatch.setattr(dkim_check, "dkim_result", breaks_on_the_first)

    assert dkim_check.check_pending(now=timezone.now()) == 2

    assert InboundMessage.objects.get(pk=poison.pk).dkim == "permerror"
    assert InboundMessage.objects.get(pk=good.pk).dkim == "none"
