"""Browser journeys: one headless Debian Chromium for all of them (see `browser`), a fresh context
(cookies, storage) per test on pytest-django's live server. The helpers (sign in through the real form,
full-page screenshots) are in helpers.py.

Every context also watches for things a person would notice only as a broken page: JavaScript errors,
console errors (Content Security Policy violations land there) and static files that fail to load. A
test that produced any of them fails at teardown with the list. Every page a journey visits is also checked
with axe-core for the WCAG 2.1 A and AA rules (accessibility.py says when), and a violation fails it likewise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, expect, sync_playwright

from tests.browser.accessibility import AxeWatch

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
# How long an action or an assertion waits: 120 s, not Playwright's 10 and 5, since a page's next request
# waits for its accessibility checks (accessibility.py): about a second for the largest pages on an idle
# machine, several on one busy with other work; a fresh CI machine was seen needing more than 15, and the
# catalogue's tree more than 45 on a machine loaded by other work. Only a slow page waits this long.
TIMEOUT_MS = 120_000


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all the journeys.

    Package-scoped, not session-scoped, on purpose: while Playwright's sync API runs, it keeps an asyncio
    event loop registered as running in this thread, so Django's "async unsafe" guard would refuse every
    ORM call the tests make unless DJANGO_ALLOW_ASYNC_UNSAFE is set. Both the loop and that variable must
    end with the journeys: later tests would otherwise run with the guard off, and the variable would leak
    into `manage.py check --deploy` subprocesses (async.E001).
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        expect.set_options(timeout=TIMEOUT_MS)
        yield chromium
        expect.set_options(timeout=None)
        chromium.close()


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """Make a browser context on the live server: a separate person with their own cookies.

    The browser asks for English unless told otherwise, so pages do not depend on the machine's locale.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []
    accessibility = AxeWatch()

    def on_console(message: ConsoleMessage) -> None:
        # A failed document load is the page's own status (the 404 journey); failed assets are caught below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text} ({message.location.get('url')})")

    expected: set[int] = set()  # statuses a journey provokes on purpose, e.g. 409 for a conflict it checks

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document" and response.status not in expected:
            problems.append(f"{response.status} for {response.request.resource_type} {response.url}")

    def make(**options) -> BrowserContext:
        options = {"viewport": DESKTOP, "locale": "en-US", **options}
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("weberror", lambda error: problems.append(f"JavaScript error: {error.error}"))
        context.on("console", on_console)
        context.on("response", on_response)
        accessibility.watch(context)
        contexts.append(context)
        return context

    make.expected_statuses = expected  # type: ignore[attr-defined]
    yield make
    violations = accessibility.finish(contexts)
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)
    assert not violations, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(violations)


@pytest.fixture
def context(new_context) -> BrowserContext:
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
