"""The certification cycle's rules over the audit bookings, as plain data: what the plan breaks, and the bookings
to propose. No Django, no database, no words: pages word each warning from its code and dates.

The cycle (ISO/IEC 17021-1, ISO/IEC 20000-6): stage 1 once the SMS has operated for the minimum time and the
internal audit and the management review are done; stage 2 after a window to close what stage 1 found, in one
or more batches; the certification decision follows the last stage 2 batch; surveillance within 12 months of
the decision and again within 12 months of the first surveillance; recertification before the certificate
expires, three years after the decision. certprep has no decision date of its own: the last stage 2 batch's last
audit day stands for it (the decision cannot come earlier, so the limits drawn from it are never too late).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

STAGE1 = "stage1"
STAGE2 = "stage2"
SURVEILLANCE1 = "surveillance1"
SURVEILLANCE2 = "surveillance2"
RECERTIFICATION = "recertification"
CYCLE = (STAGE1, STAGE2, SURVEILLANCE1, SURVEILLANCE2, RECERTIFICATION)

BOOK_SOON_DAYS = 14  # a book-by date this close is worth a reminder
SURVEILLANCE_MONTHS = 12
CERTIFICATE_MONTHS = 36
RECERTIFICATION_MONTHS = 35  # proposed a month before the certificate expires, to leave time for the decision
DEFAULT_LEAD_DAYS = 60


class Code(StrEnum):
    """What a warning says; `problem` tells a broken precondition from a reminder."""

    OPERATING_TIME = "operating-time"
    INTERNAL_AUDIT = "internal-audit"
    MANAGEMENT_REVIEW = "management-review"
    FINDINGS_WINDOW = "findings-window"
    BATCH_ORDER = "batch-order"
    BATCH_OVERLAP = "batch-overlap"
    MILESTONE_MOVED = "milestone-moved"
    BOOK_BY_PASSED = "book-by-passed"
    BOOK_BY_NEAR = "book-by-near"
    SURVEILLANCE1_LATE = "surveillance1-late"
    SURVEILLANCE2_LATE = "surveillance2-late"
    RECERTIFICATION_LATE = "recertification-late"


REMINDERS = frozenset({Code.BOOK_BY_NEAR})


@dataclass(frozen=True)
class Booking:
    """An audit as booked: its kind (one of CYCLE), stage 2's batch, first day, audit days and reservation."""

    kind: str
    date: datetime.date
    batch: int = 1
    audit_days: int = 1
    reservation_lead_days: int = DEFAULT_LEAD_DAYS
    reserved_on: datetime.date | None = None
    milestone: datetime.date | None = None  # the date its milestone on the plan must start on, when it has one

    @property
    def book_by(self) -> datetime.date:
        return self.date - datetime.timedelta(days=self.reservation_lead_days)

    @property
    def last_day(self) -> datetime.date:
        return self.date + datetime.timedelta(days=max(self.audit_days, 1) - 1)


@dataclass(frozen=True)
class Readiness:
    """What the schedule says about the SMS: when its trial operation starts and when the internal audit and
    the management review finish (None: the plan has no such task), and the plan's cycle settings."""

    operation_start: datetime.date | None = None
    internal_audit_finish: datetime.date | None = None
    management_review_finish: datetime.date | None = None
    minimum_operating_months: int = 3
    findings_window_days: int = 30


@dataclass(frozen=True)
class AuditWarning:
    """A broken precondition (or a reminder) about one audit: `date` is the audit's (for book-by warnings, the
    book-by date), `limit` the date the rule draws, `since` the date the limit is counted from, `days` a
    number the words need (months of operation, days of the window, days left to book)."""

    code: Code
    kind: str
    batch: int
    date: datetime.date
    limit: datetime.date
    since: datetime.date | None = None
    days: int | None = None
    other_batch: int | None = None

    @property
    def problem(self) -> bool:
        return self.code not in REMINDERS


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter): 31 Jan + 1 = 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def cycle_order(bookings: Sequence[Booking]) -> list[Booking]:
    """The bookings in the cycle's order: stage 1, stage 2 by batch, surveillance 1 and 2, recertification."""
    return sorted(bookings, key=lambda b: (CYCLE.index(b.kind) if b.kind in CYCLE else len(CYCLE), b.batch, b.date))


