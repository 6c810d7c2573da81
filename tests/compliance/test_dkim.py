import base64
import subprocess

import dkim
import pytest
from django.utils import timezone

from compliance.models import AuditEntry, InboundMessage, Notice
from compliance.services.dkim_check import check_dkim, check_pending
from compliance.services.mail_intake import process_inbound, store_inbound
from tests.compliance.test_email_intake import _STATEMENTS, _mail
from tests.factories import RightsHolderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def key_pair() -> tuple[bytes, bytes]:
    private = subprocess.run(["openssl", "genrsa", "2048"], capture_output=True, check=True).stdout
    public_der = subprocess.run(["openssl", "rsa", "-pubout", "-outform", "DER"], input=private,
                                capture_output=True, check=True).stdout
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public_der)


def _signed(private: bytes, domain: str = "claimant.example") -> bytes:
    raw = _mail(_STATEMENTS + "\nhttps://worldtimetodays.example/articles/a/").replace(b"\n", b"\r\n")
    signature = dkim.sign(raw, b"sel", domain.encode(), private, include_headers=[b"from", b"subject", b"message-id"])
    return signature + raw


def _notice_from(raw: bytes) -> InboundMessage:
    return process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=timezone.now())


def test_aligned_valid_signature_verifies_the_notice(key_pair):
    private, public = key_pair
    message = _notice_from(_signed(private))

    checked = check_dkim(message_pk=message.pk, now=timezone.now(), dnsfunc=lambda name, timeout=5: public)

    assert (checked.dkim, checked.dkim_domain) == ("pass", "claimant.example")
    notice = Notice.objects.get(pk=message.notice_id)
    assert notice.verification == Notice.Verification.DKIM_ALIGNED
    assert AuditEntry.objects.filter(action="notice.verified").count() == 1


def test_signature_from_a_holders_verified_domain_verifies_by_domain(key_pair):
    private, public = key_pair
    RightsHolderFactory(name="Claimant Media", verified_domains=["claimant.example"])
    message = _notice_from(_signed(private))

    check_dkim(message_pk=message.pk, now=timezone.now(), dnsfunc=lambda name, timeout=5: public)

    assert Notice.objects.get(pk=message.notice_id).verification == Notice.Verification.HOLDER_DOMAIN


def test_signature_of_another_domain_is_recorded_but_does_not_verify(key_pair):
    private, public = key_pair
    message = _notice_from(_signed(private, domain="elsewhere.example"))

    checked = check_dkim(message_pk=message.pk, now=timezone.now(), dnsfunc=lambda name, timeout=5: public)

    assert checked.dkim == "pass"
    assert Notice.objects.get(pk=message.notice_id).verification == Notice.Verification.UNVERIFIED


def test_tampered_body_fails(key_pair):
    private, public = key_pair
    message = _notice_from(_signed(private).replace(b"articles/a/", b"articles/b/"))

    checked = check_dkim(message_pk=message.pk, now=timezone.now(), dnsfunc=lambda name, timeout=5: public)

    assert checked.dkim == "fail"
    assert Notice.objects.get(pk=message.notice_id).verification == Notice.Verification.UNVERIFIED


def test_key_lookup_that_fails_offline_records_temperror_and_goes_on(key_pair):
    private, _ = key_pair

    def offline(name, timeout=5):
        raise dkim.DnsTimeoutError("no network")

    message = _notice_from(_signed(private))
    checked = check_dkim(message_pk=message.pk, now=timezone.now(), dnsfunc=offline)

    assert checked.dkim == "temperror"
    assert Notice.objects.get(pk=message.notice_id).verification == Notice.Verification.UNVERIFIED


def test_unsigned_mail_is_none_without_any_lookup(corpus):
    message = _notice_from((corpus / "01-dmca-plain.eml").read_bytes())

    assert check_pending(now=timezone.now()) == 1
    message.refresh_from_db()
    assert message.dkim == "none"
    assert check_pending(now=timezone.now()) == 0
