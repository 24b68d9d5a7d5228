"""The risk register page (the risks with their scores and countermeasures, the 5 x 5 heat map, the plan's
schedule-risk result as an input) and its forms."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, attempt_with_version, submit_form
from certprep.core.forms import VersionForm
from certprep.engagements.access import engagement_for, engagement_for_page
from certprep.engagements.choices import Role
from certprep.feasibility.benefit_forms import MoveForm
from certprep.feasibility.benefits_access import risk_for
from certprep.feasibility.heatmap import heat_map_svg
from certprep.feasibility.risk_forms import RiskForm
from certprep.feasibility.selectors.risks import heat_counts, heat_words, risk_rows, schedule_input
from certprep.feasibility.services.risks import (
    RISK_FIELDS,
    risk_create,
    risk_delete,
    risk_move,
    risk_update,
    risks_seed,
)
from certprep.feasibility.views.benefits import context


@login_required
def risks(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    rows = risk_rows(engagement, today=timezone.localdate())
    counts = heat_counts([row.risk for row in rows])
    svg = heat_map_svg(counts, heat_words(counts))
    schedule = schedule_input(engagement)
    return render(
        request,
        "feasibility/risks/risks.html",
        context(
            engagement,
            membership,
            "risks",
            rows=rows,
            heat_map=mark_safe(svg),  # noqa: S308 (heatmap.py escapes every text it writes)
            schedule=schedule,
            schedule_percent=None
            if schedule is None or schedule.probability is None
            else (schedule.probability * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP),
            overdue=sum(1 for row in rows if row.overdue),
        ),
    )


@login_required
def risk_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = RiskForm(request.POST or None, engagement=engagement)
    saved, _conflict = submit_form(
        request, form, partial(risk_create, engagement=engagement, actor=request.user), _("Risk added.")
    )
    if saved is not None:
        return redirect("feasibility:risks", engagement.pk)
    return render(request, "feasibility/risks/risk_form.html", context(engagement, membership, "risks", form=form))


@login_required
def risk_edit(request: SignedInRequest, engagement_id: int, risk_id: int) -> HttpResponse:
    risk, membership = risk_for(request.user, engagement_id, risk_id, role=Role.EDITOR)
    engagement = risk.engagement
    row = next(r for r in risk_rows(engagement, today=timezone.localdate()) if r.risk.pk == risk.pk)
    initial = {name: getattr(row, name, getattr(risk, name)) for name in RISK_FIELDS}
    form = RiskForm(
        request.POST or None, engagement=engagement, editing=True, initial={**initial, "expected_version": risk.version}
    )
    saved, conflict = submit_form(request, form, partial(risk_update, risk=risk, actor=request.user), _("Risk saved."))
    if saved is not None:
        return redirect("feasibility:risks", engagement_id)
    return render(
        request,
        "feasibility/risks/risk_form.html",
        context(
            engagement,
            membership,
            "risks",
            form=form,
            risk=risk,
            conflict=conflict,
            remove_form=VersionForm(initial={"expected_version": risk.version}),
        ),
    )


@login_required
@require_POST
def risk_remove(request: SignedInRequest, engagement_id: int, risk_id: int) -> HttpResponse:
    risk, _m = risk_for(request.user, engagement_id, risk_id, role=Role.EDITOR)
    removed = attempt_with_version(
        request,
        lambda version: risk_delete(risk=risk, actor=request.user, expected_version=version) or True,
        _("Risk removed."),
    )
    if removed:
        return redirect("feasibility:risks", engagement_id)
    return redirect("feasibility:risk", engagement_id, risk_id)


@login_required
@require_POST
def risk_reorder(request: SignedInRequest, engagement_id: int, risk_id: int) -> HttpResponse:
    risk, _m = risk_for(request.user, engagement_id, risk_id, role=Role.EDITOR)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: risk_move(
                risk=risk, actor=request.user, expected_version=data["expected_version"], step=data["step"]
            ),
            _("Risk moved."),
        )
    else:
        messages.error(request, _("This form is out of date: open the page again."))
    return redirect("feasibility:risks", engagement_id)


@login_required
@require_POST
def risks_usual(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for_page(request, engagement_id)
    added = risks_seed(engagement=engagement, actor=request.user)
    if added:
        messages.success(request, _("%(count)s usual risks added.") % {"count": len(added)})
    else:
        messages.info(request, _("The register has every usual risk already."))
    return redirect("feasibility:risks", engagement.pk)
