"""API for survey campaigns: their tracking figures, respondents and personal links. Mounted under
/engagements (survey.api): members read, owners run campaigns and manage links.

No `from __future__ import annotations`: the paginated list's query parameters must be real annotations
(ninja cannot resolve string annotations through the pagination wrapper)."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.errors import ServiceError
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.schemas import Choice, InputSchema, IsoDate, QueryInput
from certprep.core.wording import join_names
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.survey.access import campaign_for, respondent_for
from certprep.survey.changes import campaign_changes
from certprep.survey.choices import CampaignStatus, ResponseStatus
from certprep.survey.models import Campaign, Respondent, Response
from certprep.survey.selectors.questionnaires import questionnaire_ids_in
from certprep.survey.selectors.tracking import (
    campaign_rows,
    campaign_tracking,
    campaigns_of,
    respondents_with_responses,
    with_mail_state,
)
from certprep.survey.services import campaigns as services

router = Router(tags=["survey"])

VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."


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
    roles: list[Choice[SmsRole]] = Field(
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
    sent: int = Field(
        description=(
            "Invitations e-mailed (people without an address get none). They are queued with the campaign and "
            "sent by a background worker moments later; the campaign page shows each one's state."
        )
    )
    links: dict[int, str] = Field(
        description="Each respondent's personal link, by respondent id: hand these out securely."
    )


class RemindOut(Schema):
    count: int = Field(description="Reminders e-mailed to respondents who have not submitted everything.")


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _with_warning(engagement: Engagement, campaign: Campaign) -> Campaign:
    warning = ""
    if campaign.status == CampaignStatus.DRAFT:
        warning = services.deadline_warning(engagement=engagement, deadline=campaign.deadline)
    campaign.deadline_warning = warning  # type: ignore[attr-defined]
    return campaign


def _questionnaire_ids(engagement: Engagement, ids: list[int]) -> list[int]:
    """The ids sent (each once), all of the engagement's questionnaires; else 400 naming the unknown ones."""
    wanted = list(dict.fromkeys(ids))
    known = questionnaire_ids_in(engagement, wanted)
    unknown = [i for i in wanted if i not in known]
    if unknown:
        raise ServiceError(
            _("No such questionnaire in this engagement: %(ids)s.") % {"ids": join_names(str(i) for i in unknown)},
            field="questionnaire_ids",
        )
    return wanted


@router.get(
    "/{engagement_id}/campaigns",
    response={200: list[CampaignOut], **READ},
    summary="The engagement's campaigns, newest first, with their response rates",
)
def campaign_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return campaigns_of(engagement, with_questionnaires=True)


