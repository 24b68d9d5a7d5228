"""The survey owner's pages: questionnaires, campaigns, tracking, links, reading and reopening responses."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.engagements import services as engagement_services
from certprep.engagements.tests.factories import UserFactory
from certprep.survey.models import Answer, Campaign, Question, Response
from certprep.survey.services import answers as answer_services
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, engagement, owner):
    viewer = UserFactory(username="vera")
    engagement_services.member_add(engagement=engagement, actor=owner, user=viewer, role="viewer")
    client.force_login(viewer)
    return client


def test_the_owner_copies_adapts_and_reorders_questions(owner_client, engagement, catalogue):
    owner_client.post(reverse("survey:copy_templates", args=[engagement.pk]))
    questionnaire = engagement.questionnaires.get(process_code="incident")
    page = owner_client.get(reverse("survey:questionnaire", args=[engagement.pk, questionnaire.pk]))
    assert page.status_code == 200
    assert "Incident management" in page.content.decode()
    added = owner_client.post(
        reverse("survey:question_new", args=[engagement.pk, questionnaire.pk]),
        {
            "kind": "single_choice",
            "text": "How are major incidents declared?",
            "topic": "definition",
            "options": "By the duty manager\nBy anyone",
        },
    )
    assert added.status_code == 302
    question = questionnaire.questions.order_by("-order").first()
    assert question.options == [
        {"value": "by-the-duty-manager", "label": "By the duty manager"},
        {"value": "by-anyone", "label": "By anyone"},
    ]
    refused = owner_client.post(
        reverse("survey:question_new", args=[engagement.pk, questionnaire.pk]),
        {"kind": "single_choice", "text": "One option only?", "topic": "other", "options": "Only"},
    )
    assert "at least two options" in refused.content.decode()
    owner_client.post(reverse("survey:question_move", args=[engagement.pk, question.pk]), {"direction": "up"})
    ordered = list(questionnaire.questions.order_by("order").values_list("pk", flat=True))
    assert ordered[-2] == question.pk


def test_rewording_a_question_is_versioned_and_drops_the_stale_translation(owner_client, engagement, catalogue, owner):
    owner_client.post(reverse("survey:copy_templates", args=[engagement.pk]))
    question = Question.objects.get(
        questionnaire__engagement=engagement, questionnaire__process_code="change", key="definition"
    )
    assert "zh-hans" in question.translations
    assert question.translations["zh-hans"].get("text")
    url = reverse("survey:question_edit", args=[engagement.pk, question.pk])
    data = {
        "expected_version": question.version,
        "kind": question.kind,
        "text": "How do you control changes today?",
        "topic": "definition",
        "section": question.section,
    }
    assert owner_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert question.text == "How do you control changes today?"
    assert "text" not in question.translations["zh-hans"]
    stale = owner_client.post(url, {**data, "text": "Someone else's wording"})
    assert "Someone else changed this" in stale.content.decode()


def test_a_viewer_reads_but_cannot_change_or_run_the_survey(viewer_client, engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, _tokens = sent_campaign(engagement, owner)
    assert viewer_client.get(reverse("survey:campaign", args=[engagement.pk, campaign.pk])).status_code == 200
    assert viewer_client.post(reverse("survey:copy_templates", args=[engagement.pk])).status_code == 403
    assert viewer_client.get(reverse("survey:campaign_new", args=[engagement.pk])).status_code == 403
    assert viewer_client.post(reverse("survey:campaign_remind", args=[engagement.pk, campaign.pk])).status_code == 403
    respondent = campaign.respondents.get()
    assert viewer_client.post(reverse("survey:respondent_link", args=[engagement.pk, respondent.pk])).status_code == 403


def test_the_owner_creates_a_campaign_after_seeing_who_receives_what(owner_client, engagement, catalogue, owner):
    owner_client.post(reverse("survey:copy_templates", args=[engagement.pk]))
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    incident = engagement.questionnaires.get(process_code="incident")
    url = reverse("survey:campaign_new", args=[engagement.pk])
    soon = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "name": "Spring",
        "questionnaires": [incident.pk],
        "deadline": soon.isoformat(),
        "grace_days": 7,
        "reminder_days": 2,
        "confirm": "create",
    }
    warned = owner_client.post(url, data)
    assert warned.status_code == 200
    assert "working days to prepare" in warned.content.decode()
    assert not Campaign.objects.exists()
    created = owner_client.post(url, {**data, "accept_short_deadline": "on"})
    assert created.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.respondents.count() == 1
    assert campaign.status == "draft"


def test_the_owner_copies_revokes_and_reissues_a_link(owner_client, engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner)
    respondent = campaign.respondents.get()
    url = reverse("survey:respondent_link", args=[engagement.pk, respondent.pk])
    shown = owner_client.post(url, {"action": "show"})
    assert tokens["Li Na"] in shown.content.decode()
    owner_client.post(url, {"action": "revoke"})
    assert owner_client.get(reverse("survey:respond", args=[tokens["Li Na"]])).status_code == 404
    reissued = owner_client.post(url, {"action": "reissue"}).content.decode()
    assert tokens["Li Na"] not in reissued
    assert "/r/" in reissued


def test_tracking_rates_follow_the_answers(owner_client, engagement, owner, catalogue):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"], department="Service Desk")
    person(engagement, "Chen Wei", roles=["top_management"], department="Executive")
    campaign, _tokens = sent_campaign(engagement, owner)
    response = Response.objects.get(respondent__person__name="Li Na")
    Response.objects.filter(pk=response.pk).update(status="submitted")
    page = owner_client.get(reverse("survey:campaign", args=[engagement.pk, campaign.pk])).content.decode()
    assert 'id="overall-rate">50%' in page
    not_started = owner_client.get(
        reverse("survey:campaign", args=[engagement.pk, campaign.pk]) + "?status=not_started"
    ).content.decode()
    assert "Chen Wei" in not_started
    assert "Li Na" not in not_started


def test_the_owner_reopens_a_submitted_response_and_an_analyst_flags_an_answer(
    owner_client, engagement, owner, catalogue
):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    _campaign, _tokens = sent_campaign(engagement, owner)
    response = Response.objects.get()
    question = response.questionnaire.questions.get(key="definition")
    answer_services.answer_save(
        respondent=response.respondent, response=response, question=question, raw="We log calls", expected_version=None
    )
    answer = Answer.objects.get()
    owner_client.post(
        reverse("survey:answer_flag", args=[engagement.pk, answer.pk]), {"flagged": "1", "flag_note": "Who owns it?"}
    )
    answer.refresh_from_db()
    assert answer.flagged
    assert answer.flag_note == "Who owns it?"
    Response.objects.filter(pk=response.pk).update(status="submitted")
    owner_client.post(reverse("survey:response_reopen", args=[engagement.pk, response.pk]))
    response.refresh_from_db()
    assert response.status == "in_progress"


def _grow(engagement, owner, campaign, count):
    incident = engagement.questionnaires.get(process_code="incident")
    for n in range(count):
        p = person(
            engagement,
            f"Extra {count}-{n}",
            roles=["process_executor"],
            processes=["incident"],
            department=f"Dept {n % 7}",
        )
        respondent = campaign.respondents.create(person=p, token_hash=f"{count}-{n}".ljust(64, "x"))
        response = Response.objects.create(
            respondent=respondent, questionnaire=incident, status="submitted" if n % 2 else "not_started"
        )
        Answer.objects.create(response=response, question=incident.questions.first(), value="x")


@pytest.mark.parametrize("page", ["survey:campaign", "survey:campaigns", "survey:overview"])
def test_survey_pages_run_the_same_queries_for_few_and_many_respondents(
    owner_client, engagement, owner, catalogue, page
):
    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, _tokens = sent_campaign(engagement, owner)
    args = [engagement.pk, campaign.pk] if page == "survey:campaign" else [engagement.pk]
    url = reverse(page, args=args)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert owner_client.get(url).status_code == 200
        return len(ctx)

    _grow(engagement, owner, campaign, 2)
    small = count()
    _grow(engagement, owner, campaign, 60)
    assert count() == small


def test_the_answers_workbook_lists_every_answer_and_neutralizes_formulas(owner_client, engagement, owner, catalogue):
    import io

    from openpyxl import load_workbook

    person(engagement, "Li Na", roles=["process_manager"], processes=["incident"], department="=cmd|' /C calc'!A0")
    campaign, _tokens = sent_campaign(engagement, owner)
    response = Response.objects.get()
    questions = {q.key: q for q in response.questionnaire.questions.all()}
    save = answer_services.answer_save
    save(
        respondent=response.respondent,
        response=response,
        question=questions["definition"],
        raw='=HYPERLINK("http://evil.example","x")',
        expected_version=None,
    )
    save(
        respondent=response.respondent,
        response=response,
        question=questions["relations"],
        raw=["problem", "change"],
        expected_version=None,
    )
    save(
        respondent=response.respondent,
        response=response,
        question=questions["inputs"],
        raw=[{"item": "Calls", "source": "Users"}],
        expected_version=None,
    )
    download = owner_client.get(reverse("survey:campaign_answers", args=[engagement.pk, campaign.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(download.content))
    sheet = workbook[workbook.sheetnames[0]]
    header = [c.value for c in sheet[1]]
    row = {header[i]: c for i, c in enumerate(sheet[2])}
    assert row["Respondent"].value == "Li Na"
    assert row["Department"].value == "'=cmd|' /C calc'!A0"
    assert row["Department"].data_type == "s"
    definition = row[questions["definition"].text]
    assert definition.data_type == "s"
    assert definition.value.startswith("'=HYPERLINK")
    assert row[questions["relations"].text].value == "Problem management, Change management"
    assert row[questions["inputs"].text].value == "Calls | Users"
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r)
