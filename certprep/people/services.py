"""Writes of the roles people hold. The people themselves (names, e-mails, the list import) are written by
the survey's people services, which call `roles_replace` for the roles of each person."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.catalogue.selectors import lens_process_codes, lens_processes
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import Pair, canonical_pairs, format_roles, pair_problem


def clean_pairs(pairs: Iterable[Any], *, codes: Sequence[str] | None = None, field: str = "roles") -> list[Pair]:
    """Check (role, process code) pairs; ServiceError naming the first wrong one. Returns them without
    repeats, in reading order."""
    codes = list(codes if codes is not None else lens_process_codes())
    if isinstance(pairs, (str, bytes)):
        raise ServiceError(_("The roles must be a list of role and process pairs."), field=field)
    checked: list[Pair] = []
    for pair in pairs:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ServiceError(_("The roles must be a list of role and process pairs."), field=field)
        role, code = str(pair[0] or ""), str(pair[1] or "")
        problem = pair_problem((role, code), codes)
        if problem:
            raise ServiceError(problem, field=field)
        checked.append((role, code))
    return canonical_pairs(checked, codes)


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


def _cell_label(pair: Pair, names: Mapping[str, str]) -> str:
    role, code = pair
    label = str(SmsRole(role).label)
    return _("%(role)s of %(process)s") % {"role": label, "process": names.get(code, code)} if code else label


@transaction.atomic
def role_holders_set(
    *,
    engagement: Engagement,
    actor: Any,
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
