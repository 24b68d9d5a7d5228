"""Resources, Excel and the calendar feed in Chromium: the heat map shows an over-allocated person with the tasks
causing it; the plan is downloaded as Excel, edited, checked in a preview and imported again; a calendar feed
is created, read by a calendar without signing in, and revoked; the pages in Chinese and on a 390 px phone."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from certprep.people.tests.factories import person
from certprep.planning.models import Assignment, Dependency, Plan, PlanImport, Task
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MONDAY = datetime.date(2027, 1, 4)


@pytest.fixture
def plan(engagement):
    """Ann Lee at 60 % on two tasks of the same week (120 %), then Bob Ma at 100 % on the trial."""
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY)
    ann, bob = person(engagement, "Ann Lee"), person(engagement, "Bob Ma")
    stage = Task.objects.create(plan=plan, name="Preparation", order=1)
    design = Task.objects.create(plan=plan, name="Design", order=2, parent=stage, outline_level=2, duration_days=5)
    review = Task.objects.create(plan=plan, name="Review", order=3, parent=stage, outline_level=2, duration_days=5)
    trial = Task.objects.create(plan=plan, name="Trial", order=4, duration_days=15)
    Task.objects.create(plan=plan, name="Ready for stage 1", order=5, milestone=True)
    Dependency.objects.create(plan=plan, predecessor=design, successor=trial)
    Assignment.objects.create(task=design, person=ann, share=60)
    Assignment.objects.create(task=review, person=ann, share=60)
    Assignment.objects.create(task=trial, person=bob, share=100)
    return plan


def test_heat_map_excel_round_trip_and_calendar_feed(new_context, engagement, plan, tmp_path):
    context = new_context()
    page = context.new_page()
    sign_in(page, "olivia")

    page.goto(f"/e/{engagement.pk}/plan/resources/")
    over = page.locator("#over-allocations")
    expect(over).to_contain_text("Ann Lee")
    expect(over).to_contain_text("120 %")
    expect(over).to_contain_text("Design")
    expect(over).to_contain_text("Review")
    expect(page.locator("#heat-map rect[data-band='over']")).to_have_count(1)
    expect(page.locator("#load-table td.band-over abbr")).to_have_text("!")
    shot(page, "plan-resources-en")

    # Excel: download, rename a task in the workbook, check it, replace the plan's tasks.
    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    with page.expect_download() as download:
        page.locator("#excel-export").click()
    path = tmp_path / "plan.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    sheet = book["Tasks"]
    assert [cell.value for cell in sheet[1]][:4] == ["ID", "WBS", "Outline level", "Name"]
    assert sheet["D3"].value == "Design"
    assert sheet["P3"].value == "Ann Lee[60%]"
    sheet["D3"] = "Design the SMS"
    out = io.BytesIO()
    book.save(out)
    edited = tmp_path / "edited plan.xlsx"
    edited.write_bytes(out.getvalue())
    page.locator("#excel-file").set_input_files(str(edited))
    with page.expect_navigation():
        page.get_by_role("button", name="Check the workbook").click()
    expect(page.locator("#excel-preview")).to_contain_text("The file has 5 tasks")
    expect(page.locator("#excel-preview")).to_contain_text("Design the SMS")
    shot(page, "plan-excel-preview-en")
    with page.expect_navigation():
        page.locator("#excel-confirm").click()
    expect(page.locator(".message.success")).to_contain_text("edited plan.xlsx imported: 5 tasks.")
    expect(page.locator("#plan-tasks")).to_contain_text("Design the SMS")
    assert PlanImport.objects.get(plan=plan).format == "xlsx"

    # Calendar feed: created and shown once, read without signing in, revoked.
    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    with page.expect_navigation():
        page.locator("#feed-create").click()
    url = page.locator("#feed-url").input_value()
    assert "/feeds/plan/" in url
    shot(page, "plan-feed-created-en")
    calendar = new_context().request
    read = calendar.get(url)
    assert read.status == 200
    assert "BEGIN:VCALENDAR" in read.text()
    assert "Ready for stage 1" in read.text()
    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    expect(page.locator("#feeds")).to_contain_text("last read")
    shot(page, "plan-exchange-en")
    with page.expect_navigation():
        page.locator("#feeds").get_by_role("button", name="Revoke").click()
    expect(page.locator(".message.success")).to_contain_text("Calendar feed revoked")
    expect(page.locator("#feeds")).to_contain_text("revoked")
    assert calendar.get(url).status == 404

    # The same pages in Chinese.
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/resources/")
    expect(page.get_by_role("heading", name="过度分配的周")).to_be_visible()
    shot(page, "plan-resources-zh")
    page.goto(f"/e/{engagement.pk}/plan/exchange/")
    expect(page.locator("#exchange-feed")).to_contain_text("日历订阅")
    shot(page, "plan-exchange-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_resources_and_exchange_fit_a_390_px_phone(new_context, engagement, plan, language):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path, name in (("plan/resources/", "resources"), ("plan/exchange/", "exchange")):
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
        shot(page, f"plan-{name}-mobile-{language}")
