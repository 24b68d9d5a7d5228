"""The plan's pages as people use them: generating, the task table with its schedule and reasons, editing a task
(the dates move, a stale form gets the conflict message, a bad predecessor is named), regenerating with the
changes ticked, the working calendar; viewers read, outsiders get 404."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certprep.gaps.tests.factories import member
from certprep.planning.models import Calendar, Dependency, Task
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def _row(page, key):
    return next(row for row in page.rows if row.task.origin_key == key)


def _task_form(task, rows_text, **changes):
    data = {
        "expected_version": task.version,
        "name": task.name,
        "name_zh": task.translations.get("zh-hans", {}).get("name", ""),
        "duration_days": task.duration_days,
        "predecessors": rows_text,
        "percent_complete": task.percent_complete,
        "constraint_type": task.constraint_type,
        "notes": task.notes,
    }
    if task.milestone:
        data["milestone"] = "on"
    data.update(changes)
    return data


def test_an_engagement_without_a_plan_offers_to_generate_it(owner_client, engagement, catalogue):
    url = reverse("planning:plan", args=[engagement.pk])
    assert "Generate the plan" in owner_client.get(url).content.decode()
    response = owner_client.post(reverse("planning:generate", args=[engagement.pk]), follow=True)
    body = response.content.decode()
    assert "Plan generated" in body
    assert 'id="plan-tasks"' in body
    assert "Certification audit" in body


def test_the_task_table_shows_wbs_dates_float_critical_assignees_and_why(owner_client, engagement, plan):
    body = owner_client.get(reverse("planning:plan", args=[engagement.pk])).content.decode()
    page = plan_page(plan)
    stage1 = _row(page, "task:stage1")
    assert f'id="task-{stage1.task.pk}"' in body
    # Shown in the language's date format, with the ISO date for machines.
    assert f'<time datetime="{stage1.start.isoformat()}">{stage1.start.day} {stage1.start:%b %Y}</time>' in body
    assert stage1.critical
    assert 'class="badge critical"' in body
    assert re.search(r'data-wbs="4\.\d+"', body)
    trial = _row(page, "task:trial-operation")
    assert "minimum operating time" in trial.why
    assert trial.why.split(":")[0] in body


def test_editing_a_duration_moves_the_dates_after_it(owner_client, engagement, plan):
    page = plan_page(plan)
    trial, stage1 = _row(page, "task:trial-operation"), _row(page, "task:stage1")
    url = reverse("planning:task_edit", args=[engagement.pk, trial.task.pk])
    form = _task_form(trial.task, trial.predecessors, duration_days=trial.task.duration_days + 10)
    response = owner_client.post(url, form)
    assert response.status_code == 302
    moved = _row(plan_page(plan), "task:stage1")
    assert moved.start > stage1.start
    assert (moved.start - stage1.start).days >= 14  # ten working days, two weekends at least


def test_a_stale_task_form_gets_the_conflict_message_and_saves_nothing(owner_client, engagement, plan):
    page = plan_page(plan)
    row = _row(page, "task:trial-operation")
    url = reverse("planning:task_edit", args=[engagement.pk, row.task.pk])
    first = _task_form(row.task, row.predecessors, notes="first")
    assert owner_client.post(url, first).status_code == 302
    stale = _task_form(row.task, row.predecessors, notes="second")
    body = owner_client.post(url, stale).content.decode()
    assert "Someone else changed this" in body
    assert "Open the latest version" in body
    assert Task.objects.get(pk=row.task.pk).notes == "first"


def test_predecessors_are_typed_by_row_number_and_a_bad_part_is_named(owner_client, engagement, plan):
    page = plan_page(plan)
    row = _row(page, "task:stage1")
    first, second = page.rows[1], page.rows[2]
    url = reverse("planning:task_edit", args=[engagement.pk, row.task.pk])
    bad = owner_client.post(url, _task_form(row.task, f"{first.number};{second.number}QQ")).content.decode()
    assert f"&quot;{second.number}QQ&quot;: QQ is not a link type" in bad
    beyond = owner_client.post(url, _task_form(row.task, "9999")).content.decode()
    assert "Row 9999: the plan has" in beyond
    itself = owner_client.post(url, _task_form(row.task, str(row.number))).content.decode()
    assert "cannot be its own predecessor" in itself
    ok = owner_client.post(url, _task_form(row.task, f"{first.number}SS+2d;{second.number}"))
    assert ok.status_code == 302
    links = {(d.predecessor_id, d.type, int(d.lag)) for d in Dependency.objects.filter(successor_id=row.task.pk)}
    assert links == {(first.task.pk, "SS", 2), (second.task.pk, "FS", 0)}
    assert _row(plan_page(plan), "task:stage1").predecessors == f"{first.number}SS+2d;{second.number}"


def test_regenerating_applies_only_the_ticked_changes(owner_client, engagement, plan):
    Task.objects.filter(plan=plan, origin_key="task:stage1").delete()
    url = reverse("planning:regenerate", args=[engagement.pk])
    body = owner_client.get(url).content.decode()
    assert 'value="added:task:stage1" checked' in body
    plan.refresh_from_db()
    response = owner_client.post(url, {"expected_version": plan.version})
    assert response.status_code == 302
    assert not Task.objects.filter(plan=plan, origin_key="task:stage1").exists()
    plan.refresh_from_db()
    owner_client.post(url, {"expected_version": plan.version, "accept": ["added:task:stage1"]})
    assert Task.objects.filter(plan=plan, origin_key="task:stage1").exists()
    assert "Nothing to change" in owner_client.get(url).content.decode()


def test_the_calendar_page_saves_days_off_and_the_plan_moves(owner_client, engagement, plan):
    calendar = Calendar.objects.get(engagement=engagement)
    before = _row(plan_page(plan), "task:stage1").start
    first_day = plan.start_date.isoformat()
    url = reverse("planning:calendar", args=[engagement.pk])
    data = {"expected_version": calendar.version, "country": "CN", "region": "", "workweek": [0, 1, 2, 3, 4]}
    response = owner_client.post(url, {**data, "days_off": f"{first_day}\nnot-a-date"})
    assert "&quot;not-a-date&quot; is not a date" in response.content.decode()
    assert owner_client.post(url, {**data, "days_off": first_day}).status_code == 302
    calendar.refresh_from_db()
    assert calendar.country == "CN"
    assert calendar.days_off == [first_day]
    assert _row(plan_page(plan), "task:stage1").start > before
    stale = owner_client.post(url, {**data, "expected_version": 1}).content.decode()
    assert "Someone else changed this" in stale


def test_a_viewer_reads_the_plan_but_cannot_edit(client, engagement, owner, plan):
    client.force_login(member(engagement, owner, "victor", "viewer"))
    body = client.get(reverse("planning:plan", args=[engagement.pk])).content.decode()
    assert 'id="plan-tasks"' in body
    assert "Regenerate" not in body
    task = Task.objects.filter(plan=plan).first()
    assert client.get(reverse("planning:task_edit", args=[engagement.pk, task.pk])).status_code == 403
    assert client.post(reverse("planning:generate", args=[engagement.pk])).status_code == 403


def test_an_outsider_gets_404_everywhere(outsider_client, engagement, plan):
    task = Task.objects.filter(plan=plan).first()
    for url in (
        reverse("planning:plan", args=[engagement.pk]),
        reverse("planning:regenerate", args=[engagement.pk]),
        reverse("planning:calendar", args=[engagement.pk]),
        reverse("planning:task_edit", args=[engagement.pk, task.pk]),
    ):
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {"expected_version": 1}).status_code == 404


def test_the_plan_page_reads_in_the_same_number_of_queries_at_two_sizes(owner_client, engagement, plan):
    url = reverse("planning:plan", args=[engagement.pk])
    with CaptureQueriesContext(connection) as small:
        owner_client.get(url)
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    for n in range(30):
        Task.objects.create(plan=plan, parent=parent, order=5000 + n, outline_level=2, name=f"Extra {n}")
    with CaptureQueriesContext(connection) as large:
        owner_client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
