"""API for the people of the organization and the roles they hold. Mounted under /engagements.

No `from __future__ import annotations` here: the paginated list's query parameters are read from real
annotations (ninja cannot resolve string annotations through the pagination wrapper)."""

from dataclasses import asdict
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from ninja.pagination import paginate

from certprep.catalogue.selectors import LensProcessCode
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.pagination import BoundedLimitOffset
from certprep.core.request_limits import SPREADSHEET_BYTES, api_upload_limit, read_upload
from certprep.core.schemas import Choice, InputSchema, QueryInput
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.people import selectors, services, workbook
from certprep.people.access import person_for
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.rules import cross, pair_warnings
from certprep.people.values import person_changes, role_pairs

router = Router(tags=["people"])


class PersonRoleOut(Schema):
    role: str = Field(description="An SMS role, e.g. process_owner or sms_manager.")
    process: str = Field(description='The process code the role is held for; "" for the SMS as a whole.')


class PersonRoleIn(InputSchema):
    role: Choice[SmsRole]
    process: LensProcessCode | Literal[""] = Field(
        "", description='A process code of the 13-process lens for a process role; "" for an SMS-wide role.'
    )


def _pairs(obj: Person) -> list[tuple[str, str]]:
    return [(row.role, row.process_code) for row in obj.role_assignments.all()]


class PersonOut(Schema):
    id: int
    name: str
    department: str
    job_title: str
    email: str
    roles: list[PersonRoleOut] = Field(
        description="The roles the person holds, each for a process or for the SMS as a whole."
    )
    warnings: list[str] = Field(description="What is worth a second look, e.g. a process role without a process.")
    version: int

    @staticmethod
    def resolve_roles(obj: Person) -> list[dict[str, str]]:
        return [{"role": role, "process": code} for role, code in _pairs(obj)]

    @staticmethod
    def resolve_warnings(obj: Person) -> list[str]:
        return pair_warnings(_pairs(obj))


LEGACY = "Older clients: the roles, each held for each of `processes` (their cross product); prefer `roles`."


class PersonIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    department: str = Field("", max_length=200)
    job_title: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    roles: list[PersonRoleIn] = Field(default_factory=list, max_length=200)
    sms_roles: list[Choice[SmsRole]] = Field(default_factory=list, max_length=20, description=LEGACY)
    processes: list[LensProcessCode] = Field(default_factory=list, max_length=50, description=LEGACY)


class PersonPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    name: str | None = Field(None, min_length=1, max_length=200)
    department: str | None = Field(None, max_length=200)
    job_title: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    roles: list[PersonRoleIn] | None = Field(
        None, max_length=200, description="The roles held from now on (all of them)."
    )


class PeopleFilter(QueryInput):
    q: str = Field("", max_length=200, description="Text in the name, department or e-mail.")
    role: Choice[SmsRole] | None = Field(
        None, description="Only people holding this SMS role (for `process`, if given)."
    )
    process: str = Field("", max_length=50, description="Only people holding a role for this process (code).")


class PeopleImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    warnings: int = Field(description="Imported people with a process role but no process.")


def _with_roles(person: Person) -> Person:
    return selectors.person_with_roles(person.pk)


@router.get(
    "/{engagement_id}/people",
    response={200: list[PersonOut], **READ},
    summary="The people of the organization, by name; filter by text, role or process",
)
@paginate(BoundedLimitOffset)
def person_list(request: HttpRequest, engagement_id: int, filters: Query[PeopleFilter]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return selectors.people_of(engagement, q=filters.q, role=filters.role or "", process=filters.process)


@router.post("/{engagement_id}/people", response={201: PersonOut, **WRITE}, summary="Add a person (editors)")
def person_create(request: SignedInRequest, engagement_id: int, payload: PersonIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    data = payload.dict(exclude={"roles", "sms_roles", "processes"})
    roles = role_pairs(payload.dict()["roles"]) + cross(payload.sms_roles, payload.processes)
    person = services.person_create(engagement=engagement, actor=request.user, roles=roles, **data)
    return Status(201, _with_roles(person))


@router.post(
    "/{engagement_id}/people/import",
    response={200: PeopleImportOut, **WRITE},
    summary="Import people from .xlsx or .csv (editors); all rows are checked first, all or nothing",
)
@decorate_view(api_upload_limit(SPREADSHEET_BYTES))
def people_import(request: SignedInRequest, engagement_id: int, file: File[UploadedFile]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    raw = read_upload(file, max_bytes=SPREADSHEET_BYTES)
    result = workbook.people_import(engagement=engagement, actor=request.user, raw=raw, filename=file.name or "")
    return asdict(result)


@router.get("/{engagement_id}/people/{person_id}", response={200: PersonOut, **READ}, summary="One person")
def person_get(request: HttpRequest, engagement_id: int, person_id: int) -> Any:
    return person_for(request.user, engagement_id, person_id)[0]


@router.patch(
    "/{engagement_id}/people/{person_id}",
    response={200: PersonOut, **VERSIONED},
    summary="Change a person (editors; send the version you read)",
)
def person_patch(request: SignedInRequest, engagement_id: int, person_id: int, payload: PersonPatch) -> Any:
    person, _m = person_for(request.user, engagement_id, person_id, role=Role.EDITOR)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    services.person_update(person=person, actor=request.user, expected_version=version, data=person_changes(data))
    return _with_roles(person)


@router.delete(
    "/{engagement_id}/people/{person_id}",
    response={204: None, **WRITE},
    summary="Delete a person (editors); refused once they have started answering a campaign",
)
def person_delete(request: SignedInRequest, engagement_id: int, person_id: int) -> Any:
    person, _m = person_for(request.user, engagement_id, person_id, role=Role.EDITOR)
    services.person_delete(person=person, actor=request.user)
    return Status(204, None)


# The operation ids stay those of the module the API started in (the survey's api_people), so clients generated
# from the description keep their method names.
for _path_view in router.path_operations.values():
    for _operation in _path_view.operations:
        _operation.operation_id = f"certprep_survey_api_people_{_operation.view_func.__name__}"
