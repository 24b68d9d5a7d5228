"""certprep's MS Project XML export read back by MPXJ (an independent reader of MS Project's files): the same
tasks with their outline, durations, milestones, constraints, progress and notes, the dependencies with their
type and lag, the calendar with its working weekdays and exceptions, the people and their assignments with the
share of their time, and the baselines."""

from __future__ import annotations

import pytest

from certprep.planning.exchange.mspdi_write import mspdi_bytes
from certprep.planning.selectors.exchange import plan_document
from certprep.planning.selectors.page import plan_page
from certprep.planning.tests.exchange_world import NOTES, exchange_world
from certprep.planning.tests.mpxj_files import DayOfWeek, read_project, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement):
    return exchange_world(engagement)


@pytest.fixture
def project(world):
    return read_project(mspdi_bytes(plan_document(world["plan"])))


def _tasks(project):
    return {str(task.getName()): task for task in project.getTasks() if task.getName() is not None}


def test_mpxj_sees_the_same_tasks_outline_and_schedule(world, project):
    page = plan_page(world["plan"])
    tasks = _tasks(project)
    assert list(tasks) == [row.task.name for row in page.rows]
    for row in page.rows:
        task = tasks[row.task.name]
        assert int(task.getUniqueID()) == row.task.pk
        assert int(task.getID()) == row.number
        assert str(task.getWBS()) == row.wbs
        assert int(task.getOutlineLevel()) == row.wbs.count(".") + 1
        assert bool(task.getSummary()) == row.summary
        assert text(task.getStart()) == row.scheduled.start.isoformat(timespec="minutes")
        assert text(task.getFinish()) == row.scheduled.finish.isoformat(timespec="minutes")
    assert str(tasks["Design"].getParentTask().getName()) == "Stage A"
    assert tasks["试运行 Trial"].getParentTask() is None
    assert text(tasks["Design"].getDuration()) == "5.0d"
    assert bool(tasks["Ready"].getMilestone())
    assert text(tasks["Ready"].getDuration()) == "0.0d"


def test_mpxj_sees_constraints_progress_notes_and_effort(project):
    tasks = _tasks(project)
    trial = tasks["试运行 Trial"]
    assert str(trial.getConstraintType()) == "START_NO_EARLIER_THAN"
    assert text(trial.getConstraintDate()) == "2026-02-02T08:00"
    review = tasks["Review <draft>"]
    assert float(review.getPercentageComplete()) == 50
    assert text(review.getActualStart()) == "2026-01-05T08:00"
    assert str(review.getNotes()) == NOTES
    assert text(tasks["Design"].getWork()) == "7.5d"  # 60 hours of 8-hour days


def test_mpxj_sees_each_link_type_and_lag(project):
    tasks = _tasks(project)

    def links(name):
        return {
            (str(link.getPredecessorTask().getName()), str(link.getType()), text(link.getLag()))
            for link in tasks[name].getPredecessors()
        }

    assert links("Review <draft>") == {("Design", "SS", "50.0%")}
    assert links("Ready") == {("Review <draft>", "FS", "-1.0d")}
    assert links("试运行 Trial") == {("Ready", "FS", "1.5d")}
    assert links("Wrap up") == {("试运行 Trial", "FF", "2.0d"), ("Design", "SF", "0.0d")}


def test_mpxj_sees_the_calendar_with_holidays_make_up_days_and_own_days(project):
    calendar = project.getDefaultCalendar()
    assert [bool(calendar.isWorkingDay(day)) for day in DayOfWeek.values()] == [True] * 5 + [False] * 2
    exceptions = {text(item.getFromDate()): item for item in calendar.getCalendarExceptions()}
    new_year = exceptions["2026-01-01"]
    assert not new_year.getWorking()
    assert str(new_year.getName()) == "New Year's Day"
    assert not exceptions["2026-01-14"].getWorking()  # the engagement's own day off
    assert exceptions["2026-01-17"].getWorking()  # its extra working day, a Saturday
    assert text(exceptions["2026-01-17"].getFromDate()) == "2026-01-17"
    # China's make-up working days around the Spring Festival are working days in the file as well
    assert exceptions["2026-02-14"].getWorking()
    assert exceptions["2026-02-28"].getWorking()
    assert not exceptions["2026-02-17"].getWorking()  # the Spring Festival itself


def test_mpxj_sees_the_people_and_their_assignments(project):
    assert sorted(str(resource.getName()) for resource in project.getResources()) == ["Alice Chen", "Bob <Li>"]
    assignments = {
        (str(item.getTask().getName()), str(item.getResource().getName()), float(item.getUnits()))
        for item in project.getResourceAssignments()
    }
    assert assignments == {
        ("Design", "Alice Chen", 50.0),
        ("Design", "Bob <Li>", 100.0),
        ("试运行 Trial", "Bob <Li>", 25.0),
    }
    work = {
        str(item.getResource().getName()): text(item.getWork())
        for item in project.getResourceAssignments()
        if str(item.getTask().getName()) == "Design"
    }
    assert work == {"Alice Chen": "20.0h", "Bob <Li>": "40.0h"}


def test_mpxj_sees_the_baselines(project):
    design, ready = _tasks(project)["Design"], _tasks(project)["Ready"]
    assert text(design.getBaselineStart()) == "2026-01-05T08:00"
    assert text(design.getBaselineFinish()) == "2026-01-09T17:00"
    assert text(design.getBaselineDuration()) == "5.0d"
    assert text(design.getBaselineDuration(3)) == "8.0d"
    assert text(design.getBaselineFinish(3)) == "2026-01-12T17:00"
    assert text(design.getBaselineWork()) == "60.0h"
    assert text(ready.getBaselineDuration()) == "0.0d"
