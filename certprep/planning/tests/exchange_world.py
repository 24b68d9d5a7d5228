"""A plan that uses every element the MS Project exchange carries: a summary task with tasks under it, each link
type with day and per-cent lags (one negative), a milestone, a constraint, progress, notes with markup and
Chinese, people with shares and effort, two baselines, and a Chinese calendar with its own day off and extra
working day."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from certprep.people.models import Person
from certprep.planning.models import Assignment, Baseline, Calendar, Dependency, Plan, Task

START = datetime.date(2026, 1, 5)
NOTES = 'Check <scope> & "owners" — 范围说明\nsecond line'


def exchange_world(engagement: Any) -> dict[str, Any]:
    plan = Plan.objects.create(engagement=engagement, start_date=START)
    Calendar.objects.create(
        engagement=engagement,
        country="CN",
        days_off=["2026-01-14"],
        extra_working_days=["2026-01-17"],
    )
    stage = Task.objects.create(plan=plan, name="Stage A", order=10, outline_level=1)
    design = Task.objects.create(
        plan=plan, parent=stage, name="Design", order=20, outline_level=2, duration_days=5, effort_hours=60
    )
    review = Task.objects.create(
        plan=plan,
        parent=stage,
        name="Review <draft>",
        order=30,
        outline_level=2,
        duration_days=4,
        notes=NOTES,
        percent_complete=50,
        actual_start=START,
    )
    ready = Task.objects.create(plan=plan, parent=stage, name="Ready", order=40, outline_level=2, milestone=True)
    trial = Task.objects.create(
        plan=plan,
        name="试运行 Trial",
        order=50,
        duration_days=10,
        constraint_type="SNET",
        constraint_date=datetime.date(2026, 2, 2),
    )
    wrap = Task.objects.create(plan=plan, name="Wrap up", order=60, duration_days=2)
    Dependency.objects.create(plan=plan, predecessor=design, successor=review, type="SS", lag=Decimal(50), lag_unit="%")
    Dependency.objects.create(plan=plan, predecessor=review, successor=ready, type="FS", lag=Decimal(-1))
    Dependency.objects.create(plan=plan, predecessor=ready, successor=trial, type="FS", lag=Decimal("1.5"))
    Dependency.objects.create(plan=plan, predecessor=trial, successor=wrap, type="FF", lag=Decimal(2))
    Dependency.objects.create(plan=plan, predecessor=design, successor=wrap, type="SF")
    alice = Person.objects.create(engagement=engagement, name="Alice Chen")
    bob = Person.objects.create(engagement=engagement, name="Bob <Li>")
    Assignment.objects.create(task=design, person=alice, share=50)
    Assignment.objects.create(task=design, person=bob, share=100)
    Assignment.objects.create(task=trial, person=bob, share=25)
    for number in (0, 3):
        Baseline.objects.create(
            plan=plan,
            number=number,
            saved_at=timezone.now(),
            tasks=[
                {
                    "task": design.pk,
                    "wbs": "1.1",
                    "name": "Design",
                    "start": "2026-01-05",
                    "finish": f"2026-01-{9 + number:02d}",
                    "duration_days": 5 + number,
                    "effort_hours": 60,
                    "milestone": False,
                },
                {
                    "task": ready.pk,
                    "wbs": "1.3",
                    "name": "Ready",
                    "start": "2026-01-12",
                    "finish": "2026-01-12",
                    "duration_days": 0,
                    "effort_hours": None,
                    "milestone": True,
                },
            ],
        )
    return {
        "plan": plan,
        "stage": stage,
        "design": design,
        "review": review,
        "ready": ready,
        "trial": trial,
        "wrap": wrap,
        "alice": alice,
        "bob": bob,
    }
