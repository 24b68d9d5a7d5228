"""The plan's schedule-risk result as an input of the register: the latest run's chance of finishing stage 2 by
its booked date (the last batch when stage 2 is audited in batches) and its P80 date; None without a run."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from certprep.feasibility.selectors.risks import risk_summary, schedule_input
from certprep.planning.models import RiskRun
from certprep.planning.tests.world import plan_world

pytestmark = pytest.mark.django_db


def _target(kind, batch, probability, booked, p80):
    return {
        "kind": kind,
        "batch": batch,
        "key": 1,
        "name": kind,
        "deterministic": None,
        "percentiles": {"50": p80, "80": p80, "95": p80},
        "booked": booked,
        "probability": probability,
        "histogram": [],
        "curve": [],
    }


def _run(plan, targets):
    return RiskRun.objects.create(plan=plan, seed=1, inputs={}, results={"targets": targets})


def test_the_latest_runs_last_stage_2_batch_is_the_input(engagement, owner_client):
    assert schedule_input(engagement) is None
    assert risk_summary(engagement).schedule_probability is None
    plan = plan_world(engagement)["plan"]
    _run(plan, [_target("stage2", 1, 0.5, "2027-09-01", "2027-09-10")])
    latest = _run(
        plan,
        [
            _target("stage1", 1, 0.99, "2027-06-01", "2027-05-20"),
            _target("stage2", 2, 0.61237, "2027-11-15", "2027-11-29"),
            _target("stage2", 1, 0.9, "2027-09-01", "2027-08-20"),
        ],
    )
    found = schedule_input(engagement)
    assert found.run_id == latest.pk
    assert found.probability == Decimal("0.6124")  # rounded half-up to 4 places
    assert (found.booked, found.p80) == (datetime.date(2027, 11, 15), datetime.date(2027, 11, 29))
    assert risk_summary(engagement).schedule_probability == Decimal("0.6124")
    page = owner_client.get(reverse("feasibility:risks", args=[engagement.pk])).content.decode()
    assert 'id="schedule-probability">61 %</strong>' in page


def test_a_run_without_a_booked_stage_2_gives_no_probability(engagement):
    plan = plan_world(engagement)["plan"]
    _run(plan, [_target("stage1", 1, 0.8, "2027-06-01", "2027-05-20")])
    found = schedule_input(engagement)
    assert found is not None
    assert (found.probability, found.p80) == (None, None)
