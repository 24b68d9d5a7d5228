"""Risk runs in the engagement file: a lossless round trip through the real export and import (a task deleted
since the run kept by a negative number, the run repeating from its imported inputs), references the section
does not have refused before anything is written; the demo plan with its estimates and one stored run."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import RiskRun, Task
from certprep.planning.services.generation import plan_generate
from certprep.planning.services.risk import risk_compute, risk_run

pytestmark = pytest.mark.django_db


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


@pytest.fixture
def plan(catalogue, engagement, owner):
    made = plan_generate(engagement=engagement, actor=owner)
    trial = Task.objects.get(plan=made, origin_key="task:trial-operation")
    trial.optimistic_days, trial.pessimistic_days = trial.duration_days - 5, trial.duration_days + 30
    trial.save()
    return made


def test_risk_runs_travel_in_the_engagement_file_and_repeat_there(plan, engagement, owner):
    first = risk_run(plan=plan, actor=owner, iterations=1000, seed=3)
    gone = Task.objects.filter(plan=plan, parent__isnull=False, children__isnull=True).last()
    gone_name = gone.name
    gone.delete()
    risk_run(plan=plan, actor=owner, iterations=1500, seed=4)
    exported = engagement_export(engagement)
    section = exported["plan"]
    assert [(r["iterations"], r["seed"]) for r in section["risk_runs"]] == [(1000, 3), (1500, 4)]
    listed = {t["name"]: t["key"] for t in section["risk_runs"][0]["inputs"]["tasks"]}
    assert listed[gone_name] == -1
    copy_ = _import(exported, owner)
    assert engagement_export(copy_)["plan"] == section
    copied = RiskRun.objects.filter(plan__engagement=copy_).order_by("created_at", "pk")
    assert [run.created_at for run in copied] == [run.created_at for run in RiskRun.objects.filter(plan=plan)][::-1]
    old = copied[0]
    assert old.created_by == owner
    assert risk_compute(old.inputs, iterations=old.iterations, seed=old.seed) == old.results
    stage1 = Task.objects.get(plan__engagement=copy_, origin_key="task:stage1")
    assert old.results["targets"][0]["key"] == stage1.pk
    assert old.results["targets"][0]["percentiles"] == first.results["targets"][0]["percentiles"]


def test_a_run_naming_a_task_the_file_does_not_have_is_refused(plan, engagement, owner):
    risk_run(plan=plan, actor=owner, iterations=1000, seed=3)
    document = engagement_export(engagement)
    document["plan"]["risk_runs"][0]["inputs"]["tasks"][0]["key"] = 99_999
    count = Engagement.objects.count()
    with pytest.raises(ServiceError, match="risk analysis run 1 names a task the section does not have"):
        _import(document, owner)
    document = engagement_export(engagement)
    document["plan"]["risk_runs"][0]["inputs"]["targets"][0]["key"] = -7
    with pytest.raises(ServiceError, match="risk analysis run 1 names a task its inputs do not list"):
        _import(document, owner)
    assert Engagement.objects.count() == count


def test_the_demo_plan_has_estimates_and_a_stored_run():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo, memberships__role="owner")
    run = RiskRun.objects.get(plan__engagement=engagement)
    assert run.iterations == 5000
    assert [target["kind"] for target in run.results["targets"]][:2] == ["stage1", "stage2"]
    assert len(run.results["drawn"]) > 20
    assert run.results["critical"]
