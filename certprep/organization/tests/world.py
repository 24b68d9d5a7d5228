"""An engagement's project organization for the tests: people in both bodies, a meeting series, a decision, a
budget with two lines and a small plan."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from certprep.budget.models import BudgetLine
from certprep.organization.models import Decision, MeetingSeries, ProjectMember
from certprep.people.models import Person
from certprep.planning.models import Plan, Task


def person(engagement: Any, name: str) -> Person:
    return Person.objects.get_or_create(engagement=engagement, name=name)[0]


def organization_world(engagement: Any, *, size: int = 1) -> dict[str, Any]:
    ceo = person(engagement, "Wang Wei")
    manager = person(engagement, "Li Na")
    sponsor = ProjectMember.objects.get_or_create(
        engagement=engagement, person=ceo, body="steering", defaults={"role": "sponsor", "time_share": 5}
    )[0]
    for n in range(size):
        someone = manager if n == 0 else person(engagement, f"Team member {n}")
        ProjectMember.objects.get_or_create(
            engagement=engagement,
            person=someone,
            body="team",
            defaults={"role": "project_manager" if n == 0 else "process_owner", "time_share": 50},
        )
    series = MeetingSeries.objects.get_or_create(
        engagement=engagement,
        title="Steering committee meeting",
        defaults={
            "body": "steering",
            "cadence": "fortnightly",
            "weekday": 2,
            "start_time": datetime.time(9, 30),
            "duration_minutes": 90,
            "from_date": datetime.date(2027, 1, 6),
            "until_date": datetime.date(2027, 3, 3),
            "location": "Board room",
        },
    )[0]
    decisions = [
        Decision.objects.get_or_create(
            engagement=engagement, title=f"Decision {n}", defaults={"decided_on": datetime.date(2027, 1, 6)}
        )[0]
        for n in range(size)
    ]
    for decision in decisions:
        decision.decided_by.add(ceo)
    return {"sponsor": sponsor, "series": series, "decision": decisions[0], "ceo": ceo, "manager": manager}


def budget_lines(engagement: Any) -> list[BudgetLine]:
    return [
        BudgetLine.objects.get_or_create(
            engagement=engagement,
            description="Gap review by the consultancy",
            defaults={
                "category": "consulting",
                "quantity": Decimal(2),
                "unit_price": Decimal("1000.50"),
                "currency": "CNY",
            },
        )[0],
        BudgetLine.objects.get_or_create(
            engagement=engagement,
            description="Stage 2 audit",
            defaults={"category": "certification", "unit_price": Decimal(30000), "currency": "CNY"},
        )[0],
    ]


def small_plan(engagement: Any) -> Plan:
    plan = Plan.objects.get_or_create(engagement=engagement, defaults={"start_date": datetime.date(2027, 1, 4)})[0]
    Task.objects.get_or_create(plan=plan, name="Write the SMS policy", defaults={"duration_days": 5, "order": 1})
    Task.objects.get_or_create(
        plan=plan, name="Policy approved", defaults={"milestone": True, "order": 2, "duration_days": 0}
    )
    return plan


def walk_world(engagement: Any) -> dict[str, Any]:
    """One of each organization object, for the isolation walk (tests/test_isolation.py)."""
    from django.utils import timezone

    from certprep.organization.models import Approval

    world = organization_world(engagement)
    world["approval"] = Approval.objects.get_or_create(
        engagement=engagement,
        document="budget",
        number=1,
        defaults={
            "approved_by_name": "olivia",
            "approver_title": "CEO",
            "approved_at": timezone.now(),
            "digest": "0" * 64,
        },
    )[0]
    return world
