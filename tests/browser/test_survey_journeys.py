"""The survey journeys in Chromium: the owner builds and sends a campaign, a respondent answers through
the personal link with autosave, the owner sees the response rate move."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from certprep.core.tests.mail_queue import mail_drain
from certprep.survey.models import Answer, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.services.questionnaires import questionnaire_copy_templates
from certprep.survey.tests.factories import person
from tests.browser.helpers import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey_ready(engagement, owner):
    call_command("load_catalogue", verbosity=0)
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    person(engagement, "Chen Wei", roles=["process_executor"], processes=["incident"], department="Service Desk")
    return engagement


def _answer_all_required_but(response: Response, keep: str) -> None:
    """Answer the required questions of a response except `keep`, as the respondent would have."""
    samples = {
        "table": None,
        "yes_no": "yes",
        "scale": "2",
        "number": "5",
        "date": "2026-01-01",
        "process_ref": ["problem"],
    }
    for question in response.questionnaire.questions.filter(required=True).exclude(key=keep):
        if question.kind == "table":
            raw = [{question.columns[0]["key"]: "sample"}]
        elif question.kind in ("single_choice", "multiple_choice"):
            raw = question.options[0]["value"] if question.kind == "single_choice" else [question.options[0]["value"]]
        else:
            raw = samples.get(question.kind, "sample answer")
        if question.kind == "attachment":
            continue
        answer_services.answer_save(
            respondent=response.respondent, response=response, question=question, raw=raw, expected_version=None
        )


def test_owner_builds_a_campaign_a_respondent_answers_with_autosave_and_the_rate_changes(
    new_context, survey_ready, owner
):
    engagement = survey_ready
    owner_page = new_context().new_page()
    sign_in(owner_page, "olivia")
    owner_page.goto(f"/e/{engagement.pk}/survey/")
    owner_page.get_by_role("button", name="Copy the shipped questionnaires").first.click()
    expect(owner_page.get_by_text("14 questionnaires copied")).to_be_visible()
    shot(owner_page, "survey-questionnaires")

    owner_page.goto(f"/e/{engagement.pk}/survey/campaigns/new/")
    owner_page.locator("#id_name").fill("Incident survey")
    for box in owner_page.locator("input[name=questionnaires]").all():
        box.uncheck()
    owner_page.get_by_label("Incident management questionnaire").check()
    owner_page.locator("#id_deadline").fill((timezone.localdate() + datetime.timedelta(days=2)).isoformat())
    owner_page.get_by_role("button", name="Show who receives what").click()
    expect(owner_page.locator("#preview")).to_contain_text("2 respondents")
    expect(owner_page.get_by_role("alert")).to_contain_text("working days to prepare")  # too short a deadline
    shot(owner_page, "survey-campaign-preview-short-deadline")
    owner_page.locator("#id_deadline").fill((timezone.localdate() + datetime.timedelta(days=21)).isoformat())
    owner_page.get_by_role("button", name="Show who receives what").click()
    expect(owner_page.get_by_role("alert")).to_have_count(0)
    owner_page.get_by_role("button", name="Create campaign").click()
    expect(owner_page.get_by_text("Campaign created as a draft")).to_be_visible()
    owner_page.get_by_role("button", name="Send the invitations").click()
    expect(owner_page.get_by_text("Campaign sent: 2 invitations are being e-mailed")).to_be_visible()
    expect(owner_page.locator("#overall-rate")).to_have_text("0%")
    expect(owner_page.locator("#respondents tr", has_text="Li Na")).to_contain_text("e-mail waiting to be sent")
    mail_drain()  # the worker sends the invitations
    owner_page.reload()
    expect(owner_page.locator("#respondents tr", has_text="Li Na")).to_contain_text("e-mail sent")
    shot(owner_page, "survey-campaign-mail-sent")
    campaign_url = owner_page.url
    owner_page.locator("#respondents tr", has_text="Li Na").get_by_role("button", name="Copy link").click()
    link = owner_page.locator("#link").input_value()
    assert "/r/" in link
    shot(owner_page, "survey-copy-link")

    response = Response.objects.get(respondent__person__name="Li Na")
    _answer_all_required_but(response, keep="definition")

    # The respondent: a fresh browser, no account, only the link.
    respondent = new_context().new_page()
    respondent.goto(link)
    expect(respondent.get_by_role("heading", name="Welcome, Li Na")).to_be_visible()
    respondent.get_by_role("link", name="Incident management questionnaire").click()
    definition = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    box = respondent.locator(f"#question-{definition.pk} textarea")
    box.fill("Every call becomes a ticket; <b>P1</b> incidents page the duty manager.")
    expect(respondent.locator(f"#question-{definition.pk} .save-status")).to_contain_text("Saved", timeout=60_000)
    expect(respondent.locator("#connection")).to_have_text("All answers saved")
    shot(respondent, "survey-respondent-autosaved")
    respondent.reload()
    expect(box).to_have_value("Every call becomes a ticket; <b>P1</b> incidents page the duty manager.")
    respondent.get_by_role("button", name="Submit answers").click()
    expect(respondent.get_by_text("Thank you: all your questionnaires are submitted.")).to_be_visible()
    shot(respondent, "survey-respondent-submitted")
    assert Answer.objects.get(response=response, question=definition).value.startswith("Every call")

    owner_page.goto(campaign_url)
    expect(owner_page.locator("#overall-rate")).to_have_text("50%")
    shot(owner_page, "survey-campaign-rate")


def test_answers_typed_offline_are_kept_and_saved_when_the_connection_returns(new_context, survey_ready, owner):
    engagement = survey_ready
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    from certprep.survey.services import campaigns

    campaign = campaigns.campaign_create(
        engagement=engagement, actor=owner, name="S", deadline=timezone.localdate() + datetime.timedelta(days=20),
        questionnaire_ids=list(engagement.questionnaires.filter(process_code="incident").values_list("pk", flat=True)),
    )  # fmt: skip
    campaigns.campaign_send(campaign=campaign, actor=owner, base_url="")
    respondent_row = campaign.respondents.get(person__name="Chen Wei")
    response = respondent_row.responses.get()
    context = new_context()
    page = context.new_page()
    page.goto(f"/r/{campaigns.respondent_token(respondent_row)}/q/{response.pk}/")
    records = Question.objects.get(questionnaire=response.questionnaire, key="records")
    context.set_offline(True)
    page.locator(f"#question-{records.pk} textarea").fill("Tickets and the monthly report")
    expect(page.locator("#connection")).to_contain_text("Offline")
    shot(page, "survey-respondent-offline")
    assert not Answer.objects.filter(response=response, question=records).exclude(value__isnull=True).exists()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#connection")).to_have_text("All answers saved", timeout=15_000)
    assert Answer.objects.get(response=response, question=records).value == "Tickets and the monthly report"


def test_an_answer_typed_before_the_page_script_ran_is_saved_once_it_runs(new_context, survey_ready, owner):
    """On a slow connection a respondent can type before the autosave script has loaded: that text is saved
    as soon as the script runs, not lost because no handler heard the keystrokes."""
    engagement = survey_ready
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    from certprep.survey.services import campaigns

    campaign = campaigns.campaign_create(
        engagement=engagement, actor=owner, name="S", deadline=timezone.localdate() + datetime.timedelta(days=20),
        questionnaire_ids=list(engagement.questionnaires.filter(process_code="incident").values_list("pk", flat=True)),
    )  # fmt: skip
    campaigns.campaign_send(campaign=campaign, actor=owner, base_url="")
    respondent_row = campaign.respondents.get(person__name="Chen Wei")
    response = respondent_row.responses.get()
    # The page's own script is held back (as a slow network would) and added once the text is typed; the
    # context skips the Content Security Policy only so that the test can add it late.
    page = new_context(bypass_csp=True).new_page()
    page.route("**/survey/respond.js", lambda route: route.abort())
    page.goto(f"/r/{campaigns.respondent_token(respondent_row)}/q/{response.pk}/")
    records = Question.objects.get(questionnaire=response.questionnaire, key="records")
    page.locator(f"#question-{records.pk} textarea").fill("Typed while the page was loading")
    script_url = page.evaluate("() => document.querySelector('script[src*=\"respond.js\"]').src")
    page.unroute("**/survey/respond.js")
    page.add_script_tag(url=script_url)
    expect(page.locator(f"#question-{records.pk} .save-status")).to_contain_text("Saved")
    assert Answer.objects.get(response=response, question=records).value == "Typed while the page was loading"


def test_owner_schedules_an_interview_and_downloads_its_guide_and_invitation(new_context, survey_ready, owner):
    import docx
    from icalendar import Calendar

    engagement = survey_ready
    questionnaire_copy_templates(engagement=engagement, actor=owner)
    from certprep.survey.services import campaigns

    campaign = campaigns.campaign_create(
        engagement=engagement, actor=owner, name="S", deadline=timezone.localdate() + datetime.timedelta(days=20),
        questionnaire_ids=list(engagement.questionnaires.filter(process_code="incident").values_list("pk", flat=True)),
    )  # fmt: skip
    campaigns.campaign_send(campaign=campaign, actor=owner, base_url="")
    response = Response.objects.get(respondent__person__name="Li Na")
    definition = Question.objects.get(questionnaire=response.questionnaire, key="definition")
    answer_services.answer_save(
        respondent=response.respondent, response=response, question=definition, raw="Tickets, mostly",
        expected_version=None, flagged=True, flag_note="Who may close a P1?",
    )  # fmt: skip

    page = new_context(accept_downloads=True).new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/survey/interviews/")
    expect(page.get_by_text("Who may close a P1?")).to_be_visible()
    shot(page, "survey-interviews-followup-panel")
    page.goto(f"/e/{engagement.pk}/survey/interviews/new/?process=incident")
    page.get_by_label("Li Na", exact=False).check()
    page.locator("#id_location").fill("Room 3")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_role("heading", name="Interview guide")).to_be_visible()
    expect(page.get_by_text("Who may close a P1?").first).to_be_visible()
    shot(page, "survey-interview")

    with page.expect_download() as guide_download:
        page.get_by_role("link", name="Guide (.docx)").click()
    document = docx.Document(guide_download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert definition.text in text
    assert "Who may close a P1?" in text
    with page.expect_download() as ics_download:
        page.get_by_role("link", name="Calendar invitation (.ics)").click()
    calendar = Calendar.from_ical(ics_download.value.path().read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["LOCATION"]) == "Room 3"
    assert "li.na@client-a.example" in str(event["ATTENDEE"]).lower()


def test_owner_edits_the_matrix_and_sees_a_violation_flagged_and_cleared(new_context, survey_ready, owner):
    from certprep.responsibilities.models import Activity, Assignment, MatrixRole
    from certprep.responsibilities.services import matrix_from_template

    engagement = survey_ready
    matrix_from_template(engagement=engagement, actor=owner)
    activity = Activity.objects.filter(engagement=engagement, process_code="incident").order_by("order").first()
    accountable = Assignment.objects.get(activity=activity, letter="A")
    role = accountable.role
    page = new_context().new_page()
    sign_in(page, "olivia")
    page.goto(f"/e/{engagement.pk}/responsibilities/?process=incident")
    cell = page.locator(f"#cell-{activity.pk}-{role.pk}")
    expect(cell).to_have_text("A")
    row = page.locator(f"#activity-{activity.pk}")
    expect(row).not_to_have_class("raci-activity has-violation")
    cell.click()  # A -> C (RASCI: A -> S)
    expect(page.locator(f"#cell-{activity.pk}-{role.pk}")).not_to_have_text("A")
    expect(page.locator(f"#activity-{activity.pk}")).to_contain_text("No A")
    expect(page.locator("#raci-violations")).to_contain_text("Accountable")
    shot(page, "raci-violation-flagged")
    # Back to A: keep clicking through the letters until the cycle returns to A.
    for _ in range(6):
        if page.locator(f"#cell-{activity.pk}-{role.pk}").inner_text().strip() == "A":
            break
        page.locator(f"#cell-{activity.pk}-{role.pk}").click()
        page.wait_for_timeout(300)
    expect(page.locator(f"#cell-{activity.pk}-{role.pk}")).to_have_text("A")
    expect(page.locator(f"#activity-{activity.pk}")).not_to_contain_text("No A")
    shot(page, "raci-violation-cleared")
    assert Assignment.objects.get(activity=activity, role=role).letter == "A"
    assert MatrixRole.objects.filter(engagement=engagement).count() == 10
