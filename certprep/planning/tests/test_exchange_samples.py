"""Files written by others import into an editable plan: a file written by MPXJ's own MSPDI writer (a project
built in MPXJ here), and hand-built samples in the shape MS Project 2010 and ProjectLibre save. What certprep
cannot represent is listed, never dropped silently. The .mpp path (MPXJ reading the file, then the MSPDI import)
is taken with an MSPDI file, since MPXJ reads both and cannot write .mpp; without Java it says how to get it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

import jpype
import pytest

from certprep.core.errors import ServiceError
from certprep.people.models import Person
from certprep.planning.exchange import mpp
from certprep.planning.models import Assignment, Baseline, Calendar, Dependency, Plan, PlanImport, Task
from certprep.planning.services.plan_import import plan_import_file, plan_import_preview
from certprep.planning.tests.mpxj_files import org_mpxj, write_mspdi

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).with_name("fixtures")
java_time = jpype.JPackage("java.time")


def _links(plan):
    return {
        (d.predecessor.name, d.successor.name, d.type, d.lag, d.lag_unit)
        for d in Dependency.objects.filter(plan=plan).select_related("predecessor", "successor")
    }


def _mpxj_project() -> bytes:
    """A project built in MPXJ and written by MPXJ's MSPDIWriter."""
    Duration, TimeUnit, Relation, RelationType = (
        org_mpxj.Duration,
        org_mpxj.TimeUnit,
        org_mpxj.Relation,
        org_mpxj.RelationType,
    )
    project = org_mpxj.ProjectFile()
    calendar = project.addDefaultBaseCalendar()
    project.setDefaultCalendar(calendar)
    calendar.addCalendarException(java_time.LocalDate.of(2026, 5, 1), java_time.LocalDate.of(2026, 5, 1)).setName(
        "Labour Day"
    )
    project.getProjectProperties().setStartDate(java_time.LocalDateTime.of(2026, 4, 27, 8, 0))
    stage = project.addTask()
    stage.setName("Establishment")
    policy = stage.addTask()
    policy.setName("Write the policy")
    policy.setDuration(Duration.getInstance(3, TimeUnit.DAYS))
    policy.setNotes("Draft & review")
    policy.setBaselineStart(java_time.LocalDateTime.of(2026, 4, 27, 8, 0))
    policy.setBaselineFinish(java_time.LocalDateTime.of(2026, 4, 29, 17, 0))
    policy.setBaselineDuration(Duration.getInstance(3, TimeUnit.DAYS))
    training = stage.addTask()
    training.setName("Train the service desk")
    training.setDuration(Duration.getInstance(2, TimeUnit.DAYS))
    training.addPredecessor(
        Relation.Builder()
        .predecessorTask(policy)
        .type(RelationType.FINISH_START)
        .lag(Duration.getInstance(1, TimeUnit.DAYS))
    )
    done = project.addTask()
    done.setName("Ready for stage 1")
    done.setDuration(Duration.getInstance(0, TimeUnit.DAYS))
    done.setMilestone(True)
    done.addPredecessor(
        Relation.Builder()
        .predecessorTask(training)
        .type(RelationType.START_START)
        .lag(Duration.getInstance(50.0, TimeUnit.PERCENT))
    )
    person = project.addResource()
    person.setName("Mei Lin")
    assignment = training.addResourceAssignment(person)
    assignment.setUnits(jpype.JClass("java.lang.Double")(60.0))
    return write_mspdi(project)


def test_a_file_written_by_mpxj_imports_with_its_outline_links_people_and_baseline(engagement, owner):
    Person.objects.create(engagement=engagement, name="Mei Lin")
    record = plan_import_file(
        engagement=engagement, actor=owner, data=_mpxj_project(), file_name="mpxj.xml", expected_version=None
    )
    plan = Plan.objects.get(engagement=engagement)
    tasks = {task.name: task for task in Task.objects.filter(plan=plan)}
    assert list(tasks) == ["Establishment", "Write the policy", "Train the service desk", "Ready for stage 1"]
    assert tasks["Write the policy"].parent == tasks["Establishment"]
    assert tasks["Ready for stage 1"].parent is None
    assert tasks["Ready for stage 1"].milestone
    assert tasks["Write the policy"].duration_days == 3
    assert tasks["Write the policy"].notes == "Draft & review"
    assert _links(plan) == {
        ("Write the policy", "Train the service desk", "FS", Decimal("1.00"), "d"),
        ("Train the service desk", "Ready for stage 1", "SS", Decimal("50.00"), "%"),
    }
    assert [(a.task.name, a.person.name, a.share) for a in Assignment.objects.filter(task__plan=plan)] == [
        ("Train the service desk", "Mei Lin", 60)
    ]
    assert Calendar.objects.get(engagement=engagement).days_off == ["2026-05-01"]
    baseline = Baseline.objects.get(plan=plan, number=0)
    assert [(e["name"], e["start"], e["finish"]) for e in baseline.tasks] == [
        ("Write the policy", "2026-04-27", "2026-04-29")
    ]
    assert record.unrepresented == []


