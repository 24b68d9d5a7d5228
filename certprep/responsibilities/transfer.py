"""The responsibility matrix's section of the whole-engagement export file.

Its settings, roles (with the people who hold them, as `#n` in the survey section's `people`), activities
and the letters of the filled cells. An activity is referred to by its process and key, a role by its key.
`matrix_check` refuses broken references before anything is written; `matrix_import` writes with bulk
inserts inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.core.text import SingleLineText
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person
from certprep.people.services import holders_carried_over
from certprep.responsibilities.choices import Letter, ProcessCode
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder

_KEY = r"^[-a-zA-Z0-9_]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SettingsPart(_Strict):
    rasci: bool = False
    max_roles_per_person: int = Field(4, ge=1, le=50)
    template_version: int | None = Field(None, ge=0)


class RolePart(_Strict):
    key: str = Field(min_length=1, max_length=80, pattern=_KEY)
    name: SingleLineText = Field(min_length=1, max_length=200)  # one line, as core.text.single_line
    order: int = Field(0, ge=0)
    translations: dict[str, Any] = Field(default_factory=dict)
    holders: list[int] = Field(default_factory=list, max_length=10_000)
    # The SMS role whose holders fill the column ("" for none). Files written before columns were linked lack
    # it (None): a column keyed like an SMS role (process-owner) is linked, and its holders hold that role.
    sms_role: Choice[SmsRole] | Literal[""] | None = None

    def linked_role(self) -> str:
        if self.sms_role is not None:
            return self.sms_role
        role = self.key.replace("-", "_")
        return role if role in SmsRole.values else ""


class ActivityPart(_Strict):
    process_code: ProcessCode
    key: str = Field(min_length=1, max_length=80, pattern=_KEY)
    name: SingleLineText = Field(min_length=1, max_length=300)
    order: int = Field(0, ge=0)
    translations: dict[str, Any] = Field(default_factory=dict)


class AssignmentPart(_Strict):
    process_code: ProcessCode
    activity: str = Field(min_length=1, max_length=80)
    role: str = Field(min_length=1, max_length=80)
    letter: Choice[Letter]


class MatrixPart(_Strict):
    settings: SettingsPart | None = None
    roles: list[RolePart] = Field(default_factory=list, max_length=1_000)
    activities: list[ActivityPart] = Field(default_factory=list, max_length=100_000)
    assignments: list[AssignmentPart] = Field(default_factory=list, max_length=1_000_000)


def matrix_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    """The matrix as JSON-ready data; `people` lists the person ids in the order of the survey section."""
    person_ref = {pk: index for index, pk in enumerate(people)}
    matrix = Matrix.objects.filter(engagement=engagement).first()
    roles = list(MatrixRole.objects.filter(engagement=engagement).order_by("order", "id"))
    holders: dict[int, list[int]] = {}
    for role_id, person_id in RoleHolder.objects.filter(role__engagement=engagement).values_list(
        "role_id", "person_id"
    ):
        holders.setdefault(role_id, []).append(person_ref[person_id])
    activities = list(Activity.objects.filter(engagement=engagement).order_by("process_code", "order", "id"))
    assignments = (
        Assignment.objects.filter(activity__engagement=engagement)
        .order_by("activity__process_code", "activity__order", "activity_id", "role__order", "role_id")
        .values_list("activity__process_code", "activity__key", "role__key", "letter")
    )
    part = MatrixPart(
        settings=(
            SettingsPart(
                rasci=matrix.rasci,
                max_roles_per_person=matrix.max_roles_per_person,
                template_version=matrix.template_version,
            )
            if matrix is not None
            else None
        ),
        roles=[
            RolePart(
                key=r.key,
                name=r.name,
                order=r.order,
                translations=r.translations or {},
                holders=[] if r.sms_role else sorted(holders.get(r.pk, [])),
                sms_role=SmsRole(r.sms_role) if r.sms_role else "",
            )
            for r in roles
        ],
        activities=[
            ActivityPart(
                process_code=a.process_code,
                key=a.key,
                name=a.name,
                order=a.order,
                translations=a.translations or {},
            )
            for a in activities
        ],
        assignments=[
            AssignmentPart(process_code=process, activity=activity, role=role, letter=Letter(letter))
            for process, activity, role, letter in assignments
        ],
    )
    return part.model_dump(mode="json")


def _refuse(field: str, message: str) -> ServiceError:
    return ServiceError(
        _("The file is not consistent: %(field)s: %(msg)s") % {"field": field, "msg": message}, field=field
    )


def matrix_check(part: MatrixPart, *, people: int) -> None:
    """Every reference of the matrix section resolves and nothing unique appears twice; `people` is the
    number of people in the file's survey section."""
    roles: set[str] = set()
    linked: set[str] = set()
    for index, role in enumerate(part.roles):
        if role.key in roles:
            raise _refuse(f"matrix.roles.{index}.key", _("%(what)s appears twice") % {"what": role.key})
        roles.add(role.key)
        if role.sms_role:
            if role.sms_role in linked:
                raise _refuse(f"matrix.roles.{index}.sms_role", _("%(what)s appears twice") % {"what": role.sms_role})
            linked.add(role.sms_role)
        for h_index, ref in enumerate(role.holders):
            if not 0 <= ref < people:
                raise _refuse(f"matrix.roles.{index}.holders.{h_index}", _("no person #%(n)s in the file") % {"n": ref})
        if len(set(role.holders)) != len(role.holders):
            raise _refuse(f"matrix.roles.{index}.holders", _("a person appears twice"))
    activities: set[tuple[str, str]] = set()
    for index, activity in enumerate(part.activities):
        pair = (activity.process_code, activity.key)
        if pair in activities:
            raise _refuse(f"matrix.activities.{index}.key", _("%(what)s appears twice") % {"what": activity.key})
        activities.add(pair)
    cells: set[tuple[str, str, str]] = set()
    for index, cell in enumerate(part.assignments):
        field = f"matrix.assignments.{index}"
        if (cell.process_code, cell.activity) not in activities:
            raise _refuse(
                f"{field}.activity",
                _("no activity %(key)s of process %(process)s in the file")
                % {"key": cell.activity, "process": cell.process_code},
            )
        if cell.role not in roles:
            raise _refuse(f"{field}.role", _("no role %(key)s in the file") % {"key": cell.role})
        key = (cell.process_code, cell.activity, cell.role)
        if key in cells:
            raise _refuse(field, _("a cell appears twice"))
        cells.add(key)