@router.post(
    "/{engagement_id}/campaigns",
    response={201: CampaignSetupOut, **WRITE},
    summary="Create a draft campaign with its respondents (owners); nothing is sent yet",
    description="Respondents are the people whose roles (and, for process roles, processes) match the questionnaires' "
    "audience, narrowed by `roles` and `departments`. A deadline shorter than the engagement's preparation time is "
    "accepted but explained in `deadline_warning`.",
)
def campaign_create(request: SignedInRequest, engagement_id: int, payload: CampaignIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    campaign = services.campaign_create(
        engagement=engagement,
        actor=request.user,
        name=payload.name,
        deadline=payload.deadline,
        questionnaire_ids=_questionnaire_ids(engagement, payload.questionnaire_ids),
        roles=payload.roles,
        departments=[d.strip() for d in payload.departments if d.strip()],
        grace_days=payload.grace_days,
        reminder_days=payload.reminder_days,
        message=payload.message,
    )
    return Status(201, _with_warning(engagement, campaign_rows(engagement).get(pk=campaign.pk)))


@router.get(
    "/{engagement_id}/campaigns/{campaign_id}",
    response={200: CampaignDetailOut, **READ},
    summary="One campaign with its tracking figures: rates overall, by questionnaire, process and department",
)
def campaign_get(request: HttpRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign, membership = campaign_for(request.user, engagement_id, campaign_id)
    campaign = campaign_rows(membership.engagement).get(pk=campaign.pk)
    campaign.tracking = campaign_tracking(campaign)  # type: ignore[attr-defined]
    return _with_warning(membership.engagement, campaign)


@router.patch(
    "/{engagement_id}/campaigns/{campaign_id}",
    response={200: CampaignSetupOut, **VERSIONED},
    summary=(
        "Change a campaign's name, deadline, grace and reminder days or message (owners; send the version you read)"
    ),
)
def campaign_patch(request: SignedInRequest, engagement_id: int, campaign_id: int, payload: CampaignPatch) -> Any:
    campaign, membership = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    services.campaign_update(
        campaign=campaign,
        actor=request.user,
        expected_version=payload.version,
        data=campaign_changes(payload.dict(exclude_unset=True)),
    )
    engagement = membership.engagement
    return _with_warning(engagement, campaign_rows(engagement).get(pk=campaign.pk))


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/send",
    response={200: SendOut, **WRITE},
    summary="Send a draft campaign: e-mail every respondent their personal link (owners)",
    description="Returns every respondent's link, also of people without an e-mail address, to hand out by hand.",
)
def campaign_send(request: SignedInRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    return services.campaign_send(campaign=campaign, actor=request.user, base_url=_base_url(request))


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/close",
    response={200: CampaignOut, **WRITE},
    summary="Close an open campaign: its links stop working (owners)",
)
def campaign_close(request: SignedInRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign, membership = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    services.campaign_close(campaign=campaign, actor=request.user)
    return campaign_rows(membership.engagement).get(pk=campaign.pk)


@router.post(
    "/{engagement_id}/campaigns/{campaign_id}/remind",
    response={200: RemindOut, **WRITE},
    summary="Remind everyone who has not submitted all their questionnaires, with their current link (owners)",
)
def campaign_remind(request: SignedInRequest, engagement_id: int, campaign_id: int) -> Any:
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id, role=Role.OWNER)
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_("Only an open campaign sends reminders."))
    return {"count": services.reminders_send(campaign=campaign, actor=request.user, base_url=_base_url(request))}


# --- Respondents and their links ----------------------------------------------------------------------------


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
    mail_state: Literal["queued", "running", "done", "failed"] | None = Field(
        None,
        description=(
            "The newest e-mail to this respondent (invitation, new link, reminder, thanks): queued (waiting for the "
            "worker, or to be tried again), running, done (sent at mail_sent_at) or failed (mail_message says why); "
            "null when none was written (no address, or not sent yet)."
        ),
    )
    mail_sent_at: datetime.datetime | None = None
    mail_message: str = Field("", description="Why the e-mail failed or waits to be tried again, in words for people.")

    @staticmethod
    def resolve_mail_state(obj: Respondent) -> str | None:
        return getattr(obj, "mail_status", None)

    @staticmethod
    def resolve_mail_sent_at(obj: Respondent) -> datetime.datetime | None:
        return getattr(obj, "mail_sent_at", None)

    @staticmethod
    def resolve_mail_message(obj: Respondent) -> str:
        return getattr(obj, "mail_message", None) or ""

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
    campaign, _m = campaign_for(request.user, engagement_id, campaign_id)
    return with_mail_state(respondents_with_responses(campaign, status=filters.status, q=filters.q.strip()))


@router.post(
    "/{engagement_id}/respondents/{respondent_id}/link",
    response={200: LinkOut, **WRITE},
    summary="Show, re-issue or revoke a respondent's personal link (owners)",
    description="A POST, so the link never sits in a URL or an access log.",
)
def respondent_link(request: SignedInRequest, engagement_id: int, respondent_id: int, payload: LinkIn) -> Any:
    respondent, _m = respondent_for(request.user, engagement_id, respondent_id, role=Role.OWNER)
    link = services.link_use(
        respondent=respondent,
        actor=request.user,
        action=payload.action,
        send=payload.send,
        base_url=_base_url(request),
    )
    return {"link": link, "revoked_at": respondent.revoked_at if link is None else None}
