"""On a phone (390 x 844): the respondent's questionnaire and the owner's campaign page fit the screen (nothing
scrolls sideways), every control on the respondent's page is at least 44 x 44 px to tap, and table questions
stack; in English and Chinese, with screenshots."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from certprep.survey.services import campaigns
from certprep.survey.services.questionnaires import questionnaire_copy_templates
from tests.browser.helpers import shot, sign_in
from tests.browser.test_survey_journeys import survey_ready  # noqa: F401 (the same people and catalogue)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
TAP = 44

# Every visible control; a radio button or a checkbox is tapped through its label, which is what is measured.
TAP_TARGETS_JS = """
(tap) => {
  const small = [];
  const seen = new Set();
  const controls = 'main a[href], main button, main input:not([type=hidden]), main select, main textarea';
  for (const el of document.querySelectorAll(controls)) {
    let target = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) target = el.closest('label') || el;
    if (seen.has(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (box.width < tap - 0.5 || box.height < tap - 0.5) {
      const text = (target.innerText || target.value || target.name || '').trim().slice(0, 40);
      small.push(`${target.tagName.toLowerCase()} "${text}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
"""


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


@pytest.fixture
def sent(survey_ready, owner):  # noqa: F811
    engagement = survey_ready
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    campaign = campaigns.campaign_create(
        engagement=engagement, actor=owner, name="Spring survey",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        questionnaire_ids=list(engagement.questionnaires.filter(process_code="incident").values_list("pk", flat=True)),
    )  # fmt: skip
    campaigns.campaign_send(campaign=campaign, actor=owner, base_url="")
    return campaign


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_respondent_page_on_a_390_px_phone(new_context, sent, locale):
    respondent = sent.respondents.get(person__name="Chen Wei")
    response = respondent.responses.get()
    page = new_context(viewport=PHONE, locale=locale, is_mobile=True, has_touch=True).new_page()
    token = campaigns.respondent_token(respondent)
    page.goto(f"/r/{token}/")
    _fits(page)
    page.goto(f"/r/{token}/q/{response.pk}/")
    _fits(page)
    assert page.evaluate(TAP_TARGETS_JS, TAP) == []
    table = page.locator(".answer-table").first
    # Stacked: the cells of a row are one above the other, each as wide as the row.
    cells = table.locator("tbody tr").first.locator("td")
    first, second = cells.nth(0).bounding_box(), cells.nth(1).bounding_box()
    assert first
    assert second
    assert second["y"] >= first["y"] + first["height"] - 1
    assert table.bounding_box()["width"] <= PHONE["width"]
    shot(page, f"mobile-respondent-{locale}")


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_owners_campaign_page_fits_a_390_px_phone(new_context, sent, owner, locale):
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, owner.username)  # the sign-in form in English, then the page language as chosen
    if locale == "zh-CN":
        with page.expect_navigation():
            page.locator("#language-select").select_option("zh-hans")  # the language switch in the top bar
    page.goto(f"/e/{sent.engagement_id}/survey/campaigns/{sent.pk}/")
    _fits(page)
    shot(page, f"mobile-campaign-{locale}")
    page.goto(f"/e/{sent.engagement_id}/survey/campaigns/{sent.pk}/remind/")
    heading = {"en-US": "Send reminders now?", "zh-CN": "现在发送提醒吗？"}[locale]
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    _fits(page)
    shot(page, f"mobile-campaign-remind-{locale}")
