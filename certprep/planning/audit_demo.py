"""The demo plan's audit bookings: a certification body, stage 1, stage 2 in two batches, both surveillance
audits and the recertification, dated from the demo's schedule as the proposal dates them; stage 1 reserved."""

from __future__ import annotations

import dataclasses
import datetime

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.planning.audit_rules import STAGE1, STAGE2, Booking, cycle_after
from certprep.planning.models import Plan
from certprep.planning.selectors.audits import proposal
from certprep.planning.services.audits import bookings_confirm

DEMO_BODY = "Huaxin Certification Centre (demo)"
SECOND_BATCH_AFTER = 21  # days between the two stage 2 batches, to improve what the first one found
SCOPES = {
    1: "Service desk: incident and service request management",
    2: "Change, release and configuration management; data centre site",
}


def load_audits_demo(*, plan: Plan, actor: Actor) -> None:
    if plan.bookings.exists():
        return
    Plan.objects.filter(pk=plan.pk).update(certification_body=DEMO_BODY)
    plan.certification_body = DEMO_BODY
    proposed = {b.kind: b for b in proposal(plan)}
    stage1 = dataclasses.replace(proposed[STAGE1], audit_days=2, reserved_on=timezone.localdate())
    first = dataclasses.replace(proposed[STAGE2], audit_days=3)
    second = Booking(STAGE2, first.date + datetime.timedelta(days=SECOND_BATCH_AFTER), batch=2, audit_days=2)
    bookings = bookings_confirm(
        plan=plan, actor=actor, proposals=[stage1, first, second, *cycle_after(second.last_day)]
    )
    for booking in bookings:
        if booking.kind == STAGE2:
            booking.scope = SCOPES[booking.batch]
            booking.save(update_fields=["scope"])