def matrix_import(*, engagement: Engagement, part: MatrixPart, people: Sequence[Person]) -> None:
    """Write a checked matrix section into the (new) engagement; `people` in the survey section's order."""
    if part.settings is not None:
        Matrix.objects.create(engagement=engagement, **part.settings.model_dump())
    linked: dict[int, str] = {}
    for index, r in enumerate(part.roles):
        role = r.linked_role()
        if role and role not in linked.values():
            linked[index] = role
    roles = MatrixRole.objects.bulk_create(
        [
            MatrixRole(
                engagement=engagement, sms_role=linked.get(index, ""), **r.model_dump(exclude={"holders", "sms_role"})
            )
            for index, r in enumerate(part.roles)
        ],
        batch_size=1000,
    )
    RoleHolder.objects.bulk_create(
        [
            RoleHolder(role=role, person=people[ref])
            for index, (role, r) in enumerate(zip(roles, part.roles, strict=True))
            if index not in linked
            for ref in r.holders
        ],
        batch_size=1000,
    )
    for index, role_value in linked.items():  # holders listed by an older file hold the SMS role now
        if part.roles[index].holders:
            holders_carried_over(role=role_value, people=[people[ref] for ref in part.roles[index].holders])
    activities = Activity.objects.bulk_create(
        [Activity(engagement=engagement, **a.model_dump()) for a in part.activities], batch_size=1000
    )
    role_by_key = {r.key: r for r in roles}
    activity_by_key = {(a.process_code, a.key): a for a in activities}
    Assignment.objects.bulk_create(
        [
            Assignment(
                activity=activity_by_key[(c.process_code, c.activity)], role=role_by_key[c.role], letter=c.letter
            )
            for c in part.assignments
        ],
        batch_size=1000,
    )
