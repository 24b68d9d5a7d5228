"""The project's organization in Chromium: see both bodies, put a person in the project team, approve the budget
as shown, change a budget line, and see the budget marked changed since approval with the line's amount at the
approval and now; the approvals page in Chinese; the organization pages on a 390 px phone in en and zh."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from certprep.budget.models import BudgetLine
from certprep.organization.models import Approval, ProjectMember
from certprep.organization.tests.world import budget_lines, organization_world, person
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _to_chinese(page: Page) -> None:
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")


def test_owner_approves_the_budget_changes_a_line_and_sees_what_changed(new_context, engagement, owner):
    organization_world(engagement)
    person(engagement, "Zhao Lei")
    first, _second = budget_lines(engagement)
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Project organization").first.click()
    expect(page.locator("#steering")).to_contain_text("Wang Wei")
    expect(page.locator("#team")).to_contain_text("Li Na")

    with page.expect_navigation():
        page.locator("#member-add").click()
    page.get_by_label("Person").select_option(label="Zhao Lei")
    page.get_by_label("Project role").select_option("internal_auditor")
    page.get_by_label("Time share (%)").fill("15")
    page.get_by_label("Responsibilities").fill("Runs the internal audit before stage 1.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#team")).to_contain_text("Zhao Lei")
    assert ProjectMember.objects.get(person__name="Zhao Lei").body == "team"
    shot(page, "organization-overview-en")

    page.goto(f"/e/{engagement.pk}/budget/")  # the budget as its page shows it (derived lines computed)
    page.goto(f"/e/{engagement.pk}/organization/approvals/")
    budget = page.locator("#approval-budget")
    expect(budget).to_contain_text("never approved")
    budget.get_by_label("Approved as").fill("CEO")
    with page.expect_navigation():
        budget.get_by_role("button", name="Approve as shown").click()
    expect(page.locator(".message.success")).to_contain_text("Approved")
    expect(page.locator("#approval-budget")).to_contain_text("Approved by CEO (olivia)")
    assert Approval.objects.get().approver_title == "CEO"

    page.goto(f"/e/{engagement.pk}/budget/lines/{first.pk}/")
    page.get_by_label("Unit price").fill("1500")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").first.click()
    assert BudgetLine.objects.get(pk=first.pk).unit_price == 1500

    page.goto(f"/e/{engagement.pk}/organization/approvals/")
    budget = page.locator("#approval-budget")
    expect(budget.locator(".badge.critical")).to_have_text("changed since approval")
    row = budget.locator(f"tr[data-key='line:{first.pk}']")
    expect(row).to_contain_text("Gap review by the consultancy: 2001.00 CNY")
    expect(row).to_contain_text("Gap review by the consultancy: 3000.00 CNY")
    expect(budget.locator("tr[data-key='total']")).to_be_visible()
    shot(page, "organization-approvals-changed-en")

    page.goto(f"/e/{engagement.pk}/organization/decisions/")
    expect(page.locator("#decision-log")).to_contain_text("Budget approved (approval 1)")

    _to_chinese(page)
    page.goto(f"/e/{engagement.pk}/organization/approvals/")
    expect(page.get_by_role("heading", name="审批", exact=True)).to_be_visible()
    expect(page.locator("#approval-budget")).to_contain_text("审批后已变更")
    shot(page, "organization-approvals-changed-zh")
    page.goto(f"/e/{engagement.pk}/organization/")
    expect(page.locator("#steering")).to_contain_text("指导委员会")
    shot(page, "organization-overview-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("where", ["", "decisions/", "approvals/"])
def test_the_organization_pages_fit_a_390_px_phone(new_context, engagement, owner, language, where):
    organization_world(engagement)
    budget_lines(engagement)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        _to_chinese(page)
    page.goto(f"/e/{engagement.pk}/organization/{where}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"organization-mobile-{where.strip('/') or 'overview'}-{language}")
