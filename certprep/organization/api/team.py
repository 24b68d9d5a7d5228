"""Members and meeting series through the API."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import body_ref
from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.organization.access import member_for, series_for
from certprep.organization.choices import Body, Cadence, ProjectRole
from certprep.organization.models import MeetingSeries, ProjectMember
from certprep.organization.selectors.team import SeriesRow, meetings_of, members_of
from certprep.organization.services.team import (
    MEETING_FIELDS,
    meeting_create,
    meeting_delete,
    meeting_update,
    member_add,
    member_remove,
    member_update,
)
from certprep.people.models import Person

router = Router()
BASE = "/{engagement_id}/organization"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
# Read by the handler after the caller's access is checked (400 naming the field when it is not a time of day).
Clock = Field(min_length=1, max_length=8, description="Time of day in the engagement's zone: 09:30.")


class OrganizationMemberOut(Schema):
    id: int
    person_id: int
    person_name: str
    body: str = Field(description="steering or team (follows from the role).")
    role: str
    responsibilities: str
    time_share: int = Field(description="Percent of the person's working time.")
    version: int


class OrganizationMemberIn(InputSchema):
    person_id: int = Field(ge=1, description="One of the engagement's people.")
    role: Choice[ProjectRole]
    responsibilities: str = Field("", max_length=5000)
    time_share: int = Field(0, ge=0, le=100)


class OrganizationMemberPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    role: Choice[ProjectRole] | None = None
    responsibilities: str | None = Field(None, max_length=5000)
    time_share: int | None = Field(None, ge=0, le=100)


class OrganizationMeetingOut(Schema):
    id: int
    body: str
    title: str
    cadence: str = Field(description="weekly, fortnightly or monthly (on the n-th weekday).")
    weekday: int = Field(description="0 Monday ... 6 Sunday.")
    week_of_month: int = Field(description="For a monthly series: 1-4, or -1 for the last.")
    start_time: str
    duration_minutes: int
    from_date: datetime.date
    until_date: datetime.date | None
    until: datetime.date = Field(description="The last day it may meet: its own, else the plan's finish or 6 months.")
    occurrences: int = Field(description="How many meetings the series has (at most 200).")
    location: str
    version: int


class OrganizationMeetingIn(InputSchema):
    body: Choice[Body]
    title: str = Field(min_length=1, max_length=200)
    cadence: Choice[Cadence] = Cadence.WEEKLY
    weekday: int = Field(0, ge=0, le=6)
    week_of_month: int = Field(1, ge=-1, le=4)
    start_time: str = Clock
    duration_minutes: int = Field(60, ge=5, le=600)
    from_date: IsoDate
    until_date: IsoDate | None = None
    location: str = Field("", max_length=300)


class OrganizationMeetingPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    body: Choice[Body] | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    cadence: Choice[Cadence] | None = None
    weekday: int | None = Field(None, ge=0, le=6)
    week_of_month: int | None = Field(None, ge=-1, le=4)
    start_time: str | None = Field(None, min_length=1, max_length=8, description="Time of day: 09:30.")
    duration_minutes: int | None = Field(None, ge=5, le=600)
    from_date: IsoDate | None = None
    until_date: IsoDate | None = Field(None, description="null: until the plan's finish (or 6 months).")
    location: str | None = Field(None, max_length=300)


def member_out(member: ProjectMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "person_id": member.person_id,
        "person_name": member.person.name,
        "body": member.body,
        "role": member.role,
        "responsibilities": member.responsibilities,
        "time_share": member.time_share,
        "version": member.version,
    }


def _week(value: int | None) -> int | None:
    if value == 0:
        raise ServiceError(_("The week of the month is 1 to 4, or -1 for the last."), field="week_of_month")
    return value


def _times(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("start_time") is not None:
        try:
            data["start_time"] = datetime.time.fromisoformat(data["start_time"])
        except ValueError:
            raise ServiceError(_("Write the time of day as HH:MM, e.g. 09:30."), field="start_time") from None
    if "week_of_month" in data:
        data["week_of_month"] = _week(data["week_of_month"])
    return data


def row_out(row: SeriesRow) -> dict[str, Any]:
    series = row.series
    out = {name: getattr(series, name) for name in ("title", *MEETING_FIELDS)}
    out["start_time"] = series.start_time.strftime("%H:%M")
    return {"id": series.pk, "version": series.version, "until": row.until, "occurrences": row.count, **out}


def meeting_out(series: MeetingSeries) -> dict[str, Any]:
    rows = meetings_of(series.engagement, today=timezone.localdate())
    return row_out(next(r for r in rows if r.series.pk == series.pk))


@router.get(BASE + "/members", response={200: list[OrganizationMemberOut], **READ}, summary="Both bodies' members")
def member_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [member_out(m) for m in members_of(engagement)]


@router.post(BASE + "/members", response={201: OrganizationMemberOut, **WRITE}, summary="Put a person in a role")
def member_post(request: SignedInRequest, engagement_id: int, payload: OrganizationMemberIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    people = Person.objects.filter(engagement=engagement)
    message = _("No such person in this engagement.")
    person = body_ref(people, payload.person_id, field="person_id", message=message)
    data = payload.dict(exclude={"person_id"})
    member = member_add(engagement=engagement, actor=request.user, person=person, **data)
    return Status(201, member_out(member))


@router.get(BASE + "/members/{project_member_id}", response={200: OrganizationMemberOut, **READ}, summary="One member")
def member_get(request: HttpRequest, engagement_id: int, project_member_id: int) -> Any:
    member, _m = member_for(request.user, engagement_id, project_member_id)
    return member_out(member)


@router.patch(
    BASE + "/members/{project_member_id}", response={200: OrganizationMemberOut, **VERSIONED}, summary="Change a member"
)
def member_patch(
    request: SignedInRequest, engagement_id: int, project_member_id: int, payload: OrganizationMemberPatch
) -> Any:
    member, _m = member_for(request.user, engagement_id, project_member_id, role=Role.EDITOR)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    member_update(member=member, actor=request.user, expected_version=payload.version, **data)
    return member_out(member)


@router.delete(BASE + "/members/{project_member_id}", response={204: None, **VERSIONED}, summary="Remove a member")
def member_delete(
    request: SignedInRequest, engagement_id: int, project_member_id: int, query: Query[VersionQuery]
) -> Any:
    member, _m = member_for(request.user, engagement_id, project_member_id, role=Role.EDITOR)
    member_remove(member=member, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(BASE + "/meetings", response={200: list[OrganizationMeetingOut], **READ}, summary="The meeting series")
def meeting_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [row_out(row) for row in meetings_of(engagement, today=timezone.localdate())]


@router.post(BASE + "/meetings", response={201: OrganizationMeetingOut, **WRITE}, summary="Add a meeting series")
def meeting_post(request: SignedInRequest, engagement_id: int, payload: OrganizationMeetingIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    series = meeting_create(engagement=engagement, actor=request.user, **_times(payload.dict()))
    return Status(201, meeting_out(series))


@router.get(BASE + "/meetings/{series_id}", response={200: OrganizationMeetingOut, **READ}, summary="One series")
def meeting_get(request: HttpRequest, engagement_id: int, series_id: int) -> Any:
    series, _m = series_for(request.user, engagement_id, series_id)
    return meeting_out(series)


@router.patch(
    BASE + "/meetings/{series_id}", response={200: OrganizationMeetingOut, **VERSIONED}, summary="Change a series"
)
def meeting_patch(
    request: SignedInRequest, engagement_id: int, series_id: int, payload: OrganizationMeetingPatch
) -> Any:
    series, _m = series_for(request.user, engagement_id, series_id, role=Role.EDITOR)
    data = _times(payload.dict(exclude_unset=True, exclude={"version"}))
    meeting_update(series=series, actor=request.user, expected_version=payload.version, **data)
    return meeting_out(series)


@router.delete(BASE + "/meetings/{series_id}", response={204: None, **VERSIONED}, summary="Remove a series")
def meeting_remove(request: SignedInRequest, engagement_id: int, series_id: int, query: Query[VersionQuery]) -> Any:
    series, _m = series_for(request.user, engagement_id, series_id, role=Role.EDITOR)
    meeting_delete(series=series, actor=request.user, expected_version=query.version)
    return Status(204, None)
