"""Reading the day rates the internal-effort lines are priced at: the engagement's people and the SMS roles the
plan's assignments use, each with the rate entered for it and, for a person, the rate that applies (their own,
else the highest of their roles', else the engagement's internal day rate). Three queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from certprep.budget import derive
from certprep.budget.models import BudgetSettings
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person, RoleAssignment
from certprep.planning.models import Assignment


@dataclass(frozen=True)
class PersonRate:
    person_id: int
    name: str
    department: str
    roles: list[str]  # the SMS roles' labels
    own: str  # the rate entered for the person; "" when none
    applies: Decimal
    source: str  # "person", "role" or "default": where the rate that applies comes from
    in_plan: bool  # assigned to a task of the plan (only those are priced)


@dataclass(frozen=True)
class RoleRate:
    role: str
    label: str
    own: str
    people: int  # people of the plan's assignments holding the role


def day_rate_rows(engagement: Engagement, budget: BudgetSettings) -> tuple[list[PersonRate], list[RoleRate]]:
    people = list(
        Person.objects.filter(engagement=engagement).order_by("name", "pk").values_list("pk", "name", "department")
    )
    roles: dict[int, list[str]] = defaultdict(list)
    for person_id, role in RoleAssignment.objects.filter(person__engagement=engagement).values_list("person", "role"):
        if role not in roles[person_id]:
            roles[person_id].append(role)
    planned = set(
        Assignment.objects.filter(task__plan__engagement=engagement).values_list("person_id", flat=True).distinct()
    )
    labels = dict(SmsRole.choices)
    person_rates, role_rates = budget.person_day_rates, budget.role_day_rates
    rows = []
    for pk, name, department in people:
        applies = derive.day_rate(
            pk, roles[pk], person_rates=person_rates, role_rates=role_rates, default=budget.internal_day_rate
        )
        if str(pk) in person_rates:
            source = "person"
        elif any(r in role_rates for r in roles[pk]):
            source = "role"
        else:
            source = "default"
        held = [str(labels.get(r, r)) for r in roles[pk]]
        rows.append(
            PersonRate(pk, name, department, held, person_rates.get(str(pk), ""), applies, source, pk in planned)
        )
    used: dict[str, int] = defaultdict(int)
    for person_id in planned:
        for role in roles[person_id]:
            used[role] += 1
    shown = [r for r in SmsRole if r.value in used or r.value in role_rates]
    role_rows = [RoleRate(r.value, str(r.label), role_rates.get(r.value, ""), used.get(r.value, 0)) for r in shown]
    return rows, role_rows
