"""Tasks by hand and baselines in Chromium: add a task under a stage, delete another after its confirmation page,
save baseline 0, lengthen the trial operation and see its slip and the plan's on the comparison; the improvement
topic's page shows the task made from it; the baseline pages in Chinese and on a 390 px phone."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.gaps.services.topics import topic_create
from certprep.planning.models import Baseline, Task
from certprep.planning.services.baselines import baseline_save
from certprep.planning.services.generation import plan_generate
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    return plan_generate(engagement=engagement, actor=owner)


def test_owner_adds_and_deletes_tasks_saves_a_baseline_and_sees_the_slip(new_context, engagement, owner, plan):
    stage = Task.objects.filter(plan=plan, parent=None).order_by("order").first()
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    topic = topic_create(engagement=engagement, actor=owner, title="Define the change policy")
    Task.objects.filter(pk=trial.pk).update(topic=topic)
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")

    # Add a task by hand under the first stage.
    with page.expect_navigation():
        page.locator("#add-task").click()
    page.get_by_label("Task name").fill("Visit the data centre")
    page.get_by_label("Summary task").select_option(str(stage.pk))
    page.get_by_label("Duration (working days)").fill("3")
    shot(page, "plan-task-add-en")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the task").click()
    expect(page.locator(".message.success")).to_contain_text('Task "Visit the data centre" added.')
    added = Task.objects.get(plan=plan, name="Visit the data centre")
    expect(page.locator(f"#task-{added.pk}")).to_have_attribute("data-wbs", f"1.{stage.children.count()}")

    # Delete a generated task after seeing what goes with it.
    doomed = Task.objects.filter(plan=plan, parent=stage, origin="generated").order_by("order").first()
    page.goto(f"/e/{engagement.pk}/plan/tasks/{doomed.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Delete this task").click()
    expect(page.locator("#task-delete h2")).to_contain_text(doomed.name)
    shot(page, "plan-task-delete-en")
    with page.expect_navigation():
        page.get_by_role("button", name="Delete").click()
    expect(page.locator(".message.success")).to_contain_text("deleted")
    expect(page.locator(f"#task-{doomed.pk}")).to_have_count(0)

    # Save baseline 0: nothing has slipped yet.
    with page.expect_navigation():
        page.locator(".subnav").get_by_role("link", name="Baselines").click()
    page.get_by_label("Baseline name").fill("Kick-off")
    with page.expect_navigation():
        page.get_by_role("button", name="Save baseline").click()
    expect(page.locator(".message.success")).to_contain_text("Baseline 0 saved.")
    expect(page.locator("#slipped-tasks")).to_have_text("0")

    # Lengthen the trial operation by ten working days, then compare.
    page.goto(f"/e/{engagement.pk}/plan/tasks/{trial.pk}/")
    page.get_by_label("Duration (working days)").fill(str(trial.duration_days + 10))
    with page.expect_navigation():
        page.get_by_role("button", name="Save task").click()
    page.goto(f"/e/{engagement.pk}/plan/baselines/0/")
    expect(page.locator(f"#slip-{trial.pk} .finish-slip")).to_have_text("+10 days")
    expect(page.locator(f"#slip-{trial.pk} .start-slip")).to_have_text("0")
    expect(page.locator("#plan-finish-slip")).to_contain_text("+")
    shot(page, "plan-baseline-compare-en")

    # Saving baseline 0 again asks first.
    page.goto(f"/e/{engagement.pk}/plan/baselines/")
    page.get_by_label("Baseline number").select_option("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Save baseline").click()
    expect(page.locator(".field.has-error")).to_contain_text("Baseline 0 was saved on")
    assert Baseline.objects.get(plan=plan, number=0).name == "Kick-off"

    # The improvement topic shows the task made from it.
    page.goto(f"/e/{engagement.pk}/gaps/topics/{topic.pk}/")
    links = page.locator("#topic-links")
    expect(links).to_contain_text("Trial operation")
    expect(links).to_contain_text("0% done")
    shot(page, "topic-shows-task-en")
    with page.expect_navigation():
        links.get_by_role("link").click()
    expect(page.locator(f"#task-{trial.pk}")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_baseline_pages_fit_a_390_px_phone(new_context, engagement, owner, plan, language):
    baseline_save(plan=plan, actor=owner, number=0)
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    Task.objects.filter(pk=trial.pk).update(duration_days=trial.duration_days + 5)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    pages = {
        "baselines": "plan/baselines/",
        "baseline-compare": "plan/baselines/0/",
        "task-add": "plan/tasks/add/",
        "task-delete": f"plan/tasks/{trial.pk}/delete/",
    }
    for name, path in pages.items():
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
        shot(page, f"plan-{name}-mobile-{language}")
    page.goto(f"/e/{engagement.pk}/plan/baselines/0/")
    if language == "zh-hans":
        expect(page.get_by_role("heading", level=1)).to_contain_text("计划对比：基线 0")
        expect(page.locator(f"#slip-{trial.pk} .finish-slip")).to_have_text("+5 天")
