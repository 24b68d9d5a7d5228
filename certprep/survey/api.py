"""API for the preliminary survey (E1): questionnaires and their questions, campaigns with their tracking
figures, respondents and their personal links, responses, answers and the analysts' flags.

Mounted under /engagements: every path starts with the engagement, and access is checked exactly as the
pages check it: members read, editors adapt questionnaires and flag answers, owners run campaigns and
manage links. Anything outside the caller's engagements is 404. The API is for engagement members;
respondents answer through their personal link only.

No `from __future__ import annotations`: the paginated lists' query parameters must be real annotations
(ninja cannot resolve string annotations through the pagination wrapper)."""

import datetime
from typing import Any, Literal

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import MAX_ID
from certprep.core.errors import ServiceError
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.schemas import InputSchema, IsoDate, QueryInput
from certprep.core.wording import join_names
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.survey.answers import display_value
from certprep.survey.choices import (
    CampaignStatus,
    QuestionKind,
    QuestionKindName,
    ResponseStatus,
    SmsRoleName,
    TopicName,
)
from certprep.survey.models import Answer, Campaign, Question, Questionnaire, Respondent, Response
from certprep.survey.selectors.respondent import response_sheet
from certprep.survey.selectors.tracking import campaign_tracking, campaigns_of, process_names, respondents_of
from certprep.survey.services import campaigns as campaign_services
from certprep.survey.services import questionnaires as questionnaire_services

router = Router(tags=["survey"])

# Where the answers listing keeps the process names it looked up once for the whole page.
_PROCESS_NAMES = "_survey_api_process_names"

VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."


