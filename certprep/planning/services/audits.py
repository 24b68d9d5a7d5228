"""Booking the certification body's audits: adding, changing and removing a booking, confirming a proposed cycle,
and naming the certification body. Each write checks the version the person read and is recorded in the audit
trail.

A booking owns a milestone on the plan (`booking.task`): made with it, under the certification stage's summary
task, named after the audit and its batch (in English and Chinese), fixed on the audit's date (must start on),
kept in step whenever the booking changes and removed with it. So the schedule, the Gantt chart and every
export see the audits as they see any milestone."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.planning.audit_rules import STAGE2, add_months
from certprep.planning.audit_rules import Booking as Proposed
from certprep.planning.audit_words import audit_name
from certprep.planning.choices import BOOKING_RULE, AuditKind, ConstraintType, Stage
from certprep.planning.models import AuditBooking, Plan, Task
from certprep.planning.services.tasks import plan_fields_saved

CERTIFICATION_STAGE = f"stage:{Stage.CERTIFICATION}"
BOOKING_FIELDS = ("kind", "batch", "date", "audit_days", "reservation_lead_days", "reserved_on", "scope", "notes")
MAX_LEAD_DAYS = 730
YEARS_AHEAD = 10


def _names(kind: str, batch: int) -> tuple[str, str]:
    """The milestone's name in English and in Chinese."""
    with translation.override("en"):
        english = audit_name(kind, batch)
    with translation.override("zh-hans"):
        chinese = audit_name(kind, batch)
    return english, chinese


def _date_range(plan: Plan) -> tuple[datetime.date, datetime.date]:
    """The dates an audit may take: a year before the plan starts to ten years after (the cycle takes about
    five), so the schedule never has to reach into another century."""
    start = plan.start_date
    return start - datetime.timedelta(days=366), add_months(start, YEARS_AHEAD * 12)


def _check(booking: AuditBooking) -> None:
    if booking.kind not in AuditKind.values:
        raise ServiceError(_("Unknown audit."), field="kind")
    if booking.kind != STAGE2 and booking.batch != 1:
        raise ServiceError(_("Only the stage 2 audit is held in batches."), field="batch")
    if not 1 <= booking.batch <= 20:
        raise ServiceError(_("A batch is numbered from 1 to 20."), field="batch")
    first, last = _date_range(booking.plan)
    if not first <= booking.date <= last:
        raise ServiceError(
            _("An audit date lies between %(first)s and %(last)s (around the plan's start).")
            % {"first": first.isoformat(), "last": last.isoformat()},
            field="date",
        )
    if not 1 <= booking.audit_days <= 60:
        raise ServiceError(_("An audit lasts from 1 to 60 days."), field="audit_days")
    if not 0 <= booking.reservation_lead_days <= MAX_LEAD_DAYS:
        raise ServiceError(_("The reservation lead time is at most 730 days."), field="reservation_lead_days")
    if booking.reserved_on is not None and booking.reserved_on < datetime.date(2000, 1, 1):
        raise ServiceError(_("Enter the day the reservation was made."), field="reserved_on")
    if booking.reserved_on is not None and booking.reserved_on > timezone.localdate():
        raise ServiceError(
            _("A reservation cannot be made in the future: enter the day it was made."), field="reserved_on"
        )
    taken = AuditBooking.objects.filter(plan_id=booking.plan_id, kind=booking.kind, batch=booking.batch)
    if taken.exclude(pk=booking.pk).exists():
        raise ServiceError(_("This audit (and batch) is booked already."), field="batch")


def _milestone(booking: AuditBooking) -> Task:
    """A new milestone for the booking, last under the certification stage (at the top level without one)."""
    plan = booking.plan
    parent = Task.objects.filter(plan=plan, origin_key=CERTIFICATION_STAGE).first()
    siblings = Task.objects.filter(plan=plan, parent=parent)
    last = siblings.aggregate(last=Max("order"))["last"] or 0
    english, chinese = _names(booking.kind, booking.batch)
    return Task.objects.create(
        plan=plan,
        parent=parent,
        order=last + 1,
        outline_level=parent.outline_level + 1 if parent else 1,
        name=english,
        translations={"zh-hans": {"name": chinese}},
        duration_days=0,
        milestone=True,
        constraint_type=ConstraintType.MSO,
        constraint_date=booking.date,
        rule=BOOKING_RULE + booking.kind,
    )


