"""The stored plan scheduled through the engine: dates, floats, critical tasks, the engagement's holidays and
problems named by task."""

from __future__ import annotations

import datetime

from certprep.planning.choices import ConstraintType, LinkType
from certprep.planning.models import Calendar, Dependency, Task
from certprep.planning.selectors.schedule import plan_schedule
from certprep.planning.services.generation import plan_generate

MONDAY = datetime.date(2025, 1, 6)


def _row(result, key):
    return next(row for row in result.rows if row.task.origin_key == key)


def test_a_generated_plan_is_scheduled_with_dates_floats_and_its_critical_path(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner, start_date=MONDAY)
    result = plan_schedule(plan)
    assert result.problems == []
    assert len(result.rows) == Task.objects.filter(plan=plan).count()
    kickoff = _row(result, "task:kickoff")
    assert (kickoff.scheduled.early_start.date(), kickoff.scheduled.early_start.hour) == (MONDAY, 8)
    assert kickoff.scheduled.wbs == "1.1"
    assert kickoff.total_float_days == 0
    assert "Stage 1 audit" in result.critical_names
    assert _row(result, "task:book-audits").total_float_days > 0
    assert _row(result, "task:stage1").scheduled.start >= _row(result, "task:trial-operation").scheduled.finish


def test_the_engagement_s_country_holidays_and_days_off_move_the_dates(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner, start_date=datetime.date(2025, 1, 20))
    plain = _row(plan_schedule(plan), "task:survey").scheduled.finish
    Calendar.objects.filter(engagement=engagement).update(country="CN")
    chinese = _row(plan_schedule(plan), "task:survey").scheduled.finish
    assert chinese > plain  # the Spring Festival falls inside the preliminary preparation
    Calendar.objects.filter(engagement=engagement).update(country="", days_off=["2025-01-20", "2025-01-21"])
    assert _row(plan_schedule(plan), "task:kickoff").scheduled.start.date() == datetime.date(2025, 1, 22)


def test_a_loop_and_a_constraint_conflict_are_reported_by_task_name(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner, start_date=MONDAY)
    kickoff = Task.objects.get(plan=plan, origin_key="task:kickoff")
    survey = Task.objects.get(plan=plan, origin_key="task:survey")
    Dependency.objects.create(plan=plan, predecessor=survey, successor=kickoff, type=LinkType.FS)
    Task.objects.filter(pk=Task.objects.get(plan=plan, origin_key="task:stage2").pk).update(
        constraint_type=ConstraintType.MSO, constraint_date=datetime.date(2025, 2, 3)
    )
    problems = plan_schedule(plan).problems
    assert any("loop" in text and kickoff.name in text and survey.name in text for text in problems)
    assert any(text.startswith("Stage 2 audit: its constraint date 2025-02-03") for text in problems)
