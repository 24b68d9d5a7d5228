"""Browser journeys: one headless Debian Chromium per test session, a fresh context (cookies, storage)
per test on pytest-django's live server. The helpers (sign in through the real form, full-page
screenshots) are in helpers.py.

Every context also watches for things a person would notice only as a broken page: JavaScript errors,
console errors (Content Security Policy violations land there) and static files that fail to load. A
test that produced any of them fails at teardown with the list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# Playwright's sync API keeps an asyncio event loop registered as running in this thread, so Django's
# "async unsafe" guard would refuse every ORM call the tests make (factories, assertions on the data).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Make a browser context on the live server: a separate person with their own cookies.

    The browser asks for English unless told otherwise, so pages do not depend on the machine's locale.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def make(**options) -> BrowserContext:
        options = {"viewport": DESKTOP, "locale": "en-US", **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        context.on("weberror", lambda error: problems.append(f"JavaScript error: {error.error}"))
        context.on(
            "console",
            lambda msg: problems.append(f"console {msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None,
        )
        context.on(
            "response",
            lambda response: problems.append(f"{response.status} for {response.request.resource_type} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None,
        )
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
