"""The vendors' links to the plan's audit bookings (certprep.core.parts.LinkFinder): each booking shows the chosen
certification body (the latest decision), its availability windows and whether the audit falls inside one. The
plan sits below the vendors and cannot import them; its audits page asks through certprep.core.parts.part_links."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.parts import Link
from certprep.engagements.models import Engagement
from certprep.planning.models import AuditBooking
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import AvailabilityWindow, Decision
from certprep.vendors.rules import within_a_window

BOOKING = "planning.auditbooking"
# An audit outside every window lists the windows nearest to it, not all of a busy body's calendar.
NEAREST = 3

Window = tuple[datetime.date, datetime.date]


def _window_text(window: Window) -> str:
    return _("available %(start)s – %(end)s") % {"start": date_format(window[0]), "end": date_format(window[1])}


def _distance(window: Window, day: datetime.date) -> int:
    start, end = window
    return 0 if start <= day <= end else min(abs((start - day).days), abs((day - end).days))


def booking_fit(date: datetime.date, audit_days: int, windows: Sequence[Window]) -> tuple[list[str], list[str]]:
    """The facts and warnings of one audit against the body's windows: the window that holds the audit, or a
    warning and the nearest windows; a body without windows is said to have none."""
    if not windows:
        return [], [_("no availability window entered")]
    last_day = date + datetime.timedelta(days=max(audit_days, 1) - 1)
    holding = next((w for w in windows if within_a_window(date, audit_days, [w])), None)
    if holding is not None:
        return [_window_text(holding)], []
    nearest = sorted(windows, key=lambda w: (min(_distance(w, date), _distance(w, last_day)), w))[:NEAREST]
    return [_window_text(w) for w in sorted(nearest)], [_("outside every window")]


def booking_links(
    engagement: Engagement, kind: str, ids: Sequence[int], *, detailed: bool
) -> Mapping[int, Sequence[Link]]:
    """Three queries whatever the number of bookings: the latest decision for a certification body, its windows,
    the engagement's bookings among these ids. Nothing before a body is chosen."""
    if kind != BOOKING:
        return {}
    decision = (
        Decision.objects.filter(engagement=engagement, kind=VendorKind.CERTIFICATION_BODY)
        .select_related("vendor")
        .first()
    )
    if decision is None:
        return {}
    vendor = decision.vendor
    windows = [(w.starts_on, w.ends_on) for w in AvailabilityWindow.objects.filter(vendor=vendor)]
    bookings = AuditBooking.objects.filter(plan__engagement=engagement, pk__in=list(ids)).only(
        "pk", "date", "audit_days"
    )
    url = reverse("vendors:vendor", args=[engagement.pk, vendor.pk])
    found: dict[int, list[Link]] = {}
    for booking in bookings:
        facts, warnings = booking_fit(booking.date, booking.audit_days, windows)
        found[booking.pk] = [
            Link(
                kind=gettext_lazy("Chosen certification body"),
                label=vendor.name,
                url=url,
                facts=facts,
                warnings=warnings,
            )
        ]
    return found
