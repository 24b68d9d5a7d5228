"""Reads for the people of the organization: the filtered list and its counts, in a fixed number of queries
whatever the number of people."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from certprep.engagements.models import Engagement
from certprep.survey.choices import PROCESS_ROLES, SmsRole
from certprep.survey.models import Person

MAX_QUERY = 200


def _holds(field: str, value: str) -> Q:
    """People whose JSON list `field` holds `value` (works on SQLite and PostgreSQL alike: the quoted value
    is looked for in the list's JSON text, and no code or role is a quoted part of another)."""
    return Q(**{f"{field}__icontains": f'"{value}"'})


def missing_processes_q() -> Q:
    """People with a process role who work in no process."""
    holds_process_role = Q()
    for role in sorted(PROCESS_ROLES):
        holds_process_role |= _holds("sms_roles", str(role))
    return holds_process_role & Q(processes=[])


def people_of(
    engagement: Engagement, *, q: str = "", role: str = "", process: str = "", missing_processes: bool = False
) -> QuerySet[Person]:
    """The engagement's people by name; `q` looks in name, department and e-mail, `role` and `process`
    keep those holding it, `missing_processes` those with a process role but no process."""
    people = Person.objects.filter(engagement=engagement)
    q = q.strip()[:MAX_QUERY]
    if q:
        people = people.filter(Q(name__icontains=q) | Q(department__icontains=q) | Q(email__icontains=q))
    if role:
        people = people.filter(_holds("sms_roles", role))
    if process:
        people = people.filter(_holds("processes", process))
    if missing_processes:
        people = people.filter(missing_processes_q())
    return people.order_by("name", "pk")


def people_counts(engagement: Engagement) -> dict[str, Any]:
    """How many people the engagement has, per role, and how many need their processes chosen (one query)."""
    aggregates: dict[str, Any] = {
        "total": Count("pk"),
        "missing_processes": Count("pk", filter=missing_processes_q()),
    }
    for role in SmsRole:
        aggregates[f"role_{role.value}"] = Count("pk", filter=_holds("sms_roles", role.value))
    values = Person.objects.filter(engagement=engagement).aggregate(**aggregates)
    return {
        "total": values["total"],
        "missing_processes": values["missing_processes"],
        "by_role": [(role.value, role.label, values[f"role_{role.value}"]) for role in SmsRole],
    }


def person_links(person: Person) -> dict[str, int]:
    """What refers to the person, told before a deletion: campaigns, interviews and follow-up actions."""
    return {
        "campaigns": person.respondents.count(),
        "interviews": person.interviews.count(),
        "follow_ups": person.follow_ups.count(),
    }
