"""Writes of the people of the organization and the roles they hold: add, change and remove a person, and
set who holds which role. Each write is one transaction and leaves an audit entry for every change. The list
import and export are in `workbook`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from certprep.catalogue.selectors import lens_process_codes, lens_processes
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import Pair, canonical_pairs, format_roles, pair_problem
from certprep.people.selectors import pairs_of
from certprep.people.uses import person_uses
from certprep.people.values import PERSON_FIELDS, clean_person_values


def roles_text(pairs: Iterable[Pair]) -> str:
    """The pairs as the audit trail and the spreadsheets write them (English, readable again)."""
    return format_roles(pairs, processes=lens_processes())


def roles_replace(*, person: Person, pairs: Sequence[Pair]) -> bool:
    """Make the person hold exactly `pairs` (already checked); True when something changed. No audit entry:
    the caller records the person's change with the roles in it."""
    stored = {(row.role, row.process_code): row.pk for row in person.role_assignments.all()}
    wanted = set(pairs)
    gone = [pk for pair, pk in stored.items() if pair not in wanted]
    new = [pair for pair in pairs if pair not in stored]
    if gone:
        RoleAssignment.objects.filter(pk__in=gone).delete()
    if new:
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(person=person, role=role, process_code=code) for role, code in new]
        )
    return bool(gone or new)


def person_snapshot(person: Person, pairs: Iterable[Pair]) -> dict[str, Any]:
    """The person as the audit trail records it: the fields and the roles as one readable text."""
    return {**snapshot(person, PERSON_FIELDS), "roles": roles_text(pairs)}


def _email_taken_message(email: str, other: Person) -> str:
    return _("The e-mail address %(email)s is already used by %(name)s in this engagement.") % {
        "email": email,
        "name": other.name,
    }


def _check_email_free(engagement: Engagement, email: str, *, exclude_pk: int | None = None) -> None:
    if not email:
        return
    others = Person.objects.filter(engagement=engagement, email__iexact=email)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.order_by("pk").first()
    if other is not None:
        raise ServiceError(_email_taken_message(email, other), field="email")


def _save_refused(email: str) -> ServiceError:
    return ServiceError(
        _("The e-mail address %(email)s was just given to someone else in this engagement; choose another.")
        % {"email": email},
        field="email",
    )


@transaction.atomic
def person_create(
    *,
    engagement: Engagement,
    actor: Actor,
    name: str,
    department: str = "",
    job_title: str = "",
    email: str = "",
    roles: Sequence[Pair] = (),
) -> Person:
    """Add a person with the roles they hold, each a (role, process code) pair ("" for an SMS-wide role)."""
    values = clean_person_values(
        {"name": name, "department": department, "job_title": job_title, "email": email, "roles": list(roles)},
        process_codes=lens_process_codes(),
    )
    pairs = values.pop("roles")
    _check_email_free(engagement, values["email"])
    person = Person(engagement=engagement, **values)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:
        raise _save_refused(values["email"]) from exc
    roles_replace(person=person, pairs=pairs)
    audit_record(engagement=engagement, actor=actor, action="create", obj=person, values=person_snapshot(person, pairs))
    return person


@transaction.atomic
def person_update(*, person: Person, actor: Actor, expected_version: int, data: Mapping[str, Any]) -> Person:
    """Change the fields given in `data` ("roles": the (role, process code) pairs the person holds from now
    on; values.person_changes makes `data` from what a page or the API sends); refused with a conflict when
    someone saved the person since `expected_version` was read."""
    stored = Person.objects.filter(pk=person.pk).first()
    if stored is None:
        raise ServiceError(_("This person was deleted in the meantime; nothing was saved."))
    held = pairs_of(stored)
    before = person_snapshot(stored, held)
    merged: dict[str, Any] = {name: data[name] if name in data else getattr(stored, name) for name in PERSON_FIELDS}
    merged["roles"] = data.get("roles", held)
    values = clean_person_values(merged, process_codes=lens_process_codes())
    pairs = values.pop("roles")
    _check_email_free(stored.engagement, values["email"], exclude_pk=stored.pk)
    for name, value in values.items():
        setattr(person, name, value)
    try:
        with transaction.atomic():
            save_versioned(person, expected_version=expected_version, fields=PERSON_FIELDS)
    except IntegrityError as exc:
        raise _save_refused(values["email"]) from exc
    roles_replace(person=person, pairs=pairs)
    changes = diff(before, person_snapshot(person, pairs))
    if changes:
        audit_record(engagement=stored.engagement, actor=actor, action="update", obj=person, changes=changes)
    return person


