"""The plan's REST API: the plan, its scheduled tasks, dependencies and calendar; stale versions get 409,
viewers cannot write, and one engagement's objects are not found through another's paths."""

from __future__ import annotations

import datetime
import json

import pytest

from certprep.gaps.tests.factories import another_engagement, member
from certprep.planning.models import Dependency, Task
from certprep.planning.services.generation import plan_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        if method == "get":
            return client.get(f"/api/v1/engagements{path}", **headers)
        data = json.dumps(body) if body is not None else None
        return getattr(client, method)(f"/api/v1/engagements{path}", data, content_type="application/json", **headers)

    return call


@pytest.fixture
def plan(catalogue, engagement, owner):
    return plan_generate(engagement=engagement, actor=owner)


def test_a_plan_is_404_until_generated_then_scheduled(call, catalogue, engagement):
    assert call("get", f"/{engagement.pk}/plan").status_code == 404
    created = call("post", f"/{engagement.pk}/plan")
    assert created.status_code == 201
    assert created.json()["finish_date"] > created.json()["start_date"]
    assert call("post", f"/{engagement.pk}/plan").status_code == 400


def test_tasks_come_scheduled_and_a_duration_change_moves_the_dates(call, engagement, plan):
    tasks = call("get", f"/{engagement.pk}/plan/tasks").json()
    by_id = {t["id"]: t for t in tasks}
    stage1 = by_id[Task.objects.get(plan=plan, origin_key="task:stage1").pk]
    trial = by_id[Task.objects.get(plan=plan, origin_key="task:trial-operation").pk]
    assert stage1["critical"]
    assert trial["why"]
    assert [t["row"] for t in tasks] == list(range(1, len(tasks) + 1))
    path = f"/{engagement.pk}/plan/tasks/{trial['id']}"
    changed = call("patch", path, {"version": trial["version"], "duration_days": trial["duration_days"] + 5})
    assert changed.status_code == 200, changed.content
    moved = call("get", f"/{engagement.pk}/plan/tasks/{stage1['id']}").json()
    assert datetime.date.fromisoformat(moved["start"]) > datetime.date.fromisoformat(stage1["start"])
    stale = call("patch", path, {"version": trial["version"], "notes": "late"})
    assert stale.status_code == 409
    assert Task.objects.get(pk=trial["id"]).notes == ""


def test_dependencies_are_added_and_removed_against_the_successors_version(call, engagement, plan):
    tasks = call("get", f"/{engagement.pk}/plan/tasks").json()
    first, last = tasks[1], tasks[-1]
    body = {"predecessor_id": first["id"], "successor_id": last["id"], "type": "SS", "lag": 2}
    stale = call("post", f"/{engagement.pk}/plan/dependencies", {**body, "version": last["version"] + 1})
    assert stale.status_code == 409
    added = call("post", f"/{engagement.pk}/plan/dependencies", {**body, "version": last["version"]})
    assert added.status_code == 201, added.content
    assert added.json()["type"] == "SS"
    assert added.json()["lag"] == 2
    again = call("post", f"/{engagement.pk}/plan/dependencies", {**body, "version": last["version"] + 1})
    assert again.status_code == 400
    assert call("delete", f"/{engagement.pk}/plan/dependencies/{added.json()['id']}").status_code == 204
    assert not Dependency.objects.filter(pk=added.json()["id"]).exists()


def test_the_calendar_is_read_and_changed_with_its_version(call, engagement, plan):
    calendar = call("get", f"/{engagement.pk}/plan/calendar").json()
    assert calendar["workweek"] == [0, 1, 2, 3, 4]
    path = f"/{engagement.pk}/plan/calendar"
    changed = call("patch", path, {"version": calendar["version"], "country": "CN", "days_off": ["2027-02-01"]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["days_off"] == ["2027-02-01"]
    assert call("patch", path, {"version": calendar["version"], "region": ""}).status_code == 409
    unknown = call("patch", path, {"version": changed.json()["version"], "country": "ZZ"})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "country"


def test_a_viewer_reads_but_cannot_write(call, engagement, owner, plan):
    viewer = member(engagement, owner, "victor", "viewer")
    task = Task.objects.filter(plan=plan).first()
    assert call("get", f"/{engagement.pk}/plan/tasks", user=viewer).status_code == 200
    assert call("patch", f"/{engagement.pk}/plan/tasks/{task.pk}", {"version": 1}, user=viewer).status_code == 403


def test_another_engagements_task_is_not_found_through_this_one(call, engagement, owner, plan):
    other = another_engagement(owner, "Second")
    other_plan = plan_generate(engagement=other, actor=owner)
    foreign = Task.objects.filter(plan=other_plan).first()
    assert call("get", f"/{engagement.pk}/plan/tasks/{foreign.pk}").status_code == 404
    assert call("patch", f"/{engagement.pk}/plan/tasks/{foreign.pk}", {"version": 1}).status_code == 404
    mine = Task.objects.filter(plan=plan).last()
    body = {"predecessor_id": foreign.pk, "successor_id": mine.pk, "version": mine.version}
    refused = call("post", f"/{engagement.pk}/plan/dependencies", body)
    assert refused.status_code == 400
    assert refused.json()["field"] == "predecessor_id"
