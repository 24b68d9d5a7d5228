"""The plan's baselines: the list with the form that saves one, a baseline compared with the plan now (slips in
working days, tasks added and removed since), and deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import run_form
from certprep.engagements.access import page_role
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.baseline_access import baseline_for
from certprep.planning.baseline_forms import BaselineForm
from certprep.planning.baseline_words import shown_rows
from certprep.planning.selectors.baselines import baseline_comparison, baselines_of
from certprep.planning.services.baselines import baseline_delete, baseline_save
from certprep.planning.views.common import context


@login_required
def baselines(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    role = page_role(request)
    plan, membership = plan_for(request.user, engagement_id, role=role)
    saved = list(baselines_of(plan))
    taken = {baseline.number for baseline in saved}
    free = next((n for n in range(11) if n not in taken), 0)
    form = BaselineForm(request.POST or None, initial={"number": free})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        baseline, _conflict = run_form(
            form,
            lambda: baseline_save(
                plan=plan, actor=request.user, number=data["number"], name=data["name"], overwrite=data["overwrite"]
            ),
        )
        if baseline is not None:
            messages.success(request, _("Baseline %(number)s saved.") % {"number": baseline.number})
            return redirect("planning:baseline", engagement_id, baseline.number)
    return render(
        request,
        "planning/baselines.html",
        context(plan.engagement, membership, "baselines", baselines=saved, form=form),
    )


@login_required
def baseline(request: SignedInRequest, engagement_id: int, baseline_number: int) -> HttpResponse:
    saved, membership = baseline_for(request.user, engagement_id, baseline_number)
    comparison = baseline_comparison(saved.plan, saved)
    return render(
        request,
        "planning/baseline.html",
        context(
            saved.plan.engagement,
            membership,
            "baselines",
            baseline=saved,
            comparison=comparison,
            rows=shown_rows(comparison),
        ),
    )


@login_required
def baseline_remove(request: SignedInRequest, engagement_id: int, baseline_number: int) -> HttpResponse:
    saved, membership = baseline_for(request.user, engagement_id, baseline_number, role=Role.EDITOR)
    if request.method == "POST":
        baseline_delete(baseline=saved, actor=request.user)
        messages.success(request, _("Baseline %(number)s deleted.") % {"number": baseline_number})
        return redirect("planning:baselines", engagement_id)
    return render(
        request,
        "planning/baseline_delete.html",
        context(saved.plan.engagement, membership, "baselines", baseline=saved),
    )