@transaction.atomic
def person_delete(*, person: Person, actor: Actor) -> None:
    """Remove a person, unless an app holding something of them refuses (people.uses)."""
    refusal = person_uses(person).refusal
    if refusal:
        raise ServiceError(refusal)
    engagement = person.engagement

    def record(stored: Person) -> None:
        audit_record(
            engagement=engagement,
            actor=actor,
            action="delete",
            obj=stored,
            values=person_snapshot(stored, pairs_of(stored)),
        )

    try:
        with transaction.atomic():
            delete_versioned(person, expected_version=None, conflict="", record=record)
    except ProtectedError as exc:
        raise ServiceError(
            _("%(name)s is still referred to elsewhere in the engagement and cannot be deleted.")
            % {"name": person.name}
        ) from exc


def _cell_label(pair: Pair, names: Mapping[str, str]) -> str:
    role, code = pair
    label = str(SmsRole(role).label)
    return _("%(role)s of %(process)s") % {"role": label, "process": names.get(code, code)} if code else label


@transaction.atomic
def role_holders_set(
    *,
    engagement: Engagement,
    actor: Actor,
    cells: Mapping[Pair, Iterable[int]],
    seen: Mapping[Pair, Iterable[int]] | None = None,
) -> int:
    """Set who holds each (role, process) of `cells` in one go (the holders page's single form): people not
    listed for a cell stop holding it. `seen` are the holders the editor saw; a cell someone else changed
    meanwhile is refused (ConflictError naming it) unless the editor left it as it was. Returns the number
    of people whose roles changed; each gets one audit entry."""
    codes = list(lens_process_codes())
    names = {process.code: process.label for process in lens_processes()}
    for pair in cells:
        problem = pair_problem(pair, codes)
        if problem:
            raise ServiceError(problem, field="holders")
    people = {person.pk: person for person in Person.objects.select_for_update().filter(engagement=engagement)}
    held: dict[int, set[Pair]] = {pk: set() for pk in people}
    current: dict[Pair, set[int]] = {}
    for row in RoleAssignment.objects.filter(person__engagement=engagement):
        held[row.person_id].add((row.role, row.process_code))
        current.setdefault((row.role, row.process_code), set()).add(row.person_id)
    wanted_cells: dict[Pair, set[int]] = {}
    for pair, ids in cells.items():
        wanted = {int(pk) for pk in ids}
        unknown = wanted - set(people)
        if unknown:
            raise ServiceError(
                _("%(cell)s: choose people of this engagement.") % {"cell": _cell_label(pair, names)}, field="holders"
            )
        before = current.get(pair, set())
        if seen is not None and pair in seen and {int(pk) for pk in seen[pair]} != before and wanted != before:
            raise ConflictError(
                _(
                    "Someone else changed the holders of %(cell)s meanwhile; nothing was saved. The page shows "
                    "the saved holders now."
                )
                % {"cell": _cell_label(pair, names)}
            )
        wanted_cells[pair] = wanted
    after = {pk: set(pairs) for pk, pairs in held.items()}
    for pair, wanted in wanted_cells.items():
        for pk in people:
            if pk in wanted:
                after[pk].add(pair)
            else:
                after[pk].discard(pair)
    changed = 0
    for pk, pairs in after.items():
        if pairs == held[pk]:
            continue
        person = people[pk]
        ordered = canonical_pairs(pairs, codes)
        roles_replace(person=person, pairs=ordered)
        audit_record(
            engagement=engagement,
            actor=actor,
            action="update",
            obj=person,
            changes={"roles": [roles_text(held[pk]), roles_text(ordered)]},
        )
        changed += 1
    return changed


def holders_carried_over(*, role: str, people: Iterable[Person]) -> int:
    """People an older workbook or file lists as holders of a matrix column linked to an SMS role hold that
    role from now on: an SMS-wide role as it is; a process role without a process (flagged until it is
    chosen) unless they hold it for some process already. Returns how many assignments were added."""
    people = list(people)
    held = set(RoleAssignment.objects.filter(person__in=people, role=role).values_list("person_id", "process_code"))
    new = []
    for person in dict.fromkeys(people):
        if any(pk == person.pk for pk, _code in held):
            continue
        new.append(RoleAssignment(person=person, role=role, process_code=""))
    RoleAssignment.objects.bulk_create(new)
    return len(new)
