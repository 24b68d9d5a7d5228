"""A risk run of the small plan of certprep.planning.tests.world, as the isolation walk needs it."""

from __future__ import annotations

from typing import Any

from certprep.planning.models import RiskRun
from certprep.planning.services.risk import risk_compute, risk_inputs
from certprep.planning.tests.world import plan_world


def risk_world(engagement: Any) -> RiskRun:
    """One run of the engagement's plan (made once), with its inputs and results."""
    plan = plan_world(engagement)["plan"]
    run = RiskRun.objects.filter(plan=plan).first()
    if run is None:
        inputs = risk_inputs(plan)
        results = risk_compute(inputs, iterations=1000, seed=1)
        run = RiskRun.objects.create(plan=plan, iterations=1000, seed=1, inputs=inputs, results=results)
    return run
