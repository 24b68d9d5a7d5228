"""API for interviews, their follow-ups and generated guide, and the current state per process. Mounted under
/engagements (survey.api): members read, editors schedule and record interviews."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE, ErrorOut
from certprep.core.api_refs import fields_as_sent
from certprep.core.schemas import Choice, InputSchema, IsoDate, IsoDateTime
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.survey.access import interview_for
from certprep.survey.changes import interview_changes
from certprep.survey.choices import InterviewStatus
from certprep.survey.models import Interview
from certprep.survey.selectors.interviews import follow_up_of, follow_ups_of, interview_guide, interviews_of
from certprep.survey.selectors.state import engagement_state, process_state
from certprep.survey.services import interviews as services

router = Router(tags=["interviews"])
# The services name the fields of the interview form; the body names them as below.
router.add_decorator(
    fields_as_sent({"attendees": "attendee_ids", "interviewer": "interviewer_id", "owner": "owner_id"})
)


class AttendeeOut(Schema):
    id: int
    name: str
    email: str


class InterviewOut(Schema):
    id: int
    title: str
    process_code: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    duration_minutes: int
    location: str
    call_link: str
    attendees: list[AttendeeOut]
    interviewer_id: int | None
    status: str
    minutes: str
    uid: str
    version: int
    open_follow_ups: int = 0

    @staticmethod
    def resolve_attendees(obj: Interview) -> list[Any]:
        return sorted(obj.attendees.all(), key=lambda p: (p.name.casefold(), p.pk))


class InterviewIn(InputSchema):
    title: str = Field("", max_length=200, description="Empty: named after the process.")
    process_code: str = Field(
        "", max_length=50, description="A process of the 13-process lens; empty for the management system."
    )
    starts_at: IsoDateTime
    duration_minutes: int = Field(60, ge=5, le=600)
    location: str = Field("", max_length=200)
    call_link: str = Field("", max_length=200, description="An http(s) address.")
    attendee_ids: list[int] = Field(default_factory=list, max_length=200, description="People of this engagement.")
    interviewer_id: int | None = Field(None, description="A member of this engagement.")
    status: Choice[InterviewStatus] = InterviewStatus.PLANNED
    minutes: str = Field("", max_length=50_000)


class InterviewPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    title: str | None = Field(None, min_length=1, max_length=200)
    process_code: str | None = Field(None, max_length=50)
    starts_at: IsoDateTime | None = None
    duration_minutes: int | None = Field(None, ge=5, le=600)
    location: str | None = Field(None, max_length=200)
    call_link: str | None = Field(None, max_length=200)
    attendee_ids: list[int] | None = Field(None, max_length=200)
    interviewer_id: int | None = None
    status: Choice[InterviewStatus] | None = None
    minutes: str | None = Field(None, max_length=50_000)


class FollowUpOut(Schema):
    id: int
    text: str
    owner_id: int | None
    owner: str | None = Field(None, alias="owner.name")
    due_date: datetime.date | None
    done: bool


class FollowUpIn(InputSchema):
    text: str = Field(min_length=1, max_length=500)
    owner_id: int | None = Field(None, description="A person of this engagement.")
    due_date: IsoDate | None = None


def _interview(request: HttpRequest, engagement_id: int, interview_id: int, role: str = Role.VIEWER) -> Interview:
    return interview_for(request.user, engagement_id, interview_id, role=role)[0]


@router.get(
    "/{engagement_id}/interviews", response={200: list[InterviewOut], **READ}, summary="Interviews, by start time"
)
def interview_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(interviews_of(engagement))


@router.post(
    "/{engagement_id}/interviews", response={201: InterviewOut, **WRITE}, summary="Schedule an interview (editors)"
)
def interview_create(request: SignedInRequest, engagement_id: int, payload: InterviewIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    interview = services.interview_create(
        engagement=engagement, actor=request.user, data=interview_changes(payload.dict())
    )
    return Status(201, _interview(request, engagement_id, interview.pk))


@router.get("/{engagement_id}/interviews/{interview_id}", response={200: InterviewOut, **READ}, summary="One interview")
def interview_get(request: HttpRequest, engagement_id: int, interview_id: int) -> Any:
    return _interview(request, engagement_id, interview_id)


@router.patch(
    "/{engagement_id}/interviews/{interview_id}",
    response={200: InterviewOut, **VERSIONED},
    summary="Change an interview (editors; send the version you read)",
)
def interview_patch(request: SignedInRequest, engagement_id: int, interview_id: int, payload: InterviewPatch) -> Any:
    interview = _interview(request, engagement_id, interview_id, role=Role.EDITOR)
    services.interview_update(
        interview=interview,
        actor=request.user,
        expected_version=payload.version,
        data=interview_changes(payload.dict(exclude_unset=True)),
    )
    return _interview(request, engagement_id, interview_id)


@router.delete(
    "/{engagement_id}/interviews/{interview_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Delete an interview with its follow-ups (editors)",
)
def interview_delete(request: SignedInRequest, engagement_id: int, interview_id: int) -> Any:
    interview = _interview(request, engagement_id, interview_id, role=Role.EDITOR)
    services.interview_delete(interview=interview, actor=request.user)
    return Status(204, None)


@router.get(
    "/{engagement_id}/interviews/{interview_id}/follow-ups",
    response={200: list[FollowUpOut], **READ},
    summary="The interview's follow-ups, open first",
)
def followup_list(request: HttpRequest, engagement_id: int, interview_id: int) -> Any:
    return list(follow_ups_of(_interview(request, engagement_id, interview_id)))


@router.post(
    "/{engagement_id}/interviews/{interview_id}/follow-ups",
    response={201: FollowUpOut, **WRITE},
    summary="Record a follow-up agreed in the interview (editors)",
)
def followup_create(request: SignedInRequest, engagement_id: int, interview_id: int, payload: FollowUpIn) -> Any:
    interview = _interview(request, engagement_id, interview_id, role=Role.EDITOR)
    follow_up = services.followup_add(
        interview=interview, actor=request.user, text=payload.text, owner=payload.owner_id, due_date=payload.due_date
    )
    return Status(201, follow_up_of(follow_up.pk))


@router.get(
    "/{engagement_id}/interviews/{interview_id}/guide",
    response={200: dict[str, Any], **READ},
    summary="The interview guide generated from the answers",
)
def guide_get(request: HttpRequest, engagement_id: int, interview_id: int) -> Any:
    return interview_guide(_interview(request, engagement_id, interview_id)).as_dict()


@router.get(
    "/{engagement_id}/state",
    response={200: dict[str, Any], **READ},
    summary="The current state of every process and the relations between them",
)
def state_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return engagement_state(engagement).as_dict()


@router.get(
    "/{engagement_id}/state/{process_code}",
    response={200: dict[str, Any], **READ},
    summary="The current state of one process",
)
def state_get(request: HttpRequest, engagement_id: int, process_code: str) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    state = process_state(engagement, process_code)
    if state is None:
        raise Http404
    return state.as_dict()
