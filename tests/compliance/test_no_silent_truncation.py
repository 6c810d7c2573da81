"""What people send us is never cut without a word: the form and the API refuse what is longer than
they take, naming the field and the limit; a mail (which cannot be refused) is kept whole; where a
column must cut a mail header, the cut is recorded on the message and shown to reviewers."""

import json
from email.message import EmailMessage

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from compliance import roles
from compliance.forms import CounterNoticeForm, TakedownForm
from compliance.parsing.mail_parse import parse_mail
from compliance.parsing.notice_lines import QUOTED_LENGTH, Source
from compliance.models import InboundMessage, Notice
from compliance.services import dkim_check
from compliance.services.counter_notices_by_mail import counter_notice_input
from compliance.services.intake import receive_notice
from compliance.services.mail_intake import MAX_HEADER_LENGTH, process_inbound, store_inbound
from tests.compliance.intake_helpers import notice_sender_api
from tests.compliance.test_counter_notices import _rejected_notice
from tests.compliance.test_takedown_form import VALID
from tests.conftest import verified_login
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
OURS = "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/"
LONG_NAME = "Maria " + "Hnatiuk-" * 40  # 326 characters: more than any column held before


def _mail(*, from_name: str = "Jane Claimant", subject: str = "Copyright infringement notice",
          body: str = "", message_id: str = "<long-values@claimant.example>") -> bytes:
    message = EmailMessage()
    message["From"] = f'"{from_name}" <jane@claimant.example>'
    message["To"] = "takedown@worldtimetodays.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message.set_content(body or f"Please remove {OURS}, a copy of our report.\n\n"
                                 "I have a good faith belief that this use is not authorised.\n"
                                 "Under penalty of perjury, the information in this notice is accurate.\n\n"
                                 f"/s/ {from_name}\n")
    return bytes(message)


def _process(raw: bytes) -> InboundMessage:
    stored = store_inbound(raw, via="file")
    return process_inbound(message_pk=stored.message.pk, now=timezone.now())


# The form: refused, with the limit named, and nothing stored.

def test_the_form_refuses_a_name_longer_than_it_takes_and_says_the_limit(client):
    response = client.post("/takedown/", {**VALID, "claimant_name": LONG_NAME, "signature": LONG_NAME})

    html = response.content.decode()
    assert response.status_code == 400
    assert f"at most 200 characters (it has {len(LONG_NAME)})" in html
    assert Notice.objects.count() == 0


def test_the_form_keeps_a_long_explanation_whole_on_every_item():
    explanation = "Copied without a licence. " * 300  # 7,800 characters, within the form's 10,000
    form = TakedownForm(data={**VALID, "explanation": explanation, "urls": OURS})
    assert form.is_valid(), form.errors

    notice = receive_notice(channel="web", submission=form.submission()).notice

    assert notice.items.get().note == explanation.strip() and notice.explanation == explanation.strip()


def test_the_counter_notice_form_refuses_an_over_long_signature():
    form = CounterNoticeForm(data={"kind": "complaint", "name": LONG_NAME, "email": "desk@outlet.example",
                                   "explanation": "Not a copy.", "signature": LONG_NAME})

    assert not form.is_valid()
    assert form.errors["signature"] == [f"Ensure this value has at most 200 characters (it has {len(LONG_NAME)})."]


# The API: 400 naming the field and its limit, nothing stored.

@pytest.mark.parametrize("path, limit", [(("claimant", "name"), 200), (("signature",), 200),
                                         (("work_description",), 5000)])
