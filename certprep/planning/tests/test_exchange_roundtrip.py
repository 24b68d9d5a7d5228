"""The MSPDI writer and reader agree (no database): durations written as MS Project writes them read back to the
same working days and hours, and any project document written and read again is the same document, with nothing
reported as not represented."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.planning.exchange.document import (
    CONSTRAINT_CODES,
    DocAssignment,
    DocBaseline,
    DocCalendar,
    DocLink,
    DocResource,
    DocTask,
    ProjectDocument,
)
from certprep.planning.exchange.durations import format_days, format_hours, parse_days, parse_hours
from certprep.planning.exchange.mspdi_read import read_mspdi
from certprep.planning.exchange.mspdi_write import mspdi_bytes

DAYS = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2035, 12, 31))
TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@given(st.integers(min_value=-10_000 * 60, max_value=10_000 * 60))
def test_a_duration_in_minutes_reads_back_the_same(minutes):
    hours = Decimal(minutes) / 60
    assert parse_hours(format_hours(hours)) == hours


@given(st.integers(min_value=0, max_value=5000))
def test_working_days_read_back_the_same(days):
    assert parse_days(format_days(days)) == days


@pytest.mark.parametrize("text", ["", "P", "PT", "3 days", "P1Y", "P2M", "PTxH", "PT1.2.3H", "PT99999999999H"])
def test_what_is_not_an_ms_project_duration_is_refused(text):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        parse_hours(text)


@st.composite
def documents(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    levels = [1]
    for _n in range(count - 1):
        levels.append(draw(st.integers(min_value=1, max_value=levels[-1] + 1)))
    tasks = []
    for n, level in enumerate(levels):
        uid = n + 1
        earlier = list(range(1, uid))  # links point backwards only: no loop
        chosen = draw(st.lists(st.sampled_from(earlier), unique=True, max_size=3)) if earlier else []
        links = tuple(
            DocLink(
                predecessor=p,
                type=draw(st.sampled_from(["FS", "SS", "FF", "SF"])),
                lag=draw(st.integers(min_value=-2000, max_value=2000).map(lambda x: Decimal(x) / 100)),
                unit="d",
            )
            if draw(st.booleans())
            else DocLink(predecessor=p, type="SS", lag=Decimal(draw(st.integers(0, 100))), unit="%")
            for p in chosen
        )
        constraint = draw(st.sampled_from(sorted(CONSTRAINT_CODES)))
        milestone = draw(st.booleans())
        start = draw(st.none() | DAYS)
        tasks.append(
            DocTask(
                uid=uid,
                name=draw(TEXT) or f"Task {uid}",
                outline_level=level,
                milestone=milestone,
                duration_days=0 if milestone else draw(st.integers(min_value=0, max_value=5000)),
                constraint_type=constraint,
                constraint_date=None if constraint in ("ASAP", "ALAP") else draw(DAYS),
                percent_complete=draw(st.integers(0, 100)),
                actual_start=start,
                actual_finish=start + datetime.timedelta(days=draw(st.integers(0, 30))) if start else None,
                notes=draw(TEXT),
                effort_hours=draw(st.none() | st.integers(0, 100_000)),
                links=links,
                baselines=tuple(
                    DocBaseline(number=number, start=day, finish=day, duration_days=draw(st.integers(0, 500)))
                    for number in draw(st.lists(st.integers(0, 10), unique=True, max_size=2))
                    for day in [draw(DAYS)]
                ),
            )
        )
    resources = tuple(DocResource(uid=n + 1, name=f"Person {n}") for n in range(draw(st.integers(0, 3))))
    assignments = tuple(
        DocAssignment(task=task.uid, resource=resource.uid, units=draw(st.integers(1, 100)))
        for task in tasks
        for resource in resources
        if draw(st.booleans())
    )
    off = draw(st.lists(DAYS, unique=True, max_size=5))
    working = [day for day in draw(st.lists(DAYS, unique=True, max_size=5)) if day not in off]
    return ProjectDocument(
        name=draw(TEXT),
        start=draw(DAYS),
        calendar=DocCalendar(
            workweek=frozenset(draw(st.sets(st.integers(0, 6), min_size=1))),
            days_off=tuple((day, "Off") for day in sorted(off)),
            working_days=tuple((day, "Worked") for day in sorted(working)),
        ),
        tasks=tuple(tasks),
        resources=resources,
        assignments=assignments,
    )


def _comparable(task: DocTask) -> DocTask:
    """What the file carries of a task: the WBS is written from the outline, start and finish from the schedule."""
    return DocTask(**{**task.__dict__, "wbs": "", "start": None, "finish": None})


@settings(max_examples=60, deadline=None)
@given(documents())
def test_a_document_written_and_read_again_is_the_same(document):
    read = read_mspdi(mspdi_bytes(document))
    assert read.unrepresented == []
    again = read.document
    assert (again.name, again.start) == (document.name, document.start)
    assert again.calendar == document.calendar
    assert [_comparable(task) for task in again.tasks] == [_comparable(task) for task in document.tasks]
    assert again.resources == document.resources
    assert {(a.task, a.resource, a.units) for a in again.assignments} == {
        (a.task, a.resource, a.units) for a in document.assignments
    }
