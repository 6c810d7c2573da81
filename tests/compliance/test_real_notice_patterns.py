"""Notices written the way real ones are (web-form printouts, agency letters with /s/, plain owner
emails, markdown with emphasised URLs, counter-notices and retractions, six languages) give what
tests/compliance/notices/expected.toml says each must give: kind, signature and its line, statements,
items, originals and references; by mail, the notice intake opens keeps the same, and the review
page shows where each element came from."""

import tomllib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from compliance import roles
from compliance.parsing.mail_parse import ParsedMail, parse_mail
from compliance.parsing.message_kind import classify_message
from compliance.parsing.notice_text import NoticeReading, read_notice
from compliance.models import Notice
from compliance.services.mail_intake import process_inbound, store_inbound
from tests.conftest import verified_login

NOTICES = Path(__file__).parent / "notices"
EXPECTED = tomllib.loads((NOTICES / "expected.toml").read_text(encoding="utf-8"))
TAKEDOWNS = sorted(name for name, want in EXPECTED.items() if want["kind"] == "takedown")
NOW = datetime(2026, 1, 12, 10, 5, tzinfo=timezone.utc)


def _mail(name: str) -> tuple[bytes, ParsedMail]:
    raw = (NOTICES / f"{name}.eml").read_bytes()
    return raw, parse_mail(raw)


def _read(parsed: ParsedMail) -> NoticeReading:
    return read_notice(parsed.text, hrefs=parsed.html_hrefs, our_hosts=tuple(settings.PUBLIC_HOSTS),
                       sender_domain=parsed.from_address.rpartition("@")[2])


def _urls(reading: NoticeReading, role: str) -> set[str]:
    return {u.url for u in reading.urls if u.role == role}


def test_the_fixtures_cover_every_pattern_the_issue_names():
    prefixes = {name.split("-")[0] for name in EXPECTED}
    assert len(EXPECTED) >= 40 and {"form", "agency", "plain", "md", "counter", "retraction", "lang"} <= prefixes
    assert {(NOTICES / f"{name}.eml").exists() for name in EXPECTED} == {True}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_notice_reads_as_its_fixture_states(name):
    want = EXPECTED[name]
    _raw, parsed = _mail(name)
    reading = _read(parsed)

    assert classify_message(parsed.subject, parsed.text, threads_to_notice=want.get("threads_to_notice", False)) \
        == want["kind"]
    assert reading.signature == want["signature"]
    if want["signature"]:
        source = reading.sources["signature"]
        assert source.last_line == want["signature_line"]
        # the line number points at the very line of the stored text that holds the typed name
        assert want["signature"].split(",")[0] in parsed.text.splitlines()[source.last_line - 1]
    else:
        assert "signature" not in reading.sources
    assert (reading.good_faith, reading.accuracy) == (want["good_faith"], want["accuracy"])
    assert _urls(reading, "reported") == set(want["items"])
    assert _urls(reading, "original") == set(want["originals"])
    assert _urls(reading, "reference") == set(want["references"])
    for element in ("address", "phone", "work"):
        assert getattr(reading, element) == want.get(element, "")


@pytest.mark.parametrize("name", ["form-02-emphasised-urls", "md-21-trailing-punctuation",
                                  "md-22-underscores-and-angles", "md-23-wrapped-url"])
def test_urls_keep_no_markdown_quoting_or_punctuation(name):
    _raw, parsed = _mail(name)

    for url in parsed.urls:
        assert not any(mark in url for mark in ("*", "__", "<", ">", "`", "](", '"')), url
        assert url[-1] not in ".,;:!?)", url


@pytest.mark.django_db
@pytest.mark.parametrize("name", TAKEDOWNS)
def test_a_takedown_by_mail_keeps_its_elements_their_lines_and_its_references(name):
    want = EXPECTED[name]
    raw, parsed = _mail(name)

    stored = store_inbound(raw, via="file")
    notice = process_inbound(message_pk=stored.message.pk, now=NOW).notice

    assert notice.signature == want["signature"]
    if want["signature"]:
        assert notice.element_sources["signature"]["last_line"] == want["signature_line"]
    assert set(notice.items.values_list("url", flat=True)) == set(want["items"]) | set(want["originals"])
    assert {r["url"] for r in notice.reference_urls} == set(want["references"])
    assert notice.claimant_address == want.get("address", "")
    assert notice.claimant_phone == want.get("phone", "")
    assert notice.work_description == want.get("work", parsed.subject)
    complete = want["good_faith"] and want["accuracy"] and bool(want["signature"]) and bool(want["items"])
    assert (notice.clock_started_at is not None) == complete
    assert ("signature" in notice.missing_elements) == (not want["signature"])


@pytest.mark.django_db
def test_the_review_page_highlights_the_line_each_element_came_from_and_lists_references(client,
                                                                                       django_user_model):
    raw, _parsed = _mail("form-01-markdown-complete")
    notice = process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=NOW).notice
    user = django_user_model.objects.create_user("rita", password="pw-for-tests-only", is_staff=True,
                                                 email="rita@worldtimetodays.example")
    user.groups.add(Group.objects.get(name=roles.REVIEWER))
    verified_login(client, user)

    page = client.get(reverse("admin:compliance_notice_change", args=[notice.pk])).content.decode()

    line = notice.element_sources["signature"]["line"]
    assert f'<li value="{line}" id="notice-line-{line}" class="source-line" title="Signature">' in page
    assert "<mark>Halyna Moroz</mark>" in page
    assert "https://worldtimetodays.example/help/removal-guide/" in page
    assert "a link in the form&#x27;s question, not in the answer" in page


@pytest.mark.django_db
def test_an_unsigned_form_is_told_the_signature_is_missing_and_waits(client):
    raw, _parsed = _mail("form-45-yes-no-answers")

    notice = process_inbound(message_pk=store_inbound(raw, via="file").message.pk, now=NOW).notice

    assert notice.status == Notice.Status.AWAITING_INFORMATION and notice.signature == ""
    assert notice.missing_elements == ["signature"]
