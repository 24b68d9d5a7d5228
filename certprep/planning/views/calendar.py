"""The engagement's working calendar: country and region (public holidays, make-up working days), working
weekdays, own days off and extra working days."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import submit_form
from certprep.engagements.access import engagement_for_page
from certprep.planning.access import calendar_in
from certprep.planning.forms import CalendarForm
from certprep.planning.selectors.calendar import country_choices, upcoming_days_off
from certprep.planning.services.tasks import calendar_update
from certprep.planning.views.common import context


@login_required
def calendar(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    current = calendar_in(engagement)
    form = CalendarForm(
        request.POST or None,
        countries=country_choices(),
        initial={
            "expected_version": current.version,
            "country": current.country,
            "region": current.region,
            "workweek": current.workweek,
            "days_off": "\n".join(current.days_off),
            "extra_working_days": "\n".join(current.extra_working_days),
        },
    )
    saved, conflict = submit_form(
        request,
        form,
        partial(calendar_update, calendar=current, actor=request.user),
        _("Working calendar saved."),
    )
    if saved is not None:
        return redirect("planning:calendar", engagement.pk)
    return render(
        request,
        "planning/calendar.html",
        context(engagement, membership, "calendar", form=form, conflict=conflict, upcoming=upcoming_days_off(current)),
    )
