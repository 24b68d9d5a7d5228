"""Review 2 (checked, fine): respond.js driven in Chromium. Own contexts (not `new_context`): several of these journeys
produce 4xx autosave answers on purpose."""

from __future__ import annotations

import os
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from certprep.survey.models import Answer, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get(respondent__person__name="Li Na")
    url = reverse("survey:respond_questionnaire", args=[tokens["Li Na"], response.pk])
    questions = {q.key: q for q in response.questionnaire.questions.all()}
    return {"response": response, "url": url, "q": questions}


@pytest.fixture
def make_context(browser, live_server):
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        context.set_default_timeout(15_000)
        if os.environ.get("REVIEW2_FIXED_JS"):  # try the proposed respond.js without touching the product
            fixed = os.environ["REVIEW2_FIXED_JS"]
            context.route("**/survey/respond.js", lambda route: route.fulfill(path=fixed, content_type="text/javascript"))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def slow_autosave(monkeypatch):
    """Autosave requests are stored at once but answered `delay` seconds later (a slow connection)."""
    real = answer_services.answer_save
    setting = {"delay": 2.0}

    def slow(**kwargs):
        try:
            return real(**kwargs)
        finally:
            if "process_codes" in kwargs:  # only the autosave view passes it; submit does not
                time.sleep(setting["delay"])

    monkeypatch.setattr(answer_services, "answer_save", slow)
    return setting


def _value(response, question):
    return Answer.objects.filter(response=response, question=question).values_list("value", flat=True).first()


def _answer_required_except(response, keep):
    for q in response.questionnaire.questions.filter(required=True).exclude(key=keep):
        raw = [{q.columns[0]["key"]: "x"}] if q.kind == "table" else {"yes_no": "yes", "scale": "2"}.get(q.kind, "answer")
        answer_services.answer_save(respondent=response.respondent, response=response, question=q, raw=raw, expected_version=None)


def test_check_keep_mine_and_use_theirs(make_context, world):
    response, definition = world["response"], world["q"]["definition"]
    page = make_context().new_page()
    page.goto(world["url"])
    answer_services.answer_save(respondent=response.respondent, response=response, question=definition, raw="from the phone", expected_version=None)
    box = page.locator(f"#question-{definition.pk} textarea")
    box.fill("from the laptop")
    conflict = page.locator(f"#question-{definition.pk} .conflict")
    expect(conflict).to_contain_text("from the phone")
    page.get_by_role("button", name="Keep mine").click()
    expect(page.locator(f"#question-{definition.pk} .save-status")).to_contain_text("Saved")
    assert _value(response, definition) == "from the laptop"
    answer_services.answer_save(respondent=response.respondent, response=response, question=definition, raw="phone again", expected_version=None)
    box.fill("laptop again")
    expect(conflict).to_contain_text("phone again")
    page.get_by_role("button", name="Use that answer").click()
    expect(box).to_have_value("phone again")
    page.wait_for_timeout(1500)
    assert _value(response, definition) == "phone again"


def test_check_kinds_through_the_page(make_context, world):
    response, q = world["response"], world["q"]
    page = make_context().new_page()
    page.goto(world["url"])
    mat, vol, rel, inputs = q["maturity"], q["volume"], q["relations"], q["inputs"]
    page.locator(f"input[name=q{mat.pk}][value='0']").check()
    page.locator(f"input[name=q{vol.pk}]").fill("0")
    page.locator(f"input[name=q{rel.pk}][value=problem]").check()
    page.locator(f"#question-{inputs.pk} [data-add-row]").click()
    page.locator(f"#question-{inputs.pk} [data-add-row]").click()
    page.locator(f"input[name=q{inputs.pk}-r0-item]").fill("first")
    page.locator(f"input[name=q{inputs.pk}-r2-item]").fill("third")
    page.wait_for_timeout(2500)
    expect(page.locator("#progress-text")).to_have_text("4 of 16 answered")
    assert _value(response, mat) == 0 and _value(response, vol) == 0 and _value(response, rel) == ["problem"]
    assert [r["item"] for r in _value(response, inputs)] == ["first", "third"]
    page.reload()
    expect(page.locator(f"input[name=q{mat.pk}][value='0']")).to_be_checked()
    expect(page.locator(f"input[name=q{vol.pk}]")).to_have_value("0")
    expect(page.locator(f"input[name=q{inputs.pk}-r1-item]")).to_have_value("third")
    page.locator(f"#question-{mat.pk} [data-clear]").click()
    page.locator(f"input[name=q{rel.pk}][value=problem]").uncheck()
    page.locator(f"input[name=q{inputs.pk}-r0-item]").fill("")
    page.locator(f"input[name=q{inputs.pk}-r1-item]").fill("")
    page.wait_for_timeout(2500)
    expect(page.locator("#progress-text")).to_have_text("1 of 16 answered")
    assert _value(response, mat) is None and _value(response, rel) is None and _value(response, inputs) is None


def test_check_other_tab_update_does_not_overwrite_typing(make_context, world):
    response, definition = world["response"], world["q"]["definition"]
    context = make_context()
    a, b = context.new_page(), context.new_page()
    a.goto(world["url"]); b.goto(world["url"])
    a.locator(f"#question-{definition.pk} textarea").fill("from A")
    expect(a.locator(f"#question-{definition.pk} .save-status")).to_contain_text("Saved")
    expect(b.locator(f"#question-{definition.pk} textarea")).to_have_value("from A")
    b.locator(f"#question-{definition.pk} textarea").fill("from B")
    expect(b.locator(f"#question-{definition.pk} .save-status")).to_contain_text("Saved")
    assert _value(response, definition) == "from B"


def test_a_double_click_on_submit_ends_on_the_thank_you_page(make_context, world):
    response = world["response"]
    _answer_required_except(response, keep="")
    page = make_context().new_page()
    page.goto(world["url"])
    page.get_by_role("button", name="Submit answers").dblclick()
    page.wait_for_load_state()
    page.wait_for_timeout(1500)
    response.refresh_from_db()
    assert response.status == "submitted"
    assert "can no longer be changed" not in page.locator("body").inner_text(), page.url
    expect(page.get_by_text("Thank you: all your questionnaires are submitted.")).to_be_visible()
