"""Reads for the people of the organization: the filtered list and its counts, in a fixed number of queries
whatever the number of people."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from certprep.engagements.models import Engagement
from certprep.people.choices import PROCESS_ROLES, SmsRole
from certprep.people.models import Person, RoleAssignment

MAX_QUERY = 200


def _holding(**filters: Any) -> Exists:
    return Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), **filters))


def missing_processes_q() -> Q:
    """People holding a process role whose process is not chosen."""
    return Q(_holding(role__in=sorted(PROCESS_ROLES), process_code=""))


def people_of(
    engagement: Engagement, *, q: str = "", role: str = "", process: str = "", missing_processes: bool = False
) -> QuerySet[Person]:
    """The engagement's people by name, each with `role_assignments` prefetched; `q` looks in name,
    department and e-mail, `role` and `process` keep those holding that role (for that process, when both are
    given), `missing_processes` those holding a process role whose process is not chosen."""
    people = Person.objects.filter(engagement=engagement)
    q = q.strip()[:MAX_QUERY]
    if q:
        people = people.filter(Q(name__icontains=q) | Q(department__icontains=q) | Q(email__icontains=q))
    held: dict[str, str] = {}
    if role:
        held["role"] = role
    if process:
        held["process_code"] = process
    if held:
        people = people.filter(_holding(**held))
    if missing_processes:
        people = people.filter(missing_processes_q())
    return people.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("pk"))
    ).order_by("name", "pk")


def people_counts(engagement: Engagement) -> dict[str, Any]:
    """How many people the engagement has, per role, and how many need a process chosen (two queries)."""
    values = Person.objects.filter(engagement=engagement).aggregate(
        total=Count("pk"), missing_processes=Count("pk", filter=missing_processes_q())
    )
    per_role = dict(
        RoleAssignment.objects.filter(person__engagement=engagement)
        .values("role")
        .annotate(n=Count("person", distinct=True))
        .values_list("role", "n")
    )
    return {
        "total": values["total"],
        "missing_processes": values["missing_processes"],
        "by_role": [(role.value, role.label, per_role.get(role.value, 0)) for role in SmsRole],
    }


def person_links(person: Person) -> dict[str, int]:
    """What refers to the person, told before a deletion: campaigns, interviews and follow-up actions."""
    return {
        "campaigns": person.respondents.count(),
        "interviews": person.interviews.count(),
        "follow_ups": person.follow_ups.count(),
    }
