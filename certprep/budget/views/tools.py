"""The tool options: adapting the ITSM platform in use (the profile's tools) or buying a new one, each with what
it costs; the chosen one gives the budget's tool lines."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.budget.access import tool_in
from certprep.budget.forms import ChooseForm, ToolForm
from certprep.budget.models import ToolOption
from certprep.budget.services.inputs import settings_in, settings_update, tool_add, tool_delete
from certprep.budget.views.common import context
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, submit_form
from certprep.engagements.access import engagement_for, engagement_for_page
from certprep.engagements.choices import Role


@login_required
def tools(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    budget = settings_in(engagement)
    form = ToolForm(request.POST or None, initial={"currency": budget.reporting_currency})
    saved, _conflict = submit_form(
        request, form, partial(tool_add, engagement=engagement, actor=request.user), _("Tool option added.")
    )
    if saved is not None:
        return redirect("budget:tools", engagement.pk)
    in_use = getattr(getattr(engagement, "profile", None), "itsm_tools", None) or []
    return render(
        request,
        "budget/tools.html",
        context(
            engagement,
            membership,
            "tools",
            form=form,
            options=list(ToolOption.objects.filter(engagement=engagement)),
            budget=budget,
            in_use=in_use,
        ),
    )


@login_required
@require_POST
def tool_choose(request: SignedInRequest, engagement_id: int, tool_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    option = tool_in(engagement, tool_id)
    form = ChooseForm(request.POST)
    if form.is_valid():
        version = form.cleaned_data["expected_version"]
        budget = settings_in(engagement)
        attempt(
            request,
            lambda: settings_update(budget=budget, actor=request.user, expected_version=version, chosen_tool=option),
            _("Tool option chosen: the budget's tool lines follow it."),
        )
    return redirect("budget:tools", engagement.pk)


@login_required
@require_POST
def tool_remove(request: SignedInRequest, engagement_id: int, tool_id: int) -> HttpResponse:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    option = tool_in(engagement, tool_id)
    form = ChooseForm(request.POST)
    version = form.cleaned_data["expected_version"] if form.is_valid() else None
    if attempt(
        request,
        lambda: tool_delete(option=option, actor=request.user, expected_version=version),
        _("Tool option removed."),
    ):
        messages.info(request, _("The budget's tool lines are recomputed when you open it."))
    return redirect("budget:tools", engagement.pk)
