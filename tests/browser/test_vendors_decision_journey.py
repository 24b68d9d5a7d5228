"""From two certification-body quotes to the budget and the plan, in Chromium: a 400-person provider enters Body A
(travel included, certificate fee not) and Body B (the reverse) with the quote check, gives Body A an availability
window, scores both on the recommended criteria and decides for Body A; then the budget's certification row and
3-year total move from the size-driven estimate to Body A's figures, the charts follow, the plan's audits page
names Body A with its window against each audit date, and the plan page shows the booking milestones. Screenshots
in English and Chinese, and the decision at 390 px."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from certprep.budget.models import BudgetSettings
from certprep.planning.models import AuditBooking
from certprep.planning.selectors.audits import proposal
from certprep.planning.services.audits import bookings_confirm
from certprep.planning.services.generation import plan_generate
from certprep.vendors.models import Decision
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Body A as the user types it: 7 initial audit days, 2.5 + 2.5 surveillance, 5 recertification at CN¥6,000.
BODY_A = {
    "received_on": "2026-11-02", "currency": "CNY", "day_rate": "6000", "stage1_days": "2", "stage2_days": "5",
    "surveillance1_days": "2.5", "surveillance2_days": "2.5", "recertification_days": "5",
    "travel_per_audit": "1500", "application_fee": "3000", "certificate_fee_per_year": "2000",
}  # fmt: skip
BODY_B = {
    "received_on": "2026-11-02", "currency": "CNY", "day_rate": "5000", "stage1_days": "2", "stage2_days": "5",
    "surveillance1_days": "2", "surveillance2_days": "2", "recertification_days": "4",
    "travel_per_audit": "1200", "application_fee": "2500", "certificate_fee_per_year": "1800",
}  # fmt: skip
# Worked by hand for Body A, each year: audit days x 6,000 + travel per visit + the certificate fee (left out of
# the quote, so added as an estimate), and the application fee in the initial year:
#   initial   7 x 6,000 = 42,000 + 2 visits x 1,500 + 2,000 + 3,000 = 50,000
#   year 1    2.5 x 6,000 = 15,000 + 1,500 + 2,000 = 18,500; year 2 the same
#   year 3    5 x 6,000 = 30,000 + 1,500 + 2,000 = 33,500              3 years: 120,500
BODY_A_YEARS = ["CN¥50,000.00", "CN¥18,500.00", "CN¥18,500.00", "CN¥33,500.00"]
BODY_A_TOTAL = "CN¥120,500.00"


@pytest.fixture
def provider(engagement, owner):
    """400 people in scope, a budget priced at CN¥2,500 an audit day, and a plan with its audit cycle booked."""
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    BudgetSettings.objects.create(engagement=engagement, audit_day_rate=Decimal(2500), internal_day_rate=Decimal(0))
    call_command("load_catalogue", verbosity=0)
    plan = plan_generate(engagement=engagement, actor=owner)
    bookings_confirm(plan=plan, actor=owner, proposals=proposal(plan))
    return engagement


def _add_body(page: Page, engagement_id: int, name: str) -> None:
    page.goto(f"/e/{engagement_id}/vendors/add/")
    page.get_by_label("Kind").select_option("certification_body")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Accreditation body").fill("CNAS")
    page.get_by_label("Accreditation certificate number").fill(f"CNAS {name}")
    page.locator("input[name=scope_covers_20000][value=yes]").check()
    page.get_by_label("Accreditation expires").fill("2030-01-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the vendor").click()
    expect(page.locator(".message.success")).to_contain_text("Vendor added")


def _quote(page: Page, figures: dict[str, str], answers: dict[str, str]) -> None:
    with page.expect_navigation():
        page.locator("#quote-add").click()
    for name, value in figures.items():
        page.locator(f"#id_{name}").fill(value)
    for name, value in answers.items():
        page.locator(f"input[name={name}][value={value}]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the quote").click()
    expect(page.locator(".message.success")).to_contain_text("Quote saved")


def _certification_row(page: Page) -> list[str]:
    return page.locator("#budget-table tr.cat-certification td").all_inner_texts()


def _score(page: Page, name: str, score: str) -> None:
    with page.expect_navigation():
        page.locator("#ranking-table tr", has_text=name).get_by_role("link", name="Score").click()
    for select in page.locator("#scores-form select").all():
        select.select_option(score)
    page.locator("#scores-form textarea").first.fill(f"Why {name} gets {score}")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the scores").click()
    expect(page.locator(".message.success")).to_contain_text("Scores saved")


def test_deciding_for_a_body_moves_the_budget_charts_and_plan(new_context, provider):
    engagement = provider
    stage1, stage2 = (AuditBooking.objects.get(plan__engagement=engagement, kind=k) for k in ("stage1", "stage2"))
    page = new_context().new_page()
    sign_in(page, "olivia")

    page.goto(f"/e/{engagement.pk}/budget/")
    estimate = _certification_row(page)
    estimate_total = page.locator("#cash-total").inner_text()
    categories = page.locator("svg#chart-categories").inner_html()
    cumulative = page.locator("svg#chart-cumulative").inner_html()
    assert estimate[-1] != BODY_A_TOTAL
    shot(page, "decision-budget-before-en")

    _add_body(page, engagement.pk, "Body A")
    _quote(
        page,
        BODY_A,
        {"includes_surveillance": "yes", "includes_recertification": "yes", "includes_certificate_fee": "no",
         "includes_travel": "yes"},
    )  # fmt: skip
    expect(page.locator("#schedule-total")).to_have_text(BODY_A_TOTAL)
    # Body A can come for two weeks around stage 1 only: stage 2 falls outside.
    window = (stage1.date - datetime.timedelta(days=7), stage1.date + datetime.timedelta(days=7))
    page.locator("#window-add").get_by_label("From").fill(window[0].isoformat())
    page.locator("#window-add").get_by_label("To").fill(window[1].isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Add the window").click()
    expect(page.locator("#availability .window")).to_have_count(1)
    _add_body(page, engagement.pk, "Body B")
    _quote(
        page,
        BODY_B,
        {"includes_surveillance": "yes", "includes_recertification": "yes", "includes_certificate_fee": "yes",
         "includes_travel": "no"},
    )  # fmt: skip
    page.goto(f"/e/{engagement.pk}/vendors/")
    expect(page.locator("#vendor-register")).to_contain_text("not included: certificate management fee")
    expect(page.locator("#vendor-register")).to_contain_text("not included: travel and expenses")

    page.goto(f"/e/{engagement.pk}/vendors/comparison/")
    with page.expect_navigation():
        page.locator("#criteria-defaults").click()
    _score(page, "Body A", "5")
    _score(page, "Body B", "3")
    expect(page.locator("#ranking-table tbody tr").first).to_contain_text("Body A")
    page.get_by_label("Why").fill("Best auditors; the price gap is small")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#latest-decision")).to_contain_text("Body A")
    assert Decision.objects.get().vendor.name == "Body A"
    expect(page.locator("#availability-audits")).to_contain_text("outside its availability")
    shot(page, "decision-comparison-en")

    # (a) the budget's certification row and 3-year total are Body A's figures now
    page.goto(f"/e/{engagement.pk}/budget/")
    expect(page.locator("#budget-table tr.cat-certification td")).to_have_text([*BODY_A_YEARS, BODY_A_TOTAL])
    cash = page.locator("#cash-total").inner_text()
    assert cash != estimate_total
    assert Decimal(cash.removeprefix("CN¥").replace(",", "")) - Decimal(
        estimate_total.removeprefix("CN¥").replace(",", "")
    ) == Decimal("120500") - Decimal(estimate[-1].removeprefix("CN¥").replace(",", ""))
    expect(page.locator("#budget-lines")).to_contain_text("Body A")
    # (b) the charts are drawn from the new figures: the cumulative line ends on the new cash total
    assert page.locator("svg#chart-categories").inner_html() != categories
    assert page.locator("svg#chart-cumulative").inner_html() != cumulative
    expect(page.locator("svg#chart-cumulative circle.point title").last).to_contain_text(cash)
    shot(page, "decision-budget-after-en")

    # (c) the plan's audits page names Body A and its window against each audit date
    page.goto(f"/e/{engagement.pk}/plan/audits/")
    expect(page.locator("#certification-body")).to_have_text("Body A")
    inside, outside = page.locator(f"#booking-{stage1.pk}"), page.locator(f"#booking-{stage2.pk}")
    expect(inside.locator(".part-links")).to_contain_text("Chosen certification body: Body A")
    expect(inside.locator(".part-links")).to_contain_text("available")
    expect(inside.locator(".badge.critical")).to_have_count(0)
    expect(outside.locator(".part-links .badge.critical")).to_have_text("outside every window")
    shot(page, "decision-audits-en")

    # (d) the booking milestones on the plan page, on the audits' dates
    page.goto(f"/e/{engagement.pk}/plan/")
    for booking in (stage1, stage2):
        milestone = AuditBooking.objects.get(pk=booking.pk).task
        expect(page.locator(f"#task-{milestone.pk} td.start time")).to_have_attribute(
            "datetime", booking.date.isoformat()
        )
    shot(page, "decision-plan-en")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/vendors/comparison/")
    expect(page.locator("#latest-decision")).to_contain_text("Body A")
    shot(page, "decision-comparison-zh")
    page.goto(f"/e/{engagement.pk}/budget/")
    expect(page.locator("#cash-total")).to_have_text(cash.removeprefix("CN"))
    shot(page, "decision-budget-after-zh")
    page.goto(f"/e/{engagement.pk}/plan/audits/")
    expect(outside.locator(".part-links")).to_contain_text("选定的认证机构")
    expect(outside.locator(".part-links .badge.critical")).to_have_text("不在任何可用时段内")
    shot(page, "decision-audits-zh")

    for language in ("en", "zh-hans"):
        phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
        sign_in(phone, "olivia")
        if language != "en":
            with phone.expect_navigation():
                phone.locator("#language-select").select_option(language)
        phone.goto(f"/e/{engagement.pk}/vendors/comparison/")
        expect(phone.locator("#latest-decision")).to_contain_text("Body A")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the decision page is {width} px wide on a {PHONE['width']} px screen"
        shot(phone, f"decision-mobile-{language}")
