"""An audit booking of an engagement's small plan (certprep.planning.tests.world), as the isolation walk needs it."""

from __future__ import annotations

import datetime
from typing import Any

from certprep.planning.models import AuditBooking
from certprep.planning.tests.world import plan_world


def booking_world(engagement: Any) -> AuditBooking:
    """The engagement's stage 1 booking (created once)."""
    plan = plan_world(engagement)["plan"]
    booking, _created = AuditBooking.objects.get_or_create(
        plan=plan, kind="stage1", batch=1, defaults={"date": datetime.date(2027, 9, 6)}
    )
    return booking
