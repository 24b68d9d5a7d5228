"""API for the engagement's questionnaires and their questions. Mounted under /engagements (survey.api):
members read, editors adapt them."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.people.choices import SmsRole
from certprep.survey.access import question_for, questionnaire_for
from certprep.survey.changes import question_changes, questionnaire_changes
from certprep.survey.choices import QuestionKind, Topic
from certprep.survey.selectors.questionnaires import questionnaires_of, questions_of
from certprep.survey.services import questionnaires as services

router = Router(tags=["survey"])

VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."


class QuestionnaireOut(Schema):
    id: int
    key: str
    kind: str
    process_code: str
    audience: list[str]
    title: str
    intro: str
    order: int
    template_key: str
    template_version: int | None
    translations: dict[str, Any]
    question_count: int = 0
    version: int


class QuestionnairePatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=200)
    intro: str | None = Field(None, max_length=20_000, description="Shown to respondents above the questions.")
    audience: list[Choice[SmsRole]] | None = Field(
        None, max_length=20, description="The SMS roles that receive this questionnaire in a campaign."
    )


class OptionOut(Schema):
    value: str
    label: str


class ColumnOut(Schema):
    key: str
    label: str


class OptionIn(InputSchema):
    value: str = Field("", max_length=80, description="Stored answer value; empty: made from the label.")
    label: str = Field(max_length=200)


class ColumnIn(InputSchema):
    key: str = Field("", max_length=80, description="Column key in the answer rows; empty: made from the label.")
    label: str = Field(max_length=200)


class QuestionOut(Schema):
    id: int
    questionnaire_id: int
    key: str
    order: int
    section: str
    kind: Choice[QuestionKind]
    text: str
    guidance: str
    required: bool
    topic: Choice[Topic]
    options: list[OptionOut]
    columns: list[ColumnOut]
    translations: dict[str, Any]
    version: int


class QuestionIn(InputSchema):
    kind: Choice[QuestionKind]
    text: str = Field(min_length=1, max_length=5_000)
    section: str = Field(
        "", max_length=200, description="Questions with the same section are grouped under one heading."
    )
    guidance: str = Field("", max_length=10_000, description="What a good answer contains; shown under the question.")
    required: bool = Field(False, description="Must be answered before the respondent can submit.")
    topic: Choice[Topic] = Field(
        Topic.OTHER, description="Where the answer goes in the current-state summary of the process."
    )
    options: list[OptionIn] = Field(
        default_factory=list, max_length=50, description="Choice questions: at least two options."
    )
    columns: list[ColumnIn] = Field(
        default_factory=list, max_length=50, description="Table questions: at least one column."
    )


class QuestionPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    kind: Choice[QuestionKind] | None = Field(None, description="Cannot change once the question has answers.")
    text: str | None = Field(None, min_length=1, max_length=5_000)
    section: str | None = Field(None, max_length=200)
    guidance: str | None = Field(None, max_length=10_000)
    required: bool | None = None
    topic: Choice[Topic] | None = None
    options: list[OptionIn] | None = Field(None, max_length=50)
    columns: list[ColumnIn] | None = Field(None, max_length=50)


class MoveIn(InputSchema):
    direction: Literal["up", "down"]


@router.get(
    "/{engagement_id}/questionnaires",
    response={200: list[QuestionnaireOut], **READ},
    summary="The engagement's questionnaires, in order",
)
def questionnaire_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(questionnaires_of(engagement))


@router.post(
    "/{engagement_id}/questionnaires",
    response={200: list[QuestionnaireOut], 201: list[QuestionnaireOut], **WRITE},
    summary="Copy the shipped questionnaires the engagement does not have yet (editors); returns the copies",
    description=(
        "Safe to repeat: 201 with the questionnaires created, or 200 with an empty list when all were copied before."
    ),
)
def questionnaire_copy(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    created = services.questionnaire_copy_templates(engagement=engagement, actor=request.user)
    if not created:
        return Status(200, [])
    return Status(201, list(questionnaires_of(engagement, ids=[q.pk for q in created])))


@router.get(
    "/{engagement_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **READ},
    summary="One questionnaire",
)
def questionnaire_get(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> Any:
    return questionnaire_for(request.user, engagement_id, questionnaire_id)[0]


@router.patch(
    "/{engagement_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **VERSIONED},
    summary="Change a questionnaire's title, introduction or audience (editors; send the version you read)",
)
def questionnaire_patch(
    request: SignedInRequest, engagement_id: int, questionnaire_id: int, payload: QuestionnairePatch
) -> Any:
    questionnaire, membership = questionnaire_for(request.user, engagement_id, questionnaire_id, role=Role.EDITOR)
    services.questionnaire_update(
        questionnaire=questionnaire,
        actor=request.user,
        expected_version=payload.version,
        data=questionnaire_changes(payload.dict(exclude_unset=True)),
    )
    return questionnaires_of(membership.engagement).get(pk=questionnaire.pk)


@router.get(
    "/{engagement_id}/questionnaires/{questionnaire_id}/questions",
    response={200: list[QuestionOut], **READ},
    summary="The questions of a questionnaire, in order",
)
def question_list(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> Any:
    questionnaire, _m = questionnaire_for(request.user, engagement_id, questionnaire_id)
    return list(questions_of(questionnaire.pk))


@router.post(
    "/{engagement_id}/questionnaires/{questionnaire_id}/questions",
    response={201: QuestionOut, **WRITE},
    summary="Add a question at the end of a questionnaire (editors)",
)
def question_create(request: SignedInRequest, engagement_id: int, questionnaire_id: int, payload: QuestionIn) -> Any:
    questionnaire, _m = questionnaire_for(request.user, engagement_id, questionnaire_id, role=Role.EDITOR)
    question = services.question_add(
        questionnaire=questionnaire, actor=request.user, data=question_changes(payload.dict())
    )
    return Status(201, question)


@router.get("/{engagement_id}/questions/{question_id}", response={200: QuestionOut, **READ}, summary="One question")
def question_get(request: HttpRequest, engagement_id: int, question_id: int) -> Any:
    return question_for(request.user, engagement_id, question_id)[0]


@router.patch(
    "/{engagement_id}/questions/{question_id}",
    response={200: QuestionOut, **VERSIONED},
    summary="Change a question (editors; send the version you read)",
)
def question_patch(request: SignedInRequest, engagement_id: int, question_id: int, payload: QuestionPatch) -> Any:
    question, _m = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    return services.question_update(
        question=question,
        actor=request.user,
        expected_version=payload.version,
        data=question_changes(payload.dict(exclude_unset=True)),
    )


@router.delete(
    "/{engagement_id}/questions/{question_id}",
    response={204: None, **WRITE},
    summary="Remove a question nobody has answered yet (editors)",
)
def question_remove(request: SignedInRequest, engagement_id: int, question_id: int) -> Any:
    question, _m = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    services.question_delete(question=question, actor=request.user)
    return Status(204, None)


@router.post(
    "/{engagement_id}/questions/{question_id}/move",
    response={200: list[QuestionOut], **WRITE},
    summary="Move a question one place up or down (editors); returns the questionnaire's questions in their new order",
)
def question_move(request: SignedInRequest, engagement_id: int, question_id: int, payload: MoveIn) -> Any:
    question, _m = question_for(request.user, engagement_id, question_id, role=Role.EDITOR)
    services.question_move(question=question, actor=request.user, direction=payload.direction)
    return list(questions_of(question.questionnaire_id))
