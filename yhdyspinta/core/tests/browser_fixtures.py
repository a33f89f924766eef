"""Browser fixtures for every app's tests (registered in the root conftest)."""

import os

import pytest

from yhdyspinta.core.tests.browser import launch_browser


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django's ORM must be allowed
    # to run beside it in the test process.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def registry_for_live_server(live_server, registry):
    return live_server


@pytest.fixture
def page(browser, registry_for_live_server):
    live_server = registry_for_live_server
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield page
    context.close()
    assert csp_errors == [], f"CSP blocked something: {csp_errors}"
