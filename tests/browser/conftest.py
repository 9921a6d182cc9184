"""Browser tests drive Debian's Chromium through Playwright; skipped when it is not installed."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def page(live_server):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    dist = Path(__file__).resolve().parents[2] / "static" / "dist"
    if not ((dist / "app.js").exists() and (dist / "app.css").exists()):
        pytest.skip("The front-end bundle is not built (npm run build)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls in the test body are ours.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            yield page
        finally:
            # The test body's queries ran inside Playwright's event-loop context, which has
            # connections of its own: close them here or the test database cannot be dropped.
            connections.close_all()
            context.close()
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
