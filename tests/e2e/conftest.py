"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download cannot work here, so the system Chromium is used;
without it the tests are skipped with the reason. A failing test leaves a screenshot
in test-results/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Django's live server and Playwright's sync API share this thread; Playwright runs an
# event loop in it, which makes Django's async-safety check refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser():
    # Per test, not per session: while sync_playwright() is open, the code after it runs
    # in a greenlet with its own Django connection objects, and a session-long one would
    # leave later tests without the test database's serialized contents (their
    # serialized_rollback would silently restore nothing).
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{request.node.name}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"\nscreenshot of the failure: {path}")
    context.close()
