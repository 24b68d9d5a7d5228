"""Reads of the people's roles, for the survey, the matrix and the gap analysis. Each runs one query,
whatever the number of people."""

from __future__ import annotations

from collections.abc import Iterable

from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES, SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.people.rules import Pair


def pairs_by_person(engagement: Engagement) -> dict[int, list[Pair]]:
    """Person id -> the (role, process code) pairs the person holds."""
    held: dict[int, list[Pair]] = {}
    rows = RoleAssignment.objects.filter(person__engagement=engagement).order_by("pk")
    for person_id, role, code in rows.values_list("person_id", "role", "process_code"):
        held.setdefault(person_id, []).append((role, code))
    return held


def pairs_of(person: Person) -> list[Pair]:
    return list(person.role_assignments.order_by("pk").values_list("role", "process_code"))


def holders_by_pair(engagement: Engagement) -> dict[Pair, list[Person]]:
    """(role, process code) -> the people holding it, by name."""
    holders: dict[Pair, list[Person]] = {}
    rows = (
        RoleAssignment.objects.filter(person__engagement=engagement)
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    for row in rows:
        holders.setdefault((row.role, row.process_code), []).append(row.person)
    return holders


def process_owners(engagement: Engagement) -> dict[str, list[Person]]:
    """Process code -> the people owning it (exactly one is what a process needs)."""
    owners: dict[str, list[Person]] = {}
    rows = (
        RoleAssignment.objects.filter(person__engagement=engagement, role=SmsRole.PROCESS_OWNER)
        .exclude(process_code="")
        .select_related("person")
        .order_by("person__name", "person_id")
    )
    for row in rows:
        owners.setdefault(row.process_code, []).append(row.person)
    return owners


def process_owner(engagement: Engagement, process_code: str) -> Person | None:
    """The owner of a process, when exactly one person owns it; None when nobody or several do."""
    owners = list(
        Person.objects.filter(
            engagement=engagement,
            role_assignments__role=SmsRole.PROCESS_OWNER,
            role_assignments__process_code=process_code,
        ).order_by("pk")[:2]
    )
    return owners[0] if len(owners) == 1 else None


def people_for_process(
    engagement: Engagement, process_code: str, *, roles: Iterable[str] = tuple(PROCESS_ROLES)
) -> list[Person]:
    """The people holding one of `roles` for the process, by name (e.g. who to invite to its interview)."""
    return list(
        Person.objects.filter(
            engagement=engagement, role_assignments__process_code=process_code, role_assignments__role__in=list(roles)
        )
        .distinct()
        .order_by("name", "pk")
    )
