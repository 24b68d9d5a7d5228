"""The risk runs' REST API: editors run (seeded, or a random seed given back), members read the run with its
results and inputs, viewers cannot run, and one engagement's runs are not found through another's paths."""

from __future__ import annotations

import json

import pytest

from certprep.gaps.tests.factories import another_engagement, member
from certprep.planning.models import RiskRun, Task
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
    made = plan_generate(engagement=engagement, actor=owner)
    trial = Task.objects.get(plan=made, origin_key="task:trial-operation")
    trial.optimistic_days, trial.pessimistic_days = trial.duration_days, trial.duration_days + 40
    trial.save()
    return made


def test_an_editor_runs_and_reads_the_percentiles_of_both_audits(call, engagement, plan):
    path = f"/{engagement.pk}/plan/risk-runs"
    made = call("post", path, {"iterations": 1000, "seed": 9})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["iterations"], body["seed"]) == (1000, 9)
    assert [target["kind"] for target in body["targets"]] == ["stage1", "stage2"]
    stage1 = body["targets"][0]
    assert stage1["task_id"] == Task.objects.get(plan=plan, origin_key="task:stage1").pk
    assert stage1["deterministic"] <= stage1["p50"] <= stage1["p80"] <= stage1["p95"]
    assert sum(item["count"] for item in stage1["histogram"]) == 1000
    assert body["estimated_task_ids"] == [Task.objects.get(plan=plan, origin_key="task:trial-operation").pk]
    assert body["critical"][0]["index"] == 1.0
    assert body["inputs"]["tasks"]
    listed = call("get", path).json()
    assert [item["id"] for item in listed] == [body["id"]]
    again = call("get", f"{path}/{body['id']}").json()
    assert again["targets"] == body["targets"]
    seeded = call("post", path, {"iterations": 1000}).json()
    assert 0 <= seeded["seed"] < 2**31


def test_bounds_are_refused_with_the_field(call, engagement, plan):
    refused = call("post", f"/{engagement.pk}/plan/risk-runs", {"iterations": 50})
    assert refused.status_code == 422
    assert not RiskRun.objects.exists()


def test_a_viewer_reads_but_cannot_run(call, engagement, owner, plan):
    run = call("post", f"/{engagement.pk}/plan/risk-runs", {"iterations": 1000, "seed": 1}).json()
    viewer = member(engagement, owner, "victor", "viewer")
    assert call("get", f"/{engagement.pk}/plan/risk-runs/{run['id']}", user=viewer).status_code == 200
    assert call("post", f"/{engagement.pk}/plan/risk-runs", {"iterations": 1000}, user=viewer).status_code == 403


def test_another_engagements_run_is_not_found(call, engagement, owner, plan):
    run = call("post", f"/{engagement.pk}/plan/risk-runs", {"iterations": 1000, "seed": 1}).json()
    other = another_engagement(owner, "Client B")
    plan_generate(engagement=other, actor=owner)
    assert call("get", f"/{other.pk}/plan/risk-runs/{run['id']}").status_code == 404
    assert call("get", f"/{other.pk}/plan/risk-runs").json() == []


def test_an_outsider_gets_404_on_every_risk_route(call, engagement, plan, outsider):
    run = call("post", f"/{engagement.pk}/plan/risk-runs", {"iterations": 1000, "seed": 1}).json()
    base = f"/{engagement.pk}/plan/risk-runs"
    assert call("get", base, user=outsider).status_code == 404
    assert call("get", f"{base}/{run['id']}", user=outsider).status_code == 404
    assert call("post", base, {"iterations": 1000}, user=outsider).status_code == 404
    assert RiskRun.objects.count() == 1