def _first(bookings: Sequence[Booking], kind: str) -> Booking | None:
    return next((b for b in cycle_order(bookings) if b.kind == kind), None)


def decision_date(bookings: Sequence[Booking]) -> datetime.date | None:
    """The day standing for the certification decision: the last stage 2 batch's last audit day."""
    stage2 = [b for b in bookings if b.kind == STAGE2]
    return max(b.last_day for b in stage2) if stage2 else None


def _stage1_warnings(stage1: Booking, ready: Readiness) -> list[AuditWarning]:
    found = []
    if ready.operation_start is not None:
        operated = add_months(ready.operation_start, ready.minimum_operating_months)
        if stage1.date < operated:
            found.append(
                AuditWarning(
                    Code.OPERATING_TIME,
                    STAGE1,
                    stage1.batch,
                    stage1.date,
                    operated,
                    since=ready.operation_start,
                    days=ready.minimum_operating_months,
                )
            )
    for code, finish in (
        (Code.INTERNAL_AUDIT, ready.internal_audit_finish),
        (Code.MANAGEMENT_REVIEW, ready.management_review_finish),
    ):
        if finish is not None and stage1.date <= finish:
            found.append(AuditWarning(code, STAGE1, stage1.batch, stage1.date, finish))
    return found


def _stage2_warnings(stage1: Booking | None, batches: list[Booking], window_days: int) -> list[AuditWarning]:
    found = []
    if stage1 is not None and batches:
        first = batches[0]
        earliest = stage1.last_day + datetime.timedelta(days=window_days)
        if first.date < earliest:
            found.append(
                AuditWarning(
                    Code.FINDINGS_WINDOW, STAGE2, first.batch, first.date, earliest, since=stage1.date, days=window_days
                )
            )
    for before, after in zip(batches, batches[1:], strict=False):
        if after.date < before.date:
            found.append(
                AuditWarning(Code.BATCH_ORDER, STAGE2, after.batch, after.date, before.date, other_batch=before.batch)
            )
        elif after.date <= before.last_day:
            found.append(
                AuditWarning(
                    Code.BATCH_OVERLAP, STAGE2, after.batch, after.date, before.last_day, other_batch=before.batch
                )
            )
    return found


def _cycle_warnings(bookings: Sequence[Booking]) -> list[AuditWarning]:
    found = []
    decision = decision_date(bookings)
    surveillance1 = _first(bookings, SURVEILLANCE1)
    surveillance2 = _first(bookings, SURVEILLANCE2)
    recertification = _first(bookings, RECERTIFICATION)
    if decision is not None and surveillance1 is not None:
        limit = add_months(decision, SURVEILLANCE_MONTHS)
        if surveillance1.date > limit:
            found.append(
                AuditWarning(
                    Code.SURVEILLANCE1_LATE,
                    SURVEILLANCE1,
                    surveillance1.batch,
                    surveillance1.date,
                    limit,
                    since=decision,
                )
            )
    if surveillance1 is not None and surveillance2 is not None:
        limit = add_months(surveillance1.date, SURVEILLANCE_MONTHS)
        if surveillance2.date > limit:
            found.append(
                AuditWarning(
                    Code.SURVEILLANCE2_LATE,
                    SURVEILLANCE2,
                    surveillance2.batch,
                    surveillance2.date,
                    limit,
                    since=surveillance1.date,
                )
            )
    if decision is not None and recertification is not None:
        expires = add_months(decision, CERTIFICATE_MONTHS)
        if recertification.last_day >= expires:
            found.append(
                AuditWarning(
                    Code.RECERTIFICATION_LATE,
                    RECERTIFICATION,
                    recertification.batch,
                    recertification.date,
                    expires,
                    since=decision,
                )
            )
    return found


