"""The audit bookings' pages: the bookings in the cycle's order with their warnings, the certification body and
findings window, adding, changing and removing a booking, and the proposed cycle to confirm."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt_with_version, run_form, submit_form
from certprep.core.parts import part_links
from certprep.engagements.access import engagement_for_page
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.audit_access import booking_for
from certprep.planning.audit_forms import BookingEditForm, BookingForm, CycleForm, ProposalForm
from certprep.planning.audit_rules import Booking
from certprep.planning.audit_words import audit_name
from certprep.planning.selectors.audits import audits_page, proposal
from certprep.planning.selectors.plan import plan_of
from certprep.planning.services.audits import (
    BOOKING_FIELDS,
    booking_create,
    booking_delete,
    booking_update,
    bookings_confirm,
    plan_cycle_update,
)
from certprep.planning.views.common import context


@login_required
def audits(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """The bookings and warnings; without a plan, the plan page (which offers to generate one)."""
    engagement, membership = engagement_for_page(request, engagement_id)
    plan = plan_of(engagement)
    if plan is None:
        return redirect("planning:plan", engagement_id)
    form = CycleForm(
        request.POST or None,
        initial={
            "expected_version": plan.version,
            "certification_body": plan.certification_body,
            "findings_window_days": plan.findings_window_days,
        },
    )
    saved, conflict = submit_form(
        request, form, partial(plan_cycle_update, plan=plan, actor=request.user), _("Certification body saved.")
    )
    if saved is not None:
        return redirect("planning:audits", engagement_id)
    page = audits_page(plan)
    return render(
        request,
        "planning/audits.html",
        context(
            plan.engagement,
            membership,
            "audits",
            page=page,
            booking_links=part_links(
                engagement, "planning.auditbooking", [r.booking.pk for r in page.rows], detailed=True
            ),
            form=form,
            conflict=conflict,
            add_form=BookingForm(),
        ),
    )


@login_required
def booking_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    plan, membership = plan_for(request.user, engagement_id, role=Role.EDITOR)
    form = BookingForm(request.POST or None)
    saved, _conflict = submit_form(
        request, form, partial(booking_create, plan=plan, actor=request.user), _("Audit booked.")
    )
    if saved is not None:
        return redirect("planning:audits", engagement_id)
    return render(
        request, "planning/audit_form.html", context(plan.engagement, membership, "audits", form=form, booking=None)
    )


@login_required
def booking_edit(request: SignedInRequest, engagement_id: int, booking_id: int) -> HttpResponse:
    booking, membership = booking_for(request.user, engagement_id, booking_id, role=Role.EDITOR)
    initial: dict[str, Any] = {name: getattr(booking, name) for name in BOOKING_FIELDS}
    form = BookingEditForm(request.POST or None, initial={**initial, "expected_version": booking.version})
    saved, conflict = submit_form(
        request, form, partial(booking_update, booking=booking, actor=request.user), _("Booking saved.")
    )
    if saved is not None:
        return redirect("planning:audits", engagement_id)
    return render(
        request,
        "planning/audit_form.html",
        context(
            booking.plan.engagement,
            membership,
            "audits",
            form=form,
            booking=booking,
            name=audit_name(booking.kind, booking.batch),
            conflict=conflict,
        ),
    )


@login_required
@require_POST
def booking_remove(request: SignedInRequest, engagement_id: int, booking_id: int) -> HttpResponse:
    booking, _m = booking_for(request.user, engagement_id, booking_id, role=Role.EDITOR)
    name = audit_name(booking.kind, booking.batch)
    attempt_with_version(
        request,
        lambda version: booking_delete(booking=booking, actor=request.user, expected_version=version),
        _("%(audit)s removed from the plan.") % {"audit": name},
    )
    return redirect("planning:audits", engagement_id)


def _key(booking: Booking) -> str:
    return f"{booking.kind}-{booking.batch}"


@login_required
def propose(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """GET: the audits not booked yet, dated from the schedule; POST: book the ticked ones on their dates."""
    plan, membership = plan_for(request.user, engagement_id, role=Role.EDITOR)
    proposals = proposal(plan)
    form = ProposalForm(
        request.POST or None,
        proposals=[(_key(b), audit_name(b.kind, b.batch), b.date) for b in proposals],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [
            Booking(b.kind, data[f"date_{_key(b)}"], b.batch, b.audit_days, b.reservation_lead_days)
            for b in proposals
            if data[f"book_{_key(b)}"]
        ]
        made, _conflict = run_form(form, lambda: bookings_confirm(plan=plan, actor=request.user, proposals=chosen))
        if made is not None:
            messages.success(
                request, ngettext("%(n)s audit booked.", "%(n)s audits booked.", len(made)) % {"n": len(made)}
            )
            return redirect("planning:audits", engagement_id)
    rows = [(form[f"book_{_key(b)}"], form[f"date_{_key(b)}"]) for b in proposals]
    return render(
        request, "planning/audit_propose.html", context(plan.engagement, membership, "audits", form=form, rows=rows)
    )
