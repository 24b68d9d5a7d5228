"""Deleting an engagement in Chromium: the owner finds the danger zone on the settings page, a wrong name is
refused with nothing deleted, the exact name deletes the engagement with its stored files and brings her back to
the list; an editor sees no danger zone; the settings page in Chinese, and on a 390 px phone in en and zh."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.engagements.tests.factories import EngagementFactory, UserFactory
from certprep.gaps.models import Evidence
from certprep.gaps.tests.world import gap_world
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def stored(media: Path) -> list[str]:
    return sorted(str(path.relative_to(media)) for path in media.rglob("*") if path.is_file())


def _to_chinese(page: Page) -> None:
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")


def _delete(page: Page, typed: str, button: str = "Delete the engagement and its files") -> None:
    zone = page.locator("#danger-zone")
    zone.get_by_role("textbox").fill(typed)
    with page.expect_navigation():
        zone.get_by_role("button", name=button).click()


def test_the_owner_is_refused_a_wrong_name_then_deletes_the_engagement_and_its_files(
    new_context, engagement, owner, catalogue, media
):
    doomed = gap_world(engagement, owner)["evidence"]
    kept = EngagementFactory(owner=owner, name="Client A surveillance", organization_name="Client A Ltd")
    kept_file = gap_world(kept, owner)["evidence"].file.name
    doomed_file = doomed.file.name
    assert doomed_file.startswith(f"evidence/{engagement.pk}/")
    assert stored(media) == sorted([doomed_file, kept_file])

    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Settings", exact=True).first.click()
    zone = page.locator("#danger-zone")
    expect(zone.get_by_role("heading", name="Delete this engagement")).to_be_visible()
    expect(zone).to_contain_text("It cannot be undone")
    expect(zone.get_by_label("Type the engagement's name to confirm")).to_be_empty()
    shot(page, "engagement-delete-settings-en")

    _delete(page, "Client A surveillance")  # another engagement's name: the wrong one
    refusal = "That is not this engagement's name: nothing was deleted."
    summary = page.locator("#form-errors")  # at the top, where she sees it: the danger zone is below the fold
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text(refusal)
    expect(page.locator("#danger-zone .error")).to_have_text(refusal)
    expect(page.locator(".form-errors")).to_have_count(1)  # said once at the top, not again inside the form
    summary.get_by_role("link", name="Type the engagement's name to confirm").click()
    expect(page.locator("#danger-zone").get_by_role("textbox")).to_be_in_viewport()  # the link takes her there
    assert Engagement.objects.filter(pk=engagement.pk).exists()
    assert Evidence.objects.filter(pk=doomed.pk).exists()
    assert doomed_file in stored(media)
    shot(page, "engagement-delete-wrong-name-en")

    _delete(page, "Client A preparation")
    expect(page).to_have_url(re.compile(r"/engagements/$"))
    expect(page.locator(".message.success")).to_have_text("Engagement Client A preparation deleted, with its files.")
    expect(page.get_by_role("heading", name="Client A surveillance", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Client A preparation", level=2)).to_have_count(0)
    expect(page.locator(f"main a[href='/e/{engagement.pk}/']")).to_have_count(0)
    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    assert not Evidence.objects.filter(pk=doomed.pk).exists()
    assert stored(media) == [kept_file]  # hers are gone; the other engagement keeps its own
    shot(page, "engagement-delete-done-en")
    gone = page.goto(f"/e/{engagement.pk}/settings/")
    assert gone is not None
    assert gone.status == 404

    _to_chinese(page)
    page.goto(f"/e/{kept.pk}/settings/")
    zone = page.locator("#danger-zone")
    expect(page.get_by_role("heading", name="认证项目设置")).to_be_visible()
    expect(zone.get_by_role("heading", name="删除此认证项目")).to_be_visible()
    expect(zone.get_by_label("输入认证项目名称以确认")).to_be_visible()
    _delete(page, "Client A", button="删除认证项目及其文件")
    expect(page.locator("#form-errors")).to_contain_text("这不是此认证项目的名称：未删除任何内容。")
    expect(page.locator("#danger-zone .error")).to_have_text("这不是此认证项目的名称：未删除任何内容。")
    assert Engagement.objects.filter(pk=kept.pk).exists()
    shot(page, "engagement-delete-wrong-name-zh")


def test_an_editor_sees_no_danger_zone(new_context, engagement):
    editor = UserFactory(username="edgar")
    Membership.objects.create(engagement=engagement, user=editor, role=Role.EDITOR)
    page = new_context().new_page()
    sign_in(page, "edgar")
    page.goto(f"/e/{engagement.pk}/")
    expect(page.locator(".topbar-engagement")).to_have_text("Client A preparation")
    expect(page.get_by_role("link", name="Settings", exact=True)).to_have_count(0)
    response = page.goto(f"/e/{engagement.pk}/settings/")
    assert response is not None
    assert response.status == 403
    expect(page.locator("#danger-zone")).to_have_count(0)
    expect(page.get_by_text("Delete this engagement")).to_have_count(0)
    assert Engagement.objects.filter(pk=engagement.pk).exists()
    shot(page, "engagement-delete-editor-forbidden-en")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_settings_page_and_its_refusal_fit_a_390_px_phone(new_context, engagement, owner, language):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        _to_chinese(page)
    page.goto(f"/e/{engagement.pk}/settings/")
    expect(page.locator("#danger-zone")).to_be_visible()
    for state in ("settings", "wrong-name"):
        if state == "wrong-name":
            zone = page.locator("#danger-zone")
            zone.get_by_role("textbox").fill("not the name")
            with page.expect_navigation():
                zone.locator("button[type=submit]").click()
            expect(page.locator("#danger-zone .error")).to_be_visible()
            expect(page.locator("#form-errors")).to_be_in_viewport()  # the refusal is seen on the small screen too
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{state}: the page is {width} px wide on a {PHONE['width']} px screen"
        button = page.locator("#danger-zone button[type=submit]").bounding_box()
        assert button is not None
        assert button["x"] + button["width"] <= PHONE["width"], f"{state}: the button overflows"
        shot(page, f"engagement-delete-mobile-{state}-{language}")
    assert Engagement.objects.filter(pk=engagement.pk).exists()
