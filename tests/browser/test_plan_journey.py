"""The implementation plan in Chromium: generate the plan, lengthen the trial operation on its task form and see
the stage 1 audit move; the plan and its calendar in Chinese; the plan on a 390 px phone in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.planning.models import Task
from certprep.planning.services.generation import plan_generate
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def iso(engagement):
    call_command("load_catalogue", verbosity=0)
    return engagement


def _start_of(page, task: Task) -> datetime.date:
    return datetime.date.fromisoformat(page.locator(f"#task-{task.pk} td.start time").get_attribute("datetime") or "")


def test_owner_generates_the_plan_edits_a_duration_and_sees_the_dates_move(new_context, iso, owner):
    engagement = iso
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")
    shot(page, "plan-empty-en")
    with page.expect_navigation():
        page.get_by_role("button", name="Generate the plan").click()
    expect(page.locator(".message.success")).to_contain_text("Plan generated")
    stage1 = Task.objects.get(plan__engagement=engagement, origin_key="task:stage1")
    trial = Task.objects.get(plan__engagement=engagement, origin_key="task:trial-operation")
    expect(page.locator(f"#task-{stage1.pk}")).to_contain_text("critical")
    before = _start_of(page, stage1)
    shot(page, "plan-generated-en")

    with page.expect_navigation():
        page.locator(f"#task-{trial.pk} a").click()
    expect(page.locator("h1")).to_contain_text("Trial operation")
    duration = page.get_by_label("Duration (working days)")
    duration.fill(str(trial.duration_days + 20))
    shot(page, "plan-task-form-en")
    with page.expect_navigation():
        page.get_by_role("button", name="Save task").click()
    expect(page.locator(".message.success")).to_contain_text("saved")
    after = _start_of(page, stage1)
    assert after > before
    assert (after - before).days >= 28  # twenty working days, four weekends at least
    shot(page, "plan-after-edit-en")

    # A predecessor typed wrong is named on the form.
    with page.expect_navigation():
        page.locator(f"#task-{stage1.pk} a").click()
    page.get_by_label("Predecessors").fill("2;3QQ")
    with page.expect_navigation():
        page.get_by_role("button", name="Save task").click()
    expect(page.locator(".field.has-error")).to_contain_text('"3QQ": QQ is not a link type')
    shot(page, "plan-task-form-error-en")

    # The same pages in Chinese.
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/")
    expect(page.get_by_role("heading", name="认证实施计划", exact=True)).to_be_visible()
    expect(page.locator(f"#task-{stage1.pk}")).to_contain_text("第一阶段审核")
    expect(page.locator(f"#task-{trial.pk} .why")).to_contain_text("第一阶段审核前的最短运行时间")
    shot(page, "plan-generated-zh")
    page.goto(f"/e/{engagement.pk}/plan/calendar/")
    page.get_by_label("国家").select_option("CN")
    with page.expect_navigation():
        page.get_by_role("button", name="保存日历").click()
    expect(page.locator("section.card")).to_contain_text("国庆节")
    shot(page, "plan-calendar-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_plan_fits_a_390_px_phone(new_context, iso, owner, language):
    engagement = iso
    plan_generate(engagement=engagement, actor=owner)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path in ("plan/", "plan/calendar/"):
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    page.goto(f"/e/{engagement.pk}/plan/")
    shot(page, f"plan-mobile-{language}")
    task = Task.objects.get(plan__engagement=engagement, origin_key="task:trial-operation")
    page.goto(f"/e/{engagement.pk}/plan/tasks/{task.pk}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the task form is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"plan-task-mobile-{language}")
