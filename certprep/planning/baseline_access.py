"""The door to the plan's baselines, as certprep.planning.access is to its other objects: a member of the
engagement reads them, an editor saves and deletes; a baseline of another engagement, or a number not saved, is
404."""

from __future__ import annotations

from django.http import Http404

from certprep.core.actors import Visitor
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.planning.access import plan_for
from certprep.planning.models import Baseline


def baseline_for(
    user: Visitor, engagement_id: int, number: int, *, role: str = Role.VIEWER
) -> tuple[Baseline, Membership]:
    plan, membership = plan_for(user, engagement_id, role=role)
    baseline = Baseline.objects.filter(plan=plan, number=number).first() if 0 <= number <= 10 else None
    if baseline is None:
        raise Http404
    baseline.plan = plan
    return baseline, membership
