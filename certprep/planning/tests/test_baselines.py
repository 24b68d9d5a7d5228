"""Baselines as people use them: save the plan as baseline N (a number already saved is replaced only when
confirmed), change a duration and see the slip on the comparison page and through the API, tasks added and
removed since, delete a baseline; viewers read, outsiders get 404; the comparison reads a fixed number of queries
at any plan size."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from certprep.core.models import AuditEntry
from certprep.gaps.tests.factories import another_engagement, member
from certprep.planning.models import Baseline, Task
from certprep.planning.services.baselines import baseline_save
from certprep.planning.services.tasks import task_add, task_update
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(engagement):
    return plan_world(engagement)  # Design (5 days) then Trial (10 days), from Monday 2027-01-04


@pytest.fixture
def call(client, owner, api_token):
    def call(method, path, body=None, *, user=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user or owner)}"}
        url = f"/api/v1/engagements/{path}"
        if method in ("get", "delete"):
            return getattr(client, method)(url, **headers)
        return client.post(url, json.dumps(body), content_type="application/json", **headers)

    return call


def test_saving_a_baseline_then_a_longer_task_shows_the_slip(owner_client, engagement, owner, world):
    url = reverse("planning:baselines", args=[engagement.pk])
    assert 'id="no-baselines"' in owner_client.get(url).content.decode()
    response = owner_client.post(url, {"number": 0, "name": "Approved"})
    assert response.status_code == 302
    saved = Baseline.objects.get(plan=world["plan"], number=0)
    assert [entry["name"] for entry in saved.tasks] == ["Design", "Trial"]
    assert saved.tasks[1]["finish"] == "2027-01-22"
    design = world["task"]
    task_update(task=design, actor=owner, expected_version=design.version, duration_days=8)
    body = owner_client.get(reverse("planning:baseline", args=[engagement.pk, 0])).content.decode()
    # Design finishes three working days later, and Trial after it starts and finishes three later.
    assert '<td class="num finish-slip"><span class="slip late">+3 days</span></td>' in body
    assert '<dd id="plan-finish-slip"><span class="slip late">+3 days</span></dd>' in body
    assert '<dd id="slipped-tasks">2</dd>' in body
    assert AuditEntry.objects.filter(object_type="planning.baseline", action="create").exists()


def test_overwriting_a_saved_number_asks_for_confirmation(owner_client, engagement, owner, world):
    baseline_save(plan=world["plan"], actor=owner, number=3, name="First")
    url = reverse("planning:baselines", args=[engagement.pk])
    refused = owner_client.post(url, {"number": 3, "name": "Second"})
    assert refused.status_code == 200
    assert "Baseline 3 was saved on" in refused.content.decode()
    assert Baseline.objects.get(plan=world["plan"], number=3).name == "First"
    confirmed = owner_client.post(url, {"number": 3, "name": "Second", "overwrite": "on"})
    assert confirmed.status_code == 302
    assert Baseline.objects.get(plan=world["plan"], number=3).name == "Second"


def test_tasks_added_and_removed_since_are_listed(owner_client, engagement, owner, world):
    baseline_save(plan=world["plan"], actor=owner, number=0)
    task_add(plan=world["plan"], actor=owner, name="Kick-off <script>", duration_days=1)
    world["successor"].delete()
    body = owner_client.get(reverse("planning:baseline", args=[engagement.pk, 0])).content.decode()
    added = body.split('id="added-tasks"')[1].split("</ul>")[0]
    removed = body.split('id="removed-tasks"')[1].split("</ul>")[0]
    assert "Kick-off &lt;script&gt;" in added
    assert "Trial" in removed
    assert "Trial" not in body.split('id="baseline-tasks"')[1].split("</table>")[0]


def test_deleting_a_baseline_asks_then_removes_it(owner_client, engagement, owner, world):
    baseline_save(plan=world["plan"], actor=owner, number=1)
    url = reverse("planning:baseline_delete", args=[engagement.pk, 1])
    assert "cannot be undone" in owner_client.get(url).content.decode()
    assert owner_client.post(url).status_code == 302
    assert not Baseline.objects.filter(plan=world["plan"]).exists()
    assert owner_client.get(reverse("planning:baseline", args=[engagement.pk, 1])).status_code == 404


def test_a_viewer_reads_but_cannot_save_and_an_outsider_finds_nothing(client, engagement, owner, world):
    baseline_save(plan=world["plan"], actor=owner, number=0)
    viewer = member(engagement, owner, "victor", "viewer")
    client.force_login(viewer)
    assert client.get(reverse("planning:baseline", args=[engagement.pk, 0])).status_code == 200
    assert client.post(reverse("planning:baselines", args=[engagement.pk]), {"number": 1}).status_code == 403
    assert client.post(reverse("planning:baseline_delete", args=[engagement.pk, 0])).status_code == 403
    other = another_engagement(owner, "Second")
    outsider_plan = plan_world(other)["plan"]
    baseline_save(plan=outsider_plan, actor=owner, number=5)
    assert client.get(reverse("planning:baseline", args=[other.pk, 5])).status_code == 404
    assert client.get(reverse("planning:baseline", args=[engagement.pk, 5])).status_code == 404


def test_the_api_saves_compares_and_deletes(call, engagement, owner, world):
    base = f"{engagement.pk}/plan/baselines"
    created = call("post", base, {"number": 2, "name": "Kick-off"})
    assert created.status_code == 201, created.content
    assert call("post", base, {"number": 2}).json()["field"] == "overwrite"
    assert call("post", base, {"number": 2, "overwrite": True}).status_code == 201
    assert [b["number"] for b in call("get", base).json()] == [2]
    trial = world["successor"]
    task_update(task=trial, actor=owner, expected_version=trial.version, duration_days=12)
    compared = call("get", f"{base}/2").json()
    assert compared["finish_slip_days"] == 2
    assert compared["slipped_tasks"] == 1
    row = next(t for t in compared["tasks"] if t["task_id"] == trial.pk)
    assert (row["start_slip_days"], row["finish_slip_days"]) == (0, 2)
    assert call("get", f"{base}/7").status_code == 404
    assert call("delete", f"{base}/2").status_code == 204
    assert call("get", f"{base}/2").status_code == 404


def test_the_api_hides_another_engagements_baselines(call, engagement, owner, world):
    other = another_engagement(owner, "Second")
    baseline_save(plan=plan_world(other)["plan"], actor=owner, number=0)
    editor = member(engagement, owner, "ed", "editor")
    assert call("get", f"{other.pk}/plan/baselines/0", user=editor).status_code == 404
    assert call("delete", f"{other.pk}/plan/baselines/0", user=editor).status_code == 404
    assert call("post", f"{other.pk}/plan/baselines", {"number": 1}, user=editor).status_code == 404
    assert Baseline.objects.filter(plan__engagement=other).count() == 1


def test_the_comparison_reads_the_same_number_of_queries_at_two_sizes(
    owner_client, engagement, owner, world, django_assert_max_num_queries
):
    plan = world["plan"]
    baseline_save(plan=plan, actor=owner, number=0)
    url = reverse("planning:baseline", args=[engagement.pk, 0])
    with django_assert_max_num_queries(20) as small:
        owner_client.get(url)
    for n in range(40):
        Task.objects.create(plan=plan, order=100 + n, name=f"Extra {n}", duration_days=2)
    baseline_save(plan=plan, actor=owner, number=0, overwrite=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        owner_client.get(url)
    with django_assert_max_num_queries(len(small.captured_queries)):
        owner_client.get(reverse("planning:baselines", args=[engagement.pk]))
