"""The feasibility scheme in Chromium: an owner rates aspects on their pages (the basis page shows the statements
and a suggested rating), sees the weighted score with its arithmetic and the rule's proposal with the conditions
for a go, tries to override it without a rationale and is stopped, then overrides it with one; the overview in
Chinese; the scheme's pages on a 390 px phone in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from certprep.engagements import services
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scheme(engagement, owner):
    services.profile_update(
        profile=engagement.profile,
        actor=owner,
        expected_version=engagement.profile.version,
        data={"itil_adoption": "partial", "itsm_tools": ["Service desk <b>X</b>"], "people_in_scope": 120},
    )
    return engagement


def _rate(page, engagement, key, score, rationale):
    page.goto(f"/e/{engagement.pk}/feasibility/ratings/{key}/")
    page.get_by_label(score, exact=True).check()
    page.get_by_label("rationale").fill(rationale)
    with page.expect_navigation():
        page.get_by_role("button", name="Save rating").click()
    expect(page.locator(".message.success")).to_contain_text("Rating saved")


def test_owner_rates_gets_a_proposal_and_overrides_it_with_a_rationale(new_context, scheme):
    engagement = scheme
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Feasibility scheme").first.click()
    expect(page.locator("#no-decision")).to_be_visible()

    page.goto(f"/e/{engagement.pk}/feasibility/ratings/itil_foundation/")
    expect(page.locator("#statements")).to_contain_text("ITIL adoption: Partial")
    expect(page.locator("#statements")).to_contain_text("ITSM tools in use: Service desk <b>X</b>.")
    # partial = 3 and a tool named = 4: (3 + 4) / 2 = 3.5, rounded half up to 4
    expect(page.locator("#suggested .suggested")).to_have_text("4")
    expect(page.locator("#anchors")).to_contain_text("Incident and change are defined and mostly followed")
    shot(page, "feasibility-basis-rating-en")
    _rate(page, engagement, "itil_foundation", "4 - strong", "Incident and change follow ITIL")
    _rate(page, engagement, "technical", "2 - weak", "The tool cannot record changes <script>x</script>")

    # (4 x 2 + 2 x 1) / (2 + 1) = 10 / 3 = 3.33
    expect(page.locator("#score-value")).to_have_text("3.33")
    expect(page.locator("#score-arithmetic")).to_have_text("(4 × 2 + 2 × 1) ÷ (2 + 1) = 3.33")
    expect(page.locator("#rating-technical")).to_contain_text("The tool cannot record changes <script>x</script>")
    expect(page.locator("#criterion-score")).to_contain_text("Raise the weighted score to at least 3.50.")
    expect(page.locator("#criterion-lowest")).to_contain_text("Bring every rating to at least 3.")
    expect(page.locator("#proposed-outcome")).to_have_text("go with conditions")
    expect(page.locator("#rule")).to_contain_text("go from 3.50; with conditions from 2.50")
    shot(page, "feasibility-overview-en")

    with page.expect_navigation():
        page.locator("#decide").click()
    page.get_by_label("no-go").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".error, .form-errors").first).to_contain_text("an override needs a rationale")
    page.get_by_label("no-go").check()
    page.get_by_label("rationale").fill("The tool gap is too large for this year's budget.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("#decided-outcome")).to_have_text("no-go")
    expect(page.locator("#overridden")).to_be_visible()
    expect(page.locator("#recommendation")).to_contain_text("The tool gap is too large")
    shot(page, "feasibility-decision-en")

    with page.expect_navigation():
        page.locator("#language-select").select_option("zh-hans")
    page.goto(f"/e/{engagement.pk}/feasibility/")
    expect(page.get_by_role("heading", name="认证可行性方案", exact=True)).to_be_visible()
    expect(page.locator("#decided-outcome")).to_have_text("不可行")
    expect(page.locator("#proposed-outcome")).to_have_text("有条件可行")
    expect(page.locator("#criterion-score")).to_contain_text("将加权得分提高到至少 3.50。")
    shot(page, "feasibility-overview-zh")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_scheme_fits_a_390_px_phone(new_context, scheme, language):
    engagement = scheme
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(page, "olivia")
    if language != "en":
        with page.expect_navigation():
            page.locator("#language-select").select_option(language)
    for path in ("feasibility/", "feasibility/ratings/management_risks/", "feasibility/decision/"):
        page.goto(f"/e/{engagement.pk}/{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"
    page.goto(f"/e/{engagement.pk}/feasibility/")
    shot(page, f"feasibility-mobile-{language}")
