"""REST API of the responsibility matrix; mounted under /engagements, so every path starts with
/{engagement_id}/matrix."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE, ErrorOut
from certprep.core.api_refs import fields_as_sent
from certprep.core.schemas import InputSchema, QueryInput
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.responsibilities import selectors, services
from certprep.responsibilities.access import activity_for, cell_for, person_in, person_named, role_for, role_in
from certprep.responsibilities.choices import LetterOrEmpty, ProcessCode
from certprep.responsibilities.models import Activity, MatrixRole

router = Router(tags=["responsibilities"])
# The services name the fields of the pages' forms; the bodies name them as below.
router.add_decorator(fields_as_sent({"person": "person_id"}))

BASE = "/{engagement_id}/matrix"


class SettingsOut(Schema):
    rasci: bool
    max_roles_per_person: int
    version: int


class HolderOut(Schema):
    id: int
    name: str
    email: str


class RoleOut(Schema):
    id: int
    key: str
    name: str
    name_translated: str
    order: int
    version: int
    sms_role: str = Field(
        description="The SMS role whose holders fill this column, per process, from the people's roles (see the "
        'people endpoints); "" for a column that lists its own holders.'
    )
    holders: list[HolderOut] = Field(description="The column's own holders (none for a column of an SMS role).")


class LetterOut(Schema):
    role_id: int
    letter: str


class ActivityOut(Schema):
    id: int
    process_code: str
    key: str
    name: str
    name_translated: str
    order: int
    version: int
    letters: list[LetterOut]


class ViolationOut(Schema):
    kind: str
    severity: str
    message: str
    activity_id: int | None = None
    process_code: str | None = None
    person_id: int | None = None
    role_id: int | None = None


class MatrixOut(Schema):
    settings: SettingsOut
    roles: list[RoleOut]
    activities: list[ActivityOut]
    violations: list[ViolationOut]


class SettingsPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    rasci: bool | None = Field(None, description="Adds S (Supportive) to the letters.")
    max_roles_per_person: int | None = Field(
        None, ge=1, le=50, description="More roles than this on one person is flagged."
    )


class CellIn(InputSchema):
    letter: LetterOrEmpty = Field(description='The new letter; "" empties the cell.')
    expected: LetterOrEmpty = Field(
        description='The letter you saw in the cell ("" for empty); a different stored letter gives 409 Conflict.'
    )


class CellOut(Schema):
    activity_id: int
    role_id: int
    letter: str
    violations: list[ViolationOut]


class MatrixRoleIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    key: str = Field("", max_length=80, description="Empty: made from the name.")


class RolePatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    name: str | None = Field(
        None, min_length=1, max_length=200, description="A new name drops the shipped translations."
    )
    order: int | None = Field(None, ge=0, le=100_000)


class HolderIn(InputSchema):
    person_id: int = Field(ge=1, description="A person of the engagement (survey people list).")


class ActivityIn(InputSchema):
    process_code: ProcessCode
    name: str = Field(min_length=1, max_length=300)
    key: str = Field("", max_length=80, description="Empty: made from the name.")


class ActivityPatch(InputSchema):
    version: int = Field(ge=1, description="The version you read; a different stored version gives 409 Conflict.")
    name: str | None = Field(
        None, min_length=1, max_length=300, description="A new name drops the shipped translations."
    )
    order: int | None = Field(None, ge=0, le=100_000)


class ActivityFilter(QueryInput):
    process: str = Field("", max_length=50, description="Only the activities of this process (its code).")


class TemplateOut(Schema):
    roles: int
    activities: int
    letters: int


def _role_out(role: MatrixRole) -> dict[str, Any]:
    return {
        "id": role.pk,
        "key": role.key,
        "name": role.name,
        "name_translated": role.tr.name,
        "order": role.order,
        "version": role.version,
        "sms_role": role.sms_role,
        "holders": [{"id": h.person.pk, "name": h.person.name, "email": h.person.email} for h in role.holders.all()],
    }


def _activity_out(activity: Activity, letters: dict[int, str]) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "process_code": activity.process_code,
        "key": activity.key,
        "name": activity.name,
        "name_translated": activity.tr.name,
        "order": activity.order,
        "version": activity.version,
        "letters": [{"role_id": role_id, "letter": letter} for role_id, letter in letters.items() if letter],
    }


def _violations(view: selectors.MatrixView) -> list[dict[str, Any]]:
    return [v.__dict__ for v in view.violations]


@router.get(BASE, response={200: MatrixOut, **READ}, summary="The whole responsibility matrix with its checks")
def matrix_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    view = selectors.matrix_view(engagement)
    return {
        "settings": view.matrix,
        "roles": [_role_out(role) for role in view.roles],
        "activities": [
            _activity_out(row.activity, {c.role.pk: c.letter for c in row.cells})
            for block in view.processes
            for row in block.rows
        ],
        "violations": _violations(view),
    }


@router.patch(
    BASE + "/settings",
    response={200: SettingsOut, **VERSIONED},
    summary="Change the matrix settings (send the version you read)",
)
def settings_patch(request: SignedInRequest, engagement_id: int, payload: SettingsPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return services.matrix_update(
        engagement=engagement,
        actor=request.user,
        expected_version=payload.version,
        rasci=payload.rasci,
        max_roles_per_person=payload.max_roles_per_person,
    )


@router.post(
    BASE + "/template",
    response={200: TemplateOut, **WRITE},
    summary="Copy what is missing from the shipped template (roles, activities, letters); safe to repeat",
)
def template_copy(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return services.matrix_from_template(engagement=engagement, actor=request.user)


@router.put(
    BASE + "/cells/{activity_id}/{role_id}",
    response={200: CellOut, **VERSIONED},
    summary='Set one cell: the letter, or "" to empty it, if it still holds the letter you saw (else 409)',
)
def cell_put(request: SignedInRequest, engagement_id: int, activity_id: int, role_id: int, payload: CellIn) -> Any:
    activity, role, _m = cell_for(request.user, engagement_id, activity_id, role_id)
    letter = services.cell_set(
        activity=activity, role=role, letter=payload.letter, expected=payload.expected, actor=request.user
    )
    view = selectors.matrix_view(activity.engagement)
    return {"activity_id": activity.pk, "role_id": role.pk, "letter": letter, "violations": _violations(view)}


# Roles -------------------------------------------------------------------------------------------------


@router.get(BASE + "/roles", response={200: list[RoleOut], **READ}, summary="The roles in order, with their holders")
def role_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [_role_out(role) for role in selectors.roles_with_holders(engagement)]


@router.post(
    BASE + "/roles",
    response={201: RoleOut, **WRITE},
    summary="Add a role (a column), after the others",
)
def role_create(request: SignedInRequest, engagement_id: int, payload: MatrixRoleIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    role = services.role_create(engagement=engagement, actor=request.user, name=payload.name, key=payload.key)
    return Status(201, _role_out(role_in(engagement, role.pk, with_holders=True)))


@router.get(BASE + "/roles/{role_id}", response={200: RoleOut, **READ}, summary="One role with its holders")
def role_get(request: HttpRequest, engagement_id: int, role_id: int) -> Any:
    role, _m = role_for(request.user, engagement_id, role_id, with_holders=True)
    return _role_out(role)


@router.patch(
    BASE + "/roles/{role_id}",
    response={200: RoleOut, **VERSIONED},
    summary="Rename or reorder a role (send the version you read)",
)
def role_patch(request: SignedInRequest, engagement_id: int, role_id: int, payload: RolePatch) -> Any:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    services.role_update(
        role=role, actor=request.user, expected_version=payload.version, name=payload.name, order=payload.order
    )
    return _role_out(role_in(role.engagement, role_id, with_holders=True))


@router.delete(
    BASE + "/roles/{role_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Delete a role with its letters and holders",
)
def role_delete(request: SignedInRequest, engagement_id: int, role_id: int) -> Any:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    services.role_delete(role=role, actor=request.user)
    return Status(204, None)


@router.post(
    BASE + "/roles/{role_id}/holders",
    response={201: RoleOut, **WRITE},
    summary="Assign a person of the engagement to the role",
)
def holder_add(request: SignedInRequest, engagement_id: int, role_id: int, payload: HolderIn) -> Any:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    person = person_named(role.engagement, payload.person_id)
    services.role_holder_add(role=role, actor=request.user, person=person)
    return Status(201, _role_out(role_in(role.engagement, role_id, with_holders=True)))


@router.delete(
    BASE + "/roles/{role_id}/holders/{person_id}",
    response={204: None, **WRITE},
    summary="Take the role away from a person",
)
def holder_remove(request: SignedInRequest, engagement_id: int, role_id: int, person_id: int) -> Any:
    role, _m = role_for(request.user, engagement_id, role_id, role=Role.EDITOR)
    person = person_in(role.engagement, person_id)
    services.role_holder_remove(role=role, actor=request.user, person=person)
    return Status(204, None)


# Activities --------------------------------------------------------------------------------------------


def _activity_payload(activity: Activity) -> dict[str, Any]:
    letters = {a.role_id: a.letter for a in activity.assignments.all()}
    return _activity_out(activity, letters)


@router.get(
    BASE + "/activities",
    response={200: list[ActivityOut], **READ},
    summary="The activities in matrix order with their letters; ?process=<code> narrows to one process",
)
def activity_list(request: HttpRequest, engagement_id: int, filters: Query[ActivityFilter]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    view = selectors.matrix_view(engagement)
    return [
        _activity_out(row.activity, {c.role.pk: c.letter for c in row.cells})
        for block in view.processes
        if not filters.process or block.code == filters.process
        for row in block.rows
    ]


@router.post(
    BASE + "/activities",
    response={201: ActivityOut, **WRITE},
    summary="Add an activity (a row) at the end of its process",
)
def activity_create(request: SignedInRequest, engagement_id: int, payload: ActivityIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    activity = services.activity_create(
        engagement=engagement, actor=request.user, process_code=payload.process_code, name=payload.name, key=payload.key
    )
    return Status(201, _activity_out(activity, {}))


@router.get(
    BASE + "/activities/{activity_id}",
    response={200: ActivityOut, **READ},
    summary="One activity with its letters",
)
def activity_get(request: HttpRequest, engagement_id: int, activity_id: int) -> Any:
    activity, _m = activity_for(request.user, engagement_id, activity_id)
    return _activity_payload(activity)


@router.patch(
    BASE + "/activities/{activity_id}",
    response={200: ActivityOut, **VERSIONED},
    summary="Rename or reorder an activity (send the version you read)",
)
def activity_patch(request: SignedInRequest, engagement_id: int, activity_id: int, payload: ActivityPatch) -> Any:
    activity, _m = activity_for(request.user, engagement_id, activity_id, role=Role.EDITOR)
    services.activity_update(
        activity=activity, actor=request.user, expected_version=payload.version, name=payload.name, order=payload.order
    )
    return _activity_payload(activity)


@router.delete(
    BASE + "/activities/{activity_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut},
    summary="Delete an activity with its letters",
)
def activity_delete(request: SignedInRequest, engagement_id: int, activity_id: int) -> Any:
    activity, _m = activity_for(request.user, engagement_id, activity_id, role=Role.EDITOR)
    services.activity_delete(activity=activity, actor=request.user)
    return Status(204, None)
