"""Every corpus mail gives what tests/fixtures/corpus/README.md says; the same files twice change no count."""

import mailbox
from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from compliance.models import InboundAttachment, InboundMessage, Notice, NoticeItem, NoticeItemMatch, OutboundMessage
from compliance.services.mail_intake import process_inbound, store_inbound
from tests.factories import ArticleFactory, AssetFactory, RightsHolderFactory

pytestmark = pytest.mark.django_db
CNN = "https://edition.cnn.example/2022/05/16/europe/kharkiv-counteroffensive/index.html"


def _ingest(corpus, name: str) -> InboundMessage:
    stored = store_inbound((corpus / name).read_bytes(), via="file")
    return process_inbound(message_pk=stored.message.pk, now=timezone.now())


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in
                 (InboundMessage, InboundAttachment, Notice, NoticeItem, NoticeItemMatch, OutboundMessage))


def test_plain_dmca_notice_opens_a_notice_with_three_of_our_urls_and_the_original(corpus):
    message = _ingest(corpus, "01-dmca-plain.eml")

    notice = message.notice
    assert message.role == "opened" and notice.channel == "email" and notice.kind == "copyright"
    ours = notice.items.filter(normalised_url__startswith="https://worldtimetodays.example/")
    assert ours.count() == 3 and notice.items.count() == 4
    assert notice.status == Notice.Status.IN_REVIEW and notice.missing_elements == []
    assert notice.verification == Notice.Verification.UNVERIFIED


def test_html_only_mail_matches_the_image_as_an_asset(corpus):
    asset = AssetFactory(original_url="https://cdn.worldtimetodays.example/img/2022/05/biskvitne-tank.jpg")

    notice = _ingest(corpus, "02-photo-agency-html.eml").notice

    match = NoticeItemMatch.objects.get(item__notice=notice, how="asset_url")
    assert match.asset == asset


@pytest.mark.parametrize("name, text", [
    ("03-multipart-quoted-printable.eml", "Urheberrechtsverletzung – Übersetzung"),
    ("04-ukrainian-cp1251.eml", "Вимога"),
    ("05-russian-koi8r.eml", "Требование"),
])
def test_encoded_mail_opens_a_notice_with_its_text_decoded(corpus, name, text):
    message = _ingest(corpus, name)

    assert text in message.subject
    assert message.notice.items.filter(normalised_url__startswith="https://worldtimetodays.example/").count() == 1
    assert "\ufffd" not in message.notice.explanation


def test_umlauts_survive_quoted_printable(corpus):
    notice = _ingest(corpus, "03-multipart-quoted-printable.eml").notice

    assert "Übersetzung" in notice.explanation


def test_pdf_attachment_is_stored(corpus):
    message = _ingest(corpus, "06-with-pdf-attachment.eml")

    attachment = message.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(bytes(attachment.content))
    assert message.notice is not None


def test_reply_joins_the_notice_it_names(corpus):
    from tests.compliance.intake_helpers import submission
    from compliance.services.intake import receive_notice

    notice = receive_notice(channel="web", submission=submission("https://worldtimetodays.example/articles/a/")).notice
    Notice.objects.filter(pk=notice.pk).update(reference="TD-2026-7F3KQ9")

    message = _ingest(corpus, "07-reply-threaded.eml")

    assert message.role == "threaded" and message.notice_id == notice.pk
    assert notice.items.filter(url__contains="kharkiv-border-post-video").exists()
    assert Notice.objects.count() == 1


def test_reply_to_an_unknown_reference_opens_a_notice_that_records_it(corpus):
    message = _ingest(corpus, "07-reply-threaded.eml")

    assert message.role == "opened" and message.notice.named_reference == "TD-2026-7F3KQ9"


def test_auto_reply_is_stored_without_notice_or_acknowledgment(corpus):
    message = _ingest(corpus, "08-auto-reply.eml")

    assert (message.kind, message.role, message.notice) == ("auto_reply", "ignored", None)
    assert OutboundMessage.objects.count() == 0


def test_agent_forwarding_acts_for_its_client(corpus):
    holder = RightsHolderFactory(name="Pictura Images")

    notice = _ingest(corpus, "09-forwarded-by-agent.eml").notice

    assert (notice.acting_as, notice.acting_for_name, notice.acting_for) == ("agent", "Pictura Images", holder)


