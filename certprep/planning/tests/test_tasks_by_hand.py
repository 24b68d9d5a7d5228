"""Adding a task by hand (under a summary task, after one of its tasks: the WBS numbers follow) and deleting one
with what goes with it (its subtasks, dependencies and assignments), from the pages and the API; a stale
deletion is refused, an outsider finds nothing, a task added by hand survives a regeneration."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certprep.core.models import AuditEntry
from certprep.gaps.tests.factories import another_engagement, member
from certprep.people.models import Person
from certprep.planning.choices import TaskOrigin
from certprep.planning.models import Assignment, Dependency, Task
from certprep.planning.selectors.page import plan_page
from certprep.planning.selectors.plan import regeneration
from certprep.planning.services.generation import plan_generate, plan_regenerate
from certprep.planning.services.tasks import task_add
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement):
    return plan_world(engagement)


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        url = f"/api/v1/engagements{path}"
        if method in ("get", "delete"):
            return getattr(client, method)(url, **headers)
        return client.post(url, json.dumps(body), content_type="application/json", **headers)

    return call


def _wbs(plan):
    return {row.task.name: row.wbs for row in plan_page(plan).rows}


def test_a_task_added_under_a_summary_task_after_another_renumbers_the_wbs(owner_client, engagement, world):
    plan, design = world["plan"], world["task"]
    Task.objects.create(plan=plan, parent=design, name="Draft", order=1, outline_level=2)
    Task.objects.create(plan=plan, parent=design, name="Review", order=2, outline_level=2)
    url = reverse("planning:task_add", args=[engagement.pk])
    page = owner_client.get(url).content.decode()
    assert 'name="parent_id"' in page
    assert 'name="after_id"' in page
    draft = Task.objects.get(name="Draft")
    form = {"name": "Walkthrough", "name_zh": "走查", "parent_id": design.pk, "after_id": draft.pk}
    response = owner_client.post(url, {**form, "duration_days": 3, "predecessors": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Task.objects.get(name="Walkthrough")
    assert (added.origin, added.outline_level, added.duration_days) == (TaskOrigin.MANUAL, 2, 3)
    assert added.translations == {"zh-hans": {"name": "走查"}}
    # No room between order 1 and 2: the one after it moved down.
    assert _wbs(plan) == {"Design": "1", "Draft": "1.1", "Walkthrough": "1.2", "Review": "1.3", "Trial": "2"}
    assert Dependency.objects.filter(successor=added, predecessor=design).exists()
    assert AuditEntry.objects.filter(object_type="planning.task", object_id=str(added.pk), action="create").exists()
    body = owner_client.get(reverse("planning:plan", args=[engagement.pk])).content.decode()
    assert f'id="task-{added.pk}"' in body
    assert 'id="add-task"' in body


def test_a_task_placed_after_one_under_another_summary_task_is_refused_with_the_field(owner_client, engagement, world):
    url = reverse("planning:task_add", args=[engagement.pk])
    form = {"name": "Misplaced", "parent_id": world["task"].pk, "after_id": world["successor"].pk, "duration_days": 2}
    response = owner_client.post(url, form)
    assert response.status_code == 200
    assert "Choose a task under the same summary task" in response.content.decode()
    assert not Task.objects.filter(name="Misplaced").exists()


def test_the_delete_page_lists_subtasks_dependencies_and_assignments_then_deletes_them(owner_client, engagement, world):
    plan, design, trial = world["plan"], world["task"], world["successor"]
    child = Task.objects.create(plan=plan, parent=design, name="Draft <b>policy</b>", order=1, outline_level=2)
    person = Person.objects.create(engagement=engagement, name="Mei Chen")
    Assignment.objects.create(task=child, person=person, share=50)
    trial_version = trial.version
    url = reverse("planning:task_delete", args=[engagement.pk, design.pk])
    page = owner_client.get(url).content.decode()
    assert "Draft &lt;b&gt;policy&lt;/b&gt;" in page
    assert "Mei Chen" in page
    assert "Design</bdi> → <bdi>Trial" in page
    response = owner_client.post(url, {"expected_version": design.version})
    assert response.status_code == 302
    assert list(Task.objects.filter(plan=plan).values_list("name", flat=True)) == ["Trial"]
    assert not Assignment.objects.filter(person=person).exists()
    assert not Dependency.objects.filter(plan=plan).exists()
    trial.refresh_from_db()
    assert trial.version == trial_version + 1  # its predecessors changed
    entry = AuditEntry.objects.get(object_type="planning.task", object_id=str(design.pk), action="delete")
    assert entry.changes["subtasks"] == [1, None]


def test_a_stale_deletion_is_refused_and_nothing_goes(owner_client, engagement, world):
    design = world["task"]
    url = reverse("planning:task_delete", args=[engagement.pk, design.pk])
    response = owner_client.post(url, {"expected_version": design.version + 1}, follow=True)
    assert "Someone else changed this task since you opened it" in response.content.decode()
    assert Task.objects.filter(pk=design.pk).exists()


def test_a_viewer_and_an_outsider_cannot_add_or_delete(client, engagement, owner, world):
    viewer = member(engagement, owner, "victor", "viewer")
    client.force_login(viewer)
    assert client.get(reverse("planning:task_add", args=[engagement.pk])).status_code == 403
    other = another_engagement(owner, "Second")
    foreign = plan_world(other)["task"]
    client.force_login(owner)
    assert client.get(reverse("planning:task_delete", args=[engagement.pk, foreign.pk])).status_code == 404
    assert client.post(reverse("planning:task_delete", args=[engagement.pk, foreign.pk])).status_code == 404
    assert Task.objects.filter(pk=foreign.pk).exists()


def test_the_api_adds_a_task_and_deletes_it_with_the_version(call, engagement, world):
    design = world["task"]
    path = f"/{engagement.pk}/plan/tasks"
    created = call("post", path, {"name": "Kick-off", "after_id": design.pk, "duration_days": 0, "milestone": True})
    assert created.status_code == 201, created.content
    assert created.json()["wbs"] == "2"
    assert created.json()["origin"] == "manual"
    assert [t["name"] for t in call("get", path).json()] == ["Design", "Kick-off", "Trial"]
    misplaced = call("post", path, {"name": "X", "parent_id": design.pk, "after_id": world["successor"].pk})
    assert misplaced.status_code == 400
    assert misplaced.json()["field"] == "after_id"
    task_id = created.json()["id"]
    assert call("delete", f"{path}/{task_id}?version={created.json()['version'] + 1}").status_code == 409
    assert call("delete", f"{path}/{task_id}?version={created.json()['version']}").status_code == 204
    assert not Task.objects.filter(pk=task_id).exists()


def test_the_api_finds_nothing_of_another_engagement(call, engagement, owner, world):
    other = another_engagement(owner, "Second")
    foreign = plan_world(other)["task"]
    path = f"/{engagement.pk}/plan/tasks"
    assert call("delete", f"{path}/{foreign.pk}").status_code == 404
    refused = call("post", path, {"name": "Spy", "parent_id": foreign.pk})
    assert refused.status_code == 400
    assert refused.json()["field"] == "parent_id"
    editor = member(engagement, owner, "ed", "editor")
    assert call("post", f"/{other.pk}/plan/tasks", {"name": "Spy"}, user=editor).status_code == 404
    assert not Task.objects.filter(name="Spy").exists()
    assert Task.objects.filter(pk=foreign.pk).exists()


def test_a_task_added_by_hand_survives_a_regeneration(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner)
    stage = Task.objects.filter(plan=plan, parent=None).order_by("order").first()
    manual = task_add(plan=plan, actor=owner, name="Visit the data centre", duration_days=2, parent=stage)
    # Remove what the generation made below that stage, so regenerating proposes every kind of change there.
    Task.objects.filter(plan=plan, parent=stage, origin=TaskOrigin.GENERATED).first().delete()
    changes = regeneration(plan)
    assert all("manual" not in change.key for change in changes)
    plan.refresh_from_db()
    plan_regenerate(plan=plan, actor=owner, accepted=[c.id for c in changes], expected_version=plan.version)
    manual.refresh_from_db()
    assert manual.parent_id == stage.pk
    assert manual.name in _wbs(plan)