def test_an_ms_project_2010_file_imports_and_lists_what_cannot_be_represented(engagement, owner):
    Person.objects.create(engagement=engagement, name="Wei Zhang")
    data = (FIXTURES / "msproject2010_sample.xml").read_bytes()
    preview = plan_import_preview(engagement=engagement, data=data, file_name="Rollout.xml")
    assert preview.tasks == 5  # the project summary and the blank row are not tasks
    assert preview.matched_people == ["Wei Zhang"]
    assert preview.unmatched_resources == ["Consultant pool"]
    record = plan_import_file(
        engagement=engagement, actor=owner, data=data, file_name="Rollout.xml", expected_version=None
    )
    plan = Plan.objects.get(engagement=engagement)
    assert plan.start_date == datetime.date(2026, 3, 2)
    tasks = {task.name: task for task in Task.objects.filter(plan=plan)}
    assert list(tasks) == ["Preparation", "Kick-off", "Process design", "Tool set-up", "Go-live"]
    design = tasks["Process design"]
    assert (design.duration_days, design.effort_hours, design.constraint_type) == (8, 120, "SNET")
    assert design.constraint_date == datetime.date(2026, 3, 4)
    assert design.notes == "Workshops with the process owners."
    kick_off = tasks["Kick-off"]
    assert kick_off.milestone
    assert (kick_off.percent_complete, kick_off.actual_start) == (100, datetime.date(2026, 3, 2))
    assert tasks["Tool set-up"].duration_days == 6  # 48 elapsed hours, taken as 6 working days and listed
    assert _links(plan) == {
        ("Kick-off", "Process design", "FS", Decimal("0.50"), "d"),
        ("Process design", "Tool set-up", "SS", Decimal("25.00"), "%"),
        ("Preparation", "Go-live", "FF", Decimal("-1.00"), "d"),
    }
    assert [(a.person.name, a.share) for a in Assignment.objects.filter(task__plan=plan)] == [("Wei Zhang", 50)]
    calendar = Calendar.objects.get(engagement=engagement)
    assert calendar.days_off == ["2026-04-03", "2026-04-06"]  # Easter, a run of days (the weekend is off anyway)
    assert calendar.extra_working_days == ["2026-03-21"]
    assert record.unrepresented == [
        "Custom fields: Cost centre.",
        "Other calendars (Night shift): the plan uses one working calendar, Standard.",
        "The recurring calendar exception New Year: only exceptions on a run of days are imported.",
        "Process design: manually scheduled; imported as scheduled automatically.",
        "Process design: a deadline.",
        "Process design: values of custom fields.",
        "Tool set-up: a calendar of its own; the plan's calendar applies.",
        "Tool set-up: an elapsed duration, imported as working days.",
        "Tool set-up: a link to a task of another project (Infrastructure\\77).",
        "Go-live: costs.",
        "Go-live: the duration of 2.50 days is rounded to 3 (the plan counts whole working days).",
        "Wei Zhang: resource rates and costs.",
        "Licences: a material or cost resource.",
        "Consultant pool works 200% on a task; a share is between 1% and 100%, so it is 100%.",
        "Consultant pool: no person of the engagement has this name, so their assignments were not imported.",
    ]


def test_a_projectlibre_file_imports(engagement, owner):
    data = (FIXTURES / "projectlibre_sample.xml").read_bytes()
    record = plan_import_file(
        engagement=engagement, actor=owner, data=data, file_name="audit.xml", expected_version=None
    )
    plan = Plan.objects.get(engagement=engagement)
    tasks = {task.name: task for task in Task.objects.filter(plan=plan)}
    assert {name: task.duration_days for name, task in tasks.items()} == {"Internal audit": 5, "Management review": 2}
    assert tasks["Internal audit"].notes == "Line one\nLine two"
    assert _links(plan) == {("Internal audit", "Management review", "SF", Decimal("0.00"), "d")}
    assert record.unrepresented == [
        "Management review: the duration of 1.50 days is rounded to 2 (the plan counts whole working days).",
        "Management review: a repeated or self link was left out.",
    ]


def test_the_mpp_path_reads_through_mpxj_then_imports(engagement, owner):
    data = (FIXTURES / "projectlibre_sample.xml").read_bytes()
    converted = mpp.mpp_to_mspdi(data)  # MPXJ reads it as it reads an .mpp, and writes MSPDI
    assert b"http://schemas.microsoft.com/project" in converted
    record = plan_import_file(
        engagement=engagement, actor=owner, data=data, file_name="audit.mpp", expected_version=None
    )
    assert record.format == "mpp"
    names = set(Task.objects.filter(plan__engagement=engagement).values_list("name", flat=True))
    assert names == {"Internal audit", "Management review"}


def test_without_java_an_mpp_file_gets_the_way_to_the_optional_reader(engagement, owner, monkeypatch):
    monkeypatch.setattr(mpp, "java_runtime", lambda: None)
    assert not mpp.mpp_available()
    with pytest.raises(ServiceError, match="run make mpp-support"):
        plan_import_preview(engagement=engagement, data=b"\xd0\xcf\x11\xe0", file_name="plan.mpp")
    assert not PlanImport.objects.exists()
    assert not Plan.objects.filter(engagement=engagement).exists()
