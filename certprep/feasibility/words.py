"""The scheme's words: what 1 to 5 mean for each rated aspect (the anchors on the page), the rule written out
with its thresholds, and each criterion's input with its value, source and what it must reach for a go."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from certprep.budget.money import format_money
from certprep.core.wording import join_entries
from certprep.feasibility import rule
from certprep.feasibility.choices import Outcome, RatingKey

L = gettext_lazy

# What each point of the 1-5 scale means for each aspect, weakest first (our own words).
ANCHORS: dict[str, tuple[Promise, ...]] = {
    RatingKey.ITIL_FOUNDATION: (
        L("No service management practice; work is done as it comes."),
        L("A few people know ITIL; practices are informal and differ by team."),
        L("Incident and change are defined and mostly followed; records exist."),
        L("Most processes are defined, followed and supported by a tool."),
        L("Processes are measured and improved; records would satisfy an auditor today."),
    ),
    RatingKey.ORGANIZATION_STRUCTURE: (
        L("Nobody answers for the services; roles are not written down."),
        L("Some roles exist, but owners are missing or overloaded."),
        L("Process owners are named; a few gaps or double roles remain."),
        L("Clear roles, owners and escalation; the matrix checks clean."),
        L("A stable structure with deputies; service management is part of the line organization."),
    ),
    RatingKey.MANAGEMENT_RISKS: (
        L("The current way of working would break under the audit's demands."),
        L("Many gaps against the standard; key people could not carry the extra work."),
        L("Gaps are known and manageable with a plan and some help."),
        L("Few gaps; existing management systems can be reused."),
        L("The current system already meets the standard nearly everywhere."),
    ),
    RatingKey.INVESTMENT_NECESSITY: (
        L("No customer, contract or strategy asks for the certificate."),
        L("Nice to have; nobody would miss it soon."),
        L("Helpful in tenders or with some customers."),
        L("Customers or the group expect it within a year or two."),
        L("Required now: contracts or the market cannot be served without it."),
    ),
    RatingKey.ORGANIZATIONAL: (
        L("Management is not behind it and staff have no time."),
        L("Support is lukewarm; time has to be fought for."),
        L("Management agrees; people can be freed part-time."),
        L("A sponsor and a project team are named with time set aside."),
        L("Top management drives it; roles and time are secured."),
    ),
    RatingKey.TECHNICAL: (
        L("No tool for tickets, changes or configuration."),
        L("Tools exist but cannot record what the standard asks."),
        L("Tools can be adapted with moderate work."),
        L("Tools cover most processes; small changes only."),
        L("Tools support every process in scope and give the measures needed."),
    ),
    RatingKey.FINANCIAL: (
        L("No money is available for the project."),
        L("Money would have to be taken from other work."),
        L("The budget is available with some cuts or phasing."),
        L("The budget is approved in principle."),
        L("The budget is approved and has a reserve."),
    ),
    RatingKey.ECONOMIC: (
        L("Costs far exceed any benefit we can see."),
        L("Benefits may cover part of the costs, later."),
        L("Benefits about balance the costs over the cycle."),
        L("Benefits exceed the costs within the cycle."),
        L("Clear net benefit early in the cycle."),
    ),
    RatingKey.SOCIAL: (
        L("Staff oppose the change; customers do not care."),
        L("Staff fear more paperwork; little interest outside."),
        L("Staff accept it; some customers ask about it."),
        L("Staff see the gain; customers and partners value it."),
        L("Staff and customers ask for it; it strengthens our reputation."),
    ),
}

CRITERION_LABELS: dict[str, Promise] = {
    rule.SCORE: L("Weighted feasibility score"),
    rule.LOWEST: L("Lowest single rating"),
    rule.ECONOMICS: L("Net benefit and payback over the cycle"),
    rule.RISKS: L("Open high risks"),
    rule.SCHEDULE: L("Chance of being ready by the booked stage 2 audit"),
}

LEVEL_LABELS = {rule.Level.GO: Outcome.GO.label, rule.Level.CONDITIONAL: Outcome.CONDITIONAL.label}
LEVEL_LABELS[rule.Level.NO_GO] = Outcome.NO_GO.label


def label_value(label: str, value: str) -> str:
    """ "label: value" with the reader's language's separator (a full-width colon in Chinese)."""
    return f"{label}{pgettext('label separator', ': ')}{value}"


def percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal(1))} %"


def rule_lines() -> list[tuple[str, str]]:
    """The rule as the page writes it: (criterion, when it is a go / with conditions / a no-go)."""
    return [
        (
            str(CRITERION_LABELS[rule.SCORE]),
            _("go from %(go)s; with conditions from %(cond)s; no-go below %(cond)s (scale 1-5).")
            % {"go": rule.GO_SCORE, "cond": rule.CONDITIONAL_SCORE},
        ),
        (
            str(CRITERION_LABELS[rule.LOWEST]),
            _("go when every rating is at least %(go)s; with conditions at %(cond)s; no-go when one is 1.")
            % {"go": rule.GO_LOWEST, "cond": rule.CONDITIONAL_LOWEST},
        ),
        (
            str(CRITERION_LABELS[rule.ECONOMICS]),
            _(
                "go when the net benefit is not negative and the costs pay back within %(years)s years; "
                "otherwise with conditions."
            )
            % {"years": rule.PAYBACK_LIMIT_YEARS},
        ),
        (
            str(CRITERION_LABELS[rule.RISKS]),
            _("go with %(go)s; with conditions below %(nogo)s; no-go from %(nogo)s.")
            % {"go": rule.GO_HIGH_RISKS, "nogo": rule.NO_GO_HIGH_RISKS},
        ),
        (
            str(CRITERION_LABELS[rule.SCHEDULE]),
            _("go from %(go)s; otherwise with conditions.") % {"go": percent(rule.GO_PROBABILITY)},
        ),
    ]


@dataclass(frozen=True)
class InputLine:
    """One criterion on the page: its input's value, where it comes from, its verdict and, short of go, what
    would make it a go."""

    criterion: str
    label: str
    value: str
    source: str
    level: rule.Level
    verdict: str
    condition: str


def _value(criterion: str, inputs: rule.Inputs, currency: str, language: str) -> str:
    none = _("not known yet")
    if criterion == rule.SCORE:
        return str(inputs.score) if inputs.score is not None else _("nothing rated yet")
    if criterion == rule.LOWEST:
        return str(inputs.lowest) if inputs.lowest is not None else _("nothing rated yet")
    if criterion == rule.ECONOMICS:
        if inputs.net_benefit is None:
            return none
        payback = (
            _("pays back in %(years)s years") % {"years": inputs.payback_years}
            if inputs.payback_years is not None
            else _("does not pay back within the cycle")
        )
        return join_entries([format_money(inputs.net_benefit, currency, language), payback])
    if criterion == rule.RISKS:
        return str(inputs.open_high_risks) if inputs.open_high_risks is not None else none
    if inputs.schedule_probability is None:
        return _("no schedule risk run yet")
    return percent(inputs.schedule_probability)


SOURCES: dict[str, Promise] = {
    rule.SCORE: L("The ratings on this page, by their weights."),
    rule.LOWEST: L("The ratings on this page."),
    rule.ECONOMICS: L("The budget's costs and the priced benefits."),
    rule.RISKS: L("The risk register."),
    rule.SCHEDULE: L("The plan's latest schedule risk run."),
}


def _condition(finding: rule.Finding) -> str:
    if finding.level == rule.Level.GO:
        return ""
    if finding.criterion == rule.SCORE:
        text = _("Raise the weighted score to at least %(n)s.")
    elif finding.criterion == rule.LOWEST:
        text = _("Bring every rating to at least %(n)s.")
    elif finding.criterion == rule.ECONOMICS:
        text = _(
            "Show a net benefit of at least %(n)s and payback within the cycle (price the benefits, check the costs)."
        )
    elif finding.criterion == rule.RISKS:
        text = _("Bring the open high risks down to %(n)s (countermeasures under way or closed).")
    else:
        text = _(
            "Raise the chance of being ready by the stage 2 audit to at least %(n)s "
            "(run the schedule risk analysis, move the date or shorten the plan)."
        )
    needed = percent(Decimal(finding.needed)) if finding.criterion == rule.SCHEDULE else finding.needed
    prefix = _("Missing: ") if finding.missing else ""
    return prefix + text % {"n": needed}


def input_lines(proposal: rule.Proposal, inputs: rule.Inputs, currency: str, language: str) -> list[InputLine]:
    return [
        InputLine(
            criterion=f.criterion,
            label=str(CRITERION_LABELS[f.criterion]),
            value=_value(f.criterion, inputs, currency, language),
            source=str(SOURCES[f.criterion]),
            level=f.level,
            verdict=str(LEVEL_LABELS[f.level]),
            condition=_condition(f),
        )
        for f in proposal.findings
    ]
