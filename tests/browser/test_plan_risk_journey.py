"""The schedule risk analysis in Chromium: an editor opens "Schedule risk" from the plan's menu, runs the analysis
with a chosen seed, reads the stage 1 and stage 2 dates, the chance of being ready by the booked stage 1 date,
the charts and the critical tasks, follows the link to give a task its estimate, fills the estimate table; the page
in Chinese and on a 390 px phone."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from certprep.planning.models import AuditBooking, Dependency, Plan, RiskRun, Task
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MONDAY = datetime.date(2027, 1, 4)


@pytest.fixture
def plan(engagement):
    """Design and trial with estimates, documentation without one, then the stage 1 and stage 2 audits."""
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY)
    design = Task.objects.create(
        plan=plan, name="Design", order=1, duration_days=10, optimistic_days=8, pessimistic_days=20
    )
    documents = Task.objects.create(plan=plan, name="Write the procedures", order=2, duration_days=5)
    trial = Task.objects.create(
        plan=plan, name="Trial operation", order=3, duration_days=60, optimistic_days=55, pessimistic_days=90
    )
    stage1 = Task.objects.create(plan=plan, name="Stage 1 audit", order=4, duration_days=2, origin_key="task:stage1")
    stage2 = Task.objects.create(plan=plan, name="Stage 2 audit", order=5, duration_days=3, origin_key="task:stage2")
    for before, after in ((design, documents), (documents, trial), (trial, stage1), (stage1, stage2)):
        Dependency.objects.create(plan=plan, predecessor=before, successor=after)
    AuditBooking.objects.create(plan=plan, kind="stage1", date=datetime.date(2027, 4, 26))
    return plan


def test_an_editor_runs_the_risk_analysis_and_reads_it(new_context, engagement, plan):
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")
    with page.expect_navigation():
        page.get_by_role("link", name="Schedule risk").click()
    expect(page.locator("#no-risk-run")).to_be_visible()
    page.get_by_label("seed").fill("2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator(".message.success")).to_contain_text("Risk analysis run: 5000 iterations.")
    expect(page.locator("#risk-result-title")).to_have_text("Run of 5000 iterations, seed 2027")
    table = page.locator("#risk-percentiles")
    expect(table).to_contain_text("Stage 1 audit")
    expect(table).to_contain_text("Stage 2 audit")
    expect(table).to_contain_text("26 Apr 2027")
    expect(table.locator("tbody tr").first.locator("td").last).to_contain_text("%")
    expect(page.get_by_role("img", name="Stage 1 audit: finish dates over the iterations")).to_be_visible()
    expect(page.get_by_role("img", name="Stage 1 audit: chance of finishing by each date")).to_be_visible()
    expect(page.locator("#risk-critical")).to_contain_text("Trial operation")
    expect(page.locator("#risk-unestimated")).to_contain_text("Write the procedures")
    shot(page, "plan-risk-en")
    assert RiskRun.objects.get().seed == 2027

    with page.expect_navigation():
        page.locator("#risk-unestimated").get_by_role("link", name="Write the procedures").click()
    assert f"/plan/tasks/{Task.objects.get(name='Write the procedures').pk}/" in page.url

    # The estimate table: the procedures get theirs, a wrong one is named and nothing is saved until it is right.
    page.goto(f"/e/{engagement.pk}/plan/risk/")
    with page.expect_navigation():
        page.locator("#risk-estimates-link").click()
    row = page.locator("#estimates tbody tr").first
    expect(row).to_contain_text("Write the procedures")
    row.get_by_label("Write the procedures · optimistic duration (working days)").fill("7")
    row.get_by_label("Write the procedures · pessimistic duration (working days)").fill("9")
    with page.expect_navigation():
        page.get_by_role("button", name="Save estimates").click()
    expect(page.locator("#form-errors")).to_contain_text("The optimistic duration cannot be longer than the duration")
    shot(page, "plan-risk-estimates-en")
    page.locator("#estimates tbody tr").first.get_by_label(
        "Write the procedures · optimistic duration (working days)"
    ).fill("4")
    with page.expect_navigation():
        page.get_by_role("button", name="Save estimates").click()
    expect(page.locator(".message.success")).to_contain_text("Estimates saved: 1 tasks changed.")
    expect(page.locator("#risk-unestimated")).not_to_contain_text("Write the procedures")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/risk/")
    expect(page.get_by_role("heading", name="进度风险", exact=True)).to_be_visible()
    expect(page.locator("#risk-percentiles")).to_contain_text("2027年4月26日")
    shot(page, "plan-risk-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_risk_page_fits_a_390_px_phone(new_context, engagement, plan, owner, language):
    from certprep.planning.services.risk import risk_run

    risk_run(plan=plan, actor=owner, iterations=1000, seed=1)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    page.goto(f"/e/{engagement.pk}/plan/risk/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"plan-risk-mobile-{language}")
