"""Browser tests drive Debian's chromium through Playwright; no browser is ever downloaded."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # Headless chromium drops some clicks while a cross-origin iframe (a video embed) is being
    # set up in its own process; one renderer process for the page keeps input reliable.
    "--disable-site-isolation-trials", "--disable-features=IsolateOrigins,site-per-process",
]


def skip_without_chromium() -> None:
    """A machine with only Python runs the rest of the suite; CI (REQUIRE_BROWSER=1) must run these.

    Called from a setup hook (tests/conftest.py), so every skip has this one location and
    pytest's summary shows them as one line.
    """
    if shutil.which(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but there is no chromium at {CHROMIUM}: install Debian's chromium")
    pytest.skip(f"browser tests skipped: no chromium at {CHROMIUM}")


@pytest.fixture(scope="session")
def browser():
    skip_without_chromium()
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(**options):
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


DEVICES = {
    "desktop": {"viewport": {"width": 1400, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}


@pytest.fixture(params=list(DEVICES))
def device(request, new_page):
    """Each journey on a desktop screen and on a 390×844 phone: (name, page)."""
    return request.param, new_page(**DEVICES[request.param])
