"""Survey objects for tests: the engagement's questionnaires copied from the shipped templates, people
with roles (people.tests.factories.person), and a sent campaign with its respondents' links."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from certprep.people.models import Person
from certprep.people.services import roles_replace
from certprep.people.tests.factories import person
from certprep.survey.models import Campaign, Respondent
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.services.questionnaires import questionnaire_copy_templates


def sent_campaign(
    engagement: Any, actor: Any, *, keys: tuple[str, ...] = ("management-system", "process-incident"), days: int = 21
) -> tuple[Campaign, dict[str, str]]:
    """A sent campaign over the given questionnaires; returns it with {person name: link token}."""
    questionnaire_copy_templates(engagement=engagement, actor=actor)
    ids = list(engagement.questionnaires.filter(key__in=keys).values_list("pk", flat=True))
    campaign = campaign_services.campaign_create(
        engagement=engagement,
        actor=actor,
        name="Spring survey",
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        questionnaire_ids=ids,
    )
    campaign_services.campaign_send(campaign=campaign, actor=actor, base_url="http://testserver")
    tokens = {
        r.person.name: campaign_services.respondent_token(r)
        for r in Respondent.objects.filter(campaign=campaign).select_related("person")
    }
    return campaign, tokens


def survey_world(engagement, owner) -> dict[str, Any]:
    """One of every survey object, with the markers in their texts."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from certprep.survey.models import FollowUp, Interview, Response
    from certprep.survey.services import answers as answer_services

    person = Person.objects.create(engagement=engagement, name="Alice A", email="alice.a@client-a.example")
    roles_replace(person=person, pairs=[("process_manager", "incident")])
    campaign, _tokens = sent_campaign(engagement, owner, keys=("process-incident",))
    response = Response.objects.get(respondent__campaign=campaign)
    questions = {q.key: q for q in response.questionnaire.questions.all()}
    result = answer_services.answer_save(
        respondent=response.respondent, response=response, question=questions["definition"], raw="secret-scope-marker",
        expected_version=None, flagged=True, flag_note="secret-scope-marker",
    )  # fmt: skip
    attachment = answer_services.attachment_add(
        respondent=response.respondent, response=response, question=questions["procedure-file"],
        upload=SimpleUploadedFile("secret-scope-marker.txt", b"secret-scope-marker"),
    )  # fmt: skip
    interview = Interview.objects.create(
        engagement=engagement, title="Client A preparation interview", process_code="incident",
        starts_at=timezone.now() + datetime.timedelta(days=3), location="secret-scope-marker",
    )  # fmt: skip
    interview.attendees.add(person)
    followup = FollowUp.objects.create(interview=interview, text="secret-scope-marker", owner=person)
    from certprep.responsibilities.models import Activity, MatrixRole
    from certprep.responsibilities.services import matrix_from_template, role_holder_add

    matrix_from_template(engagement=engagement, actor=owner)
    role = MatrixRole.objects.filter(engagement=engagement, sms_role="").order_by("order").first()
    assert role is not None
    role_holder_add(role=role, person=person, actor=owner)
    activity = Activity.objects.filter(engagement=engagement).first()
    return {
        "questionnaire": response.questionnaire, "question": questions["definition"], "person": person,
        "campaign": campaign, "respondent": response.respondent, "response": response, "answer": result.answer,
        "attachment": attachment,
        "interview": interview, "followup": followup, "role": role, "activity": activity,
    }  # fmt: skip


# `person` is the people app's factory; the survey's tests and the apps built on the survey take it from here.
__all__ = ["person", "sent_campaign", "survey_world"]
