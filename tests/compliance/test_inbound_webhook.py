import base64
import hashlib
import hmac
import time

import pytest
from django.utils import timezone

from compliance.models import InboundMessage, Notice
from compliance.services.mail_intake import process_pending

pytestmark = pytest.mark.django_db
SECRET = "provider:s3cret-value"
SIGNING_KEY = "mailgun-signing-key"


@pytest.fixture(autouse=True)
def anymail_settings(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


def _post_mime(client, raw: bytes, *, auth: bool = True, key: str = SIGNING_KEY):
    timestamp, token = str(int(time.time())), "a" * 50
    signature = hmac.new(key.encode(), (timestamp + token).encode(), hashlib.sha256).hexdigest()
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(SECRET.encode()).decode()} if auth else {}
    return client.post("/anymail/mailgun/inbound_mime/", {
        "body-mime": raw.decode("ascii"), "timestamp": timestamp, "token": token, "signature": signature,
        "recipient": "takedown@worldtimetodays.example", "sender": "redakcia@kharkiv-news.example"}, **headers)


def test_provider_post_is_stored_byte_for_byte_then_processed_by_the_task(client, corpus):
    raw = (corpus / "04-ukrainian-cp1251.eml").read_bytes()

    response = _post_mime(client, raw)

    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert bytes(message.raw) == raw and message.via == "webhook" and message.role == "pending"
    assert message.envelope_from == "redakcia@kharkiv-news.example"
    assert process_pending(now=timezone.now()) == 1
    assert Notice.objects.get().channel == "email"


@pytest.mark.parametrize("auth, key", [(False, SIGNING_KEY), (True, "forged-key")])
def test_posts_without_the_secret_or_signature_are_refused(client, corpus, auth, key):
    response = _post_mime(client, (corpus / "01-dmca-plain.eml").read_bytes(), auth=auth, key=key)

    assert response.status_code in (400, 401, 403)
    assert InboundMessage.objects.count() == 0


def test_same_mail_posted_twice_is_one_message(client, corpus):
    raw = (corpus / "01-dmca-plain.eml").read_bytes()

    for _ in range(2):
        assert _post_mime(client, raw).status_code == 200

    assert InboundMessage.objects.count() == 1


SPOOFED = (b"From: Rights Desk <copyright@gettyimages.example>\r\nTo: takedown@worldtimetodays.example\r\n"
           b"Subject: DMCA notice\r\nMessage-ID: <spoofed-1@gettyimages.example>\r\n\r\n"
           b"Remove https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/ now.\r\n")


@pytest.mark.parametrize("path", ["/anymail/sendgrid/inbound/", "/anymail/mailgun/inbound_mime/",
                                  "/anymail/postmark/inbound/", "/anymail/amazon_ses/inbound/",
                                  "/anymail/mailjet/inbound/", "/anymail/sparkpost/inbound/",
                                  "/anymail/mandrill/", "/anymail/resend/inbound/"])
def test_every_provider_is_refused_while_no_secret_is_set(client, settings, path):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    response = client.post(path, {"email": SPOOFED.decode()})

    assert response.status_code == 503 and b"ANYMAIL_WEBHOOK_SECRET is not set" in response.content
    assert InboundMessage.objects.count() == 0


def test_a_provider_missing_its_own_setting_answers_503_naming_it(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}  # no MAILGUN_WEBHOOK_SIGNING_KEY

    response = _post_mime(client, SPOOFED)

    assert response.status_code == 503 and b"not configured on our side" in response.content
    assert InboundMessage.objects.count() == 0
