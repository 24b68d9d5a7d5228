"""Importing MS Project XML: certprep's own export comes back as the same plan; the preview says what would be
replaced and what cannot be represented; people are matched by name, never created; a stale version is refused;
nothing is kept when the file is refused."""

from __future__ import annotations

import pytest

from certprep.core.errors import ConflictError, ServiceError
from certprep.engagements.tests.factories import EngagementFactory
from certprep.people.models import Person
from certprep.planning.exchange.mspdi_write import mspdi_bytes
from certprep.planning.models import Assignment, Baseline, Calendar, Plan, PlanImport, Task
from certprep.planning.selectors.exchange import plan_document
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.plan_import import plan_import_file, plan_import_preview
from certprep.planning.tests.exchange_world import NOTES, exchange_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(engagement):
    world = exchange_world(engagement)
    return world, mspdi_bytes(plan_document(world["plan"]))


@pytest.fixture
def other(owner):
    engagement = EngagementFactory(owner=owner, name="Second client", organization_name="Second Ltd")
    Person.objects.create(engagement=engagement, name="alice  chen")  # matched: case and spaces aside
    Calendar.objects.create(engagement=engagement, country="CN")  # China's holidays come from the country
    return engagement


def _plan_as_seen(plan):
    """What a person sees of a plan: each row's outline, task, schedule, predecessors and people."""
    return [
        (
            row.wbs,
            row.task.name,
            row.task.milestone,
            row.duration_days,
            row.start,
            row.finish,
            row.predecessors,
            row.task.constraint_type,
            row.task.constraint_date,
            row.task.percent_complete,
            row.task.actual_start,
            row.task.notes,
            row.task.effort_hours,
            row.critical,
        )
        for row in plan_page(plan).rows
    ]


def test_an_export_imported_into_another_engagement_is_the_same_plan(exported, other, owner):
    world, data = exported
    preview = plan_import_preview(engagement=other, data=data, file_name="plan.xml")
    assert preview.plan_version is None
    assert preview.tasks == 6
    assert preview.dependencies == 5
    assert preview.matched_people == ["alice  chen"]
    assert preview.unmatched_resources == ["Bob <Li>"]
    assert preview.baselines == [0, 3]
    record = plan_import_file(engagement=other, actor=owner, data=data, file_name="plan.xml", expected_version=None)
    plan = Plan.objects.get(engagement=other)
    assert plan.start_date == world["plan"].start_date
    # the calendar: the same work week, own day off and extra working day (the country's days are its own)
    calendar = Calendar.objects.get(engagement=other)
    assert calendar.workweek == [0, 1, 2, 3, 4]
    assert calendar.days_off == ["2026-01-14"]
    assert calendar.extra_working_days == ["2026-01-17"]
    assert _plan_as_seen(plan) == _plan_as_seen(world["plan"])
    review = Task.objects.get(plan=plan, name="Review <draft>")
    assert review.notes == NOTES
    assert [(a.task.name, a.person.name, a.share) for a in Assignment.objects.filter(task__plan=plan)] == [
        ("Design", "alice  chen", 50)
    ]
    design = Task.objects.get(plan=plan, name="Design")
    baselines = {b.number: b.tasks for b in Baseline.objects.filter(plan=plan)}
    assert sorted(baselines) == [0, 3]
    assert {e["name"]: (e["start"], e["finish"], e["duration_days"]) for e in baselines[3]} == {
        "Design": ("2026-01-05", "2026-01-12", 8),
        "Ready": ("2026-01-12", "2026-01-12", 0),
    }
    assert baselines[0][0]["task"] == design.pk
    assert record.task_count == 6
    assert record.unrepresented == [
        "Bob <Li>: no person of the engagement has this name, so their assignments were not imported."
    ]


def test_importing_over_a_plan_replaces_its_tasks_after_checking_the_version(exported, engagement, owner):
    world, data = exported
    plan = world["plan"]
    Task.objects.create(plan=plan, name="Added after the export", order=999)
    preview = plan_import_preview(engagement=engagement, data=data, file_name="plan.xml")
    assert preview.replaced_tasks == 7
    assert preview.plan_version == plan.version
    with pytest.raises(ConflictError):
        plan_import_file(
            engagement=engagement, actor=owner, data=data, file_name="plan.xml", expected_version=plan.version + 1
        )
    assert Task.objects.filter(plan=plan, name="Added after the export").exists()
    assert not PlanImport.objects.exists()
    plan_import_file(engagement=engagement, actor=owner, data=data, file_name="plan.xml", expected_version=plan.version)
    assert not Task.objects.filter(plan=plan, name="Added after the export").exists()
    assert Task.objects.filter(plan=plan).count() == 6
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1
    assert Assignment.objects.filter(task__plan=plan).count() == 3  # both people are the engagement's


def test_without_a_country_the_files_holidays_become_the_engagements_own_days_off(exported, owner):
    _world, data = exported
    bare = EngagementFactory(owner=owner, name="No country", organization_name="Bare Ltd")
    plan_import_file(engagement=bare, actor=owner, data=data, file_name="plan.xml", expected_version=None)
    calendar = Calendar.objects.get(engagement=bare)
    assert {"2026-01-01", "2026-01-14", "2026-02-17"} <= set(calendar.days_off)
    assert {"2026-01-17", "2026-02-14", "2026-02-28"} <= set(calendar.extra_working_days)


def test_a_file_that_is_not_ms_project_xml_is_refused_by_its_name(engagement):
    with pytest.raises(ServiceError, match="Upload an MS Project XML file"):
        plan_import_preview(engagement=engagement, data=b"a,b", file_name="plan.csv")