def _keep_milestone_in_step(booking: AuditBooking) -> None:
    """Name and date the booking's milestone as the booking says (its version bumped, so a task form open on
    the old date is told), or make it again when someone removed it."""
    if booking.task_id is None or not Task.objects.filter(pk=booking.task_id).exists():
        booking.task = _milestone(booking)
        AuditBooking.objects.filter(pk=booking.pk).update(task=booking.task)
        return
    english, chinese = _names(booking.kind, booking.batch)
    task = Task.objects.get(pk=booking.task_id)
    texts = {**task.translations, "zh-hans": {**task.translations.get("zh-hans", {}), "name": chinese}}
    Task.objects.filter(pk=task.pk).update(
        name=english,
        translations=texts,
        milestone=True,
        duration_days=0,
        constraint_type=ConstraintType.MSO,
        constraint_date=booking.date,
        rule=BOOKING_RULE + booking.kind,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )


def _facts(booking: AuditBooking) -> dict[str, Any]:
    return {name: getattr(booking, name) for name in BOOKING_FIELDS}


@transaction.atomic
def booking_create(
    *,
    plan: Plan,
    actor: Actor,
    kind: str,
    date: datetime.date,
    batch: int = 1,
    audit_days: int = 1,
    reservation_lead_days: int = 60,
    reserved_on: datetime.date | None = None,
    scope: str = "",
    notes: str = "",
) -> AuditBooking:
    """Book an audit, with its milestone on the plan."""
    booking = AuditBooking(
        plan=plan,
        kind=kind,
        batch=batch,
        date=date,
        audit_days=audit_days,
        reservation_lead_days=reservation_lead_days,
        reserved_on=reserved_on,
        scope=scope.strip(),
        notes=notes,
    )
    _check(booking)
    booking.save()
    booking.task = _milestone(booking)
    booking.save(update_fields=["task"])
    audit_record(
        engagement=plan.engagement, actor=actor, action=AuditEntry.Action.CREATE, obj=booking, values=_facts(booking)
    )
    return booking


@transaction.atomic
def booking_update(*, booking: AuditBooking, actor: Actor, expected_version: int, **changes: Any) -> AuditBooking:
    """Change a booking's fields (BOOKING_FIELDS; reserved_on None clears it, other None leave a field as it is);
    its milestone follows."""
    unknown = set(changes) - set(BOOKING_FIELDS)
    if unknown:
        raise TypeError(f"booking_update() got unknown fields {sorted(unknown)}")
    fields = [name for name, value in changes.items() if value is not None or name == "reserved_on"]
    before = snapshot(booking, fields)
    for name in fields:
        setattr(booking, name, changes[name].strip() if name == "scope" else changes[name])
    _check(booking)
    save_versioned(booking, expected_version=expected_version, fields=fields)
    _keep_milestone_in_step(booking)
    changed = {k: [before[k], v] for k, v in snapshot(booking, fields).items() if before[k] != v}
    if changed:
        audit_record(
            engagement=booking.plan.engagement,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=booking,
            changes=changed,
        )
    return booking


@transaction.atomic
def booking_delete(*, booking: AuditBooking, actor: Actor, expected_version: int | None = None) -> None:
    """Cancel a booking and remove its milestone (a stale version is refused)."""

    def record(stored: AuditBooking) -> None:
        audit_record(
            engagement=booking.plan.engagement,
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=stored,
            values=_facts(stored),
        )

    task_id = booking.task_id
    conflict = _("Someone else changed this booking since you opened it; it was not removed. Open the page again.")
    if delete_versioned(booking, expected_version=expected_version, conflict=conflict, record=record) and task_id:
        Task.objects.filter(pk=task_id).delete()


@transaction.atomic
def bookings_confirm(*, plan: Plan, actor: Actor, proposals: Sequence[Proposed]) -> list[AuditBooking]:
    """Book the proposed audits the person confirmed (all or none)."""
    return [
        booking_create(
            plan=plan,
            actor=actor,
            kind=p.kind,
            batch=p.batch,
            date=p.date,
            audit_days=p.audit_days,
            reservation_lead_days=p.reservation_lead_days,
            reserved_on=p.reserved_on,
        )
        for p in proposals
    ]


@transaction.atomic
def plan_cycle_update(
    *,
    plan: Plan,
    actor: Actor,
    expected_version: int,
    certification_body: str | None = None,
    findings_window_days: int | None = None,
) -> Plan:
    """Name the certification body and set the window to close stage 1 findings before stage 2."""
    fields: list[str] = []
    if certification_body is not None:
        plan.certification_body, fields = certification_body.strip()[:200], [*fields, "certification_body"]
    if findings_window_days is not None:
        if not 1 <= findings_window_days <= 365:
            raise ServiceError(_("Between 1 and 365 days."), field="findings_window_days")
        plan.findings_window_days, fields = findings_window_days, [*fields, "findings_window_days"]
    return plan_fields_saved(plan, actor=actor, expected_version=expected_version, fields=fields)
