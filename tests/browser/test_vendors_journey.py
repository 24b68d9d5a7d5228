"""Choosing the certification body in Chromium: enter two bodies' quotes and answer the quote check (one leaves
out the certificate fee, the other travel), use the recommended criteria, score both, record the decision and see
the plan name the body; the comparison in Chinese; the register and the comparison on a 390 px phone."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import Page, expect

from certprep.planning.models import Plan
from certprep.vendors.models import Decision, Quote
from certprep.vendors.tests.world import vendors_world
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _add_body(page: Page, engagement_id: int, name: str, accreditation: str) -> None:
    page.goto(f"/e/{engagement_id}/vendors/")
    with page.expect_navigation():
        page.locator("#vendor-add").click()
    page.get_by_label("Kind").select_option("certification_body")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Accreditation body").fill(accreditation)
    page.get_by_label("Accreditation certificate number").fill(f"{accreditation} 0001")
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


def test_owner_enters_two_quotes_answers_the_check_scores_and_decides(new_context, engagement, owner):
    plan = Plan.objects.create(engagement=engagement, start_date=datetime.date(2027, 1, 4))
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Vendors").first.click()
    expect(page.locator("#no-vendors")).to_be_visible()

    common = {"received_on": "2026-11-02", "currency": "CNY", "stage1_days": "2", "stage2_days": "5"}
    _add_body(page, engagement.pk, "Body A", "CNAS")
    _quote(
        page,
        {**common, "day_rate": "6000", "surveillance1_days": "2.5", "surveillance2_days": "2.5",
         "recertification_days": "5", "travel_per_audit": "1500", "application_fee": "3000",
         "certificate_fee_per_year": "2000"},
        {"includes_surveillance": "yes", "includes_recertification": "yes", "includes_certificate_fee": "no",
         "includes_travel": "yes"},
    )  # fmt: skip
    expect(page.locator("#schedule-total")).to_have_text("CN¥120,500.00")
    shot(page, "vendors-body-a-en")
    _add_body(page, engagement.pk, "Body B", "UKAS")
    _quote(
        page,
        {**common, "day_rate": "5000", "surveillance1_days": "2", "surveillance2_days": "2",
         "recertification_days": "4", "travel_per_audit": "0", "certificate_fee_per_year": "1800"},
        {"includes_surveillance": "yes", "includes_recertification": "yes", "includes_certificate_fee": "yes",
         "includes_travel": "unknown"},
    )  # fmt: skip
    assert Quote.objects.get(vendor__name="Body B").includes_travel == "unknown"
    page.goto(f"/e/{engagement.pk}/vendors/")
    expect(page.locator("#vendor-register")).to_contain_text("unknown: travel and expenses")
    expect(page.locator("#vendor-register")).to_contain_text("not included: certificate management fee")
    shot(page, "vendors-register-en")

    with page.expect_navigation():
        page.get_by_role("navigation", name="Vendors").get_by_role("link", name="Comparison").click()
    with page.expect_navigation():
        page.locator("#criteria-defaults").click()
    expect(page.locator("#weights-form tbody tr")).to_have_count(6)
    for name, score in (("Body A", "5"), ("Body B", "3")):
        with page.expect_navigation():
            page.locator("#ranking-table tr", has_text=name).get_by_role("link", name="Score").click()
        for select in page.locator("#scores-form select").all():
            select.select_option(score)
        page.locator("#scores-form textarea").first.fill(f"Why {name} gets {score}")
        with page.expect_navigation():
            page.get_by_role("button", name="Save the scores").click()
        expect(page.locator(".message.success")).to_contain_text("Scores saved")
    expect(page.locator("#ranking-table tbody tr").first).to_contain_text("recommended")
    expect(page.locator("#ranking-table tbody tr").first).to_contain_text("Body A")
    expect(page.locator("#sensitivity li")).to_have_count(6)
    page.get_by_label("Why").fill("Best auditors; the price gap is small")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#latest-decision")).to_contain_text("Body A")
    shot(page, "vendors-comparison-en")
    assert Decision.objects.get().decided_by == owner
    plan.refresh_from_db()
    assert plan.certification_body == "Body A"

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/vendors/comparison/")
    expect(page.get_by_role("heading", name="机构比较")).to_be_visible()
    expect(page.locator("#ranking-table")).to_contain_text("推荐")
    shot(page, "vendors-comparison-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("where", ["", "comparison/"])
def test_the_vendor_pages_fit_a_390_px_phone(new_context, engagement, owner, language, where):
    vendors_world(engagement, owner)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    page.goto(f"/e/{engagement.pk}/vendors/{where}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"vendors-mobile-{where.strip('/') or 'register'}-{language}")
