"""The benefits page's and the report's words for the economics: the key figures, the table by cycle year, the
sensitivity table and the assumptions, written in the active language with the reporting currency's money
format (one place, so the page and the documents say the same)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from certprep.feasibility.selectors.economics import EconomicsDetail


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