def test_the_api_refuses_an_over_long_field_by_name_and_limit(corpus, django_user_model, path, limit):
    api = notice_sender_api(django_user_model.objects.create_user("sender"))
    body = json.loads((corpus / "api-single.json").read_text())
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = "x" * (limit + 1)

    response = api.post("/api/v1/notices/", data=json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    errors = response.json()
    for key in path:
        errors = errors[key]
    assert errors == [f"Ensure this field has no more than {limit} characters."]
    assert Notice.objects.count() == 0


# Mail: kept whole.

def test_a_mailed_notice_keeps_the_senders_long_name_and_whole_text():
    ArticleFactory(slug="ukrainian-army-secures-kharkiv")
    body = (f"Please remove {OURS}, a copy of our report.\n\n" + "It copies our reporting word for word. " * 400
            + "\n\nI have a good faith belief that this use is not authorised.\n"
              "Under penalty of perjury, the information in this notice is accurate.\n")

    notice = _process(_mail(from_name=LONG_NAME, body=body)).notice

    assert notice.claimant_name == LONG_NAME
    assert len(notice.explanation) > 10_000 and notice.explanation.endswith("this notice is accurate.")


def test_a_mailed_counter_notice_keeps_name_and_signature_whole():
    parsed = parse_mail(_mail(from_name=LONG_NAME, body="The removal was a mistake; we hold a licence.\n"))

    data = counter_notice_input(parsed, signature=LONG_NAME)

    assert data.name == LONG_NAME and data.signature == LONG_NAME


# Mail: a header cut to fit its column is recorded and shown.

def test_a_subject_longer_than_its_column_is_cut_and_the_cut_recorded():
    subject = "Copyright notice" + " about our report" * 70  # 1,206 characters
    message = store_inbound(_mail(subject=subject), via="file").message

    assert len(message.subject) == MAX_HEADER_LENGTH and subject.startswith(message.subject)
    assert (f"the Subject is {len(subject)} characters; the first {MAX_HEADER_LENGTH} are kept "
            "(the raw message holds it whole)") in message.defects


def test_an_attachment_filename_longer_than_its_column_is_recorded():
    mail = EmailMessage()
    mail["From"], mail["Subject"], mail["Message-ID"] = "jane@claimant.example", "Notice", "<attached@claimant.example>"
    mail.set_content("See the attachment.")
    name = "evidence-" + "x" * 300 + ".pdf"
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename=name)

    message = store_inbound(bytes(mail), via="file").message

    assert len(message.attachments.get().filename) == 255
    assert f"attachment filename is {len(name)} characters; the first 255 are kept" in message.defects


def test_the_review_page_shows_what_was_cut_from_a_mail(client, django_user_model):
    ArticleFactory(slug="ukrainian-army-secures-kharkiv")
    subject = "Copyright notice" + " about our report" * 70  # 1,206 characters
    notice = _process(_mail(subject=subject)).notice
    lead = django_user_model.objects.create_user("lena", password="pw-for-tests-only", is_staff=True)
    lead.groups.add(Group.objects.get(name=roles.COMPLIANCE_LEAD))
    verified_login(client, lead)

    html = client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()

    assert f"the Subject is {len(subject)} characters; the first {MAX_HEADER_LENGTH} are kept" in html


# Display only: shortened, and it says so.

def test_a_quoted_passage_is_shortened_with_an_ellipsis():
    quoted = Source(line=3, last_line=9, text="word " * 400).as_json()["text"]

    assert len(quoted) == QUOTED_LENGTH and quoted.endswith("…")


def test_a_dkim_domain_longer_than_its_column_is_recorded(monkeypatch):
    domain = "a" * 250 + ".example"
    monkeypatch.setattr(dkim_check, "dkim_result", lambda raw, dnsfunc=None: (InboundMessage.Dkim.FAIL, domain))
    message = store_inbound(_mail(), via="file").message

    checked = dkim_check.check_dkim(message_pk=message.pk, now=timezone.now())

    assert len(checked.dkim_domain) == 253
    assert f"the DKIM signing domain is {len(domain)} characters; the first 253 are kept" in checked.defects


def test_a_status_reason_too_long_for_its_column_says_it_is_shortened():
    assert Article.short_reason("held: a copy") == "held: a copy"
    shortened = Article.short_reason("held because " * 60)
    assert len(shortened) == 500 and shortened.endswith("…")


def test_a_claimants_over_long_complaint_is_refused_with_the_limit_not_cut(client):
    notice, status_path = _rejected_notice(client)
    explanation = "The report is ours. " * 600  # 12,000 characters

    response = client.post("/" + status_path, {"explanation": explanation})

    assert response.status_code == 400
    assert "12,000 characters long; at most 10,000 are accepted" in response.content.decode()
    assert not notice.counter_notices.exists()
