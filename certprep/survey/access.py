"""The door to the survey's objects, for pages and API alike.

Each function takes the caller, the engagement in the path and the object's id, checks the membership and role
through engagements.access.engagement_for (404 for non-members, 403 for a role too low) and finds the object
only among the engagement's own, so an object of another engagement is not found (404). Each returns the
object and the caller's membership (`membership.engagement` is the engagement, already read)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404

from certprep.core.actors import Visitor
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.survey.models import (
    Answer,
    Attachment,
    Campaign,
    FollowUp,
    Interview,
    Question,
    Questionnaire,
    Respondent,
    Response,
)
from certprep.survey.selectors.interviews import interviews_of
from certprep.survey.selectors.questionnaires import questionnaires_of

type Found[M: Model] = tuple[M, Membership]


def _found[M: Model](
    user: Visitor, engagement_id: int, pk: int, role: str, rows: Callable[[Engagement], QuerySet[M]]
) -> Found[M]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    found = get_object_or_404(rows(engagement), pk=pk)
    if isinstance(found, (Questionnaire, Campaign, Interview)):
        found.engagement = engagement  # read already, with the membership
    return found, membership


def _of_engagement[M: Model](rows: QuerySet[M], path: str) -> Callable[[Engagement], QuerySet[M]]:
    """The rows whose `path` leads to the engagement."""
    return lambda engagement: rows.filter(**{path: engagement})


def questionnaire_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Questionnaire]:
    """The questionnaire with its `question_count`."""
    return _found(user, engagement_id, pk, role, questionnaires_of)


def question_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Question]:
    rows = _of_engagement(Question.objects.select_related("questionnaire"), "questionnaire__engagement")
    return _found(user, engagement_id, pk, role, rows)


def campaign_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Campaign]:
    return _found(user, engagement_id, pk, role, _of_engagement(Campaign.objects.all(), "engagement"))


def respondent_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Respondent]:
    rows = _of_engagement(Respondent.objects.select_related("person", "campaign__engagement"), "campaign__engagement")
    return _found(user, engagement_id, pk, role, rows)


def response_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Response]:
    rows = _of_engagement(
        Response.objects.select_related("questionnaire", "respondent__person", "respondent__campaign__engagement"),
        "respondent__campaign__engagement",
    )
    return _found(user, engagement_id, pk, role, rows)


def answer_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Answer]:
    rows = _of_engagement(
        Answer.objects.select_related("response__respondent__campaign__engagement"),
        "response__respondent__campaign__engagement",
    )
    return _found(user, engagement_id, pk, role, rows)


def attachment_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Attachment]:
    rows = _of_engagement(Attachment.objects.all(), "answer__response__respondent__campaign__engagement")
    return _found(user, engagement_id, pk, role, rows)


def interview_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[Interview]:
    """The interview with its attendees, interviewer and `open_follow_ups` (selectors.interviews_of)."""
    return _found(user, engagement_id, pk, role, interviews_of)


def follow_up_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> Found[FollowUp]:
    rows = _of_engagement(FollowUp.objects.select_related("interview__engagement"), "interview__engagement")
    return _found(user, engagement_id, pk, role, rows)


# --- Through a personal link ---------------------------------------------------------------------------------
# A respondent reaches only their own responses, the questions of those and their own files; anything else is
# not found (404), as if it did not exist.


def own_response(respondent: Respondent, pk: int) -> Response:
    return get_object_or_404(Response.objects.select_related("questionnaire"), pk=pk, respondent=respondent)


def own_question(response: Response, pk: int) -> Question:
    return get_object_or_404(Question, pk=pk, questionnaire_id=response.questionnaire_id)


def own_attachment(respondent: Respondent, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("answer__response"), pk=pk, answer__response__respondent=respondent
    )
