"""The benefits and the risk register in Chromium: an editor starts from the usual benefits, adds a priced
benefit and sees the payback period change; starts from the usual risks, adds a risk and sees it counted on the
heat map; the pages in Chinese (the usual benefits shown in Chinese while unchanged); both pages and their forms on
a 390 px phone in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certprep.feasibility.tests.world_benefits import cost_line
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def budgeted(engagement, owner):
    cost_line(engagement, owner, year=0, amount="100000")
    for year in (1, 2, 3):
        cost_line(engagement, owner, year=year, amount="20000")
    return engagement


def test_a_priced_benefit_changes_the_payback_and_a_new_risk_shows_on_the_heat_map(new_context, budgeted):
    engagement = budgeted
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/feasibility/benefits/")
    figures = page.locator("#key-figures")
    expect(figures).to_contain_text("CN¥160,000.00")
    expect(figures).to_contain_text("not within the cycle")
    with page.expect_navigation():
        page.get_by_role("button", name="Start from the usual benefits").click()
    expect(page.locator("#benefit-list tbody tr")).to_have_count(9)
    expect(page.locator("#benefit-list")).to_contain_text("continual improvement of the services")

    with page.expect_navigation():
        page.get_by_role("link", name="Add a benefit").click()
    page.locator("#id_title").fill("Fewer SLA penalties <b>paid</b>")
    page.get_by_label("KPI").fill("SLA penalties per year")
    page.get_by_label("Money value per year").fill("80000")
    page.get_by_label("process efficiency").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("Benefit added")
    expect(page.locator("#benefit-list")).to_contain_text("Fewer SLA penalties <b>paid</b>")
    # Net flows -100,000 / +60,000 / +60,000 / +60,000: running -100,000, -40,000, +20,000: 1 + 40/60 = 1.67 years.
    expect(figures).to_contain_text("1.67 years")
    expect(figures).to_contain_text("CN¥80,000.00")  # net benefit: 240,000 - 160,000
    expect(page.locator("#sensitivity")).to_contain_text("Benefits 30 % lower")
    shot(page, "feasibility-benefits-en")

    page.goto(f"/e/{engagement.pk}/feasibility/risks/")
    expect(page.locator("#schedule-input")).to_contain_text("No schedule risk analysis")
    with page.expect_navigation():
        page.get_by_role("button", name="Start from the usual risks").click()
    expect(page.locator("#risk-list tbody tr")).to_have_count(8)
    expect(page.locator("#risk-list")).to_contain_text("See the plan's audit bookings")
    cell = page.locator('svg#risk-heat-map g[data-likelihood="5"][data-impact="5"]')
    expect(cell).to_have_attribute("data-count", "0")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a risk").click()
    page.locator("#id_title").fill("The certification body merges and cancels slots")
    page.get_by_label("Likelihood").select_option("5")
    page.get_by_label("Impact").select_option("5")
    page.get_by_label("Countermeasure").fill("Keep a second accredited body in reserve.")
    page.get_by_label("Due date").fill("2020-01-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("Risk added")
    expect(cell).to_have_attribute("data-count", "1")
    expect(cell.locator("text.count")).to_have_text("1")
    expect(page.locator("svg#risk-heat-map")).to_have_attribute("role", "img")
    expect(page.locator("#overdue-notice")).to_contain_text("1 countermeasure is overdue.")
    shot(page, "feasibility-risks-en")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/feasibility/benefits/")
    expect(page.get_by_role("heading", name="收益与经济性", exact=True)).to_be_visible()
    expect(page.locator("#benefit-list")).to_contain_text("服务的持续改进")  # seeded in English, shown in Chinese
    expect(page.locator("#key-figures")).to_contain_text("1.67 年")
    shot(page, "feasibility-benefits-zh")
    page.goto(f"/e/{engagement.pk}/feasibility/risks/")
    expect(page.get_by_role("heading", name="风险登记表", exact=True)).to_be_visible()
    expect(page.locator("#risk-list")).to_contain_text("最高管理者的承诺不足")
    shot(page, "feasibility-risks-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_benefits_and_risks_fit_a_390_px_phone(new_context, budgeted, owner, language):
    from certprep.feasibility.services.benefits import benefits_seed
    from certprep.feasibility.services.risks import risks_seed

    engagement = budgeted
    benefits_seed(engagement=engagement, actor=owner)
    risks_seed(engagement=engagement, actor=owner)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path in ("benefits/", "benefits/add/", "risks/", "risks/add/"):
        page.goto(f"/e/{engagement.pk}/feasibility/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    page.goto(f"/e/{engagement.pk}/feasibility/benefits/")
    shot(page, f"feasibility-benefits-mobile-{language}")
    page.goto(f"/e/{engagement.pk}/feasibility/risks/")
    shot(page, f"feasibility-risks-mobile-{language}")
