"""Adding, changing and deleting a typed budget line (editors); a derived line is shown, not edited."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certprep.budget.access import line_for
from certprep.budget.choices import LineSource
from certprep.budget.forms import LineEditForm, LineForm
from certprep.budget.services.inputs import settings_in
from certprep.budget.services.lines import line_add, line_delete, line_update
from certprep.budget.views.common import context
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import run_form, submit_form
from certprep.core.forms import VersionForm
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role


@login_required
def line_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    initial = {"currency": settings_in(engagement).reporting_currency, "category": request.GET.get("category", "")}
    form = LineForm(request.POST or None, initial=initial)
    saved, _conflict = submit_form(
        request, form, partial(line_add, engagement=engagement, actor=request.user), _("Budget line added.")
    )
    if saved is not None:
        return redirect("budget:overview", engagement.pk)
    return render(request, "budget/line_form.html", context(engagement, membership, "budget", form=form, line=None))


@login_required
def line_edit(request: SignedInRequest, engagement_id: int, budget_line_id: int) -> HttpResponse:
    line, membership = line_for(request.user, engagement_id, budget_line_id, role=Role.EDITOR)
    engagement = line.engagement
    if line.source != LineSource.TYPED:
        messages.info(request, _("This line is derived from its inputs: change them, or type a line of your own."))
        return redirect("budget:overview", engagement.pk)
    fields = ("category", "description", "quantity", "unit", "unit_price", "currency", "cycle_year", "note")
    initial = {name: getattr(line, name) for name in fields} | {"expected_version": line.version}
    form = LineEditForm(request.POST or None, initial=initial)
    saved, conflict = submit_form(
        request, form, partial(line_update, line=line, actor=request.user), _("Budget line saved.")
    )
    if saved is not None:
        return redirect("budget:overview", engagement.pk)
    return render(
        request,
        "budget/line_form.html",
        context(engagement, membership, "budget", form=form, line=line, conflict=conflict),
    )


@login_required
def line_remove(request: SignedInRequest, engagement_id: int, budget_line_id: int) -> HttpResponse:
    line, membership = line_for(request.user, engagement_id, budget_line_id, role=Role.EDITOR)
    engagement = line.engagement
    form = VersionForm(request.POST or None, initial={"expected_version": line.version})
    if request.method == "POST" and form.is_valid():
        done, _c = run_form(
            form,
            lambda: line_delete(line=line, actor=request.user, expected_version=form.cleaned_data["expected_version"]),
        )
        if not form.errors:
            messages.success(request, _("Budget line deleted."))
            return redirect("budget:overview", engagement.pk)
    return render(request, "budget/line_delete.html", context(engagement, membership, "budget", form=form, line=line))