def test_primary_source_mail_matches_every_republication(corpus):
    copies = [ArticleFactory(primary=CNN, language=lang, slug=f"cnn-{lang}") for lang in ("en", "de", "ru")]

    notice = _ingest(corpus, "10-primary-source-all-copies.eml").notice

    item = notice.items.get()
    assert item.normalised_url == CNN
    assert {m.article_id for m in item.matches.all()} == {a.pk for a in copies}


def test_acknowledgment_replies_to_the_mail_and_carries_the_reference(corpus):
    notice = _ingest(corpus, "01-dmca-plain.eml").notice

    ack = OutboundMessage.objects.get(notice=notice)
    assert ack.in_reply_to == "<dmca-001@kyivindependent.example>"
    assert notice.reference in ack.subject and ack.to_address == "legal@kyivindependent.example"


def test_mail_missing_statements_waits_for_them_and_the_reply_starts_the_clock(corpus):
    raw = _mail("Please remove https://worldtimetodays.example/articles/x/", subject="Remove this")
    notice = process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=timezone.now()).notice
    assert notice.status == Notice.Status.AWAITING_INFORMATION and notice.due_at is None
    ack = OutboundMessage.objects.get(notice=notice)
    assert "penalty of perjury" in ack.body

    reply = _mail(_STATEMENTS,
                  subject=f"Re: [{notice.reference}] We received your removal request", message_id="<r2@claimant.example>")
    process_inbound(message_pk=store_inbound(reply, via="file").message.pk, now=timezone.now())

    notice.refresh_from_db()
    assert notice.missing_elements == [] and notice.status == Notice.Status.IN_REVIEW
    assert notice.due_at is not None


def test_same_files_twice_change_no_count(corpus, capsys):
    call_command("ingest_email", str(corpus), "--no-progress")
    first = _counts()

    call_command("ingest_email", str(corpus), "--no-progress")

    assert _counts() == first and first[0] == 10
    assert "0 stored, 10 already stored" in capsys.readouterr().out


def test_redelivery_with_other_headers_is_one_message(corpus):
    raw = (corpus / "01-dmca-plain.eml").read_bytes()

    store_inbound(raw, via="file")
    again = store_inbound(b"Received: from relay2.example by mx.example\r\n" + raw, via="imap")

    assert not again.created and InboundMessage.objects.count() == 1


def test_forged_message_id_with_another_body_is_not_hidden(corpus):
    store_inbound(_mail("first body", message_id="<same@x.example>"), via="file")
    second = store_inbound(_mail("another body", message_id="<same@x.example>"), via="file")

    assert second.created and InboundMessage.objects.count() == 2


@pytest.mark.parametrize("raw", [b"", b"\x00\xff garbage \xfe", b"Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"])
def test_any_bytes_are_stored_and_never_crash(raw):
    stored = store_inbound(raw, via="file")
    message = process_inbound(message_pk=stored.message.pk, now=timezone.now())

    assert bytes(message.raw) == raw and message.role in ("opened", "ignored")


def test_acknowledgments_are_rate_limited_per_address(settings):
    settings.MAIL_ACK_PER_ADDRESS = 2
    for n in range(4):
        raw = _mail(f"remove https://worldtimetodays.example/articles/{n}/", message_id=f"<m{n}@x.example>")
        process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=timezone.now())

    assert Notice.objects.count() == 4 and OutboundMessage.objects.count() == 2


def test_command_reads_maildir_and_mbox_and_says_why_it_fails(tmp_path, corpus, capsys):
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add((corpus / "01-dmca-plain.eml").read_bytes())
    box = mailbox.mbox(tmp_path / "inbox.mbox", create=True)
    box.add((corpus / "05-russian-koi8r.eml").read_bytes())
    box.flush()

    call_command("ingest_email", str(tmp_path / "Maildir"), str(tmp_path / "inbox.mbox"), "--no-progress")

    assert "2 stored" in capsys.readouterr().out and Notice.objects.count() == 2
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest_email", str(tmp_path / "missing"))


_STATEMENTS = """I have a good faith belief that use of the material in the manner complained of is not
authorized by the copyright owner, its agent, or the law.
The information in this notification is accurate, and under penalty of perjury, I am authorized to act
on behalf of the owner of an exclusive right that is allegedly infringed.

/s/ Jane Claimant
"""


def _mail(body: str, *, subject: str = "Copyright", message_id: str = "<n1@claimant.example>") -> bytes:
    message = EmailMessage()
    message["From"] = "Jane Claimant <jane@claimant.example>"
    message["To"] = "takedown@worldtimetodays.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body)
    return bytes(message)
