"""API for engagements, members, the organization profile and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE, ErrorOut
from certprep.core.background import JobStatus
from certprep.core.errors import ServiceError
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.request_limits import ENGAGEMENT_FILE_BYTES, api_upload_limit, read_upload
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements import imports, selectors, services, transfer
from certprep.engagements.access import engagement_for, member_for
from certprep.engagements.changes import engagement_changes, profile_changes
from certprep.engagements.choices import Certification, Industry, ItilAdoption, Role
from certprep.engagements.models import EngagementImport

router = Router(tags=["engagements"])

ZONE_HELP = (
    "IANA time zone of the organization, e.g. Asia/Shanghai; interview times, calendar files and reminders use it."
)
LANGUAGE_HELP = "Language of the texts certprep writes for the organization (improvement topics, reports)."
LanguageCode = Literal["en", "zh-hans"]


class EngagementOut(Schema):
    id: int
    name: str
    organization_name: str
    description: str
    target_stage1_date: datetime.date | None
    survey_preparation_days: int
    time_zone: str
    report_language: str
    version: int
    my_role: str | None = None


class EngagementIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    organization_name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=10_000)
    target_stage1_date: IsoDate | None = None
    time_zone: str = Field("UTC", max_length=64, description=ZONE_HELP)
    report_language: LanguageCode = Field("en", description=LANGUAGE_HELP)


class EngagementPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    name: str | None = Field(None, min_length=1, max_length=200)
    organization_name: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=10_000)
    target_stage1_date: IsoDate | None = None
    survey_preparation_days: int | None = Field(
        None, ge=1, le=60, description="Least working days respondents get before a survey deadline."
    )
    time_zone: str | None = Field(None, max_length=64, description=ZONE_HELP)
    report_language: LanguageCode | None = Field(None, description=LANGUAGE_HELP)


class MemberOut(Schema):
    id: int
    username: str = Field(alias="user.username")
    email: str = Field(alias="user.email")
    role: str


class InviteIn(InputSchema):
    email: str = Field(
        min_length=3, max_length=254, pattern=r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$"
    )
    role: Choice[Role] = Role.VIEWER


class InviteOut(Schema):
    email: str
    role: str
    expires_at: datetime.datetime


class RoleIn(InputSchema):
    role: Choice[Role]


Line = Field(max_length=200)


class ProfileOut(Schema):
    industry: str
    people_in_scope: int | None
    sites: list[str]
    services_in_scope: list[str]
    scope_who: str
    scope_services: str
    scope_where: str
    scope_statement: str
    itsm_tools: list[str]
    itil_adoption: str
    existing_certifications: list[str]
    notes: str
    version: int


class ProfilePatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    industry: Choice[Industry] | Literal[""] | None = None
    people_in_scope: int | None = Field(None, ge=1, le=1_000_000)
    sites: list[str] | None = Field(None, max_length=200)
    services_in_scope: list[str] | None = Field(None, max_length=200)
    scope_who: str | None = Field(None, max_length=300)
    scope_services: str | None = Field(None, max_length=500)
    scope_where: str | None = Field(None, max_length=300)
    itsm_tools: list[str] | None = Field(None, max_length=200)
    itil_adoption: Choice[ItilAdoption] | Literal[""] | None = None
    existing_certifications: list[Choice[Certification]] | None = Field(None, max_length=20)
    notes: str | None = Field(None, max_length=10_000)


class AuditOut(Schema):
    at: datetime.datetime
    actor: str = Field(alias="actor_label")
    action: str
    object_type: str
    object_id: str
    object: str = Field(alias="object_repr")
    changes: dict[str, Any]


class EngagementImportOut(Schema):
    id: int
    status: Literal["queued", "running", "done", "failed"] = Field(
        description="queued: waiting for a background worker; running; done: the engagement is imported; failed: "
        "nothing was imported (see message)."
    )
    url: str = Field(description="Where to ask for the import's state (GET).")
    created: datetime.datetime
    engagement_id: int | None = Field(description="The imported engagement, once done (you are its owner).")
    suggested_invitations: list[str] = Field(
        description="Once done, the user names of the file's other members: nobody joins without an invitation; the "
        "owner may send them from the members page. Whether such accounts exist here is not said."
    )
    message: str = Field(
        description="Why it failed (where in the file, when the file is at fault); or, while it is queued again, "
        "that a worker stopped while running it."
    )


def _import_out(job: EngagementImport) -> dict[str, Any]:
    done = job.status == JobStatus.DONE
    return {
        "id": job.pk,
        "status": job.status,
        "url": reverse("api-v1:engagement_import_get", kwargs={"import_id": job.pk}),
        "created": job.created_at,
        "engagement_id": job.engagement_id if done else None,
        "suggested_invitations": list(job.suggested) if done else [],
        "message": job.message,
    }


@router.get("", response=list[EngagementOut], summary="Engagements you are a member of")
def engagement_list(request: SignedInRequest) -> Any:
    return list(selectors.engagements_for_user(request.user))


@router.post("", response={201: EngagementOut}, summary="Create an engagement (you become its owner)")
def engagement_create(request: SignedInRequest, payload: EngagementIn) -> Any:
    engagement = services.engagement_create(user=request.user, **payload.dict())
    engagement.my_role = Role.OWNER  # type: ignore[attr-defined]
    return Status(201, engagement)


@router.post(
    "/import",
    response={202: EngagementImportOut, 400: ErrorOut},
    summary="Create an engagement from an export file (you become its owner); all or nothing, by a background worker",
    description=(
        "The file's size and shape are checked at once (400, nothing stored); then a background worker imports it. "
        "Follow `url` until `status` is done (`engagement_id`) or failed (`message`; nothing was imported). At most "
        "3 of your imports wait or run at once (400 beyond)."
    ),
)
@decorate_view(api_upload_limit(ENGAGEMENT_FILE_BYTES))
def engagement_import(request: SignedInRequest, file: File[UploadedFile]) -> Any:
    raw = read_upload(file, max_bytes=ENGAGEMENT_FILE_BYTES)
    job = imports.import_request(raw=raw, name=file.name, actor=request.user)
    return Status(202, _import_out(job))


@router.get(
    "/imports/{import_id}",
    response={200: EngagementImportOut, **READ},
    summary="The state of one of your engagement-file imports (404 for anyone else's)",
    url_name="engagement_import_get",
)
def engagement_import_get(request: HttpRequest, import_id: int) -> Any:
    return _import_out(imports.import_for(request.user, import_id))


@router.get("/{engagement_id}", response={200: EngagementOut, **READ}, summary="One engagement with your role")
def engagement_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, membership = engagement_for(request.user, engagement_id)
    engagement.my_role = membership.role  # type: ignore[attr-defined]
    return engagement


@router.patch(
    "/{engagement_id}",
    response={200: EngagementOut, **VERSIONED},
    summary="Change an engagement (owners; send the version you read)",
)
def engagement_patch(request: SignedInRequest, engagement_id: int, payload: EngagementPatch) -> Any:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.OWNER)
    engagement = services.engagement_update(
        engagement=engagement,
        actor=request.user,
        expected_version=payload.version,
        data=engagement_changes(payload.dict(exclude_unset=True)),
    )
    engagement.my_role = membership.role  # type: ignore[attr-defined]
    return engagement


@router.delete(
    "/{engagement_id}",
    response={204: None, **VERSIONED},
    summary="Delete an engagement with everything in it and its files (owners; send the version you read)",
    description=(
        "Deletes the engagement for every member: its rows, its audit trail and every file it has in the file "
        "store (evidence, survey attachments, reports, imports waiting). It cannot be undone; export it first. "
        "`version` is required: without it the answer is 400."
    ),
)
def engagement_delete(request: SignedInRequest, engagement_id: int, query: Query[VersionQuery]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    if query.version is None:  # required, but checked after the access check: outsiders get 404 either way
        raise ServiceError(
            _("Send the version you read (?version=): deleting an engagement needs it."), field="version"
        )
    services.engagement_delete(engagement=engagement, actor=request.user, version=query.version)
    return Status(204, None)


@router.get("/{engagement_id}/members", response={200: list[MemberOut], **READ}, summary="Members and their roles")
def member_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return list(selectors.members_of(engagement))


@router.post(
    "/{engagement_id}/members",
    response={201: InviteOut, **WRITE},
    summary=(
        "Invite by e-mail: everyone gets a personal link to accept, whether or not the address has an account (owners)"
    ),
)
def member_invite(request: SignedInRequest, engagement_id: int, payload: InviteIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.OWNER)
    result = services.member_invite(
        engagement=engagement,
        actor=request.user,
        email=payload.email,
        role=payload.role,
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    return Status(201, {"email": result.email, "role": result.role, "expires_at": result.expires_at})


@router.patch(
    "/{engagement_id}/members/{member_id}",
    response={200: MemberOut, **WRITE},
    summary="Change a member's role (owners)",
)
def member_role(request: SignedInRequest, engagement_id: int, member_id: int, payload: RoleIn) -> Any:
    member, _m = member_for(request.user, engagement_id, member_id, role=Role.OWNER)
    return services.member_role_change(membership=member, actor=request.user, role=payload.role)


@router.delete(
    "/{engagement_id}/members/{member_id}",
    response={204: None, **WRITE},
    summary="Remove a member (owners; the last owner stays)",
)
def member_remove(request: SignedInRequest, engagement_id: int, member_id: int) -> Any:
    member, _m = member_for(request.user, engagement_id, member_id, role=Role.OWNER)
    services.member_remove(membership=member, actor=request.user)
    return Status(204, None)


@router.get("/{engagement_id}/profile", response={200: ProfileOut, **READ}, summary="The organization profile")
def profile_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return engagement.profile


@router.patch(
    "/{engagement_id}/profile",
    response={200: ProfileOut, **VERSIONED},
    summary="Change fields of the organization profile (send the version you read)",
)
def profile_patch(request: SignedInRequest, engagement_id: int, payload: ProfilePatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return services.profile_update(
        profile=engagement.profile,
        actor=request.user,
        expected_version=payload.version,
        data=profile_changes(payload.dict(exclude_unset=True)),
    )


@router.get("/{engagement_id}/audit", response={200: list[AuditOut], **READ}, summary="The audit trail, newest first")
@paginate(BoundedLimitOffset)
def audit_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return selectors.audit_trail(engagement)


@router.get(
    "/{engagement_id}/export",
    response={200: dict[str, Any], 403: ErrorOut, 404: ErrorOut},
    summary="The whole engagement as one JSON document (editors and owners)",
)
def engagement_export(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return transfer.engagement_export(engagement)
