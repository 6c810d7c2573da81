"""Every user's journey, clicked through in Chromium against the live server with the production
middleware and headers, on a desktop screen and on a phone.

Screenshots go to docs/claimant-journey/ and docs/review-queue/ when UPDATE_DOCS_SCREENSHOTS=1."""

import email
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from articles.models import Article
from articles.actors import Actor
from compliance.demo import seed_demo
from compliance.models import CounterNotice, Decision, Notice, SlaPolicy
from compliance.services.decisions import Reasons, reject_items
from compliance.services.outbox import send_pending
from tests.browser.test_review_queue import _log_in
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _shot(page: Page, folder: str, name: str, device: str) -> None:
    base = DOCS if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "journeys"
    target = base / folder
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}-{device}.png"), full_page=False)


def _mailed_link(live_server, path_part: str) -> str:
    """The link in the last mail we sent, read from the mail's own bytes, pointed at the live server."""
    send_pending(now=timezone.now())
    message = email.message_from_bytes(mail.outbox[-1].message().as_bytes())
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/takedown/{path_part}/\S+/)", body)
    assert link, body
    return live_server.url + link[1]


def test_a_claimant_files_confirms_follows_the_decision_and_complains(live_server, device):
    name, page = device
    ArticleFactory(slug="ukrainian-army-secures-kharkiv", title="The Ukrainian army secures Kharkiv")
    page.goto(f"{live_server.url}/takedown/")
    page.get_by_label("Your full name").fill("Marta Hnatiuk")
    page.locator("#id_claimant_email").fill("legal@kyivindependent.example")
    page.get_by_label("Postal address").fill("12 Example St, Kyiv, Ukraine")
    page.get_by_label("Addresses (URLs)").fill(
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/")
    page.get_by_label("The work you own").fill("News report of 16 May 2022")
    page.get_by_label("Explanation").fill("Copied in full without a licence.")
    page.get_by_label("I have a good faith belief", exact=False).check()
    page.get_by_label("The information in this notification is accurate", exact=False).check()
    page.get_by_label("Electronic signature").fill("Marta Hnatiuk")
    _shot(page, "claimant-journey", "01-form", name)
    page.get_by_role("button", name="Send removal request").click()

    notice = Notice.objects.get()
    expect(page.get_by_test_id("stage")).to_contain_text("Waiting for you to confirm your email address")
    _shot(page, "claimant-journey", "02-received", name)
    status_url = page.url.split("?")[0]

    page.goto(_mailed_link(live_server, "confirm"))
    page.get_by_role("button", name="Confirm my email address").click()
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()  # not a 403 on Origin: null
    _shot(page, "claimant-journey", "03-confirmed", name)

    page.goto(status_url)
    expect(page.get_by_test_id("stage")).to_contain_text("In review")
    expect(page.get_by_test_id("stage")).to_contain_text("left")
    _shot(page, "claimant-journey", "04-in-review", name)

    reject_items(notice_id=notice.pk, item_ids=[notice.items.get().pk], actor=Actor.parse("user:1"), now=timezone.now(),
                 reasons=Reasons(explanation="The report is the outlet's own, licensed to us.",
                                 legal_ground="Licence agreement of 2024"))
    page.goto(_mailed_link(live_server, "status"))  # the decision mail's link to the same private page
    expect(page.get_by_test_id("stage")).to_contain_text("Decided")
    expect(page.get_by_test_id("stage")).not_to_contain_text("left")
    expect(page.get_by_text("The report is the outlet's own, licensed to us.")).to_be_visible()
    expect(page.get_by_text("Out-of-court dispute settlement")).to_be_visible()
    _shot(page, "claimant-journey", "05-decided", name)

    page.get_by_label("Why the decision was wrong").fill("The report is ours; the outlet had no right to license it.")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.get_by_text("We received your complaint")).to_be_visible()  # not a 403 on Origin: null
    expect(page.get_by_test_id("stage")).to_contain_text("is being reviewed")
    _shot(page, "claimant-journey", "06-complained", name)
    assert CounterNotice.objects.get().kind == CounterNotice.Kind.CLAIMANT_COMPLAINT


def test_a_reviewer_finds_a_notice_by_part_of_its_reference_decides_and_releases_a_held_article(live_server,
                                                                                                 device):
    name, page = device
    seed_demo(generated=14)
    notice = Notice.objects.get(claimant_name="Olena Petrenko")
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.IN_REVIEW)
    base = live_server.url
    _log_in(page, base, "reviewer")
    page.goto(f"{base}/admin/compliance/notice/")
    _shot(page, "review-queue", "02-queue", name)
    page.locator("#searchbar").fill(notice.reference[-6:])
    page.locator("#searchbar").press("Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("th a").click()
    expect(page.get_by_test_id("reference")).to_have_text(notice.reference)

    page.get_by_label("Withdraw what the items matched").check()
    page.locator("#decide-form input[name='decide-items']").first.check()
    page.get_by_label("Explanation").fill("The claimant owns this report; we republished it without a licence.")
    page.get_by_label("Legal or contractual ground").fill("Copyright, 17 U.S.C. 512 and Directive 2001/29/EC")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("withdrew 1 item(s)")).to_be_visible()
    _shot(page, "review-queue", "05-decided", name)
    decision = Decision.objects.get(notice=notice)
    assert decision.explanation.startswith("The claimant owns this report")

    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Held articles").first.click()
    held = Article.objects.get(status=Article.Status.HELD)
    page.get_by_role("link", name=held.title).click()
    _shot(page, "review-queue", "08-held-article", name)
    page.get_by_label("Reason (recorded in the audit log)").fill("Syndicated under the outlet's 2024 licence.")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.get_by_role("button", name="Release").click()
    expect(page.get_by_text("Released (published)")).to_be_visible()
    held.refresh_from_db()
    assert held.status == Article.Status.PUBLISHED


