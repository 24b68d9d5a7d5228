"""API for the answers of the engagement's campaigns: one response question by question, every answer as a
flat list for analysis, the analysts' discussion marks, and reopening a submitted response. Mounted under
/engagements (survey.api): members read, editors flag answers, owners reopen responses.

No `from __future__ import annotations`: the paginated list's query parameters must be real annotations
(ninja cannot resolve string annotations through the pagination wrapper)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import MAX_ID
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.schemas import Choice, InputSchema, QueryInput
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.survey.access import answer_for, response_for
from certprep.survey.answers import display_value
from certprep.survey.api.campaigns import PersonBriefOut
from certprep.survey.choices import QuestionKind, Topic
from certprep.survey.models import Answer, Question, Questionnaire, Response
from certprep.survey.selectors.answers import AnswerFilters, answers_of
from certprep.survey.selectors.respondent import response_sheet
from certprep.survey.selectors.tracking import process_names
from certprep.survey.services import campaigns as services

router = Router(tags=["survey"])

# Where the answers listing keeps the process names it looked up once for the whole page.
_PROCESS_NAMES = "_survey_api_process_names"


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    size: int
    content_type: str


class SheetQuestionOut(Schema):
    id: int
    key: str
    kind: Choice[QuestionKind]
    section: str
    text: str
    guidance: str
    required: bool
    topic: Choice[Topic]

    @staticmethod
    def resolve_section(obj: Question) -> str:
        return str(obj.tr.section)

    @staticmethod
    def resolve_text(obj: Question) -> str:
        return str(obj.tr.text)

    @staticmethod
    def resolve_guidance(obj: Question) -> str:
        return str(obj.tr.guidance)


class SheetItemOut(Schema):
    question: SheetQuestionOut
    answer_id: int | None = Field(description="Null when the respondent has not touched the question.")
    answer_version: int
    value: Any = Field(description="The stored answer; its shape depends on the question kind.")
    text: str = Field(description="The answer as one line of text, with option labels.")
    answered: bool
    flagged: bool
    flag_note: str
    attachments: list[AttachmentOut]


class QuestionnaireBriefOut(Schema):
    id: int
    key: str
    title: str
    process_code: str

    @staticmethod
    def resolve_title(obj: Questionnaire) -> str:
        return str(obj.tr.title)


class ResponseOut(Schema):
    id: int
    campaign_id: int
    respondent_id: int
    person: PersonBriefOut
    questionnaire: QuestionnaireBriefOut
    status: str
    started_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    reopened_at: datetime.datetime | None
    answered: int
    total: int
    version: int
    questions: list[SheetItemOut]


class FlagIn(InputSchema):
    flagged: bool = Field(description="Discuss this answer face to face: it goes into the interview guide.")
    note: str = Field("", max_length=500, description="What to discuss; dropped when unflagging.")
    seen_flagged: bool = Field(description="The mark as you read it; if the respondent changed it since, 409.")
    seen_note: str = Field(
        max_length=500, description='The note as you read it ("" for none); a different stored note gives 409.'
    )


class FlagOut(Schema):
    id: int
    response_id: int
    question_id: int
    flagged: bool
    flag_note: str


class AnswerFilter(QueryInput):
    campaign_id: int | None = Field(None, ge=1, le=MAX_ID, description="Only this campaign.")
    questionnaire_id: int | None = Field(None, ge=1, le=MAX_ID, description="Only this questionnaire.")
    process: str = Field("", max_length=50, description="Only the questionnaire of this process (its code).")
    flagged: bool | None = Field(None, description="Only flagged (true) or unflagged (false) answers.")


class AnswerRowOut(Schema):
    id: int
    campaign_id: int = Field(alias="response.respondent.campaign_id")
    response_id: int
    response_status: str = Field(alias="response.status")
    respondent_id: int = Field(alias="response.respondent_id")
    respondent: str = Field(alias="response.respondent.person.name")
    department: str = Field(alias="response.respondent.person.department")
    questionnaire_id: int = Field(alias="response.questionnaire_id")
    questionnaire: str
    process_code: str = Field(alias="response.questionnaire.process_code")
    question_id: int
    question_key: str = Field(alias="question.key")
    question_text: str
    kind: str = Field(alias="question.kind")
    value: Any
    text: str = Field(description="The answer as one line of text, with option labels.")
    flagged: bool
    flag_note: str
    updated_at: datetime.datetime

    @staticmethod
    def resolve_questionnaire(obj: Answer) -> str:
        return str(obj.response.questionnaire.tr.title)

    @staticmethod
    def resolve_question_text(obj: Answer) -> str:
        return str(obj.question.tr.text)

    @staticmethod
    def resolve_text(obj: Answer, context: Any) -> str:
        question = obj.question
        if question.kind == QuestionKind.PROCESS_REF:
            request = (context or {}).get("request")
            labels = getattr(request, _PROCESS_NAMES, None) or {}
        else:
            labels = dict(question.option_labels())
        return display_value(question.kind, obj.value, labels=labels)


def _sheet_items(response: Response) -> tuple[list[dict[str, Any]], int, int]:
    """The response's questions with their answers, as SheetItemOut; and how many of how many are answered."""
    sheet = response_sheet(response)
    items = []
    for section in sheet.sections:
        for item in section.items:
            answer = item.answer
            items.append(
                {
                    "question": item.question,
                    "answer_id": answer.pk if answer else None,
                    "answer_version": item.version,
                    "value": item.value,
                    "text": item.text,
                    "answered": item.answered,
                    "flagged": bool(answer and answer.flagged),
                    "flag_note": answer.flag_note if answer else "",
                    "attachments": item.attachments,
                }
            )
    return items, sheet.answered, sheet.total


