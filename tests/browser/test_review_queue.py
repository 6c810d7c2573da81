"""A reviewer works the queue on the demo data in a real browser; an auditor only reads.

The screenshots are the ones docs/review-queue.md shows: the test takes them as it goes, into
docs/review-queue/ when UPDATE_DOCS_SCREENSHOTS=1, else into a temporary folder."""

import os
import tempfile
from pathlib import Path

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from compliance.demo import DEMO_PASSWORD, seed_demo
from compliance.models import Decision, Notice

pytestmark = pytest.mark.django_db(transaction=True)
DOCS = Path(__file__).resolve().parents[2] / "docs" / "review-queue"
SHOTS = DOCS if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1" else Path(tempfile.gettempdir()) / "review-queue"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _log_in(page: Page, base: str, username: str, *, shot: str = "") -> None:
    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_label("OTP Token").fill(_code(username))
    if shot:
        _shot(page, shot)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Log out").or_(page.get_by_role("button", name="Log out"))).to_be_visible()


def test_a_reviewer_withdraws_the_most_urgent_item_and_an_auditor_finds_no_change_buttons(live_server, new_page):
    seed_demo(generated=20)
    base = live_server.url
    page = new_page(viewport={"width": 1280, "height": 900})

    page.goto(f"{base}/admin/")
    page.get_by_label("Username").fill("reviewer")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A password alone is not enough, and the answer does not say whether it was right.
    expect(page.get_by_text("Please enter a correct username, password and authenticator code.")).to_be_visible()

    _log_in(page, base, "reviewer", shot="01-login")
    page.get_by_role("link", name="Notices", exact=True).first.click()
    expect(page.locator("#result_list")).to_be_visible()

    page.locator("#result_list tbody tr").first.locator("th a").click()
    reference = page.get_by_test_id("reference").inner_text()
    notice = Notice.objects.get(reference=reference)
    undecided = Notice.objects.filter(items__state__in=["received", "matched", "unmatched"]).exclude(due_at=None)
    assert notice.due_at == undecided.order_by("due_at").first().due_at
    _shot(page, "03-notice")

    first_item = notice.items.order_by("position").first()
    article = first_item.matches.get().article
    page.get_by_label("Withdraw what the items matched").check()
    page.locator(f"#decide-form input[name='decide-items'][value='{first_item.pk}']").check()
    page.get_by_label("Explanation").fill("The claimant owns this report; we republished it without a licence.")
    page.get_by_label("Legal or contractual ground").fill("Copyright, 17 U.S.C. 512 and Directive 2001/29/EC")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#decide-form").screenshot(path=str(SHOTS / "04-decision-form.png"))
    page.get_by_role("button", name="Record decision").click()

    expect(page.get_by_text("withdrew 1 item(s)")).to_be_visible()
    assert Decision.objects.filter(notice=notice, action="withdraw", actor__startswith="user:").count() == 1
    response = page.goto(f"{base}{article.get_absolute_url()}")
    assert response.status == 451
    _shot(page, "06-public-451")

    auditor = new_page(viewport={"width": 1280, "height": 900})
    _log_in(auditor, base, "auditor")
    auditor.goto(f"{base}/admin/compliance/notice/")
    expect(auditor.locator("#result_list")).to_be_visible()
    expect(auditor.locator("select[name='action']")).to_have_count(0)
    auditor.goto(f"{base}/admin/compliance/notice/{notice.pk}/change/")
    expect(auditor.get_by_text("Personal data redacted")).to_be_visible()
    expect(auditor.get_by_role("button", name="Record decision")).to_have_count(0)
    expect(auditor.locator("input[type=submit]")).to_have_count(0)
    _shot(auditor, "07-auditor")
    auditor.goto(f"{base}/admin/compliance/slapolicy/")
    expect(auditor.get_by_role("link", name="Add SLA policy")).to_have_count(0)
