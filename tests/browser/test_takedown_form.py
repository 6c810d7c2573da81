import re

import pytest
from playwright.sync_api import expect

from compliance.models import Notice
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rights_holder_files_a_request_with_the_keyboard_and_follows_the_status_link(live_server, page):
    ArticleFactory(slug="ukrainian-army-secures-kharkiv", title="The Ukrainian army secures Kharkiv")
    page.goto(f"{live_server.url}/articles/")
    page.get_by_role("link", name="Request removal").click()
    expect(page.get_by_role("heading", name="Request removal")).to_be_visible()

    page.get_by_label("Your full name").focus()
    page.keyboard.type("Marta Hnatiuk")
    page.keyboard.press("Tab")
    page.keyboard.type("Kyiv Independent Media LLC")
    page.keyboard.press("Tab")
    page.keyboard.type("legal@kyivindependent.example")
    page.keyboard.press("Tab")
    page.keyboard.type("12 Example St, Kyiv, Ukraine")
    page.get_by_label("Addresses (URLs)").fill(
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/\njavascript:alert(1)")
    page.get_by_label("The work you own").fill("News report of 16 May 2022")
    page.get_by_label("Explanation").fill("Copied in full without a licence.")
    page.get_by_label("I have a good faith belief", exact=False).focus()
    page.keyboard.press("Space")
    page.get_by_label("The information in this notification is accurate", exact=False).check()
    page.get_by_label("Electronic signature").fill("Marta Hnatiuk")
    page.get_by_role("button", name="Send removal request").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Line 2:")).to_be_visible()
    assert page.get_by_label("Your full name").input_value() == "Marta Hnatiuk"
    assert Notice.objects.count() == 0
    page.get_by_label("Addresses (URLs)").fill(
        "https://worldtimetodays.example/articles/ukrainian-army-secures-kharkiv/")
    page.get_by_label("I have a good faith belief", exact=False).check()
    page.get_by_label("The information in this notification is accurate", exact=False).check()
    page.get_by_role("button", name="Send removal request").click()

    notice = Notice.objects.get()
    expect(page.get_by_role("heading", name=f"Removal request {notice.reference}")).to_be_visible()
    status_url = page.url
    assert re.search(r"/takedown/status/[A-Za-z0-9_-]{40,}/", status_url)
    page.goto(status_url.split("?")[0])
    row = page.get_by_role("row", name=re.compile("ukrainian-army-secures-kharkiv"))
    expect(row).to_contain_text("Found on our site")
    expect(page.get_by_test_id("stage")).to_contain_text("Waiting for you to confirm your email address")
