"""The economics of the feasibility scheme read from where they live: the costs of each cycle year from the
budget (cash out and internal effort, in the reporting currency), the priced benefits, and the figures of
certprep.feasibility.payback over them. A fixed number of queries whatever the number of lines or benefits."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from certprep.budget.models import BudgetSettings
from certprep.budget.rollup import Rollup, roll_up
from certprep.budget.selectors.budget import as_rates, facts_of, rates_of
from certprep.core.wording import join_names
from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_usual import shown
from certprep.feasibility.choices import Lens
from certprep.feasibility.models import Benefit
from certprep.feasibility.payback import YEARS, Case, Figures, PricedBenefit, figures, flows_of, sensitivity

DEFAULT_CURRENCY = BudgetSettings._meta.get_field("reporting_currency").get_default()


@dataclass(frozen=True)
class Economics:
    """The scheme's economic figures over the 3-year certificate cycle, in the budget's reporting currency.

    costs is None when there is no budget yet or a line's currency has no rate (then net benefit, payback and
    return are None too); missing says, in the active language, what is missing for a complete figure."""

    currency: str
    costs: Decimal | None
    benefits: Decimal
    net_benefit: Decimal | None
    payback_years: Decimal | None
    simple_return: Decimal | None
    missing: tuple[str, ...]


@dataclass(frozen=True)
class EconomicsDetail:
    """Everything the benefits page shows: the headline figures, each year's costs (cash and internal) and
    benefits, the sensitivity cases, and how many benefits have and lack a money value."""

    economics: Economics
    cash_by_year: tuple[Decimal, ...] | None
    internal_by_year: tuple[Decimal, ...] | None
    figures: Figures | None
    cases: list[Case] = field(default_factory=list)
    benefits_by_year: tuple[Decimal, ...] = ()
    priced: int = 0
    unpriced: int = 0
    missing_pairs: tuple[tuple[str, str], ...] = ()


def _rollup(engagement: Engagement) -> tuple[str, Rollup | None]:
    """The reporting currency and the budget's roll-up; None when the budget has no line yet (a budget whose
    settings were never saved is read with their defaults, as the budget page reads it)."""
    budget = BudgetSettings.objects.filter(engagement=engagement).only("reporting_currency").first()
    currency = budget.reporting_currency if budget else DEFAULT_CURRENCY
    facts = facts_of(engagement)
    if not facts:
        return currency, None
    return currency, roll_up(facts, currency=currency, rates=as_rates(rates_of(engagement)))


def economics_detail(engagement: Engagement) -> EconomicsDetail:
    """The economics with their workings (four queries)."""
    values = list(Benefit.objects.filter(engagement=engagement).values_list("value_per_year", "first_year"))
    priced = [PricedBenefit(v, first) for v, first in values if v is not None]
    unpriced = len(values) - len(priced)
    missing: list[str] = []
    if not priced:
        missing.append(_("No benefit has a money value yet."))
    currency, rollup = _rollup(engagement)
    benefit_years = flows_of([Decimal(0)] * len(YEARS), priced).benefits
    benefit_total = sum(benefit_years, Decimal(0))
    if rollup is None:
        missing.insert(0, _("The budget has no line yet: the costs come from the budget."))
    elif not rollup.complete:
        pairs = join_names(f"{source} → {target}" for source, target in rollup.missing_pairs)
        missing.insert(
            0, _("The budget lacks exchange rates (%(pairs)s): its costs are incomplete.") % {"pairs": pairs}
        )
    if rollup is None or not rollup.complete:
        economics = Economics(currency, None, benefit_total, None, None, None, tuple(missing))
        return EconomicsDetail(
            economics,
            None,
            None,
            None,
            benefits_by_year=benefit_years,
            priced=len(priced),
            unpriced=unpriced,
            missing_pairs=tuple(rollup.missing_pairs) if rollup else (),
        )
    cash = tuple(rollup.cash_by_year[y] for y in YEARS)
    internal = tuple(rollup.internal_by_year[y] for y in YEARS)
    flows = flows_of([c + i for c, i in zip(cash, internal, strict=True)], priced)
    result = figures(flows)
    if flows.cost_total == 0:
        # Nothing to pay back: a payback of "0 years" would read as a finding.
        missing.insert(0, _("The budget's lines add up to nothing yet: there is no cost to pay back."))
    economics = Economics(
        currency=currency,
        costs=flows.cost_total,
        benefits=flows.benefit_total,
        net_benefit=result.net_benefit,
        payback_years=result.payback_years if flows.cost_total > 0 else None,
        simple_return=result.simple_return,
        missing=tuple(missing),
    )
    return EconomicsDetail(economics, cash, internal, result, sensitivity(flows), flows.benefits, len(priced), unpriced)


def economics_of(engagement: Engagement) -> Economics:
    """The headline economic figures of the engagement (see Economics)."""
    return economics_detail(engagement).economics


@dataclass(frozen=True)
class BenefitRow:
    """A benefit as the page shows it: its texts in the reader's language while still the shipped ones, and the
    labels of its lenses."""

    benefit: Benefit
    title: str
    effect: str
    kpi: str
    baseline: str
    target: str
    lenses: list[str]


def benefit_rows(engagement: Engagement) -> list[BenefitRow]:
    """The benefits in their order (one query)."""
    labels = dict(Lens.choices)
    rows = []
    for benefit in Benefit.objects.filter(engagement=engagement).order_by("position", "pk"):
        code = benefit.code
        rows.append(
            BenefitRow(
                benefit=benefit,
                title=shown("benefit", code, "title", benefit.title),
                effect=shown("benefit", code, "effect", benefit.effect),
                kpi=shown("benefit", code, "kpi", benefit.kpi),
                baseline=shown("benefit", code, "baseline", benefit.baseline),
                target=shown("benefit", code, "target", benefit.target),
                lenses=[str(labels[lens]) for lens in benefit.lenses if lens in labels],
            )
        )
    return rows
