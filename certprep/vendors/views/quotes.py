"""A vendor's quote: adding and changing it (the quote check asked as four questions), and removing it."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt_with_version, submit_form
from certprep.engagements.choices import Role
from certprep.vendors.access import quote_for, vendor_for
from certprep.vendors.forms import QuoteForm
from certprep.vendors.services.register import QUOTE_FIELDS, quote_create, quote_delete, quote_update
from certprep.vendors.views.common import context


@login_required
def quote_add(request: SignedInRequest, engagement_id: int, vendor_id: int) -> HttpResponse:
    vendor, membership = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    form = QuoteForm(request.POST or None)
    saved, _conflict = submit_form(
        request, form, partial(quote_create, vendor=vendor, actor=request.user), _("Quote saved.")
    )
    if saved is not None:
        return redirect("vendors:vendor", engagement_id, vendor_id)
    return render(
        request,
        "vendors/quote_form.html",
        context(vendor.engagement, membership, "register", form=form, vendor=vendor, quote=None),
    )


@login_required
def quote_edit(request: SignedInRequest, engagement_id: int, quote_id: int) -> HttpResponse:
    quote, membership = quote_for(request.user, engagement_id, quote_id, role=Role.EDITOR)
    initial = {name: getattr(quote, name) for name in QUOTE_FIELDS}
    form = QuoteForm(request.POST or None, editing=True, initial={**initial, "expected_version": quote.version})
    saved, conflict = submit_form(
        request, form, partial(quote_update, quote=quote, actor=request.user), _("Quote saved.")
    )
    if saved is not None:
        return redirect("vendors:vendor", engagement_id, quote.vendor_id)
    return render(
        request,
        "vendors/quote_form.html",
        context(
            quote.engagement, membership, "register", form=form, vendor=quote.vendor, quote=quote, conflict=conflict
        ),
    )


@login_required
@require_POST
def quote_remove(request: SignedInRequest, engagement_id: int, quote_id: int) -> HttpResponse:
    quote, _m = quote_for(request.user, engagement_id, quote_id, role=Role.EDITOR)
    attempt_with_version(
        request,
        lambda version: quote_delete(quote=quote, actor=request.user, expected_version=version),
        _("Quote removed."),
    )
    return redirect("vendors:vendor", engagement_id, quote.vendor_id)
