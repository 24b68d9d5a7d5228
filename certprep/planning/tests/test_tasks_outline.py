"""Indenting and outdenting a task: it goes under the task above it (which becomes a summary task) or up a level
after its summary task, with the tasks below it; the WBS numbers and outline levels follow; the first task cannot
be indented nor a top-level task outdented; a stale version is refused; pages and API alike."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certprep.core.errors import ConflictError, ServiceError
from certprep.gaps.tests.factories import another_engagement
from certprep.planning.models import Task
from certprep.planning.selectors.page import plan_page
from certprep.planning.services.task_outline import task_indent, task_outdent
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement):
    world = plan_world(engagement)  # Design, Trial
    world["review"] = Task.objects.create(plan=world["plan"], name="Review", order=30)
    world["child"] = Task.objects.create(
        plan=world["plan"], parent=world["review"], name="Read", order=1, outline_level=2
    )
    return world


def _outline(plan):
    return [(row.wbs, row.task.name, row.task.outline_level) for row in plan_page(plan).rows]


def test_indenting_puts_a_task_and_its_subtasks_under_the_one_above(world, owner):
    review = world["review"]
    task_indent(task=review, actor=owner, expected_version=review.version)
    assert _outline(world["plan"]) == [
        ("1", "Design", 1),
        ("2", "Trial", 1),
        ("2.1", "Review", 2),
        ("2.1.1", "Read", 3),
    ]
    review.refresh_from_db()
    task_outdent(task=review, actor=owner, expected_version=review.version)
    assert _outline(world["plan"]) == [("1", "Design", 1), ("2", "Trial", 1), ("3", "Review", 1), ("3.1", "Read", 2)]


def test_outdenting_places_the_task_right_after_its_summary_task(world, owner):
    design, trial = world["task"], world["successor"]
    task_indent(task=trial, actor=owner, expected_version=trial.version)
    read = world["child"]
    task_outdent(task=read, actor=owner, expected_version=read.version)
    assert [code for code, _name, _level in _outline(world["plan"])] == ["1", "1.1", "2", "3"]
    assert [name for _code, name, _level in _outline(world["plan"])] == ["Design", "Trial", "Review", "Read"]
    assert Task.objects.get(pk=design.pk).parent_id is None


def test_the_first_task_cannot_be_indented_nor_a_top_level_one_outdented(world, owner):
    design = world["task"]
    with pytest.raises(ServiceError, match="no task above"):
        task_indent(task=design, actor=owner, expected_version=design.version)
    with pytest.raises(ServiceError, match="top level already"):
        task_outdent(task=design, actor=owner, expected_version=design.version)
    with pytest.raises(ConflictError):
        task_indent(task=world["successor"], actor=owner, expected_version=world["successor"].version + 1)
    assert Task.objects.get(pk=world["successor"].pk).parent_id is None


def test_the_task_form_indents_and_a_stale_one_is_refused(owner_client, engagement, world):
    trial = world["successor"]
    url = reverse("planning:task_indent", args=[engagement.pk, trial.pk])
    form = owner_client.get(reverse("planning:task_edit", args=[engagement.pk, trial.pk])).content.decode()
    assert f'action="{url}"' in form
    stale = owner_client.post(url, {"expected_version": trial.version + 1}, follow=True)
    assert "Someone else changed this" in stale.content.decode()
    assert owner_client.post(url, {"expected_version": trial.version}).status_code == 302
    assert Task.objects.get(pk=trial.pk).parent_id == world["task"].pk


def test_the_api_moves_a_task_and_hides_other_engagements(client, engagement, owner, api_token, world):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(owner)}"}
    trial = world["successor"]

    def post(path, body):
        url = f"/api/v1/engagements/{path}"
        return client.post(url, json.dumps(body), content_type="application/json", **headers)

    moved = post(f"{engagement.pk}/plan/tasks/{trial.pk}/indent", {"version": trial.version})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["wbs"], moved.json()["parent_id"]) == ("1.1", world["task"].pk)
    assert post(f"{engagement.pk}/plan/tasks/{trial.pk}/outdent", {"version": trial.version}).status_code == 409
    back = post(f"{engagement.pk}/plan/tasks/{trial.pk}/outdent", {"version": moved.json()["version"]})
    assert back.json()["wbs"] == "2"
    refused = post(f"{engagement.pk}/plan/tasks/{world['task'].pk}/indent", {"version": world["task"].version})
    assert refused.status_code == 400
    foreign = plan_world(another_engagement(owner, "Second"))["successor"]
    assert post(f"{engagement.pk}/plan/tasks/{foreign.pk}/indent", {"version": foreign.version}).status_code == 404
    assert Task.objects.get(pk=foreign.pk).parent_id is None