# --- questionnaires and questions -------------------------------------------------------------------


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
    audience: list[SmsRoleName] | None = Field(
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
    kind: QuestionKindName
    text: str
    guidance: str
    required: bool
    topic: TopicName
    options: list[OptionOut]
    columns: list[ColumnOut]
    translations: dict[str, Any]
    version: int


class QuestionIn(InputSchema):
    kind: QuestionKindName
    text: str = Field(min_length=1, max_length=5_000)
    section: str = Field(
        "", max_length=200, description="Questions with the same section are grouped under one heading."
    )
    guidance: str = Field("", max_length=10_000, description="What a good answer contains; shown under the question.")
    required: bool = Field(False, description="Must be answered before the respondent can submit.")
    topic: TopicName = Field("other", description="Where the answer goes in the current-state summary of the process.")
    options: list[OptionIn] = Field(
        default_factory=list, max_length=50, description="Choice questions: at least two options."
    )
    columns: list[ColumnIn] = Field(
        default_factory=list, max_length=50, description="Table questions: at least one column."
    )


class QuestionPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    kind: QuestionKindName | None = Field(None, description="Cannot change once the question has answers.")
    text: str | None = Field(None, min_length=1, max_length=5_000)
    section: str | None = Field(None, max_length=200)
    guidance: str | None = Field(None, max_length=10_000)
    required: bool | None = None
    topic: TopicName | None = None
    options: list[OptionIn] | None = Field(None, max_length=50)
    columns: list[ColumnIn] | None = Field(None, max_length=50)


class MoveIn(InputSchema):
    direction: Literal["up", "down"]


def _questionnaires(engagement: Engagement) -> QuerySet[Questionnaire]:
    return engagement.questionnaires.annotate(question_count=Count("questions")).order_by("order", "id")


def _question(engagement: Engagement, question_id: int) -> Question:
    return get_object_or_404(
        Question.objects.select_related("questionnaire__engagement"),
        pk=question_id,
        questionnaire__engagement=engagement,
    )


def _question_data(data: dict[str, Any]) -> dict[str, Any]:
    """Input for the question services: null texts become empty, other nulls mean "unchanged"."""
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if value is None:
            if name in ("section", "guidance"):
                cleaned[name] = ""
            continue
        cleaned[name] = value
    return cleaned


@router.get(
    "/{engagement_id}/questionnaires",
    response={200: list[QuestionnaireOut], **READ},
    summary="The engagement's questionnaires, in order",
)
def questionnaire_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(_questionnaires(engagement))


@router.post(
    "/{engagement_id}/questionnaires",
    response={200: list[QuestionnaireOut], 201: list[QuestionnaireOut], **WRITE},
    summary="Copy the shipped questionnaires the engagement does not have yet (editors); returns the copies",
    description=(
        "Safe to repeat: 201 with the questionnaires created, or 200 with an empty list when all were copied before."
    ),
)
def questionnaire_copy(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    created = questionnaire_services.questionnaire_copy_templates(engagement=engagement, actor=request.user)
    if not created:
        return Status(200, [])
    return Status(201, list(_questionnaires(engagement).filter(pk__in=[q.pk for q in created])))


@router.get(
    "/{engagement_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **READ},
    summary="One questionnaire",
)
def questionnaire_get(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return get_object_or_404(_questionnaires(engagement), pk=questionnaire_id)


@router.patch(
    "/{engagement_id}/questionnaires/{questionnaire_id}",
    response={200: QuestionnaireOut, **VERSIONED},
    summary="Change a questionnaire's title, introduction or audience (editors; send the version you read)",
)
def questionnaire_patch(
    request: HttpRequest, engagement_id: int, questionnaire_id: int, payload: QuestionnairePatch
) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id, engagement=engagement)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "intro" in data and data["intro"] is None:
        data["intro"] = ""
    if "audience" in data and data["audience"] is None:
        data["audience"] = []
    questionnaire_services.questionnaire_update(
        questionnaire=questionnaire, actor=request.user, expected_version=version, data=data
    )
    return _questionnaires(engagement).get(pk=questionnaire.pk)


@router.get(
    "/{engagement_id}/questionnaires/{questionnaire_id}/questions",
    response={200: list[QuestionOut], **READ},
    summary="The questions of a questionnaire, in order",
)
def question_list(request: HttpRequest, engagement_id: int, questionnaire_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id, engagement=engagement)
    return list(questionnaire.questions.order_by("order", "id"))


@router.post(
    "/{engagement_id}/questionnaires/{questionnaire_id}/questions",
    response={201: QuestionOut, **WRITE},
    summary="Add a question at the end of a questionnaire (editors)",
)
def question_create(request: HttpRequest, engagement_id: int, questionnaire_id: int, payload: QuestionIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("engagement"), pk=questionnaire_id, engagement=engagement
    )
    question = questionnaire_services.question_add(
        questionnaire=questionnaire, actor=request.user, data=_question_data(payload.dict())
    )
    return Status(201, question)


@router.get("/{engagement_id}/questions/{question_id}", response={200: QuestionOut, **READ}, summary="One question")
def question_get(request: HttpRequest, engagement_id: int, question_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _question(engagement, question_id)


@router.patch(
    "/{engagement_id}/questions/{question_id}",
    response={200: QuestionOut, **VERSIONED},
    summary="Change a question (editors; send the version you read)",
)
def question_patch(request: HttpRequest, engagement_id: int, question_id: int, payload: QuestionPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    question = _question(engagement, question_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return questionnaire_services.question_update(
        question=question, actor=request.user, expected_version=version, data=_question_data(data)
    )


@router.delete(
    "/{engagement_id}/questions/{question_id}",
    response={204: None, **WRITE},
    summary="Remove a question nobody has answered yet (editors)",
)
def question_remove(request: HttpRequest, engagement_id: int, question_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    questionnaire_services.question_delete(question=_question(engagement, question_id), actor=request.user)
    return Status(204, None)


@router.post(
    "/{engagement_id}/questions/{question_id}/move",
    response={200: list[QuestionOut], **WRITE},
    summary="Move a question one place up or down (editors); returns the questionnaire's questions in their new order",
)
def question_move(request: HttpRequest, engagement_id: int, question_id: int, payload: MoveIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    question = _question(engagement, question_id)
    questionnaire_services.question_move(question=question, actor=request.user, direction=payload.direction)
    return list(Question.objects.filter(questionnaire_id=question.questionnaire_id).order_by("order", "id"))


# --- campaigns ----------------------------------------------------------------------------------------


class RateOut(Schema):
    key: str
    label: str
    total: int
    started: int
    submitted: int
    percent: int = Field(description="Submitted, in percent of the questionnaires sent.")
    started_percent: int


class TrackingOut(Schema):
    overall: RateOut
    by_questionnaire: list[RateOut]
    by_process: list[RateOut]
    by_department: list[RateOut]
    not_started: int = Field(description="Respondents who have not started any of their questionnaires.")


class CampaignOut(Schema):
    id: int
    name: str
    status: str
    deadline: datetime.date
    grace_days: int
    reminder_days: int
    message: str
    sent_at: datetime.datetime | None
    links_expire_at: datetime.datetime
    created_at: datetime.datetime
    questionnaire_ids: list[int]
    respondent_count: int = 0
    response_count: int = Field(0, description="Questionnaires sent (one per respondent and questionnaire).")
    submitted_count: int = 0
    rate: int = Field(0, description="Submitted questionnaires, in percent.")
    version: int

    @staticmethod
    def resolve_questionnaire_ids(obj: Campaign) -> list[int]:
        return sorted(q.pk for q in obj.questionnaires.all())

    @staticmethod
    def resolve_rate(obj: Any) -> int:
        total = getattr(obj, "response_count", 0)
        return round(100 * getattr(obj, "submitted_count", 0) / total) if total else 0


class CampaignSetupOut(CampaignOut):
    deadline_warning: str = Field(
        "", description="For a draft: why the deadline leaves respondents too little time to prepare; empty when fine."
    )


class CampaignDetailOut(CampaignSetupOut):
    tracking: TrackingOut


class CampaignIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    deadline: IsoDate = Field(description="The last day to submit answers.")
    questionnaire_ids: list[int] = Field(min_length=1, max_length=200, description="Questionnaires of this engagement.")
    roles: list[SmsRoleName] = Field(
        default_factory=list, max_length=20, description="Only people holding one of these roles; empty: all."
    )
    departments: list[str] = Field(
        default_factory=list, max_length=200, description="Only people of these departments; empty: all."
    )
    grace_days: int = Field(7, ge=0, le=60, description="Links keep working this many days after the deadline.")
    reminder_days: int = Field(2, ge=0, le=30, description="Reminders go out this many days before the deadline.")
    message: str = Field("", max_length=10_000, description="A personal note added to the invitation e-mail.")


class CampaignPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    name: str | None = Field(None, min_length=1, max_length=200)
    deadline: IsoDate | None = None
    grace_days: int | None = Field(None, ge=0, le=60)
    reminder_days: int | None = Field(None, ge=0, le=30)
    message: str | None = Field(None, max_length=10_000)


class SendOut(Schema):
    sent: int = Field(description="Invitations e-mailed (people without an address get none).")
    links: dict[int, str] = Field(
        description="Each respondent's personal link, by respondent id: hand these out securely."
    )


class RemindOut(Schema):
    count: int = Field(description="Reminders e-mailed to respondents who have not submitted everything.")


def _campaigns(engagement: Engagement) -> QuerySet[Campaign]:
    return engagement.campaigns.annotate(
        respondent_count=Count("respondents", distinct=True),
        response_count=Count("respondents__responses"),
        submitted_count=Count(
            "respondents__responses", filter=Q(respondents__responses__status=ResponseStatus.SUBMITTED)
        ),
    ).prefetch_related("questionnaires")


def _owner_campaign(request: HttpRequest, engagement_id: int, campaign_id: int) -> Campaign:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    return get_object_or_404(Campaign.objects.select_related("engagement"), pk=campaign_id, engagement=engagement)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _with_warning(engagement: Engagement, campaign: Campaign) -> Campaign:
    warning = ""
    if campaign.status == CampaignStatus.DRAFT:
        warning = campaign_services.deadline_warning(engagement=engagement, deadline=campaign.deadline)
    campaign.deadline_warning = warning  # type: ignore[attr-defined]
    return campaign


@router.get(
    "/{engagement_id}/campaigns",
    response={200: list[CampaignOut], **READ},
    summary="The engagement's campaigns, newest first, with their response rates",
)
def campaign_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    campaigns = campaigns_of(engagement)
    prefetch_related_objects(campaigns, "questionnaires")
    return campaigns


@router.post(
    "/{engagement_id}/campaigns",
    response={201: CampaignSetupOut, **WRITE},
    summary="Create a draft campaign with its respondents (owners); nothing is sent yet",
    description="Respondents are the people whose roles (and, for process roles, processes) match the questionnaires' "
    "audience, narrowed by `roles` and `departments`. A deadline shorter than the engagement's preparation time is "
    "accepted but explained in `deadline_warning`.",
)
def campaign_create(request: HttpRequest, engagement_id: int, payload: CampaignIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    ids = list(dict.fromkeys(payload.questionnaire_ids))
    known = set(engagement.questionnaires.filter(pk__in=ids).values_list("pk", flat=True))
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise ServiceError(
            _("No such questionnaire in this engagement: %(ids)s.") % {"ids": join_names(str(i) for i in unknown)},
            field="questionnaire_ids",
        )
    campaign = campaign_services.campaign_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        deadline=payload.deadline,
        questionnaire_ids=ids,
        roles=payload.roles,
        departments=[d.strip() for d in payload.departments if d.strip()],
        grace_days=payload.grace_days,
        reminder_days=payload.reminder_days,
        message=payload.message,
    )
    return Status(201, _with_warning(engagement, _campaigns(engagement).get(pk=campaign.pk)))


@router.get(
    "/{engagement_id}/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **READ},
    summary="One campaign with its tracking figures: rates overall, by questionnaire, process and department",
)
def campaign_get(request: HttpRequest, engagement_id: int, campaign_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    campaign = get_object_or_404(_campaigns(engagement), pk=campaign_id)
    campaign.tracking = campaign_tracking(campaign)  # type: ignore[attr-defined]
    return _with_warning(engagement, campaign)


@router.patch(
    "/{engagement_id}/campaigns/{campaign_id}",
    response={200: CampaignSetupOut, **VERSIONED},
    summary=(
        "Change a campaign's name, deadline, grace and reminder days or message (owners; send the version you read)"
    ),
)
def campaign_patch(request: HttpRequest, engagement_id: int, campaign_id: int, payload: CampaignPatch) -> Any:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    if "message" in data and data["message"] is None:
        data["message"] = ""
    data = {k: v for k, v in data.items() if v is not None}
    if "name" in data:
        data["name"] = data["name"].strip()
    campaign_services.campaign_update(campaign=campaign, actor=request.user, expected_version=version, data=data)
    return _with_warning(campaign.engagement, _campaigns(campaign.engagement).get(pk=campaign.pk))


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/send",
    response={200: SendOut, **WRITE},
    summary="Send a draft campaign: e-mail every respondent their personal link (owners)",
    description="Returns every respondent's link, also of people without an e-mail address, to hand out by hand.",
)
def campaign_send(request: HttpRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    return campaign_services.campaign_send(campaign=campaign, actor=request.user, base_url=_base_url(request))


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/close",
    response={200: CampaignOut, **WRITE},
    summary="Close an open campaign: its links stop working (owners)",
)
def campaign_close(request: HttpRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    campaign_services.campaign_close(campaign=campaign, actor=request.user)
    return _campaigns(campaign.engagement).get(pk=campaign.pk)


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/remind",
    response={200: RemindOut, **WRITE},
    summary="Remind everyone who has not submitted all their questionnaires, with their current link (owners)",
)
def campaign_remind(request: HttpRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign = _owner_campaign(request, engagement_id, campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_("Only an open campaign sends reminders."))
    return {
        "count": campaign_services.reminders_send(campaign=campaign, actor=request.user, base_url=_base_url(request))
    }


# --- respondents and links --------------------------------------------------------------------------------


class PersonBriefOut(Schema):
    id: int
    name: str
    department: str
    email: str


class RespondentResponseOut(Schema):
    id: int
    questionnaire_id: int
    questionnaire_key: str = Field(alias="questionnaire.key")
    questionnaire_title: str
    status: str
    started_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    reopened_at: datetime.datetime | None

    @staticmethod
    def resolve_questionnaire_title(obj: Response) -> str:
        return str(obj.questionnaire.tr.title)


class RespondentOut(Schema):
    id: int
    campaign_id: int
    person: PersonBriefOut
    status: Literal["not_started", "in_progress", "submitted"] = Field(
        description="submitted: every questionnaire submitted; in_progress: at least one started."
    )
    submitted: int = Field(description="Questionnaires submitted.")
    total: int = Field(description="Questionnaires sent to this respondent.")
    responses: list[RespondentResponseOut]
    revoked: bool = Field(description="The link was revoked; issue a new one to let the person answer again.")
    revoked_at: datetime.datetime | None
    invited_at: datetime.datetime | None
    reminded_at: datetime.datetime | None
    last_seen_at: datetime.datetime | None
    last_answer_at: datetime.datetime | None = Field(None, alias="last_answer")

    @staticmethod
    def resolve_responses(obj: Respondent) -> list[Response]:
        return list(obj.responses.all())

    @staticmethod
    def resolve_total(obj: Respondent) -> int:
        return len(obj.responses.all())

    @staticmethod
    def resolve_submitted(obj: Respondent) -> int:
        return sum(1 for r in obj.responses.all() if r.status == ResponseStatus.SUBMITTED)

    @staticmethod
    def resolve_status(obj: Respondent) -> str:
        statuses = [r.status for r in obj.responses.all()]
        if statuses and all(s == ResponseStatus.SUBMITTED for s in statuses):
            return "submitted"
        if any(s != ResponseStatus.NOT_STARTED for s in statuses):
            return "in_progress"
        return "not_started"

    @staticmethod
    def resolve_revoked(obj: Respondent) -> bool:
        return obj.revoked_at is not None


class RespondentFilter(QueryInput):
    status: Literal["", "not_started", "in_progress", "submitted"] = Field("", description="Progress; empty: all.")
    q: str = Field("", max_length=100, description="Part of the name, department or e-mail address.")


class LinkIn(InputSchema):
    action: Literal["show", "reissue", "revoke"] = Field(
        "show",
        description="show: the current link; reissue: a new link, the old one stops working; revoke: no link works.",
    )
    send: bool = Field(False, description="With reissue: e-mail the new link to the person.")


class LinkOut(Schema):
    link: str | None = Field(description="The working personal link; null after revoke.")
    revoked_at: datetime.datetime | None


@router.get(
    "/{engagement_id}/campaigns/{campaign_id}/respondents",
    response={200: list[RespondentOut], **READ},
    summary="A campaign's respondents with their progress per questionnaire (never their links)",
)
@paginate(BoundedLimitOffset)
def respondent_list(
    request: HttpRequest, engagement_id: int, campaign_id: int, filters: Query[RespondentFilter]
) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    campaign = get_object_or_404(Campaign, pk=campaign_id, engagement=engagement)
    responses = Response.objects.select_related("questionnaire").order_by("questionnaire__order", "questionnaire_id")
    return respondents_of(campaign, status=filters.status, q=filters.q.strip()).prefetch_related(
        Prefetch("responses", queryset=responses)
    )


@router.post(
    "/{engagement_id}/respondents/{respondent_id}/link",
    response={200: LinkOut, **WRITE},
    summary="Show, re-issue or revoke a respondent's personal link (owners)",
    description="A POST, so the link never sits in a URL or an access log.",
)
def respondent_link(request: HttpRequest, engagement_id: int, respondent_id: int, payload: LinkIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    respondent = get_object_or_404(
        Respondent.objects.select_related("person", "campaign__engagement"),
        pk=respondent_id,
        campaign__engagement=engagement,
    )
    if respondent.campaign.status == CampaignStatus.DRAFT:
        raise ServiceError(_("Send the campaign first; links work once it is sent."))
    if payload.action == "reissue":
        link = campaign_services.link_reissue(
            respondent=respondent, actor=request.user, send=payload.send, base_url=_base_url(request)
        )
        return {"link": link, "revoked_at": None}
    if payload.action == "revoke":
        campaign_services.link_revoke(respondent=respondent, actor=request.user)
        return {"link": None, "revoked_at": respondent.revoked_at}
    if respondent.revoked_at:
        raise ServiceError(_("This link was revoked. Issue a new one to let the person answer again."))
    token = campaign_services.respondent_token(respondent)
    return {"link": campaign_services.respondent_link(token, _base_url(request)), "revoked_at": None}


# --- responses and answers -----------------------------------------------------------------------------


class AttachmentOut(Schema):
    id: int
    name: str = Field(alias="original_name")
    size: int
    content_type: str


class SheetQuestionOut(Schema):
    id: int
    key: str
    kind: QuestionKindName
    section: str
    text: str
    guidance: str
    required: bool
    topic: TopicName

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


def _response_out(response: Response) -> dict[str, Any]:
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
        "answered": sheet.answered,
        "total": sheet.total,
        "version": response.version,
        "questions": items,
    }


def _response(engagement: Engagement, response_id: int) -> Response:
    return get_object_or_404(
        Response.objects.select_related("questionnaire", "respondent__person", "respondent__campaign__engagement"),
        pk=response_id,
        respondent__campaign__engagement=engagement,
    )


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
    answers = Answer.objects.filter(response__respondent__campaign__engagement=engagement).select_related(
        "question", "response__questionnaire", "response__respondent__person"
    )
    if filters.campaign_id is not None:
        answers = answers.filter(response__respondent__campaign_id=filters.campaign_id)
    if filters.questionnaire_id is not None:
        answers = answers.filter(response__questionnaire_id=filters.questionnaire_id)
    if filters.process.strip():
        answers = answers.filter(response__questionnaire__process_code=filters.process.strip())
    if filters.flagged is not None:
        answers = answers.filter(flagged=filters.flagged)
    setattr(request, _PROCESS_NAMES, process_names())  # once per page, for related-process answers
    return answers.order_by(
        "response__respondent__campaign_id",
        "response__questionnaire__order",
        "response__questionnaire_id",
        "question__order",
        "question_id",
        "response__respondent__person__name",
        "pk",
    )


@router.post(
    "/{engagement_id}/answers/{answer_id}/flag",
    response={200: FlagOut, **VERSIONED},
    summary="Mark an answer to discuss face to face, or clear the mark (editors)",
)
def answer_flag(request: HttpRequest, engagement_id: int, answer_id: int, payload: FlagIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    answer = get_object_or_404(
        Answer.objects.select_related("response__respondent__campaign__engagement"),
        pk=answer_id,
        response__respondent__campaign__engagement=engagement,
    )
    campaign_services.answer_flag(
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
    engagement, _m = engagement_for(request.user, engagement_id)
    return _response_out(_response(engagement, response_id))


@router.post(
    "/{engagement_id}/responses/{response_id}/reopen",
    response={200: ResponseOut, **WRITE},
    summary="Let the respondent change a submitted questionnaire again (owners)",
)
def response_reopen(request: HttpRequest, engagement_id: int, response_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    response = campaign_services.response_reopen(response=_response(engagement, response_id), actor=request.user)
    return _response_out(_response(engagement, response.pk))
