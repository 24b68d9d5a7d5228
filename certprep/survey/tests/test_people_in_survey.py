"""What the survey holds of a person, told before the person is deleted (survey.selectors.people through
people.uses): someone who has started answering stays, on the pages, the services and the API alike; someone
who has not is deleted with their links, and the confirmation says what goes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.people.models import Person
from certprep.people.services import person_create, person_delete
from certprep.people.uses import person_uses
from certprep.survey.choices import QuestionnaireKind, ResponseStatus
from certprep.survey.models import Campaign, FollowUp, Interview, Questionnaire, Respondent, Response

pytestmark = pytest.mark.django_db


def add(engagement, owner, name="Ann Lee"):
    return person_create(engagement=engagement, actor=owner, name=name)


def invite(engagement, person, *, status=ResponseStatus.NOT_STARTED, started=False):
    questionnaire, _created = Questionnaire.objects.get_or_create(
        engagement=engagement,
        key="management",
        defaults={"kind": QuestionnaireKind.MANAGEMENT, "title": "Management system"},
    )
    campaign = Campaign.objects.create(engagement=engagement, name="Spring survey", deadline=datetime.date(2031, 5, 1))
    respondent = Respondent.objects.create(
        campaign=campaign, person=person, token_hash=f"hash-{person.pk}-{campaign.pk}"
    )
    Response.objects.create(
        respondent=respondent,
        questionnaire=questionnaire,
        status=status,
        started_at=datetime.datetime(2031, 4, 1, tzinfo=datetime.UTC) if started else None,
    )
    return respondent


def test_a_respondent_who_has_not_started_can_be_deleted(engagement, owner):
    person = add(engagement, owner)
    invite(engagement, person)
    person_delete(person=person, actor=owner)
    assert not Person.objects.exists()
    assert not Respondent.objects.exists()


@pytest.mark.parametrize(
    ("status", "started"),
    [(ResponseStatus.IN_PROGRESS, True), (ResponseStatus.SUBMITTED, True), (ResponseStatus.NOT_STARTED, True)],
)
def test_a_respondent_who_has_started_answering_cannot_be_deleted(engagement, owner, status, started):
    person = add(engagement, owner)
    invite(engagement, person, status=status, started=started)
    with pytest.raises(ServiceError, match='has started answering in the campaign "Spring survey"'):
        person_delete(person=person, actor=owner)
    assert Person.objects.filter(pk=person.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_the_survey_says_what_a_deletion_changes(engagement, owner):
    person = add(engagement, owner)
    assert person_uses(person).consequences == []
    invite(engagement, person)
    invite(engagement, person)
    interview = Interview.objects.create(
        engagement=engagement, title="Incident", starts_at=datetime.datetime(2031, 4, 2, 9, tzinfo=datetime.UTC)
    )
    interview.attendees.add(person)
    FollowUp.objects.create(interview=interview, text="Send the matrix", owner=person)
    uses = person_uses(person)
    assert uses.refusal == ""
    assert uses.consequences == [
        "Invited to 2 campaigns: the personal links stop working.",
        "Attends 1 interview: they are taken off its attendees.",
        "Owns 1 follow-up action, which will have no owner.",
    ]


def test_the_delete_page_lists_the_consequences_then_deletes(owner_client, engagement, owner):
    person = add(engagement, owner)
    invite(engagement, person)
    url = reverse("survey:person_delete", args=[engagement.pk, person.pk])
    confirm = owner_client.post(url).content.decode()
    assert "Invited to 1 campaign: the personal link stops working." in confirm
    assert 'name="confirm" value="yes"' in confirm
    owner_client.post(url, {"confirm": "yes"})
    assert not Person.objects.exists()


def test_delete_is_refused_with_a_message_for_a_respondent_who_started(owner_client, engagement, owner):
    person = add(engagement, owner)
    invite(engagement, person, started=True)
    url = reverse("survey:person_delete", args=[engagement.pk, person.pk])
    confirm = owner_client.post(url).content.decode()
    assert "has started answering" in confirm
    assert 'name="confirm"' not in confirm
    response = owner_client.post(url, {"confirm": "yes"}, follow=True)
    assert "has started answering" in response.content.decode()
    assert Person.objects.filter(pk=person.pk).exists()


def test_deleting_a_respondent_who_started_through_the_api_gets_400(client, engagement, owner, api_token):
    person = add(engagement, owner)
    invite(engagement, person, started=True)
    response = client.delete(
        f"/api/v1/engagements/{engagement.pk}/people/{person.pk}", HTTP_AUTHORIZATION=f"Bearer {api_token(owner)}"
    )
    assert response.status_code == 400
    assert "has started answering" in response.json()["detail"]
    assert Person.objects.filter(pk=person.pk).exists()
