"""The audit bookings as the pages and the API read them: in the cycle's order with their book-by dates, the
warnings in words, and a proposed cycle from the scheduled end of the trial operation.

What the rules need from the schedule is found by the template's keys: the SMS operates from the start of
the trial operation (task:trial-operation), the internal audit and the management review finish on their
scheduled finish (task:internal-audit, task:management-review). A plan without those tasks is not warned
about them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from certprep.planning.audit_rules import (
    CYCLE,
    STAGE1,
    STAGE2,
    SURVEILLANCE1,
    AuditWarning,
    Booking,
    Readiness,
    audit_warnings,
    book_now,
    cycle_after,
    cycle_order,
    stage1_after,
    stage2_after,
)
from certprep.planning.audit_words import audit_name, warning_text
from certprep.planning.models import AuditBooking, Plan
from certprep.planning.selectors.page import PlanPage
from certprep.planning.selectors.schedule import scheduled_values

TRIAL_OPERATION = "task:trial-operation"
INTERNAL_AUDIT = "task:internal-audit"
MANAGEMENT_REVIEW = "task:management-review"

# (origin key, start, finish) of a scheduled task
Scheduled = tuple[str, datetime.date | None, datetime.date | None]


@dataclass(frozen=True)
class WarningLine:
    text: str
    problem: bool
    booking_id: int | None


@dataclass(frozen=True)
class Warnings:
    """The warnings as a page shows them: the real problems (an alert), then the reminders."""

    lines: list[WarningLine]

    @property
    def problems(self) -> list[WarningLine]:
        return [w for w in self.lines if w.problem]

    @property
    def reminders(self) -> list[WarningLine]:
        return [w for w in self.lines if not w.problem]


@dataclass(frozen=True)
class BookingRow:
    booking: AuditBooking
    name: str
    book_by: datetime.date
    book_now: bool


@dataclass(frozen=True)
class AuditsPage:
    plan: Plan
    rows: list[BookingRow]
    warnings: list[WarningLine]
    operation_end: datetime.date | None


def readiness(plan: Plan, scheduled: Iterable[Scheduled]) -> tuple[Readiness, datetime.date | None]:
    """What the rules read from the schedule, and when the trial operation ends."""
    starts: dict[str, list[datetime.date]] = {}
    finishes: dict[str, list[datetime.date]] = {}
    for key, start, finish in scheduled:
        if key in (TRIAL_OPERATION, INTERNAL_AUDIT, MANAGEMENT_REVIEW):
            if start is not None:
                starts.setdefault(key, []).append(start)
            if finish is not None:
                finishes.setdefault(key, []).append(finish)
    ready = Readiness(
        operation_start=min(starts.get(TRIAL_OPERATION, []), default=None),
        internal_audit_finish=max(finishes.get(INTERNAL_AUDIT, []), default=None),
        management_review_finish=max(finishes.get(MANAGEMENT_REVIEW, []), default=None),
        minimum_operating_months=plan.minimum_operating_months,
        findings_window_days=plan.findings_window_days,
    )
    return ready, max(finishes.get(TRIAL_OPERATION, []), default=None)


def as_rule(booking: AuditBooking) -> Booking:
    return Booking(
        kind=booking.kind,
        date=booking.date,
        batch=booking.batch,
        audit_days=booking.audit_days,
        reservation_lead_days=booking.reservation_lead_days,
        reserved_on=booking.reserved_on,
        milestone=booking.task.constraint_date if booking.task is not None else None,
    )


def _lines(warnings: list[AuditWarning], bookings: list[AuditBooking]) -> list[WarningLine]:
    ids = {(b.kind, b.batch): b.pk for b in bookings}
    return [WarningLine(warning_text(w), w.problem, ids.get((w.kind, w.batch))) for w in warnings]


def warnings_of(plan: Plan, bookings: list[AuditBooking], scheduled: Iterable[Scheduled]) -> list[WarningLine]:
    ready, _end = readiness(plan, scheduled)
    found = audit_warnings([as_rule(b) for b in bookings], ready, timezone.localdate())
    return _lines(found, bookings)


def _scheduled(plan: Plan) -> list[Scheduled]:
    scheduled = scheduled_values(plan, "origin_key")
    keys = {task["id"]: task["origin_key"] for task in scheduled.tasks if task["origin_key"]}
    return [
        (keys[item.key], item.start.date(), item.finish.date()) for item in scheduled.result.tasks if item.key in keys
    ]


def plan_page_warnings(page: PlanPage) -> Warnings:
    """The warnings for the plan page, from the rows it scheduled already (one query: the bookings)."""
    scheduled = [(row.task.origin_key, row.start, row.finish) for row in page.rows if row.task.origin_key]
    return Warnings(warnings_of(page.plan, plan_bookings(page.plan), scheduled))


def plan_bookings(plan: Plan) -> list[AuditBooking]:
    """The plan's bookings in the cycle's order (one query)."""
    bookings = list(AuditBooking.objects.filter(plan=plan).select_related("task"))
    rank = {kind: n for n, kind in enumerate(CYCLE)}
    for booking in bookings:
        booking.plan = plan
    return sorted(bookings, key=lambda b: (rank.get(b.kind, len(CYCLE)), b.batch, b.date))


def audits_page(plan: Plan) -> AuditsPage:
    """The bookings with their book-by dates and flags, and the warnings (a fixed number of queries)."""
    bookings = plan_bookings(plan)
    scheduled = _scheduled(plan)
    ready, operation_end = readiness(plan, scheduled)
    today = timezone.localdate()
    rows = [BookingRow(b, audit_name(b.kind, b.batch), b.book_by, book_now(as_rule(b), today)) for b in bookings]
    found = audit_warnings([as_rule(b) for b in bookings], ready, today)
    return AuditsPage(plan=plan, rows=rows, warnings=_lines(found, bookings), operation_end=operation_end)


def proposal(plan: Plan) -> list[Booking]:
    """The audits of the cycle not booked yet: stage 1 after the scheduled end of the trial operation (the
    plan's start when it has none), stage 2 one findings window after stage 1, surveillance and recertification
    from the last stage 2 batch; each from the audits already booked where there are some."""
    booked = [as_rule(b) for b in plan_bookings(plan)]
    ready, operation_end = readiness(plan, _scheduled(plan))
    kinds = {b.kind for b in booked}
    stage1 = next((b for b in booked if b.kind == STAGE1), None) or stage1_after(
        operation_end or plan.start_date, ready
    )
    batches = [b for b in cycle_order(booked) if b.kind == STAGE2] or [stage2_after(stage1, ready.findings_window_days)]
    surveillance1 = next((b.date for b in booked if b.kind == SURVEILLANCE1), None)
    cycle = [stage1, *batches, *cycle_after(max(b.last_day for b in batches), surveillance1)]
    return [b for b in cycle if b.kind not in kinds]