def _booking_warnings(bookings: Sequence[Booking], today: datetime.date) -> list[AuditWarning]:
    """A milestone moved away from its booking's date (on the Gantt chart, on the task's form); an audit still
    to come that is not reserved: its book-by date passed, or within BOOK_SOON_DAYS."""
    found = []
    for booking in cycle_order(bookings):
        if booking.milestone is not None and booking.milestone != booking.date:
            found.append(
                AuditWarning(Code.MILESTONE_MOVED, booking.kind, booking.batch, booking.date, booking.milestone)
            )
        if booking.reserved_on is not None or booking.date < today:
            continue
        left = (booking.book_by - today).days
        if left < 0:
            found.append(AuditWarning(Code.BOOK_BY_PASSED, booking.kind, booking.batch, booking.date, booking.book_by))
        elif left <= BOOK_SOON_DAYS:
            found.append(
                AuditWarning(Code.BOOK_BY_NEAR, booking.kind, booking.batch, booking.date, booking.book_by, days=left)
            )
    return found


def audit_warnings(bookings: Sequence[Booking], ready: Readiness, today: datetime.date) -> list[AuditWarning]:
    """Everything the bookings break, in the cycle's order of the audits; the real problems before the
    reminders."""
    stage1 = _first(bookings, STAGE1)
    batches = [b for b in cycle_order(bookings) if b.kind == STAGE2]
    found = [
        *(_stage1_warnings(stage1, ready) if stage1 is not None else []),
        *_stage2_warnings(stage1, batches, ready.findings_window_days),
        *_cycle_warnings(bookings),
        *_booking_warnings(bookings, today),
    ]
    return sorted(found, key=lambda w: (not w.problem, CYCLE.index(w.kind), w.batch))


def book_now(booking: Booking, today: datetime.date) -> bool:
    """Whether the booking's page flags it: not reserved, to come, and its book-by date near or passed."""
    return booking.reserved_on is None and booking.date >= today and (booking.book_by - today).days <= BOOK_SOON_DAYS


def _weekday_on_or_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _weekday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday() - 4 if day.weekday() >= 5 else 0)


def stage2_after(stage1: Booking, window_days: int) -> Booking:
    """Stage 2 on the first weekday one findings window after stage 1's last day."""
    return Booking(STAGE2, _weekday_on_or_after(stage1.last_day + datetime.timedelta(days=window_days)))


def cycle_after(decision: datetime.date, surveillance1: datetime.date | None = None) -> list[Booking]:
    """Surveillance 12 months after the decision (or on the date already booked) and 12 months after that,
    recertification a month before the certificate expires; each on a weekday on or before its limit."""
    first = Booking(SURVEILLANCE1, surveillance1 or _weekday_on_or_before(add_months(decision, SURVEILLANCE_MONTHS)))
    second = Booking(SURVEILLANCE2, _weekday_on_or_before(add_months(first.date, SURVEILLANCE_MONTHS)))
    recertification = Booking(RECERTIFICATION, _weekday_on_or_before(add_months(decision, RECERTIFICATION_MONTHS)))
    return [first, second, recertification]


def stage1_after(operation_end: datetime.date, ready: Readiness) -> Booking:
    """Stage 1 on the first weekday after the trial operation ends, the minimum operating time is over and the
    internal audit and the management review are finished."""
    earliest = operation_end + datetime.timedelta(days=1)
    if ready.operation_start is not None:
        earliest = max(earliest, add_months(ready.operation_start, ready.minimum_operating_months))
    for finish in (ready.internal_audit_finish, ready.management_review_finish):
        if finish is not None:
            earliest = max(earliest, finish + datetime.timedelta(days=1))
    return Booking(STAGE1, _weekday_on_or_after(earliest))


def propose(operation_end: datetime.date, ready: Readiness) -> list[Booking]:
    """A booking of each audit of the cycle: stage 1 after the trial operation (stage1_after), stage 2 one
    findings window later, then surveillance and recertification (cycle_after). Every date a weekday; the
    proposal breaks none of the cycle's rules."""
    stage1 = stage1_after(operation_end, ready)
    stage2 = stage2_after(stage1, ready.findings_window_days)
    return [stage1, stage2, *cycle_after(stage2.last_day)]
