"""Poison mail: a message that cannot become a notice is set aside with its error and an alert, and
every later mail is processed by the real worker; nothing waits behind it."""

from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from compliance import roles
from compliance.models import InboundMessage, Notice, OutboundMessage
from compliance.services.mail_intake import store_inbound
from compliance.tasks import process_inbound_mail
from tests.compliance.real_worker import wait_until
from tests.faults.figures import Figures, record
from tests.faults.workers import needs_real_stack

pytestmark = [pytest.mark.faults, needs_real_stack, pytest.mark.django_db(transaction=True)]


def _mail(sender: str, n: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"Rights Desk <{sender}>"
    message["To"] = "takedown@worldtimetodays.example"
    message["Subject"] = f"DMCA notice {n}"
    message["Message-ID"] = make_msgid(idstring=f"poison{n}", domain="rights.example")
    message.set_content(f"Please remove https://worldtimetodays.example/articles/copied-{n}/ which copies our "
                        "report.\nI have a good faith belief this use is not authorised.\nRights Desk")
    return bytes(message)


def test_a_poison_mail_is_set_aside_and_the_queue_goes_on(worker):
    lead = Group.objects.get_or_create(name=roles.COMPLIANCE_LEAD)[0].user_set.create(
        username="lead", email="lead@worldtimetodays.example")
    assert lead.groups.exists()
    start = timezone.now() - timedelta(minutes=5)
    too_long = "desk@" + "a" * 63 + "." + ("b" * 63 + ".") * 5 + "rights.example"  # 400+ characters
    addresses = [too_long, "x" * 64 + "@" + ("c" * 60 + ".") * 3 + "rights.example"]  # 400+ and 260 characters
    addresses += [f"desk{n}@rights.example" for n in range(6)]
    for n, address in enumerate(addresses):  # the poison one is the oldest: first in the queue
        store_inbound(_mail(address, n), via=InboundMessage.Via.FILE, received_at=start + timedelta(seconds=n))
    assert len(too_long) > 320 and len(addresses[1]) > 254
    running = worker(queues="default")

    process_inbound_mail.apply_async(queue="default")
    wait_until(lambda: not InboundMessage.objects.filter(role="pending").exists(), seconds=60,
               what="every mail processed", log=running.log)

    failed = InboundMessage.objects.get(role="failed")
    assert failed.header_from.startswith("desk@") and "at most 320" in failed.error
    assert Notice.objects.count() == len(addresses) - 1
    assert Notice.objects.filter(claimant_email=addresses[1]).exists()  # stored whole, not cut
    alert = OutboundMessage.objects.get(to_address=lead.email)
    assert alert.subject.startswith("URGENT: inbound mail") and "at most 320" in alert.body
    set_aside_silently = InboundMessage.objects.filter(role="failed").exclude(error="").count() - 1
    record(Figures("poison mail (400-character sender) ahead of 7 good ones", notices=len(addresses),
                   lost=len(addresses) - Notice.objects.count() - InboundMessage.objects.filter(role="failed").count(),
                   missed=max(set_aside_silently, 0), twice=Notice.objects.count() - (len(addresses) - 1)))