def test_a_publisher_files_a_counter_notice_from_the_451_page(live_server, device):
    name, page = device
    seed_demo(generated=14)
    article = Article.objects.filter(status=Article.Status.WITHDRAWN, notice_matches__isnull=False).first()
    response = page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert response.status == 451
    _shot(page, "claimant-journey", "07-publisher-451", name)
    page.get_by_role("link", name="file a counter-notice or a complaint").click()
    expect(page.get_by_role("radio", name=re.compile("Claimant's complaint"))).to_have_count(0)
    page.get_by_label("Counter-notice (DMCA 512(g))").check()
    page.get_by_label("Why the removal was wrong").fill("We republished under the syndication agreement of 2024.")
    page.get_by_label("Your full name").fill("Olena Desk")
    page.locator("#id_email").fill("desk@publisher.example")
    page.get_by_label("Postal address").fill("2 Press Lane, Lviv")
    page.get_by_label("Phone").fill("+380 32 000 0000")
    page.locator("input[name='mistake_statement']").check()
    page.locator("input[name='jurisdiction_consent']").check()
    page.get_by_label("Electronic signature").fill("Olena Desk")
    _shot(page, "claimant-journey", "08-counter-notice-form", name)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_test_id("counter-status")).to_be_visible()
    _shot(page, "claimant-journey", "09-counter-notice-status", name)
    assert CounterNotice.objects.filter(email="desk@publisher.example", kind="counter_notice").count() == 1


def test_a_compliance_lead_changes_the_sla_policy(live_server, device):
    name, page = device
    seed_demo(generated=14)
    policy = SlaPolicy.objects.create(kind=Notice.Kind.COPYRIGHT, verification=Notice.Verification.EMAIL_CONFIRMED,
                                      at_due=SlaPolicy.AtDue.ESCALATE)
    _log_in(page, live_server.url, "lead")
    page.goto(f"{live_server.url}/admin/compliance/slapolicy/{policy.pk}/change/")
    other = next(value for value, _ in SlaPolicy.AtDue.choices if value != policy.at_due)
    page.locator("select[name='at_due']").select_option(other)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    _shot(page, "review-queue", "09-sla-policy", name)
    policy.refresh_from_db()
    assert policy.at_due == other


def test_an_auditor_downloads_the_report_and_the_export_and_cannot_change_anything(live_server, device):
    name, page = device
    seed_demo(generated=14)
    base = live_server.url
    _log_in(page, base, "auditor")
    page.get_by_role("link", name="Compliance report").click()
    expect(page.get_by_role("heading", name="3. Time to action")).to_be_visible()
    _shot(page, "review-queue", "10-report", name)
    with page.expect_download() as report:
        page.get_by_role("link", name="CSV").click()
    assert report.value.suggested_filename.startswith("compliance-report-")
    page.goto(f"{base}/admin/")
    with page.expect_download() as export:
        page.get_by_role("link", name="Provenance export (CSV)").click()
    assert "ukrainian-army-secures-kharkiv" in Path(export.value.path()).read_text()

    notice = Notice.objects.order_by("pk").first()
    page.goto(f"{base}/admin/compliance/notice/{notice.pk}/change/")
    expect(page.get_by_text("Personal data redacted")).to_be_visible()
    expect(page.get_by_role("button", name="Record decision")).to_have_count(0)
    page.goto(f"{base}/admin/compliance/slapolicy/")
    expect(page.get_by_role("link", name="Add SLA policy")).to_have_count(0)
    held = Article.objects.get(status=Article.Status.HELD)
    response = page.request.post(f"{base}/admin/articles/heldarticle/{held.pk}/change/",
                                 form={"decision": "release", "reason": "x"})
    assert response.status == 403


def test_the_queues_due_received_and_who_columns_fit_a_1400_pixel_screen(live_server, new_page):
    seed_demo(generated=14)
    page = new_page(viewport={"width": 1400, "height": 900})
    _log_in(page, live_server.url, "reviewer")
    page.goto(f"{live_server.url}/admin/compliance/notice/")

    for column in ("due", "received", "who_and_what"):
        box = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert box and box["x"] + box["width"] <= 1400, column
