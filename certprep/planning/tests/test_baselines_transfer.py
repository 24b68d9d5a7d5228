"""Baselines and three-point estimates in the engagement file (a lossless round trip through the real export and
import, a baseline entry of a task deleted since kept as such, bad references refused before anything is
written), and the demo plan's baseline 0 saved at the plan's start with a slip to show."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from certprep.core.errors import ServiceError
from certprep.engagements.models import Engagement
from certprep.engagements.transfer import engagement_export, engagement_import
from certprep.planning.models import Baseline, Task
from certprep.planning.selectors.baselines import baseline_comparison
from certprep.planning.services.baselines import baseline_save
from certprep.planning.services.generation import plan_generate
from certprep.planning.services.tasks import task_update

pytestmark = pytest.mark.django_db


def _import(document, actor):
    return engagement_import(raw=json.dumps(document).encode(), actor=actor)[0]


def test_baselines_and_estimates_travel_in_the_engagement_file(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner)
    stage1 = Task.objects.get(plan=plan, origin_key="task:stage1")
    trial = Task.objects.get(plan=plan, origin_key="task:trial-operation")
    task_update(task=trial, actor=owner, expected_version=trial.version, optimistic_days=trial.duration_days - 5)
    baseline_save(plan=plan, actor=owner, number=0, name="Approved")
    gone = Task.objects.filter(plan=plan, parent__isnull=False, children__isnull=True).last()
    gone_name = gone.name
    gone.delete()
    baseline_save(plan=plan, actor=owner, number=4)
    trial.refresh_from_db()
    task_update(task=trial, actor=owner, expected_version=trial.version, duration_days=trial.duration_days + 3)
    exported = engagement_export(engagement)
    section = exported["plan"]
    assert [b["number"] for b in section["baselines"]] == [0, 4]
    assert any(entry["task"] is None and entry["name"] == gone_name for entry in section["baselines"][0]["tasks"])
    copy_ = _import(exported, owner)
    assert engagement_export(copy_)["plan"] == section
    copied = Baseline.objects.get(plan__engagement=copy_, number=0)
    assert copied.name == "Approved"
    assert copied.saved_by == owner
    new_trial = Task.objects.get(plan__engagement=copy_, origin_key="task:trial-operation")
    assert new_trial.optimistic_days == trial.optimistic_days
    before = baseline_comparison(plan, Baseline.objects.get(plan=plan, number=0))
    after = baseline_comparison(copy_.plan, copied)
    assert after.finish_slip == before.finish_slip
    assert [r.finish_slip for r in after.tasks] == [r.finish_slip for r in before.tasks]
    assert [t.name for t in after.removed] == [t.name for t in before.removed] == [gone_name]
    assert Task.objects.get(plan=copy_.plan, origin_key="task:stage1").name == stage1.name


def test_a_baseline_naming_a_task_the_file_does_not_have_is_refused(catalogue, engagement, owner):
    plan = plan_generate(engagement=engagement, actor=owner)
    baseline_save(plan=plan, actor=owner, number=0)
    document = engagement_export(engagement)
    document["plan"]["baselines"][0]["tasks"][0]["task"] = 99_999
    count = Engagement.objects.count()
    with pytest.raises(ServiceError, match="baseline 0 names a task"):
        _import(document, owner)
    document["plan"]["baselines"][0]["tasks"][0]["task"] = 0
    document["plan"]["baselines"].append(document["plan"]["baselines"][0])
    with pytest.raises(ServiceError, match="two baselines with the same number"):
        _import(document, owner)
    assert Engagement.objects.count() == count


def test_the_demo_plan_has_baseline_0_from_its_start_and_shows_a_slip():
    call_command("load_demo", verbosity=0)
    demo = get_user_model().objects.get(username="demo")
    engagement = Engagement.objects.get(memberships__user=demo, memberships__role="owner")
    baseline = Baseline.objects.get(plan__engagement=engagement, number=0)
    assert baseline.saved_at.date() == engagement.plan.start_date
    comparison = baseline_comparison(engagement.plan, baseline)
    assert comparison.slipped >= 1
    assert comparison.finish_slip is not None
    assert not comparison.added
    assert not comparison.removed
