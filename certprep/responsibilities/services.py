"""Writes for the responsibility matrix: cells, roles and their holders, activities, settings and the copy of
the shipped template. Each is one transaction and leaves an audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.ordering import move_and_record
from certprep.core.text import single_line
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.responsibilities.choices import PROCESS_CODES, letters_in_use
from certprep.responsibilities.library import KEY_PATTERN, MatrixTemplate, TemplateError, shipped_template
from certprep.responsibilities.models import Activity, Assignment, Matrix, MatrixRole, RoleHolder

ROLE_NAME_MAX = 200
ACTIVITY_NAME_MAX = 300


def matrix_for(engagement: Engagement) -> Matrix:
    """The engagement's matrix settings row, created with the defaults on first use."""
    matrix, _created = Matrix.objects.get_or_create(engagement=engagement)
    return matrix


def _clean_name(name: str, *, limit: int, field: str = "name") -> str:
    name = single_line(name, field=field, label=_("The name"), limit=limit)
    if not name:
        raise ServiceError(_("Enter a name."), field=field)
    return name


def _clean_key(key: str, *, field: str = "key") -> str:
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        raise ServiceError(
            _('A key is up to 80 lower-case letters, digits, hyphens or underscores, e.g. "log-classify".'),
            field=field,
        )
    return key


def unique_key(name: str, taken: set[str], fallback: str) -> str:
    """A key made from a name (or the fallback when the name gives none), not among `taken`."""
    base = slugify(name)[:70].strip("-_") or fallback
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _check_process(process_code: str) -> str:
    if process_code not in PROCESS_CODES:
        raise ServiceError(
            _('"%(code)s" is not one of the 13 processes.') % {"code": process_code}, field="process_code"
        )
    return process_code


# Cells -------------------------------------------------------------------------------------------------


@transaction.atomic
def cell_set(*, activity: Activity, role: MatrixRole, letter: str, expected: str, actor: Actor) -> str:
    """Put `letter` ("" empties the cell) into the cell of activity x role, if the cell still holds `expected`,
    the letter the editor saw. Another letter means someone changed the cell meanwhile: ConflictError, with
    the stored letter as `current`."""
    if activity.engagement_id != role.engagement_id:
        raise ServiceError(_("The activity and the role belong to different engagements."))
    letter = (letter or "").strip().upper()
    expected = (expected or "").strip().upper()
    matrix = matrix_for(activity.engagement)
    allowed = letters_in_use(matrix.rasci)
    if letter and letter not in allowed:
        raise ServiceError(
            _('"%(letter)s" is not one of %(letters)s.') % {"letter": letter, "letters": join_names(allowed)},
            field="letter",
        )
    assignment = Assignment.objects.select_for_update().filter(activity=activity, role=role).first()
    current = assignment.letter if assignment else ""
    if current != expected:
        raise ConflictError(
            _(
                "Someone else changed this cell meanwhile: it now holds %(current)s, where you saw %(expected)s. "
                "Your change was not saved; the cell shows the saved letter now."
            )
            % {"current": current or _("no letter"), "expected": expected or _("no letter")},
            current=current,
        )
    if letter == current:
        return current
    if assignment is None:
        assignment = Assignment.objects.create(activity=activity, role=role, letter=letter)
        audit_record(
            engagement=activity.engagement, actor=actor, action="create", obj=assignment, values={"letter": letter}
        )
    elif not letter:
        audit_record(
            engagement=activity.engagement, actor=actor, action="delete", obj=assignment, values={"letter": current}
        )
        assignment.delete()
    else:
        assignment.letter = letter
        assignment.save(update_fields=["letter", "updated_at"])
        audit_record(
            engagement=activity.engagement,
            actor=actor,
            action="update",
            obj=assignment,
            changes={"letter": [current, letter]},
        )
    return letter


# Settings ----------------------------------------------------------------------------------------------


@transaction.atomic
def matrix_update(
    *,
    engagement: Engagement,
    actor: Actor,
    expected_version: int,
    rasci: bool | None = None,
    max_roles_per_person: int | None = None,
) -> Matrix:
    matrix = matrix_for(engagement)
    before = {"rasci": matrix.rasci, "max_roles_per_person": matrix.max_roles_per_person}
    fields = []
    if rasci is not None:
        if matrix.rasci and not rasci:
            in_use = Assignment.objects.filter(activity__engagement=engagement, letter="S").count()
            if in_use:
                raise ServiceError(
                    _(
                        "%(count)s cells hold S (Supportive). Change them to another letter or empty them "
                        "before turning RASCI off, so no assignment is lost."
                    )
                    % {"count": in_use},
                    field="rasci",
                )
        matrix.rasci = bool(rasci)
        fields.append("rasci")
    if max_roles_per_person is not None:
        if not isinstance(max_roles_per_person, int) or not 1 <= max_roles_per_person <= 50:
            raise ServiceError(_("The most roles per person must be between 1 and 50."), field="max_roles_per_person")
        matrix.max_roles_per_person = max_roles_per_person
        fields.append("max_roles_per_person")
    save_versioned(matrix, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], getattr(matrix, k)] for k in fields if before[k] != getattr(matrix, k)}
    if changes:
        audit_record(engagement=engagement, actor=actor, action="update", obj=matrix, changes=changes)
    return matrix


