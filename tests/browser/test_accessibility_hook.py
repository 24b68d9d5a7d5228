"""The accessibility hook of the journeys (accessibility.py) finds what it is there to find.

These use an `AxeWatch` of their own, which collects without failing, on pages served by the test with the same
Content Security Policy as the app's, each with one known WCAG 2.1 violation.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Route, expect

from tests.browser.accessibility import AxeWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN = "https://broken.test"
POLICY = "default-src 'self'; script-src 'self' 'nonce-n0nce'; style-src 'self'; object-src 'none'"
PAGES = {
    "/image/": '<main><h1>Photo</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="photo"></main>',
    "/field/": '<main><h1>Form</h1><form><input type="text" id="unlabelled" name="q"></form></main>',
    "/faint/": '<link rel="stylesheet" href="/faint.css"><main><h1>Faint</h1><p id="faint">Hardly readable</p></main>',
}
STYLE = "#faint { color: #bbb; background: #fff; }"  # 1.9:1, AA asks 4.5:1 for text this size


def serve(route: Route) -> None:
    if route.request.url.endswith(".css"):
        route.fulfill(status=200, content_type="text/css", body=STYLE)
        return
    path = "/" + route.request.url.removeprefix(BROKEN).strip("/") + "/"
    body = f'<!doctype html><html lang="en"><head><title>Broken {path}</title></head><body>{PAGES[path]}</body></html>'
    route.fulfill(status=200, content_type="text/html", body=body, headers={"Content-Security-Policy": POLICY})


@pytest.fixture
def watched(browser: Browser, live_server):
    contexts: list[BrowserContext] = []
    watch = AxeWatch()

    def make() -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(10_000)
        watch.watch(context)
        context.route(f"{BROKEN}/**", serve)
        contexts.append(context)
        return context

    yield watch, make, contexts
    for context in contexts:
        context.close()


def test_a_page_the_journey_leaves_is_checked_before_it_goes(watched):
    watch, make, contexts = watched
    page = make().new_page()
    page.goto(f"{BROKEN}/image/")
    page.goto("/accounts/signin/")  # leaving the broken page: the hook checks it before the sign-in page loads
    found = {(violation.rule, violation.target, violation.url) for violation in watch.violations.values()}
    assert ("image-alt", "#photo", f"{BROKEN}/image/") in found
    assert watch.errors == []


def test_the_pages_still_open_at_the_end_are_checked_and_each_violation_is_named(watched):
    watch, make, contexts = watched
    first, second = make().new_page(), make().new_page()
    first.goto(f"{BROKEN}/field/")
    second.goto(f"{BROKEN}/faint/")
    found = watch.finish(contexts)
    assert any(
        re.match(r"^label \(critical\) on https://broken\.test/field/: .*; 1 element\(s\): #unlabelled$", line)
        for line in found
    ), found
    assert any(
        re.match(r"^color-contrast \(serious\) on https://broken\.test/faint/: .*; 1 element\(s\): #faint$", line)
        for line in found
    ), found


def test_axe_runs_under_the_apps_content_security_policy_and_a_real_page_passes(watched):
    watch, make, contexts = watched
    page = make().new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto("/accounts/signin/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    policy = page.context.request.get("/accounts/signin/").headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-" not in policy
    assert watch.finish(contexts) == []
    assert watch.passed_rules >= 10  # the rules really ran, they did not just fail to start
    assert not [message for message in messages if "Content Security Policy" in message]


def test_what_an_htmx_swap_brings_is_checked_before_the_page_is_left(watched):
    watch, make, contexts = watched
    page = make().new_page()
    page.goto(f"{BROKEN}/image/")
    # What htmx does on a swap: new markup, then the afterSettle event on the document.
    page.evaluate(
        """() => {
            document.querySelector("main").insertAdjacentHTML("beforeend", '<select id="swapped"></select>');
            document.dispatchEvent(new Event("htmx:afterSettle"));
        }"""
    )
    page.goto("/accounts/signin/")
    found = {(violation.rule, violation.target) for violation in watch.violations.values()}
    assert ("select-name", "#swapped") in found


def test_a_state_already_checked_is_not_checked_again(watched):
    watch, make, contexts = watched
    page = make().new_page()
    page.goto(f"{BROKEN}/image/")
    watch.check(page)
    watch.check(page)
    assert watch.checks == 1
    page.evaluate("document.querySelector('h1').textContent = 'Another photo'")
    watch.check(page)
    assert watch.checks == 2
