"""The plan's report sections: a small plan worked out by hand (dates on the working calendar, durations, people),
the demo's stages, audits, chart and schedule risk as the plan's pages show them; a missing plan or risk run said so;
hostile task names as typed (and escaped in the chart's SVG); the same number of queries at two plan sizes."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from certprep.core.documents import Figure, KeyFigures, Paragraph, Table
from certprep.core.parts import engagement_parts
from certprep.engagements.models import Engagement
from certprep.people.tests.factories import person
from certprep.planning.choices import LinkType
from certprep.planning.models import Assignment, AuditBooking, Dependency, Plan, Task
from certprep.planning.report import DOCUMENT, SECTIONS

pytestmark = pytest.mark.django_db
CHINESE = re.compile("[\u4e00-\u9fff]")
BUILD = {section.key: section.build for section in SECTIONS}
MONDAY = datetime.date(2027, 1, 4)
HOSTILE = '<b onclick="x()">=SUM(A1)</b> & "Co"'


@pytest.fixture
def plan(engagement):
    """A stage of two linked tasks and a milestone: Design 5 working days from Monday 4 January 2027 (to Friday
    8 January), Review 3 days after it (11 to 13 January), Ready a milestone after Review (13 January)."""
    plan = Plan.objects.create(engagement=engagement, start_date=MONDAY, certification_body="Huaxin")
    ann, bob = person(engagement, "Ann Lee"), person(engagement, "Bob Ma")
    stage = Task.objects.create(plan=plan, name="Preparation", order=10)
    design = Task.objects.create(
        plan=plan, name="Design", order=20, parent=stage, outline_level=2, duration_days=5, percent_complete=40
    )
    review = Task.objects.create(plan=plan, name="Review", order=30, parent=stage, outline_level=2, duration_days=3)
    ready = Task.objects.create(plan=plan, name="Ready", order=40, parent=stage, outline_level=2, milestone=True)
    Dependency.objects.create(plan=plan, predecessor=design, successor=review, type=LinkType.FS)
    Dependency.objects.create(plan=plan, predecessor=review, successor=ready, type=LinkType.FS)
    Assignment.objects.create(task=design, person=bob, share=50)
    Assignment.objects.create(task=design, person=ann, share=50)
    return plan


def _table(blocks, caption_part=""):
    return next(b for b in blocks if isinstance(b, Table) and caption_part in b.caption)


def test_the_task_table_has_every_task_with_its_dates_worked_out_by_hand(plan):
    table = _table(BUILD["plan.tasks"](plan.engagement))
    assert table.rows == [
        ["1", "Preparation", "4 Jan 2027", "13 Jan 2027", "8 days", "0 %", "—"],
        ["1.1", "Design", "4 Jan 2027", "8 Jan 2027", "5 days", "40 %", "Ann Lee, Bob Ma"],
        ["1.2", "Review", "11 Jan 2027", "13 Jan 2027", "3 days", "0 %", "—"],
        ["1.3", "Ready", "13 Jan 2027", "13 Jan 2027", "0 days", "0 %", "—"],
    ]
    assert table.values[1][2:4] == [MONDAY, datetime.date(2027, 1, 8)]
    assert table.sheet == "Tasks"
    with translation.override("zh-hans"):
        chinese = _table(BUILD["plan.tasks"](plan.engagement))
    assert chinese.rows[1][2:5] == ["2027年1月4日", "2027年1月8日", "5 天"]


def test_the_summary_has_the_stages_milestones_and_the_certification_body(plan):
    AuditBooking.objects.create(plan=plan, kind="stage1", date=datetime.date(2027, 6, 1), audit_days=2)
    blocks = BUILD["plan.summary"](plan.engagement)
    stages = _table(blocks, "stages")
    assert stages.rows == [["1", "Preparation", "4 Jan 2027", "13 Jan 2027", "8 days", "0 %"]]
    assert _table(blocks, "Milestones").rows == [["1.3", "Ready", "13 Jan 2027"]]
    bookings = _table(blocks, "Audit bookings")
    # Booked 1 June, the body wants the reservation 60 calendar days before: by 2 April.
    assert bookings.rows == [["Stage 1 audit", "1 Jun 2027", "2", "2 Apr 2027", "not yet"]]
    assert ("Certification body", "Huaxin") in next(
        b for b in blocks if isinstance(b, KeyFigures) and len(b.items) == 1
    ).items


def _demo(client):
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    client.force_login(demo)
    return Engagement.objects.get(memberships__user=demo, memberships__role="owner")


def test_the_demo_plan_chart_and_risk_are_those_of_the_pages(client):
    engagement = _demo(client)
    risk_html = client.get(reverse("planning:risk", args=[engagement.pk])).text
    gantt = BUILD["plan.gantt"](engagement)[0]
    assert isinstance(gantt, Figure)
    assert gantt.svg.startswith("<svg")
    assert 'role="img"' in gantt.svg
    shown = int(re.search(r"\((\d+) of the plan's (\d+) tasks\)", gantt.caption).group(1))
    total = Task.objects.filter(plan__engagement=engagement).count()
    summaries = set(
        Task.objects.filter(plan__engagement=engagement, children__isnull=False).values_list("pk", flat=True)
    )
    later = set(
        AuditBooking.objects.filter(
            plan__engagement=engagement, kind__in=["surveillance1", "surveillance2", "recertification"]
        ).values_list("task_id", flat=True)
    )
    expected = [
        task
        for task in Task.objects.filter(plan__engagement=engagement)
        if task.outline_level <= 2 and (task.pk in summaries or task.milestone) and task.pk not in later
    ]
    assert len(later) == 3
    assert 0 < shown == len(expected) < total
    assert "listed with the audit bookings" in gantt.caption
    # Nothing drawn reaches the surveillance years: the chart ends with the preparation and stage 2.
    assert "2028" not in gantt.caption
    risk = BUILD["plan.risk"](engagement)
    percentiles = _table(risk, "P80")
    for row in percentiles.rows:
        for day in row[1:5]:
            assert day == "—" or day in risk_html
    chances = [row[-1] for row in percentiles.rows if row[-1] != "—"]
    assert chances
    for chance in chances:
        assert chance in risk_html
    assert any(isinstance(b, Figure) and "finish dates over the iterations" in b.caption for b in risk)


def test_a_plan_of_many_stages_is_charted_to_its_first_level_so_that_it_fits_a_page(plan):
    stage = Task.objects.create(plan=plan, name="Processes", order=100, duration_days=1)
    for n in range(45):  # 45 summary tasks at level 2 (4 + 1 + 90 tasks in all): more than a page holds
        sub = Task.objects.create(plan=plan, name=f"Process {n}", order=101 + 2 * n, parent=stage, outline_level=2)
        Task.objects.create(
            plan=plan, name=f"Work {n}", order=102 + 2 * n, parent=sub, outline_level=3, duration_days=2
        )
    chart = BUILD["plan.gantt"](plan.engagement)[0]
    assert "outline level 1 (2 of the plan's 95 tasks)" in chart.caption
    assert "Process 0" not in chart.svg
    assert "Processes" in chart.svg


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_engagement_without_a_plan_says_so_in_every_section(engagement, language):
    for key, build in BUILD.items():
        with translation.override(language):
            blocks = build(engagement)
        assert language == "en" or CHINESE.search(blocks[0].text), key  # written in the reader's language
        assert len(blocks) == 1, key
        assert isinstance(blocks[0], Paragraph), key
        assert blocks[0].tone == "missing", key


def test_a_plan_without_a_risk_run_says_so(plan):
    blocks = BUILD["plan.risk"](plan.engagement)
    assert blocks == [Paragraph("No risk analysis has been run yet.", "missing")]


def test_hostile_task_names_come_out_as_typed_and_escaped_in_the_chart(plan):
    Task.objects.filter(plan=plan, name="Preparation").update(name=HOSTILE)
    table = _table(BUILD["plan.tasks"](plan.engagement))
    assert table.rows[0][1] == HOSTILE
    chart = BUILD["plan.gantt"](plan.engagement)[0]
    assert "<b " not in chart.svg
    assert "&lt;b onclick=" in chart.svg


def _more_tasks(plan, count):
    helper = person(plan.engagement, f"Helper {count}")
    stage = Task.objects.create(plan=plan, name=f"Stage {count}", order=1000)
    for n in range(count):
        task = Task.objects.create(
            plan=plan, name=f"Extra {n}", order=1001 + n, parent=stage, outline_level=2, duration_days=2
        )
        Assignment.objects.create(task=task, person=helper, share=30)


@pytest.mark.parametrize("key", ["plan.summary", "plan.gantt", "plan.tasks"])
def test_the_sections_read_as_many_queries_at_5_and_at_60_more_tasks(plan, key):
    counts = []
    for count in (5, 60):
        _more_tasks(plan, count)
        with CaptureQueriesContext(connection) as queries:
            BUILD[key](plan.engagement)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_part_declares_the_tabular_implementation_plan():
    part = next(p for p in engagement_parts() if p.key == "plan")
    assert part.report_documents == (DOCUMENT,)
    assert DOCUMENT.tabular
    assert list(DOCUMENT.sections) == ["plan.summary", "plan.gantt", "plan.risk", "plan.tasks"]


def test_a_plan_of_more_stages_than_a_page_holds_charts_the_first_40_and_says_so(plan):
    for n in range(45):  # 45 more stages of one task each: 46 first-level summary tasks with the plan's own
        stage = Task.objects.create(plan=plan, name=f"Stage {n:02d}", order=100 + 2 * n)
        Task.objects.create(plan=plan, name=f"Work {n:02d}", order=101 + 2 * n, parent=stage, outline_level=2)
    chart = BUILD["plan.gantt"](plan.engagement)[0]
    assert "The chart stops after its first 40 rows." in chart.caption
    drawn = [n for n in range(45) if f"Stage {n:02d}<" in chart.svg]
    assert drawn == list(range(len(drawn)))  # the first stages, in the plan's order
    assert 0 < len(drawn) < 45
