"""The follow-up panel on the interviews page: a flagged answer shows the interview planned for it (instead of
"Schedule"), says who flagged it (the respondent or the member who marked it), and uses the statuses' own words;
its query count does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.survey.choices import ResponseStatus
from certprep.survey.models import Answer
from certprep.survey.services.campaigns import answer_flag
from certprep.survey.tests.interview_world import (
    FULL_ANSWERS,
    campaign,
    interview,
    person,
    process_questionnaire,
    respond,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(engagement, catalogue):
    return process_questionnaire(engagement, "incident", "incident management")


def _panel(client, engagement) -> str:
    page = client.get(reverse("survey:interviews", args=[engagement.pk])).content.decode()
    return page.split('id="needs-title"')[1].split("</section>")[0]


def test_planning_an_interview_for_a_flagged_answer_updates_the_panel(owner_client, engagement, incident):
    ann = person(engagement, "Ann Lee")
    respond(campaign(engagement), ann, incident, FULL_ANSWERS, flags={"definition": "Major incidents?"})
    before = _panel(owner_client, engagement)
    assert "Schedule an interview" in before
    planned = interview(engagement, process_code="incident", attendees=[ann], title="Incident talk with Ann")
    after = _panel(owner_client, engagement)
    assert "Incident talk with Ann" in after
    assert reverse("survey:interview", args=[engagement.pk, planned.pk]) in after
    assert "Planned" in after
    assert "Schedule an interview" not in after


def test_an_interview_with_someone_else_does_not_count(owner_client, engagement, incident):
    ann, bo = person(engagement, "Ann Lee"), person(engagement, "Bo Chen")
    respond(campaign(engagement), ann, incident, FULL_ANSWERS, flags={"definition": "Major incidents?"})
    interview(engagement, process_code="incident", attendees=[bo])
    assert "Schedule an interview" in _panel(owner_client, engagement)


def test_the_panel_says_who_flagged(owner_client, owner, engagement, incident):
    spring = campaign(engagement)
    ann, bo = person(engagement, "Ann Lee"), person(engagement, "Bo Chen")
    respond(spring, ann, incident, FULL_ANSWERS, flags={"definition": "Major incidents?"})
    response = respond(spring, bo, incident, FULL_ANSWERS)
    answer = Answer.objects.get(response=response, question__key="owner")
    answer_flag(answer=answer, actor=owner, flagged=True, note="Who really owns it?")
    panel = _panel(owner_client, engagement)
    assert "Answers flagged for discussion" in panel
    assert "Flagged by" in panel
    ann_row = panel.split("Major incidents?")[0].rsplit("<tr>", 1)[1]
    bo_row = panel.split("Who really owns it?")[0].rsplit("<tr>", 1)[1]
    assert "the respondent" in ann_row
    assert owner.get_username() in bo_row


def test_an_unsubmitted_response_is_called_in_progress_as_everywhere(owner_client, engagement, incident):
    respond(campaign(engagement), person(engagement, "Ann Lee"), incident, FULL_ANSWERS,
            status=ResponseStatus.IN_PROGRESS, flags={"definition": "Major incidents?"})  # fmt: skip
    panel = _panel(owner_client, engagement)
    assert "In progress" in panel
    assert ">draft<" not in panel


def _world(engagement, incident, n: int) -> None:
    spring = campaign(engagement, name=f"Round {n}")
    for i in range(n):
        who = person(engagement, f"Person {n}-{i}")
        respond(spring, who, incident, FULL_ANSWERS, flags={"definition": f"Note {i}"})
        interview(
            engagement,
            process_code="incident",
            attendees=[who],
            starts_at=timezone.now() + datetime.timedelta(days=2 + i),
        )


def test_the_panel_query_count_does_not_grow_with_the_data(owner_client, engagement, incident):
    _world(engagement, incident, 2)
    with CaptureQueriesContext(connection) as small:
        owner_client.get(reverse("survey:interviews", args=[engagement.pk]))
    _world(engagement, incident, 6)
    with CaptureQueriesContext(connection) as large:
        owner_client.get(reverse("survey:interviews", args=[engagement.pk]))
    assert len(large.captured_queries) == len(small.captured_queries)
