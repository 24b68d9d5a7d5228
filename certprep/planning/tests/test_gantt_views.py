"""The Gantt chart page and its data endpoint as people and clients use them: zoom and folding by links, a bar
moved or stretched (the dates after it follow), the side form, a stale version gets the conflict message (409 for
the page's script), viewers read without editing, outsiders get 404, and the queries do not grow with the plan."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certprep.gaps.tests.factories import member
from certprep.planning.choices import ConstraintType
from certprep.planning.models import Baseline, Dependency, Task
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db

FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def _row(plan, key):
    return next(row for row in plan_page(plan).rows if row.task.origin_key == key)


def _url(engagement, *parts):
    return reverse("planning:gantt", args=[engagement.pk]) + "".join(parts)


def test_the_chart_shows_every_task_critical_ones_marked_and_the_zoom_links(owner_client, engagement, plan):
    body = owner_client.get(_url(engagement)).content.decode()
    stage1 = _row(plan, "task:stage1")
    assert 'class="gantt-names-svg"' in body
    assert f'data-task="{stage1.task.pk}"' in body
    assert 'class="gantt-task critical"' in body or 'class="gantt-task milestone critical"' in body
    assert "?zoom=day" in body
    assert "?zoom=month" in body
    assert 'class="gantt-link link-FS' in body
    assert "Gantt chart" in body
    day = owner_client.get(_url(engagement, "?zoom=day")).content.decode()
    assert "zoom-day" in day


def test_folding_a_stage_hides_its_tasks_and_unfolding_shows_them(owner_client, engagement, plan):
    stage = Task.objects.get(plan=plan, origin_key="stage:preparation")
    child = Task.objects.filter(parent=stage).first()
    assert child is not None
    folded = owner_client.get(_url(engagement, f"?collapsed={stage.pk}")).content.decode()
    assert f'data-task="{child.pk}"' not in folded
    assert f"Expand {stage.name}" in folded
    assert f'data-task="{stage.pk}"' in folded
    unfolded = owner_client.get(_url(engagement, "?collapsed=")).content.decode()
    assert f'data-task="{child.pk}"' in unfolded


def test_dragging_a_task_later_sets_start_no_earlier_than_and_moves_what_follows(owner_client, engagement, plan):
    trial, stage1 = _row(plan, "task:trial-operation"), _row(plan, "task:stage1")
    new_start = trial.start + datetime.timedelta(days=28)
    url = reverse("planning:gantt_bar", args=[engagement.pk, trial.task.pk])
    data = {"expected_version": trial.task.version, "action": "move", "start": new_start.isoformat(), "zoom": "day"}
    response = owner_client.post(url, {**data, "task": trial.task.pk}, **FETCH)
    assert response.status_code == 200
    body = response.content.decode()
    assert "zoom-day" in body
    task = Task.objects.get(pk=trial.task.pk)
    # The side form of the selected task comes back with the version the change left.
    assert 'id="gantt-form"' in body
    assert f'name="expected_version" value="{task.version}"' in body
    assert task.constraint_type == ConstraintType.SNET
    assert task.constraint_date == new_start
    assert _row(plan, "task:trial-operation").start == new_start
    assert _row(plan, "task:stage1").start >= stage1.start + datetime.timedelta(days=28)


def test_the_keyboard_moves_a_bar_by_a_working_day_and_stretches_it(owner_client, engagement, plan):
    trial = _row(plan, "task:trial-operation")
    url = reverse("planning:gantt_bar", args=[engagement.pk, trial.task.pk])
    owner_client.post(url, {"expected_version": trial.task.version, "action": "move", "days": 1}, **FETCH)
    moved = _row(plan, "task:trial-operation")
    assert moved.start > trial.start
    assert moved.start.weekday() < 5
    longer = {"expected_version": moved.task.version, "action": "stretch", "days": 1}
    assert owner_client.post(url, longer, **FETCH).status_code == 200
    assert Task.objects.get(pk=trial.task.pk).duration_days == trial.task.duration_days + 1


def test_dragging_the_right_end_sets_the_duration_in_working_days(owner_client, engagement, plan):
    row = _row(plan, "task:trial-operation")
    finish = row.start + datetime.timedelta(days=13)  # two weeks from a Monday-to-Friday start: ten working days
    while finish.weekday() >= 5:
        finish -= datetime.timedelta(days=1)
    url = reverse("planning:gantt_bar", args=[engagement.pk, row.task.pk])
    data = {"expected_version": row.task.version, "action": "stretch", "finish": finish.isoformat()}
    assert owner_client.post(url, data, **FETCH).status_code == 200
    assert _row(plan, "task:trial-operation").finish == finish


def test_a_stale_bar_change_is_refused_with_409_and_the_conflict_message(owner_client, engagement, plan):
    row = _row(plan, "task:trial-operation")
    url = reverse("planning:gantt_bar", args=[engagement.pk, row.task.pk])
    first = {"expected_version": row.task.version, "action": "move", "days": 2}
    assert owner_client.post(url, first, **FETCH).status_code == 200
    stale = owner_client.post(url, {**first, "days": 5}, **FETCH)
    assert stale.status_code == 409
    assert "Someone else changed this" in stale.content.decode()
    assert "Open the latest version" in stale.content.decode()
    assert Task.objects.get(pk=row.task.pk).version == row.task.version + 1
    # Without the script, the page comes back with the message.
    plain = owner_client.post(url, {**first, "days": 5}, follow=True)
    assert "Someone else changed this" in plain.content.decode()


def test_a_summary_task_and_a_milestone_refuse_what_they_cannot_do(owner_client, engagement, plan):
    stage = Task.objects.get(plan=plan, origin_key="stage:preparation")
    url = reverse("planning:gantt_bar", args=[engagement.pk, stage.pk])
    response = owner_client.post(url, {"expected_version": stage.version, "action": "move", "days": 1}, **FETCH)
    assert response.status_code == 400
    assert "takes its dates from the tasks under it" in response.content.decode()
    milestone = Task.objects.filter(plan=plan, milestone=True).first()
    url = reverse("planning:gantt_bar", args=[engagement.pk, milestone.pk])
    data = {"expected_version": milestone.version, "action": "stretch", "days": 1}
    assert owner_client.post(url, data, **FETCH).status_code == 400


def test_the_side_form_saves_the_selected_task_and_a_stale_one_gets_the_conflict(owner_client, engagement, plan):
    row = _row(plan, "task:trial-operation")
    url = _url(engagement, f"?zoom=month&task={row.task.pk}")
    page = owner_client.get(url).content.decode()
    assert 'id="gantt-form"' in page
    data = {
        "expected_version": row.task.version,
        "name": "Trial operation <b>",
        "constraint_type": "ASAP",
        "constraint_date": "",
        "duration_days": row.task.duration_days + 5,
        "percent_complete": 40,
    }
    response = owner_client.post(url, data)
    assert response.status_code == 302
    assert "zoom=month" in response["Location"]
    task = Task.objects.get(pk=row.task.pk)
    assert (task.percent_complete, task.duration_days) == (40, row.task.duration_days + 5)
    shown = owner_client.get(url).content.decode()
    assert "Trial operation &lt;b&gt;" in shown
    assert "Trial operation <b>" not in shown
    stale = owner_client.post(url, {**data, "percent_complete": 60}).content.decode()
    assert "Someone else changed this" in stale
    assert Task.objects.get(pk=row.task.pk).percent_complete == 40


def test_the_baseline_bars_come_from_the_baseline_asked_for(owner_client, engagement, owner, plan):
    row = _row(plan, "task:trial-operation")
    entry = {"task": row.task.pk, "start": "2020-01-06", "finish": "2020-01-10"}
    Baseline.objects.create(plan=plan, number=3, saved_at=timezone.now(), saved_by=owner, tasks=[entry])
    assert 'class="gantt-baseline"' not in owner_client.get(_url(engagement)).content.decode()
    body = owner_client.get(_url(engagement, "?baseline=3")).content.decode()
    assert body.count('class="gantt-baseline"') == 1
    assert "Baseline 3" in body


def test_a_viewer_reads_the_chart_without_draggable_bars(client, engagement, owner, plan):
    client.force_login(member(engagement, owner, "victor", "viewer"))
    body = client.get(_url(engagement)).content.decode()
    assert 'class="gantt-timeline-svg' in body
    assert 'role="button"' not in body
    assert 'data-editable="1"' not in body
    task = Task.objects.filter(plan=plan, parent__isnull=False).first()
    url = reverse("planning:gantt_bar", args=[engagement.pk, task.pk])
    assert client.post(url, {"expected_version": task.version, "action": "move", "days": 1}).status_code == 403


def test_an_outsider_gets_404_on_the_page_the_bar_and_the_data(outsider_client, engagement, plan):
    task = Task.objects.filter(plan=plan).first()
    assert outsider_client.get(_url(engagement)).status_code == 404
    bar = reverse("planning:gantt_bar", args=[engagement.pk, task.pk])
    assert outsider_client.post(bar, {"expected_version": 1, "action": "move", "days": 1}).status_code == 404


def test_the_data_endpoint_gives_rows_and_links_as_the_chart_draws_them(client, engagement, owner, plan, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    response = client.get(f"/api/v1/engagements/{engagement.pk}/plan/gantt?zoom=month", **headers)
    assert response.status_code == 200
    data = json.loads(response.content)
    stage1 = _row(plan, "task:stage1")
    row = next(r for r in data["rows"] if r["id"] == stage1.task.pk)
    assert row["start"] == stage1.start.isoformat()
    assert row["critical"]
    assert data["first"] <= row["start"]
    assert data["first"].endswith("-01")
    assert len(data["links"]) == Dependency.objects.filter(plan=plan).count()
    assert {link["type"] for link in data["links"]} <= {"FS", "SS", "FF", "SF"}
    assert data["baseline"] is None


def test_the_data_endpoint_is_404_outside_the_callers_engagements(client, engagement, outsider, plan, api_token):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(outsider)}"}
    assert client.get(f"/api/v1/engagements/{engagement.pk}/plan/gantt", **headers).status_code == 404


def _grow(plan, count):
    parent = Task.objects.get(plan=plan, origin_key="stage:preparation")
    previous = None
    for n in range(count):
        task = Task.objects.create(plan=plan, parent=parent, order=5000 + n, outline_level=2, name=f"Extra {n}")
        if previous is not None:
            Dependency.objects.create(plan=plan, predecessor=previous, successor=task)
        previous = task


@pytest.mark.parametrize("path", ["page", "api"])
def test_the_chart_reads_in_the_same_number_of_queries_at_two_sizes(
    client, engagement, owner, plan, api_token, path, django_assert_max_num_queries
):
    client.force_login(owner)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"} if path == "api" else {}
    url = f"/api/v1/engagements/{engagement.pk}/plan/gantt" if path == "api" else _url(engagement, "?baseline=0")
    Baseline.objects.create(plan=plan, number=0, saved_at=timezone.now(), saved_by=owner, tasks=[])
    client.get(url, **headers)  # the first call records the token's use
    with CaptureQueriesContext(connection) as small:
        assert client.get(url, **headers).status_code == 200
    _grow(plan, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, **headers).status_code == 200
