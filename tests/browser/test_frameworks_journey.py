"""Real frameworks in Chromium: an engagement assessed against ISO/IEC 20000-1 and a NIST SP 800-53 shaped
library reads its readiness page (it answered 500 sorting 4 against AC), filters the NIST assessment to the
AC family, and picks requirements for a topic with the search; in English, in Chinese and on a phone."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from certprep.catalogue.services import framework_import
from certprep.catalogue.tests.libraries import nist_like
from certprep.gaps.models import ImprovementTopic
from certprep.gaps.services.assessments import assessment_create
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_frameworks(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    iso = assessment_create(
        engagement=engagement, actor=owner, name="ISO 20000 baseline", assessed_on=datetime.date(2026, 3, 1)
    )
    nist = assessment_create(
        engagement=engagement,
        actor=owner,
        name="NIST SP 800-53 review",
        assessed_on=datetime.date(2026, 4, 1),
        framework=framework_import(data=nist_like(controls=3, enhancements=2)).framework,
    )
    return engagement, iso, nist


def test_the_readiness_page_and_the_clause_filter_with_iso_20000_and_nist(new_context, two_frameworks):
    engagement, _iso, nist = two_frameworks
    page = new_context().new_page()
    sign_in(page, "olivia")
    response = page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    assert response is not None
    assert response.status == 200
    expect(page.locator("main")).to_contain_text("NIST SP 800-53 review")
    shot(page, "frameworks-readiness-iso-and-nist")

    page.goto(f"/e/{engagement.pk}/gaps/assessments/{nist.pk}/")
    page.locator("#f-clause").select_option("AC")
    page.wait_for_url("**clause=AC**")
    refs = page.locator("table.ratings tbody th[scope=row] a").all_inner_texts()
    assert refs == ["AC-1", "AC-1(1)", "AC-1(2)", "AC-2", "AC-2(1)", "AC-2(2)", "AC-3", "AC-3(1)", "AC-3(2)"]
    shot(page, "frameworks-nist-clause-ac")


def test_the_readiness_page_in_chinese_and_on_a_phone(new_context, two_frameworks):
    engagement, _iso, _nist = two_frameworks
    chinese = new_context().new_page()
    sign_in(chinese, "olivia")
    assert chinese.goto(f"/e/{engagement.pk}/gaps/readiness/").status == 200
    # The header's language switch (app.js submits it on change).
    chinese.get_by_label("Language", exact=True).select_option(label="简体中文")
    expect(chinese.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(chinese.get_by_role("heading", name="认证就绪度", exact=True)).to_be_visible()
    expect(chinese.locator("main")).to_contain_text("NIST SP 800-53 review")
    shot(chinese, "frameworks-readiness-zh")
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(phone, "olivia")
    assert phone.goto(f"/e/{engagement.pk}/gaps/readiness/").status == 200
    shot(phone, "frameworks-readiness-390")


def test_picking_requirements_for_a_topic_by_search(new_context, two_frameworks):
    engagement, _iso, nist = two_frameworks
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/topics/new/")
    page.get_by_label("Title").fill("Tighten access control")
    page.locator("#picker-q").fill("AC-2")
    found = page.locator("[data-picker-found] input[name=ratings]")
    expect(found.first).to_be_visible()
    labels = page.locator("[data-picker-found] label").all_inner_texts()
    assert labels
    assert all("AC-2" in label for label in labels)
    found.first.check()
    expect(page.locator("[data-picker-chosen] input[name=ratings]:checked")).to_have_count(1)
    page.locator("#picker-q").fill("AU-1")
    expect(page.locator("[data-picker-found] label").first).to_contain_text("AU-1")
    page.locator("[data-picker-found] input[name=ratings]").first.check()
    expect(page.locator("[data-picker-chosen] input[name=ratings]:checked")).to_have_count(2)
    shot(page, "frameworks-topic-picker")
    with page.expect_navigation():
        page.get_by_role("button", name="Save topic").click()
    topic = ImprovementTopic.objects.get(title="Tighten access control")
    refs = sorted(r.requirement.ref_id for r in topic.ratings.select_related("requirement"))
    assert refs == ["AC-2", "AU-1"]
    assert all(r.assessment_id == nist.pk for r in topic.ratings.all())
