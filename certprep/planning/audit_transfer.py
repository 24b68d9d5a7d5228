"""The audit bookings' part of the plan's section of the engagement file (certprep.planning.transfer): each
booking with its milestone named by its position among the section's tasks, checked before anything is
written and loaded after the tasks."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.schemas import Choice
from certprep.planning.audit_rules import STAGE2
from certprep.planning.choices import AuditKind
from certprep.planning.models import AuditBooking, Plan, Task

BOOKING_FIELDS = ("batch", "date", "audit_days", "reservation_lead_days", "reserved_on", "scope", "notes")


class BookingPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Choice[AuditKind]
    batch: int = Field(1, ge=1, le=20)
    date: datetime.date
    audit_days: int = Field(1, ge=1, le=60)
    reservation_lead_days: int = Field(60, ge=0, le=730)
    reserved_on: datetime.date | None = None
    scope: str = Field("", max_length=300)
    notes: str = Field("", max_length=20_000)
    task: int | None = Field(None, ge=0, description="Position of the booking's milestone among the tasks.")


def bookings_export(plan: Plan, position: dict[int, int]) -> list[BookingPart]:
    """The plan's bookings (`position`: each task's place in the section's list)."""
    return [
        BookingPart(
            kind=AuditKind(b.kind),
            task=position.get(b.task_id) if b.task_id else None,
            **{name: getattr(b, name) for name in BOOKING_FIELDS},
        )
        for b in AuditBooking.objects.filter(plan=plan).order_by("pk")
    ]


def bookings_problem(bookings: Sequence[BookingPart], tasks: int, *, planned: bool) -> str | None:
    """What makes the bookings unloadable (None: nothing): bookings without a plan, an audit booked twice, a
    batch outside stage 2, a milestone the section does not have or one milestone for two bookings."""
    if bookings and not planned:
        return _("audit bookings without a plan.")
    audits: set[tuple[str, int]] = set()
    milestones: set[int] = set()
    for n, booking in enumerate(bookings, 1):
        if (booking.kind, booking.batch) in audits:
            return _("booking %(n)s books an audit (and batch) a second time.") % {"n": n}
        if booking.kind != STAGE2 and booking.batch != 1:
            return _("booking %(n)s gives a batch to an audit that has none.") % {"n": n}
        if booking.task is not None and (booking.task >= tasks or booking.task in milestones):
            return _("booking %(n)s names a milestone the section does not have, or another booking's.") % {"n": n}
        audits.add((booking.kind, booking.batch))
        if booking.task is not None:
            milestones.add(booking.task)
    return None


def bookings_import(plan: Plan, bookings: Sequence[BookingPart], tasks: Sequence[Task]) -> None:
    AuditBooking.objects.bulk_create(
        AuditBooking(
            plan=plan,
            kind=b.kind,
            task=tasks[b.task] if b.task is not None else None,
            **{name: getattr(b, name) for name in BOOKING_FIELDS},
        )
        for b in bookings
    )
