"""Browser tests: Debian's Chromium driven by Playwright against a live server with the demo data.

They skip when Chromium is missing, and fail instead under REQUIRE_SERVICES=1 (CI).
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.services import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def browser(django_db_setup):
    require_service("chromium", Path(CHROMIUM).is_file(), f"no browser at {CHROMIUM}")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # While Playwright runs, Django's connection handler (context-local) hands out fresh
    # connection objects, which lack the test database's serialized contents; carry them over
    # so serialized rollbacks still restore the migration-loaded regions. Playwright stops at
    # the end of the module and the original connections come back for the tests after it.
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    # Playwright's sync API keeps an asyncio loop in this thread; Django's database calls from
    # the test itself (load_demo, lookups) are still synchronous and safe here.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(browser, live_server, transactional_db, django_db_serialized_rollback):
    """The live server with the demo data (committed, so the server thread sees it); the
    serialized rollback restores the migration-loaded regions for the tests that follow."""
    call_command("load_demo", verbosity=0)
    SCREENSHOTS.mkdir(exist_ok=True)
    return live_server.url


@pytest.fixture
def page(browser, site):
    """A desktop-sized page of a fresh browser context (English browser locale on purpose:
    the site must still open in Korean)."""
    context = browser.new_context(viewport=DESKTOP, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