# Roles -------------------------------------------------------------------------------------------------


def _check_role_name(engagement: Engagement, name: str, *, exclude: int | None = None) -> None:
    clash = MatrixRole.objects.filter(engagement=engagement, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ServiceError(_('A role named "%(name)s" already exists.') % {"name": name}, field="name")


@transaction.atomic
def role_create(*, engagement: Engagement, actor: Actor, name: str, key: str = "") -> MatrixRole:
    name = _clean_name(name, limit=ROLE_NAME_MAX)
    _check_role_name(engagement, name)
    taken = set(MatrixRole.objects.filter(engagement=engagement).values_list("key", flat=True))
    if key:
        key = _clean_key(key)
        if key in taken:
            raise ServiceError(_('The key "%(key)s" is already used by another role.') % {"key": key}, field="key")
    else:
        key = unique_key(name, taken, "role")
    order = (MatrixRole.objects.filter(engagement=engagement).aggregate(m=Max("order"))["m"] or 0) + 1
    role = MatrixRole.objects.create(engagement=engagement, key=key, name=name, order=order)
    audit_record(engagement=engagement, actor=actor, action="create", obj=role, values={"key": key, "name": name})
    return role


@transaction.atomic
def role_update(
    *, role: MatrixRole, actor: Actor, expected_version: int, name: str | None = None, order: int | None = None
) -> MatrixRole:
    """Rename or reorder a role. A new name drops the shipped translations: they no longer match it."""
    return _rename_or_reorder(
        role,
        actor=actor,
        expected_version=expected_version,
        name=None if name is None else _clean_name(name, limit=ROLE_NAME_MAX),
        order=order,
        check_name=lambda new: _check_role_name(role.engagement, new, exclude=role.pk),
    )


@transaction.atomic
def role_move(*, role: MatrixRole, actor: Actor, direction: str) -> MatrixRole:
    roles = list(MatrixRole.objects.select_for_update().filter(engagement=role.engagement).order_by("order", "id"))
    move_and_record(roles, role, direction, engagement=role.engagement, actor=actor)
    return MatrixRole.objects.get(pk=role.pk)


@transaction.atomic
def role_delete(*, role: MatrixRole, actor: Actor, expected_version: int | None = None) -> None:
    """Remove a role with its letters and holders."""

    def record(stored: MatrixRole) -> None:
        audit_record(
            engagement=role.engagement,
            actor=actor,
            action="delete",
            obj=stored,
            values={
                "key": stored.key,
                "name": stored.name,
                "letters": stored.assignments.count(),
                "holders": [h.person.name for h in stored.holders.select_related("person")],
            },
        )

    delete_versioned(
        role,
        expected_version=expected_version,
        conflict=_("Someone else changed this role since you opened it; it was not deleted. Look at it again first."),
        record=record,
    )


def _refuse_linked(role: MatrixRole) -> None:
    if role.sms_role:
        raise ServiceError(
            _(
                "The role %(role)s is held through the people's roles: name its holders per process on the "
                "people's roles page, and the matrix shows them."
            )
            % {"role": role.tr.name},
            field="person",
        )


@transaction.atomic
def role_holder_add(*, role: MatrixRole, actor: Actor, person: Person) -> RoleHolder:
    """Add a holder to a column that is not an SMS role (the service desk); SMS-role columns take theirs
    from the people's roles."""
    _refuse_linked(role)
    if person.engagement_id != role.engagement_id:
        raise ServiceError(_("That person is not part of this engagement."), field="person")
    if RoleHolder.objects.filter(role=role, person=person).exists():
        raise ServiceError(
            _("%(person)s already holds the role %(role)s.") % {"person": person.name, "role": role.name},
            field="person",
        )
    holder = RoleHolder.objects.create(role=role, person=person)
    audit_record(
        engagement=role.engagement,
        actor=actor,
        action="create",
        obj=holder,
        values={"role": role.name, "person": person.name},
    )
    return holder


@transaction.atomic
def role_holder_remove(*, role: MatrixRole, actor: Actor, person: Person) -> None:
    _refuse_linked(role)
    holder = RoleHolder.objects.filter(role=role, person=person).first()
    if holder is None:
        raise ServiceError(
            _("%(person)s does not hold the role %(role)s.") % {"person": person.name, "role": role.name}
        )
    audit_record(
        engagement=role.engagement,
        actor=actor,
        action="delete",
        obj=holder,
        values={"role": role.name, "person": person.name},
    )
    holder.delete()


# Activities --------------------------------------------------------------------------------------------


def _check_activity_name(engagement: Engagement, process_code: str, name: str, *, exclude: int | None = None) -> None:
    clash = Activity.objects.filter(engagement=engagement, process_code=process_code, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ServiceError(_('This process already has an activity named "%(name)s".') % {"name": name}, field="name")


@transaction.atomic
def activity_create(*, engagement: Engagement, actor: Actor, process_code: str, name: str, key: str = "") -> Activity:
    process_code = _check_process(process_code)
    name = _clean_name(name, limit=ACTIVITY_NAME_MAX)
    _check_activity_name(engagement, process_code, name)
    siblings = Activity.objects.filter(engagement=engagement, process_code=process_code)
    taken = set(siblings.values_list("key", flat=True))
    if key:
        key = _clean_key(key)
        if key in taken:
            raise ServiceError(
                _('The key "%(key)s" is already used by another activity of this process.') % {"key": key}, field="key"
            )
    else:
        key = unique_key(name, taken, "activity")
    order = (siblings.aggregate(m=Max("order"))["m"] or 0) + 1
    activity = Activity.objects.create(
        engagement=engagement, process_code=process_code, key=key, name=name, order=order
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action="create",
        obj=activity,
        values={"process_code": process_code, "key": key, "name": name},
    )
    return activity


@transaction.atomic
def activity_update(
    *, activity: Activity, actor: Actor, expected_version: int, name: str | None = None, order: int | None = None
) -> Activity:
    """Rename or reorder an activity. A new name drops the shipped translations: they no longer match it."""
    return _rename_or_reorder(
        activity,
        actor=actor,
        expected_version=expected_version,
        name=None if name is None else _clean_name(name, limit=ACTIVITY_NAME_MAX),
        order=order,
        check_name=lambda new: _check_activity_name(
            activity.engagement, activity.process_code, new, exclude=activity.pk
        ),
    )


def _rename_or_reorder[R: (MatrixRole, Activity)](
    row: R,
    *,
    actor: Actor,
    expected_version: int,
    name: str | None,
    order: int | None,
    check_name: Callable[[str], None],
) -> R:
    """Save a role's or an activity's new name (checked by `check_name`; its translations dropped) and order,
    against the version read, and record what changed."""
    stored = type(row).objects.get(pk=row.pk)
    fields: list[str] = []
    changes: dict[str, list[Any]] = {}
    if name is not None and name != stored.name:
        check_name(name)
        row.name, row.translations = name, {}
        fields += ["name", "translations"]
        changes["name"] = [stored.name, name]
    if order is not None and order != stored.order:
        if order < 0:
            raise ServiceError(_("The order must be 0 or more."), field="order")
        row.order = order
        fields.append("order")
        changes["order"] = [stored.order, order]
    save_versioned(row, expected_version=expected_version, fields=fields)
    if changes:
        audit_record(engagement=row.engagement, actor=actor, action="update", obj=row, changes=changes)
    return row


@transaction.atomic
def activity_move(*, activity: Activity, actor: Actor, direction: str) -> Activity:
    siblings = list(
        Activity.objects.select_for_update()
        .filter(engagement=activity.engagement, process_code=activity.process_code)
        .order_by("order", "id")
    )
    move_and_record(siblings, activity, direction, engagement=activity.engagement, actor=actor)
    return Activity.objects.get(pk=activity.pk)


@transaction.atomic
def activity_delete(*, activity: Activity, actor: Actor, expected_version: int | None = None) -> None:
    """Remove an activity with its letters."""

    def record(stored: Activity) -> None:
        audit_record(
            engagement=activity.engagement,
            actor=actor,
            action="delete",
            obj=stored,
            values={
                "process_code": stored.process_code,
                "key": stored.key,
                "name": stored.name,
                "letters": {a.role.key: a.letter for a in stored.assignments.select_related("role")},
            },
        )

    delete_versioned(
        activity,
        expected_version=expected_version,
        conflict=_(
            "Someone else changed this activity since you opened it; it was not deleted. Look at it again first."
        ),
        record=record,
    )


# The shipped template ----------------------------------------------------------------------------------


def _template_roles(engagement: Engagement, template: MatrixTemplate) -> tuple[dict[str, MatrixRole], set[str]]:
    """Add the template's roles the engagement lacks (by key) after its own; returns every role by key and the
    keys added. An SMS role already linked to a column is not linked to a second one."""
    roles = {role.key: role for role in MatrixRole.objects.filter(engagement=engagement)}
    linked = {role.sms_role for role in roles.values() if role.sms_role}
    new_roles: list[MatrixRole] = []
    next_order = max((role.order for role in roles.values()), default=0)
    for role_template in template.roles:
        if role_template.key not in roles:
            next_order += 1
            new_roles.append(
                MatrixRole(
                    engagement=engagement,
                    key=role_template.key,
                    name=role_template.name[:ROLE_NAME_MAX],
                    translations=role_template.translations,
                    order=next_order,
                    sms_role=role_template.sms_role if role_template.sms_role not in linked else "",
                )
            )
    created = MatrixRole.objects.bulk_create(new_roles)
    for role in created:
        roles[role.key] = role
    if any(role.pk is None for role in created):  # backends that do not return ids
        roles = {role.key: role for role in MatrixRole.objects.filter(engagement=engagement)}
    return roles, {role.key for role in created}


def _template_activities(
    engagement: Engagement, template: MatrixTemplate
) -> tuple[dict[tuple[str, str], Activity], set[tuple[str, str]]]:
    """Add the template's activities the engagement lacks (by process and key) at the end of their process;
    returns every activity by (process, key) and those added."""
    existing = {(a.process_code, a.key): a for a in Activity.objects.filter(engagement=engagement)}
    orders: dict[str, int] = {}
    for activity in existing.values():
        orders[activity.process_code] = max(orders.get(activity.process_code, 0), activity.order)
    new_activities: list[Activity] = []
    for activity_template in template.activities:
        if (activity_template.process_code, activity_template.key) not in existing:
            orders[activity_template.process_code] = orders.get(activity_template.process_code, 0) + 1
            new_activities.append(
                Activity(
                    engagement=engagement,
                    process_code=activity_template.process_code,
                    key=activity_template.key,
                    name=activity_template.name[:ACTIVITY_NAME_MAX],
                    translations=activity_template.translations,
                    order=orders[activity_template.process_code],
                )
            )
    created = Activity.objects.bulk_create(new_activities)
    activities = dict(existing)
    for activity in created:
        activities[(activity.process_code, activity.key)] = activity
    if any(activity.pk is None for activity in created):
        activities = {(a.process_code, a.key): a for a in Activity.objects.filter(engagement=engagement)}
    return activities, {(a.process_code, a.key) for a in created}


@transaction.atomic
def matrix_from_template(
    *, engagement: Engagement, actor: Actor, template: MatrixTemplate | None = None
) -> dict[str, int]:
    """Copy the shipped template into the engagement: its roles, activities and default letters.

    Only what is missing is added, matched by key: calling it twice adds nothing the second time, and
    nothing the engagement already has (a renamed role, a changed letter) is overwritten. Letters are
    copied into empty cells of roles or activities this call created. Returns what was added."""
    if template is None:
        try:
            template = shipped_template()
        except TemplateError as exc:
            raise ServiceError(_("The shipped template cannot be used: %(error)s") % {"error": str(exc)}) from exc
    matrix = matrix_for(engagement)
    roles, new_role_keys = _template_roles(engagement, template)
    activities, new_activity_ids = _template_activities(engagement, template)
    filled = set(Assignment.objects.filter(activity__engagement=engagement).values_list("activity_id", "role_id"))
    new_cells: list[Assignment] = []
    for activity_template in template.activities:
        ident = (activity_template.process_code, activity_template.key)
        activity = activities[ident]
        for role_key, letter in activity_template.raci.items():
            role = roles[role_key]
            if ident not in new_activity_ids and role_key not in new_role_keys:
                continue
            if (activity.pk, role.pk) in filled:
                continue
            new_cells.append(Assignment(activity=activity, role=role, letter=letter))
    Assignment.objects.bulk_create(new_cells)

    added = {"roles": len(new_role_keys), "activities": len(new_activity_ids), "letters": len(new_cells)}
    turned_on_rasci = not matrix.rasci and any(cell.letter == "S" for cell in new_cells)
    if turned_on_rasci:
        Matrix.objects.filter(pk=matrix.pk).update(rasci=True, version=F("version") + 1)
    if any(added.values()):
        if matrix.template_version is None:
            Matrix.objects.filter(pk=matrix.pk).update(template_version=template.version)
        values: dict[str, Any] = {"template_version": template.version, **added}
        if turned_on_rasci:
            values["rasci"] = True
        audit_record(engagement=engagement, actor=actor, action="update", obj=matrix, values=values)
    return added
