"""The benefits page (the benefits with their KPIs and money values, the economics over the certificate cycle and
their sensitivity) and its forms: add, change, remove and move a benefit, start from the usual ones."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certprep.budget.choices import CycleYear
from certprep.budget.money import money_writer
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, attempt_with_version, submit_form
from certprep.core.forms import VersionForm
from certprep.engagements.access import can, engagement_for, engagement_for_page
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.feasibility.benefit_forms import BenefitForm, MoveForm
from certprep.feasibility.benefits_access import benefit_for
from certprep.feasibility.benefits_words import assumptions, economics_tables
from certprep.feasibility.selectors.economics import benefit_rows, economics_detail
from certprep.feasibility.services.benefits import (
    BENEFIT_FIELDS,
    benefit_create,
    benefit_delete,
    benefit_move,
    benefit_update,
    benefits_seed,
)

ACTIVE = "feasibility"


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        **extra,
    }


def money_in(currency: str) -> Callable[[Decimal], str]:
    return money_writer(currency, get_language() or "en")


@login_required
def benefits(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    detail = economics_detail(engagement)
    money = money_in(detail.economics.currency)
    return render(
        request,
        "feasibility/benefits/benefits.html",
        context(
            engagement,
            membership,
            "benefits",
            rows=[
                (row, "" if row.benefit.value_per_year is None else money(row.benefit.value_per_year))
                for row in benefit_rows(engagement)
            ],
            detail=detail,
            assumptions=assumptions(detail),
            year_labels=[str(label) for _value, label in CycleYear.choices],
            **economics_tables(detail, money),
        ),
    )


@login_required
def benefit_add(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    form = BenefitForm(request.POST or None)
    saved, _conflict = submit_form(
        request, form, partial(benefit_create, engagement=engagement, actor=request.user), _("Benefit added.")
    )
    if saved is not None:
        return redirect("feasibility:benefits", engagement.pk)
    return render(
        request, "feasibility/benefits/benefit_form.html", context(engagement, membership, "benefits", form=form)
    )


@login_required
def benefit_edit(request: SignedInRequest, engagement_id: int, benefit_id: int) -> HttpResponse:
    benefit, membership = benefit_for(request.user, engagement_id, benefit_id, role=Role.EDITOR)
    row = next(r for r in benefit_rows(benefit.engagement) if r.benefit.pk == benefit.pk)
    initial = {name: getattr(row, name, getattr(benefit, name)) for name in BENEFIT_FIELDS}
    initial["lenses"] = benefit.lenses
    form = BenefitForm(request.POST or None, editing=True, initial={**initial, "expected_version": benefit.version})
    saved, conflict = submit_form(
        request, form, partial(benefit_update, benefit=benefit, actor=request.user), _("Benefit saved.")
    )
    if saved is not None:
        return redirect("feasibility:benefits", engagement_id)
    return render(
        request,
        "feasibility/benefits/benefit_form.html",
        context(
            benefit.engagement,
            membership,
            "benefits",
            form=form,
            benefit=benefit,
            conflict=conflict,
            remove_form=VersionForm(initial={"expected_version": benefit.version}),
        ),
    )


@login_required
@require_POST
def benefit_remove(request: SignedInRequest, engagement_id: int, benefit_id: int) -> HttpResponse:
    benefit, _m = benefit_for(request.user, engagement_id, benefit_id, role=Role.EDITOR)
    removed = attempt_with_version(
        request,
        lambda version: benefit_delete(benefit=benefit, actor=request.user, expected_version=version) or True,
        _("Benefit removed."),
    )
    if removed:
        return redirect("feasibility:benefits", engagement_id)
    return redirect("feasibility:benefit", engagement_id, benefit_id)


@login_required
@require_POST
def benefit_reorder(request: SignedInRequest, engagement_id: int, benefit_id: int) -> HttpResponse:
    benefit, _m = benefit_for(request.user, engagement_id, benefit_id, role=Role.EDITOR)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        attempt(
            request,
            lambda: benefit_move(
                benefit=benefit, actor=request.user, expected_version=data["expected_version"], step=data["step"]
            ),
            _("Benefit moved."),
        )
    else:
        messages.error(request, _("This form is out of date: open the page again."))
    return redirect("feasibility:benefits", engagement_id)


@login_required
@require_POST
def benefits_usual(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, _m = engagement_for_page(request, engagement_id)
    added = benefits_seed(engagement=engagement, actor=request.user)
    if added:
        messages.success(request, _("%(count)s usual benefits added.") % {"count": len(added)})
    else:
        messages.info(request, _("The list has every usual benefit already."))
    return redirect("feasibility:benefits", engagement.pk)
