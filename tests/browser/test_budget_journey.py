"""The budget in Chromium: a 400-person provider sees the forgotten-training warning, adds a training line and
sees it go, with the table and the three charts; the budget in Chinese; the budget on a 390 px phone in both
languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from certprep.budget.models import BudgetSettings
from certprep.budget.services.lines import line_add
from certprep.people.models import Person, RoleAssignment
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def provider(engagement, owner):
    profile = engagement.profile
    profile.people_in_scope = 400
    profile.save()
    BudgetSettings.objects.create(engagement=engagement, audit_day_rate=Decimal(2500), internal_day_rate=Decimal(1000))
    person = Person.objects.create(engagement=engagement, name="王芳 (Wang Fang)", department="IT service desk")
    RoleAssignment.objects.create(person=person, role="sms_manager")
    line_add(
        engagement=engagement,
        actor=owner,
        category="consulting",
        description="Gap review <script>alert(1)</script>",
        quantity="4",
        unit="days",
        unit_price="1250.10",
        currency="EUR",
        cycle_year=0,
        note="",
    )
    return engagement


def test_owner_sees_the_warning_adds_a_training_line_and_sees_the_charts(new_context, provider):
    engagement = provider
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/budget/")
    expect(page.locator("#no-training")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="No exchange rate from EUR to CNY")).to_be_visible()
    expect(page.locator("#budget-lines")).to_contain_text("Gap review <script>alert(1)</script>")
    shot(page, "budget-warnings-en")

    page.goto(f"/e/{engagement.pk}/budget/rates/")
    page.get_by_label("From currency").fill("EUR")
    page.get_by_label("To currency").fill("CNY")
    page.get_by_label("Rate").fill("7.8125")
    page.get_by_label("Date").fill("2026-12-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the rate").click()
    expect(page.locator("#rates")).to_contain_text("1 EUR = 7.8125 CNY")

    page.goto(f"/e/{engagement.pk}/budget/")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a training line").click()
    page.get_by_label("Description").fill("Awareness training for all staff")
    page.get_by_label("Quantity").fill("400")
    page.get_by_label("Unit", exact=True).fill("persons")
    page.get_by_label("Unit price").fill("150")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("Budget line added")
    expect(page.locator("#no-training")).to_have_count(0)
    expect(page.locator("#budget-lines")).to_contain_text("€5,000.40")
    expect(page.locator("#budget-lines")).to_contain_text("CN¥39,065.63")
    # 39,065.63 consulting + 60,000 training + 25,000 estimated initial audit; 8,750 + 8,750 + 17,500 after.
    expect(page.locator("#cash-total")).to_have_text("CN¥159,065.63")
    for chart in ("chart-categories", "chart-cumulative", "chart-effort"):
        svg = page.locator(f"svg#{chart}")
        expect(svg).to_have_attribute("role", "img")
        expect(svg.locator("title").first).not_to_be_empty()
        expect(svg.locator("desc")).not_to_be_empty()
    # 124,065.63 in the initial year: the value axis runs 0 to 125K in steps of 25K.
    expect(page.locator("#chart-categories text.value")).to_have_text(
        ["CN¥0", "CN¥25K", "CN¥50K", "CN¥75K", "CN¥100K", "CN¥125K"]
    )
    expect(page.locator("#chart-categories text.chart-title")).to_have_text("Cost by category and year")
    shot(page, "budget-en")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/budget/")
    expect(page.get_by_role("heading", name="预算", exact=True)).to_be_visible()
    expect(page.locator("#budget-table")).to_contain_text("培训")
    expect(page.locator("#cash-total")).to_have_text("¥159,065.63")
    expect(page.locator("#chart-categories text.value").last).to_have_text("¥12.5万")
    shot(page, "budget-zh")
    page.goto(f"/e/{engagement.pk}/budget/settings/")
    expect(page.locator("#estimate")).to_contain_text("估算")
    shot(page, "budget-settings-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_budget_fits_a_390_px_phone(new_context, provider, language):
    engagement = provider
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path in (
        "budget/",
        "budget/scenarios/",
        "budget/rates/",
        "budget/day-rates/",
        "budget/tools/",
        "budget/settings/",
    ):
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    page.goto(f"/e/{engagement.pk}/budget/")
    shot(page, f"budget-mobile-{language}")
    page.goto(f"/e/{engagement.pk}/budget/day-rates/")
    shot(page, f"budget-day-rates-mobile-{language}")
