"""The audit bookings: listed in the cycle's order, booked, changed, cancelled; and the warnings the plan gives
(each named by its audit and dates, in the caller's language)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE, VERSION_HELP, sent
from certprep.planning.audit_access import booking_for
from certprep.planning.audit_words import audit_name
from certprep.planning.choices import AuditKind
from certprep.planning.models import AuditBooking
from certprep.planning.selectors.audits import audits_page, plan_bookings
from certprep.planning.services.audits import booking_create, booking_delete, booking_update

router = Router()
BOOKINGS = BASE + "/bookings"


class BookingOut(Schema):
    id: int
    kind: str = Field(description="stage1, stage2, surveillance1, surveillance2 or recertification.")
    batch: int = Field(description="Stage 2's batch; 1 for the other audits.")
    name: str = Field(description="The audit's name with its batch, as the plan's milestone is named.")
    date: datetime.date
    audit_days: int
    reservation_lead_days: int
    book_by: datetime.date = Field(description="The audit date less the reservation lead time.")
    reserved_on: datetime.date | None
    scope: str
    notes: str
    task_id: int | None = Field(description="The booking's milestone on the plan.")
    version: int


class BookingIn(InputSchema):
    kind: Choice[AuditKind]
    batch: int = Field(1, ge=1, le=20)
    date: IsoDate
    audit_days: int = Field(1, ge=1, le=60)
    reservation_lead_days: int = Field(60, ge=0, le=730)
    reserved_on: IsoDate | None = None
    scope: str = Field("", max_length=300)
    notes: str = Field("", max_length=20_000)


class BookingPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    kind: Choice[AuditKind] | None = None
    batch: int | None = Field(None, ge=1, le=20)
    date: IsoDate | None = None
    audit_days: int | None = Field(None, ge=1, le=60)
    reservation_lead_days: int | None = Field(None, ge=0, le=730)
    reserved_on: IsoDate | None = Field(None, description="null clears it.")
    scope: str | None = Field(None, max_length=300)
    notes: str | None = Field(None, max_length=20_000)


class WarningOut(Schema):
    text: str = Field(description="The warning in words, naming the audit and the dates.")
    problem: bool = Field(description="A broken precondition; false for a reminder (a book-by date near).")
    booking_id: int | None


def booking_out(booking: AuditBooking) -> dict[str, Any]:
    fields = ("kind", "batch", "date", "audit_days", "reservation_lead_days", "reserved_on", "scope", "notes")
    return {
        "id": booking.pk,
        "name": audit_name(booking.kind, booking.batch),
        "book_by": booking.book_by,
        "task_id": booking.task_id,
        "version": booking.version,
        **{name: getattr(booking, name) for name in fields},
    }


@router.get(BOOKINGS, response={200: list[BookingOut], **READ}, summary="The audit bookings in the cycle's order")
def booking_list(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [booking_out(b) for b in plan_bookings(plan)]


@router.get(
    BOOKINGS + "/warnings",
    response={200: list[WarningOut], **READ},
    summary="What the plan and the bookings break in the certification cycle",
)
def booking_warnings(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [{"text": w.text, "problem": w.problem, "booking_id": w.booking_id} for w in audits_page(plan).warnings]


@router.post(BOOKINGS, response={201: BookingOut, **WRITE}, summary="Book an audit (editors; adds its milestone)")
def booking_post(request: SignedInRequest, engagement_id: int, payload: BookingIn) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    booking = booking_create(plan=plan, actor=request.user, **payload.dict())
    return Status(201, booking_out(booking))


@router.get(BOOKINGS + "/{booking_id}", response={200: BookingOut, **READ}, summary="One audit booking")
def booking_get(request: HttpRequest, engagement_id: int, booking_id: int) -> Any:
    booking, _m = booking_for(request.user, engagement_id, booking_id)
    return booking_out(booking)


@router.patch(
    BOOKINGS + "/{booking_id}",
    response={200: BookingOut, **VERSIONED},
    summary="Change a booking (editors; send the version you read; its milestone follows)",
)
def booking_patch(request: SignedInRequest, engagement_id: int, booking_id: int, payload: BookingPatch) -> Any:
    booking, _m = booking_for(request.user, engagement_id, booking_id, role=Role.EDITOR)
    booking_update(booking=booking, actor=request.user, expected_version=payload.version, **sent(payload))
    return booking_out(booking)


@router.delete(
    BOOKINGS + "/{booking_id}",
    response={204: None, **VERSIONED},
    summary="Cancel a booking (editors; removes its milestone)",
)
def booking_cancel(request: SignedInRequest, engagement_id: int, booking_id: int, query: Query[VersionQuery]) -> Any:
    booking, _m = booking_for(request.user, engagement_id, booking_id, role=Role.EDITOR)
    booking_delete(booking=booking, actor=request.user, expected_version=query.version)
    return Status(204, None)
