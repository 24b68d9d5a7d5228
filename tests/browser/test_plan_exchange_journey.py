"""The plan exchanged with MS Project in Chromium: download the plan as MS Project XML, import the file again
through the preview, and see the same plan (tasks, dates, predecessors); the exchange page in Chinese and on a
390 px phone in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.planning.models import PlanImport
from certprep.planning.services.generation import plan_generate
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def planned(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    plan_generate(engagement=engagement, actor=owner)
    return engagement


def _table(page) -> list[str]:
    """The plan table as a person reads it: each row's WBS, name, duration, dates and predecessors."""
    rows = page.locator("#plan-tasks tbody tr")
    return [
        " | ".join(
            rows.nth(n).locator(selector).inner_text()
            for selector in ("td:nth-child(2)", "th a", "td.duration", "td.start", "td.finish", "td.preds")
        )
        for n in range(rows.count())
    ]


def test_owner_exports_the_plan_reimports_it_and_sees_the_same_plan(new_context, planned, tmp_path: Path):
    engagement = planned
    page = new_context(accept_downloads=True).new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")
    before = _table(page)
    assert len(before) > 20

    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    expect(page.get_by_role("heading", name="Import and export", exact=True)).to_be_visible()
    shot(page, "plan-exchange-en")
    with page.expect_download() as download:
        page.locator("#export-mspdi").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xml"
    assert b"http://schemas.microsoft.com/project" in saved.read_bytes()

    with page.expect_navigation():
        page.locator("#import-msproject").click()
    page.get_by_label("MS Project file (.xml or .mpp)").set_input_files(str(saved))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text(f"The plan's {len(before)} tasks will be replaced")
    expect(preview).to_contain_text(f"The file has {len(before)} tasks")
    shot(page, "plan-exchange-preview-en")
    with page.expect_navigation():
        page.locator("#confirm-import").click()
    expect(page.locator(".message.success")).to_contain_text(f"imported: {len(before)} tasks")
    expect(page.locator("#exchange-imports")).to_contain_text(saved.name)
    shot(page, "plan-exchange-imported-en")
    assert PlanImport.objects.filter(plan__engagement=engagement).count() == 1

    page.goto(f"/e/{engagement.pk}/plan/")
    assert _table(page) == before

    # The exchange page and the import preview in Chinese.
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    expect(page.get_by_role("heading", name="导入和导出", exact=True)).to_be_visible()
    expect(page.locator("#exchange-msproject")).to_contain_text("下载 MS Project XML")
    shot(page, "plan-exchange-zh")
    page.goto(f"/e/{engagement.pk}/plan/exchange/import/")
    page.get_by_label("MS Project 文件（.xml 或 .mpp）").set_input_files(str(saved))
    with page.expect_navigation():
        page.get_by_role("button", name="检查文件").click()
    expect(page.locator("#import-preview")).to_contain_text("个任务及其依赖关系和工作分配将被替换")
    shot(page, "plan-exchange-preview-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_exchange_pages_fit_a_390_px_phone(new_context, planned, language):
    engagement = planned
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path, name in (("plan/exchange/", "exchange"), ("plan/exchange/import/", "exchange-import")):
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
        shot(page, f"plan-{name}-mobile-{language}")
