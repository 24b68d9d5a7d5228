"""Gap analysis journeys for client work, in Chromium: the documentation status set on the assessment screen
is the checklist's status and turns the stage 1 list; one assessment rated on both scales with the engagement's
weights. Screenshots in English and Chinese."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from certprep.gaps.models import Assessment, DocumentItem, Rating
from certprep.gaps.services.assessments import assessment_create
from certprep.gaps.services.documents import checklist_load
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mixed(engagement, owner) -> Assessment:
    call_command("load_catalogue", verbosity=0)
    return assessment_create(engagement=engagement, actor=owner, name="Baseline", assessed_on=timezone.localdate())


def _row(assessment: Assessment, ref: str) -> Rating:
    return Rating.objects.get(assessment=assessment, requirement__ref_id=ref)


def _chinese(new_context) -> Page:
    """Signed in through the English form, then the language switch in the top bar set to Chinese."""
    page = new_context().new_page()
    sign_in(page, "olivia")
    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    return page


def _set_documentation(page: Page, rating: Rating, value: str) -> None:
    page.locator(f"#r{rating.pk} select[data-field=documentation]").select_option(value)
    expect(page.locator(f"#r{rating.pk} .row-status")).to_have_text("Saved")


def test_a_documentation_status_set_on_the_assessment_changes_the_checklist_and_the_stage1_list(
    new_context, engagement, owner, mixed
):
    checklist_load(engagement=engagement, actor=owner)
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    expect(page.locator('#stage1 li[data-item="policy"] .state')).to_contain_text("Unknown")

    page.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    policy, communicated, objectives = (_row(mixed, ref) for ref in ("5.2.1", "5.2.2", "6.2"))
    expect(page.locator(f"#r{policy.pk} .req-parent")).to_contain_text("5.2 Policy")
    _set_documentation(page, policy, "missing")
    # 5.2.2 is evidenced by the same policy document: its row follows without a reload.
    expect(page.locator(f"#r{communicated.pk} select[data-field=documentation]")).to_have_value("missing")
    _set_documentation(page, objectives, "missing")
    shot(page, "gaps-client-documentation-on-the-screen")

    page.goto(f"/e/{engagement.pk}/gaps/documents/")
    for key in ("service-management-policy", "service-management-objectives"):
        item = DocumentItem.objects.get(engagement=engagement, key=key)
        expect(page.locator(f"#doc-{item.pk} select[name=d{item.pk}-status]")).to_have_value("missing")
    shot(page, "gaps-client-checklist-follows")

    page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    stage = page.locator('#stage1 li[data-item="policy"]')
    expect(stage.locator(".state")).to_contain_text("No")
    expect(stage.locator(".source")).to_contain_text("Service management policy (Missing)")
    shot(page, "gaps-client-stage1-policy-no")

    # And back: approved on the checklist is approved on the screen, and the stage 1 item turns yes.
    page.goto(f"/e/{engagement.pk}/gaps/documents/")
    for key in ("service-management-policy", "service-management-objectives"):
        item = DocumentItem.objects.get(engagement=engagement, key=key)
        page.locator(f"select[name=d{item.pk}-status]").select_option("approved")
        with page.expect_navigation():
            page.locator(f"#doc-{item.pk} button[type=submit]", has_text="Save").click()
    page.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    expect(page.locator(f"#r{objectives.pk} select[data-field=documentation]")).to_have_value("approved")
    page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    expect(page.locator('#stage1 li[data-item="policy"] .state')).to_contain_text("Yes")

    chinese = _chinese(new_context)
    chinese.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    shot(chinese, "gaps-client-documentation-on-the-screen-zh")
    chinese.goto(f"/e/{engagement.pk}/gaps/readiness/")
    expect(chinese.get_by_role("heading", name="认证就绪度", exact=True)).to_be_visible()
    expect(chinese.get_by_role("heading", name="第一阶段审核就绪情况", exact=True)).to_be_visible()
    shot(chinese, "gaps-client-stage1-zh")
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    sign_in(phone, "olivia")
    phone.goto(f"/e/{engagement.pk}/gaps/readiness/")
    shot(phone, "gaps-client-readiness-390")


def test_one_assessment_is_rated_on_both_scales_with_the_engagements_weights(new_context, engagement, owner, mixed):
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    head = page.locator("#ratings thead")
    for key in ("1.1", "2.1", "2.2", "3.1", "3.2", "4.1", "4.2", "5.1", "5.2"):
        expect(head).to_contain_text(f"PA {key}")
    expect(head).to_contain_text("Level")
    expect(page.locator("#priority-legend")).to_contain_text("High")

    plan = _row(mixed, "6.3")  # compliance
    page.locator(f"#r{plan.pk} select[data-field=level]").select_option("2")
    expect(page.locator(f"#r{plan.pk} .row-status")).to_have_text("Saved")
    expect(page.locator(f"#r{plan.pk} [data-level]")).to_have_text("2")

    incidents = _row(mixed, "8.6.1")  # capability: rate the attributes with the keyboard
    page.locator(f"#r{incidents.pk}").focus()  # a letter rates the first attribute not rated yet
    for letter in ("F", "F", "F", "L", "L"):
        page.keyboard.press(letter)
    expect(page.locator(f"#r{incidents.pk} [data-level]")).to_have_text("3")
    expect(page.locator(f"#r{incidents.pk} .row-status")).to_have_text("Saved")
    release = _row(mixed, "8.5.3")
    page.locator(f"#r{release.pk}").focus()
    page.keyboard.press("L")
    expect(page.locator(f"#r{release.pk} [data-level]")).to_have_text("1")
    expect(page.locator(f"#r{release.pk} .weight")).to_have_text("×1")
    shot(page, "gaps-client-mixed-scales")

    page.goto(f"/e/{engagement.pk}/gaps/weights/")
    row = page.locator("#process tr", has_text="Release")
    row.locator("select[name=weight]").select_option("3")
    with page.expect_navigation():
        row.get_by_role("button", name="Save").click()
    shot(page, "gaps-client-weights")
    page.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    expect(page.locator(f"#r{release.pk} .weight")).to_have_text("×3")
    expect(page.locator(f"#r{release.pk} .prio")).to_have_text("High")

    page.goto(f"/e/{engagement.pk}/gaps/readiness/")
    expect(page.locator("#coverage")).to_contain_text("%")
    expect(page.locator("#how-readiness")).to_contain_text("share of its own target")
    shot(page, "gaps-client-readiness")
    assert Rating.objects.get(pk=incidents.pk).level == 3
    assert Rating.objects.get(pk=plan.pk).level == 2

    chinese = _chinese(new_context)
    chinese.goto(f"/e/{engagement.pk}/gaps/assessments/{mixed.pk}/")
    shot(chinese, "gaps-client-mixed-scales-zh")
    chinese.goto(f"/e/{engagement.pk}/gaps/weights/")
    expect(chinese.get_by_role("heading", name="权重", exact=True)).to_be_visible()
    shot(chinese, "gaps-client-weights-zh")
