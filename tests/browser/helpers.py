"""Helpers the journeys share: sign in through the real form, save full-page screenshots."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page

PASSWORD = "correct horse battery staple"  # UserFactory's password
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}")


def sign_in(page: Page, username: str, password: str = PASSWORD, *, expect_success: bool = True) -> None:
    """Sign in through the real sign-in form, as a person would."""
    page.goto("/accounts/signin/")
    page.get_by_label("User name", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    if expect_success:
        assert "/accounts/signin/" not in page.url, f"{username} could not sign in"


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png.

    Also fails when the page shows raw template syntax, which a screenshot would show but nobody reads.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # From the top: the sticky sidebar would otherwise be drawn wherever the last action scrolled to.
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    leaked = TEMPLATE_SYNTAX.findall(page.locator("body").inner_text())
    assert not leaked, f"{name}: raw template syntax on the page: {leaked}"
    return path
