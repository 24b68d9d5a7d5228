"""The plan page: generating the plan, its tasks with their schedule, the plan's start and operating time,
and regenerating it with the changes the person ticks."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, submit_form
from certprep.engagements.access import can, engagement_for, engagement_for_page
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.forms import PlanForm, RegenerateForm
from certprep.planning.plan_table import plan_rows_html
from certprep.planning.regeneration import default_selection
from certprep.planning.selectors.page import plan_page
from certprep.planning.selectors.plan import plan_of, regeneration
from certprep.planning.services.generation import plan_generate, plan_regenerate
from certprep.planning.services.tasks import plan_update
from certprep.planning.views.common import context


@login_required
def plan(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    current = plan_of(engagement)
    if current is None:
        return render(request, "planning/plan_empty.html", context(engagement, membership, "plan"))
    form = PlanForm(
        request.POST or None,
        initial={
            "expected_version": current.version,
            "start_date": current.start_date,
            "minimum_operating_months": current.minimum_operating_months,
        },
    )
    saved, conflict = submit_form(
        request,
        form,
        partial(plan_update, plan=current, actor=request.user),
        _("Plan saved."),
    )
    if saved is not None:
        return redirect("planning:plan", engagement.pk)
    page = plan_page(current)
    rows_html = plan_rows_html(page.rows, engagement_id=engagement.pk, editable=can(membership, Role.EDITOR))
    return render(
        request,
        "planning/plan.html",
        context(engagement, membership, "plan", page=page, rows_html=rows_html, form=form, conflict=conflict),
    )


@login_required
@require_POST
def generate(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    attempt(
        request,
        lambda: plan_generate(engagement=engagement, actor=request.user),
        lambda made: _("Plan generated: %(n)s tasks.") % {"n": made.tasks.count()},
    )
    return redirect("planning:plan", engagement.pk)


@login_required
def regenerate(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """GET: what generating again would add, change and remove, to tick; POST: apply what is ticked."""
    current, membership = plan_for(request.user, engagement_id, role=Role.EDITOR)
    changes = regeneration(current)
    form = RegenerateForm(
        request.POST or None,
        changes=[change.id for change in changes],
        initial={"expected_version": current.version, "accept": sorted(default_selection(changes))},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        applied = attempt(
            request,
            lambda: plan_regenerate(
                plan=current, actor=request.user, accepted=data["accept"], expected_version=data["expected_version"]
            ),
            lambda done: _("%(n)s changes applied.") % {"n": len(done)},
        )
        if applied is not None:
            return redirect("planning:plan", engagement_id)
        return redirect("planning:regenerate", engagement_id)
    ticked = set(form["accept"].value() or [])
    return render(
        request,
        "planning/regenerate.html",
        context(current.engagement, membership, "plan", form=form, changes=changes, ticked=ticked),
    )
