"""A respondent (no account, only a link) types a control character (e.g. vertical tab \\x0b, which a
paste from Word produces) into an answer or flag note. The campaign's Excel export and the interview guide
(.docx) then fail with a 500 for every member, permanently."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certprep.survey.models import Answer, Interview, Response
from certprep.survey.tests.factories import person, sent_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def poisoned(engagement, owner, catalogue):
    li = person(engagement, "Li Na", roles=["process_manager"], processes=["incident"])
    campaign, tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get(respondent__campaign=campaign)
    q = response.questionnaire.questions.filter(kind="long_text").first()
    respondent = Client()
    saved = respondent.post(
        reverse("survey:respond_autosave", args=[tokens["Li Na"], response.pk, q.pk]),
        {
            f"q{q.pk}": "see\x0bthe attached procedure",
            "version": 0,
            f"q{q.pk}-flag-sent": "1",
            f"q{q.pk}-flag": "on",
            f"q{q.pk}-flag-note": "talk\x08about it",
        },
        HTTP_ACCEPT="application/json",
    )
    interview = Interview.objects.create(
        engagement=engagement,
        title="Incident interview",
        process_code="incident",
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )
    interview.attendees.add(li)
    return saved, campaign, interview


def test_control_characters_in_answers_do_not_break_the_excel_export(owner_client, engagement, poisoned):
    saved, campaign, _interview = poisoned
    assert saved.status_code == 200
    assert Answer.objects.get().value == "seethe attached procedure"  # the control character is dropped
    export = owner_client.get(reverse("survey:campaign_answers", args=[engagement.pk, campaign.pk]))
    assert export.status_code == 200, "one respondent's answer breaks the Excel export for everyone"


def test_control_characters_in_answers_do_not_break_the_interview_guide(owner_client, engagement, poisoned):
    saved, _campaign, interview = poisoned
    assert saved.status_code == 200
    guide = owner_client.get(reverse("survey:interview_guide", args=[engagement.pk, interview.pk]))
    assert guide.status_code == 200, "one respondent's answer breaks the interview guide (.docx)"
