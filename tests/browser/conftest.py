"""Real-browser tests: Playwright for Python driving the system's Chromium.

Without Playwright or Chromium these tests skip with the reason; with
LECHAN_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead, so CI cannot pass
without having run them. No browser is downloaded: Debian's Chromium is used.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# from the tests themselves (fixtures, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_BROWSER = os.environ.get("LECHAN_REQUIRE_BROWSER") == "1"
CHROMIUM = Path(os.environ.get("LECHAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def unavailable(reason):
    if REQUIRE_BROWSER:
        pytest.fail(f"{reason} (LECHAN_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(reason)


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed: pip install -r requirements-dev.txt")
    if not CHROMIUM.exists():
        unavailable(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    playwright = sync_playwright().start()
    try:
        browser = launch(playwright)
    except Error as error:
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} did not start: {error.message.splitlines()[0]}")
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def seed(transactional_db, live_server):
    """The seed fixture, served by the live server; returns the server's address."""
    call_command("loaddata", "lechan", verbosity=0)
    return live_server.url
