"""The register's pages: the list with its flags, adding a vendor, a vendor's page (its accreditation, auditors,
availability windows and quotes), and removing what it lists."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, attempt_with_version, submit_form
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.vendors.access import auditor_for, vendor_for, window_for
from certprep.vendors.forms import AuditorForm, VendorForm, WindowForm
from certprep.vendors.selectors.comparison import register_rows
from certprep.vendors.services.register import (
    VENDOR_FIELDS,
    auditor_add,
    auditor_remove,
    vendor_create,
    vendor_delete,
    vendor_update,
    window_add,
    window_remove,
)
from certprep.vendors.views.common import context, write_role


@login_required
def register(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    rows = register_rows(engagement, on=timezone.localdate())
    return render(request, "vendors/register.html", context(engagement, membership, "register", rows=rows))


@login_required
def vendor_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = VendorForm(request.POST or None)
    saved, _conflict = submit_form(
        request, form, partial(vendor_create, engagement=engagement, actor=request.user), _("Vendor added.")
    )
    if saved is not None:
        return redirect("vendors:vendor", engagement_id, saved.pk)
    return render(request, "vendors/vendor_form.html", context(engagement, membership, "register", form=form))


@login_required
def vendor_detail(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, membership = vendor_for(request.user, engagement_id, vendor_id, role=write_role(request.method or ""))
    initial = {name: getattr(vendor, name) for name in VENDOR_FIELDS}
    form = VendorForm(request.POST or None, editing=True, initial={**initial, "expected_version": vendor.version})
    saved, conflict = submit_form(
        request, form, partial(vendor_update, vendor=vendor, actor=request.user), _("Vendor saved.")
    )
    if saved is not None:
        return redirect("vendors:vendor", engagement_id, vendor_id)
    row = next(r for r in register_rows(vendor.engagement, on=timezone.localdate()) if r.vendor.pk == vendor.pk)
    return render(
        request,
        "vendors/vendor.html",
        context(
            vendor.engagement,
            membership,
            "register",
            vendor=vendor,
            row=row,
            form=form,
            conflict=conflict,
            auditors=list(vendor.auditors.all()),
            windows=list(vendor.availability.all()),
            quotes=list(vendor.quotes.order_by("-received_on", "-pk")),
            auditor_form=AuditorForm(),
            window_form=WindowForm(),
        ),
    )


@login_required
@require_POST
def vendor_remove(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    removed = attempt_with_version(
        request,
        lambda version: vendor_delete(vendor=vendor, actor=request.user, expected_version=version) or True,
        _("%(name)s removed from the register.") % {"name": vendor.name},
    )
    return (
        redirect("vendors:register", engagement_id) if removed else redirect("vendors:vendor", engagement_id, vendor_id)
    )


@login_required
@require_POST
def vendor_auditor_add(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    form = AuditorForm(request.POST)
    if form.is_valid():
        attempt(
            request, lambda: auditor_add(vendor=vendor, actor=request.user, **form.cleaned_data), _("Auditor added.")
        )
    else:
        messages.error(request, _("Enter the auditor's name."))
    return redirect("vendors:vendor", engagement_id, vendor_id)


@login_required
@require_POST
def vendor_auditor_remove(request: SignedInRequest, engagement_id: int, auditor_id: int) -> HttpResponse:
    auditor, _m = auditor_for(request.user, engagement_id, auditor_id, role=Role.EDITOR)
    attempt(request, lambda: auditor_remove(auditor=auditor, actor=request.user), _("Auditor removed."))
    return redirect("vendors:vendor", engagement_id, auditor.vendor_id)


@login_required
@require_POST
def vendor_window_add(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    form = WindowForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: window_add(vendor=vendor, actor=request.user, **form.cleaned_data),
            _("Availability window added."),
        )
    else:
        messages.error(request, _("Enter the window's first and last day."))
    return redirect("vendors:vendor", engagement_id, vendor_id)


@login_required
@require_POST
def vendor_window_remove(request: SignedInRequest, engagement_id: int, window_id: int) -> HttpResponse:
    window, _m = window_for(request.user, engagement_id, window_id, role=Role.EDITOR)
    attempt(request, lambda: window_remove(window=window, actor=request.user), _("Availability window removed."))
    return redirect("vendors:vendor", engagement_id, window.vendor_id)