def _response_out(response: Response) -> dict[str, Any]:
    items, answered, total = _sheet_items(response)
    return {
        "id": response.pk,
        "campaign_id": response.respondent.campaign_id,
        "respondent_id": response.respondent_id,
        "person": response.respondent.person,
        "questionnaire": response.questionnaire,
        "status": response.status,
        "started_at": response.started_at,
        "submitted_at": response.submitted_at,
        "reopened_at": response.reopened_at,
        "answered": answered,
        "total": total,
        "version": response.version,
        "questions": items,
    }


@router.get(
    "/{engagement_id}/answers",
    response={200: list[AnswerRowOut], **READ},
    summary="Every answer of the engagement's campaigns as a flat list, for analysis",
    description="Ordered by campaign, questionnaire, question and respondent. Filter by campaign, questionnaire, "
    "process or flag.",
)
@paginate(BoundedLimitOffset)
def answer_list(request: HttpRequest, engagement_id: int, filters: Query[AnswerFilter]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    setattr(request, _PROCESS_NAMES, process_names())  # once per page, for related-process answers
    return answers_of(
        engagement,
        AnswerFilters(
            campaign_id=filters.campaign_id,
            questionnaire_id=filters.questionnaire_id,
            process=filters.process.strip(),
            flagged=filters.flagged,
        ),
    )


@router.post(
    "/{engagement_id}/answers/{answer_id}/flag",
    response={200: FlagOut, **VERSIONED},
    summary="Mark an answer to discuss face to face, or clear the mark (editors)",
)
def answer_flag(request: SignedInRequest, engagement_id: int, answer_id: int, payload: FlagIn) -> Any:
    answer, _m = answer_for(request.user, engagement_id, answer_id, role=Role.EDITOR)
    services.answer_flag(
        answer=answer, actor=request.user, flagged=payload.flagged, note=payload.note,
        seen=(payload.seen_flagged, payload.seen_note),
    )  # fmt: skip
    answer.refresh_from_db()
    return answer


@router.get(
    "/{engagement_id}/responses/{response_id}",
    response={200: ResponseOut, **READ},
    summary="One respondent's answers to one questionnaire, question by question, with files and flags",
)
def response_get(request: HttpRequest, engagement_id: int, response_id: int) -> Any:
    return _response_out(response_for(request.user, engagement_id, response_id)[0])


@router.post(
    "/{engagement_id}/responses/{response_id}/reopen",
    response={200: ResponseOut, **WRITE},
    summary="Let the respondent change a submitted questionnaire again (owners)",
)
def response_reopen(request: SignedInRequest, engagement_id: int, response_id: int) -> Any:
    response, _m = response_for(request.user, engagement_id, response_id, role=Role.OWNER)
    services.response_reopen(response=response, actor=request.user)
    return _response_out(response_for(request.user, engagement_id, response_id)[0])
