"""Audit bookings in Chromium: propose the cycle from the plan and book it, move stage 1 before the SMS has
operated long enough and see the warning on the audits page and on the plan, put it back and see the warning go;
the audits in Chinese; the audits page on a 390 px phone in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.planning.models import AuditBooking
from certprep.planning.selectors.audits import proposal
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.audits import booking_create, bookings_confirm
from certprep.planning.services.generation import plan_generate
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    return plan_generate(engagement=engagement, actor=owner)


def test_owner_books_the_proposed_cycle_moves_stage1_too_early_and_fixes_it(new_context, engagement, plan):
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/plan/")
    with page.expect_navigation():
        page.get_by_role("navigation", name="Implementation plan").get_by_role("link", name="Audits").click()
    expect(page.locator("#no-bookings")).to_be_visible()
    shot(page, "audits-empty-en")

    with page.expect_navigation():
        page.get_by_role("link", name="Propose bookings").click()
    expect(page.get_by_role("group", name="Stage 1 audit")).to_be_visible()
    expect(page.get_by_role("group", name="Stage 2 audit, batch 1")).to_be_visible()
    shot(page, "audits-proposal-en")
    assert not AuditBooking.objects.exists()
    with page.expect_navigation():
        page.get_by_role("button", name="Book the ticked audits").click()
    expect(page.locator(".message.success")).to_contain_text("5 audits booked")
    expect(page.locator("#audit-bookings tbody tr")).to_have_count(5)
    expect(page.locator("#audit-warnings")).to_have_count(0)
    shot(page, "audits-booked-en")

    stage1 = AuditBooking.objects.get(plan=plan, kind="stage1")
    proposed = stage1.date
    trial = next(row for row in plan_page(plan).rows if row.task.origin_key == "task:trial-operation")
    early = trial.start + datetime.timedelta(days=14)
    with page.expect_navigation():
        page.locator(f"#booking-{stage1.pk} a").click()
    page.get_by_label("Audit date").fill(early.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save booking").click()
    warning = page.get_by_role("alert").filter(has_text="break the certification cycle")
    expect(warning).to_contain_text("Stage 1 audit on")
    expect(warning).to_contain_text("must operate for 3 months first")
    expect(page.locator(f"#booking-{stage1.pk} .audit-date time")).to_have_attribute("datetime", early.isoformat())
    shot(page, "audits-stage1-too-early-en")

    page.goto(f"/e/{engagement.pk}/plan/")
    expect(page.locator("#audit-warnings")).to_contain_text("must operate for 3 months first")
    milestone = AuditBooking.objects.get(pk=stage1.pk).task
    expect(page.locator(f"#task-{milestone.pk} td.start time")).to_have_attribute("datetime", early.isoformat())
    shot(page, "plan-audit-warning-en")

    with page.expect_navigation():
        page.locator("#audit-warnings").get_by_role("link", name="Open the audits").click()
    with page.expect_navigation():
        page.locator(f"#booking-{stage1.pk} a").click()
    page.get_by_label("Audit date").fill(proposed.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save booking").click()
    expect(page.locator(".message.success")).to_contain_text("Booking saved")
    expect(page.locator("#audit-warnings")).to_have_count(0)

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/plan/audits/")
    expect(page.get_by_role("heading", name="审核", exact=True)).to_be_visible()
    expect(page.locator("#audit-bookings")).to_contain_text("第二阶段审核，第 1 批")
    shot(page, "audits-booked-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_audits_page_fits_a_390_px_phone(new_context, engagement, owner, plan, language):
    bookings_confirm(plan=plan, actor=owner, proposals=proposal(plan))
    booking_create(plan=plan, actor=owner, kind="stage2", batch=2, date=plan.start_date, scope="Data centre")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    page.goto(f"/e/{engagement.pk}/plan/audits/")
    expect(page.locator("#audit-warnings")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the audits page is {width} px wide on a {PHONE['width']} px screen"
    shot(page, f"audits-mobile-{language}")
