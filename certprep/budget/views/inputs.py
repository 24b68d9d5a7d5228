"""The budget's inputs: the exchange rates people enter (with their date) and the budget's settings."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certprep.budget.forms import DayRatesForm, RateForm, SettingsForm, day_rates_initial, factors_text
from certprep.budget.selectors.budget import rates_of
from certprep.budget.selectors.day_rates import day_rate_rows
from certprep.budget.services.derived import audit_days, table_source
from certprep.budget.services.inputs import rate_add, settings_in, settings_update
from certprep.budget.views.common import context
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import submit_form
from certprep.engagements.access import engagement_for_page


@login_required
def rates(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    budget = settings_in(engagement)
    form = RateForm(request.POST or None, initial={"target": budget.reporting_currency})
    saved, _conflict = submit_form(
        request, form, partial(rate_add, engagement=engagement, actor=request.user), _("Exchange rate added.")
    )
    if saved is not None:
        return redirect("budget:rates", engagement.pk)
    return render(
        request,
        "budget/rates.html",
        context(engagement, membership, "rates", form=form, rates=rates_of(engagement), budget=budget),
    )


@login_required
def settings_edit(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    budget = settings_in(engagement)
    fields = (
        "reporting_currency",
        "training_hours",
        "training_rate",
        "internal_day_rate",
        "audit_day_rate",
        "surveillance_share",
        "recertification_share",
    )
    initial = {name: getattr(budget, name) for name in fields} | {"expected_version": budget.version}
    initial |= {"factors_text": factors_text(budget.factors)}
    form = SettingsForm(request.POST or None, initial=initial)
    saved, conflict = submit_form(
        request, form, partial(settings_update, budget=budget, actor=request.user), _("Budget settings saved.")
    )
    if saved is not None:
        return redirect("budget:settings", engagement.pk)
    return render(
        request,
        "budget/settings.html",
        context(
            engagement,
            membership,
            "settings",
            form=form,
            conflict=conflict,
            budget=budget,
            days=audit_days(engagement, budget),
            source=table_source(budget),
        ),
    )


@login_required
def day_rates(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """A day rate per person and per role the plan uses; blank: the next rule applies (person, role, default)."""
    engagement, membership = engagement_for_page(request, engagement_id)
    budget = settings_in(engagement)
    people, roles = day_rate_rows(engagement, budget)
    form = DayRatesForm(
        request.POST or None,
        initial=day_rates_initial(budget.version, budget.person_day_rates, budget.role_day_rates),
        people=[(row.person_id, row.name) for row in people],
        roles=[(row.role, row.label) for row in roles],
    )
    saved, conflict = submit_form(
        request, form, partial(settings_update, budget=budget, actor=request.user), _("Day rates saved.")
    )
    if saved is not None:
        return redirect("budget:day_rates", engagement.pk)
    return render(
        request,
        "budget/day_rates.html",
        context(
            engagement,
            membership,
            "day_rates",
            form=form,
            conflict=conflict,
            budget=budget,
            people=[(row, form[f"person_{row.person_id}"]) for row in people],
            roles=[(row, form[f"role_{row.role}"]) for row in roles],
        ),
    )
