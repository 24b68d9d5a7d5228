"""The benefits page (the benefits with their KPIs and money values, the economics over the certificate cycle and
their sensitivity) and its forms: add, change, remove and move a benefit, start from the usual ones."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from certprep.budget.choices import CycleYear
from certprep.budget.money import money_writer
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import attempt, submit_form
from certprep.engagements.access import can, engagement_for, engagement_for_page
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.feasibility.benefit_forms import BenefitForm, MoveForm, VersionForm
from certprep.feasibility.benefits_access import benefit_for
from certprep.feasibility.selectors.economics import EconomicsDetail, benefit_rows, economics_detail
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


def payback_text(years: Decimal | None) -> str:
    if years is None:
        return _("not within the cycle")
    return _("%(years)s years") % {"years": years}


def return_text(share: Decimal | None) -> str:
    if share is None:
        return "—"
    return f"{(share * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


CASES = {
    "expected": _lazy("As expected"),
    "benefits_down": _lazy("Benefits 30 % lower"),
    "costs_up": _lazy("Costs 30 % higher"),
    "both": _lazy("Both"),
}


def economics_tables(detail: EconomicsDetail, money: Callable[[Decimal], str]) -> dict[str, Any]:
    """The page's figures as text: the key figures, the table by cycle year and the sensitivity table."""
    eco = detail.economics
    figures = [
        (_("Costs over the cycle"), "—" if eco.costs is None else money(eco.costs)),
        (_("Priced benefits over the cycle"), money(eco.benefits)),
        (_("Net benefit"), "—" if eco.net_benefit is None else money(eco.net_benefit)),
        (_("Payback period"), "—" if eco.costs is None else payback_text(eco.payback_years)),
        (_("Simple return"), return_text(eco.simple_return)),
    ]
    years: list[tuple[str, list[str], str]] = []
    if detail.figures is not None and detail.cash_by_year is not None and detail.internal_by_year is not None:
        flows = detail.figures.flows
        rows = (
            (_("Cash out"), detail.cash_by_year),
            (_("Internal effort"), detail.internal_by_year),
            (_("Costs"), flows.costs),
            (_("Benefits"), flows.benefits),
            (_("Net flow"), flows.net_by_year()),
        )
        years = [(label, [money(v) for v in values], money(sum(values, Decimal(0)))) for label, values in rows]
        years.append((_("Running total"), [money(v) for v in flows.cumulative()], ""))
    cases = [
        (
            str(CASES[case.key]),
            money(case.figures.flows.benefit_total),
            money(case.figures.flows.cost_total),
            money(case.figures.net_benefit),
            payback_text(case.figures.payback_years),
            return_text(case.figures.simple_return),
        )
        for case in detail.cases
    ]
    return {"figures": figures, "years": years, "cases": cases}


def assumptions(detail: EconomicsDetail) -> list[str]:
    """Every assumption the figures rest on, in words."""
    currency = detail.economics.currency
    return [
        _(
            "Costs are the budget's cash out and internal staff effort of each year of the certificate cycle (the "
            "initial certification year, the two surveillance years and the recertification year), in %(currency)s "
            "at the exchange rates entered in the budget."
        )
        % {"currency": currency},
        _(
            "A benefit counts at its full money value every year from its first year to year 3; no benefit counts "
            "in the initial certification year. %(priced)s of %(all)s benefits have a money value; the others count "
            "as nothing here."
        )
        % {"priced": detail.priced, "all": detail.priced + detail.unpriced},
        _(
            "The payback period is counted from the certificate (the end of the initial year): the initial year's "
            "net flow counts at once, each later year's comes in evenly over that year, and the period ends when "
            "the running total first reaches zero."
        ),
        _(
            "Net benefit is the cycle's benefits less its costs; the simple return is the net benefit divided by the "
            "costs. No discounting, inflation or tax is applied."
        ),
        _("The sensitivity table lowers every benefit by 30 %, raises every cost by 30 %, and does both at once."),
    ]


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
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This form is out of date: open the page again."))
        return redirect("feasibility:benefit", engagement_id, benefit_id)
    version = form.cleaned_data["expected_version"]
    removed = attempt(
        request,
        lambda: benefit_delete(benefit=benefit, actor=request.user, expected_version=version) or True,
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
