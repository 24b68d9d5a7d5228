"""The plan's Gantt chart in Chromium: open it, zoom, fold a stage, drag a task later with the mouse and see the
critical path and the finish date change, move a task with the keyboard, and a stale change from a second tab gets
the conflict message; the chart in Chinese and on a 390 px phone (the timeline scrolls, the names stay)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.planning.choices import ConstraintType
from certprep.planning.models import Task
from certprep.planning.services.generation import plan_generate
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    return plan_generate(engagement=engagement, actor=owner)


def _bar(page, task: Task):
    return page.locator(f'a.gantt-task[data-task="{task.pk}"]')


def _critical(page) -> set[str]:
    return set(page.eval_on_selector_all(".gantt-task.critical", "els => els.map(e => e.dataset.task)"))


def test_owner_zooms_folds_drags_and_moves_tasks_and_a_stale_tab_is_told(new_context, engagement, plan):
    new_context.expected_statuses.add(409)  # the stale tab's change, refused on purpose
    context = new_context()
    page = context.new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")
    with page.expect_navigation():
        page.locator(".subnav").get_by_role("link", name="Gantt chart").click()
    expect(page.locator("svg.gantt-timeline-svg")).to_have_class("gantt-timeline-svg zoom-week")
    shot(page, "gantt-en")

    with page.expect_navigation():
        page.locator(".gantt-zoom").get_by_role("link", name="Day").click()
    expect(page.locator("svg.gantt-timeline-svg")).to_have_class("gantt-timeline-svg zoom-day")

    stage = Task.objects.get(plan=plan, origin_key="stage:preparation")
    child = Task.objects.filter(parent=stage).order_by("order").first()
    expect(page.locator(f'.gantt-task[data-task="{child.pk}"]')).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Collapse {stage.name}").click()
    expect(page.locator(f'.gantt-task[data-task="{child.pk}"]')).to_have_count(0)
    expect(page.get_by_role("link", name=f"Expand {stage.name}")).to_be_visible()
    shot(page, "gantt-folded-en")

    # Drag the trial operation three weeks later: what follows moves, what came before it gets float.
    with page.expect_navigation():
        page.locator(".gantt-zoom").get_by_role("link", name="Week").click()
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    critical_before = _critical(page)
    span_before = page.locator("#gantt-span").inner_text()
    start_before = _bar(page, trial).get_attribute("data-start")
    body = _bar(page, trial).locator(".gantt-bar-body")
    body.scroll_into_view_if_needed()
    box = body.bounding_box()
    x, y = box["x"] + 8, box["y"] + box["height"] / 2
    with page.expect_response(lambda r: f"/gantt/tasks/{trial.pk}/" in r.url) as answer:
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 8):
            page.mouse.move(x + step * 21, y)
        page.mouse.up()
    assert answer.value.status == 200
    expect(page.locator("#gantt-span")).not_to_have_text(span_before)
    moved = Task.objects.get(pk=trial.pk)
    assert moved.constraint_type == ConstraintType.SNET
    assert moved.constraint_date > datetime.date.fromisoformat(start_before)
    expect(_bar(page, trial)).to_have_attribute("data-start", moved.constraint_date.isoformat())
    assert _critical(page) != critical_before
    shot(page, "gantt-dragged-en")

    # A second tab opens the chart; the first moves the stage 1 audit's predecessor by keyboard.
    other = context.new_page()
    other.goto(f"/e/{engagement.pk}/plan/gantt/")
    task = Task.objects.get(plan=plan, origin_key="task:internal-audit")
    before = _bar(page, task).get_attribute("data-start")
    _bar(page, task).focus()
    with page.expect_response(lambda r: f"/gantt/tasks/{task.pk}/" in r.url):
        page.keyboard.press("ArrowRight")
    expect(_bar(page, task)).not_to_have_attribute("data-start", before)
    expect(_bar(page, task)).to_be_focused()
    assert Task.objects.get(pk=task.pk).constraint_type == ConstraintType.SNET
    # Shift and the arrow key lengthen it by a working day.
    duration = Task.objects.get(pk=task.pk).duration_days
    with page.expect_response(lambda r: f"/gantt/tasks/{task.pk}/" in r.url):
        page.keyboard.press("Shift+ArrowRight")
    expect(_bar(page, task)).to_have_attribute("data-duration", str(duration + 1))

    # Dragging the right end of the bar (the day zoom, a day is 26 px) makes it two working days longer again.
    with page.expect_navigation():
        page.locator(".gantt-zoom").get_by_role("link", name="Day").click()
    handle = _bar(page, task).locator(".gantt-handle")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    finish = _bar(page, task).get_attribute("data-finish")
    with page.expect_response(lambda r: f"/gantt/tasks/{task.pk}/" in r.url):
        page.mouse.move(x, y)
        page.mouse.down()
        for step in range(1, 5):
            page.mouse.move(x + step * 14, y)
        page.mouse.up()
    expect(_bar(page, task)).not_to_have_attribute("data-finish", finish)
    assert _bar(page, task).get_attribute("data-finish") > finish
    assert Task.objects.get(pk=task.pk).duration_days > duration + 1

    _bar(other, task).focus()
    with other.expect_response(lambda r: f"/gantt/tasks/{task.pk}/" in r.url) as stale:
        other.keyboard.press("ArrowRight")
    assert stale.value.status == 409
    expect(other.locator("#gantt-status")).to_contain_text("Someone else changed this")
    expect(other.locator("#gantt-status")).to_contain_text("Open the latest version")
    shot(other, "gantt-conflict-en")

    # Enter opens the side form for the focused bar.
    _bar(page, task).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#gantt-form")).to_be_visible()
    expect(page.locator("#gantt-form h2")).to_have_text(task.name)
    # Its bar is marked and brought into the timeline's view.
    expect(_bar(page, task)).to_have_class(re.compile(r"\bselected\b"))
    region = page.locator(".gantt-scroll").bounding_box()
    bar = _bar(page, task).bounding_box()
    assert region["x"] <= bar["x"] <= region["x"] + region["width"]
    shot(page, "gantt-form-en")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_chart_scrolls_in_its_box_on_a_390_px_phone_and_reads_in_chinese(new_context, engagement, plan, language):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    page.goto(f"/e/{engagement.pk}/plan/gantt/")
    if language != "en":
        expect(page.get_by_role("heading", name="甘特图")).to_be_visible()
        expect(page.locator(".gantt-names-svg")).to_contain_text("第一阶段审核")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the chart page is {width} px wide on a {PHONE['width']} px screen"
    scroll = page.locator(".gantt-scroll")
    assert scroll.evaluate("el => el.scrollWidth > el.clientWidth")
    names = page.locator(".gantt-names")
    left = names.bounding_box()["x"]
    scroll.evaluate("el => { el.scrollLeft = 400; }")
    assert names.bounding_box()["x"] == left
    expect(names).to_be_visible()
    shot(page, f"gantt-mobile-{language}")


def test_the_chart_in_chinese_on_a_desktop(new_context, engagement, plan):
    page = new_context().new_page()
    sign_in(page, "olivia")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/gantt/?zoom=month")
    expect(page.locator(".gantt-zoom").get_by_role("link", name="月")).to_have_attribute("aria-current", "true")
    shot(page, "gantt-zh")
