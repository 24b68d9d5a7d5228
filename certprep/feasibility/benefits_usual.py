"""The usual benefits of certification (the seeds' list, choices.BenefitKey) and the usual risks of a
certification project, in our own words, as the register is pre-seeded with them.

A seeded row stores its code and its texts in the language of the person who created it. While a text is still
the shipped one (in any language certprep ships), the page shows it in the reader's language; once somebody
changes it, their words are shown as they wrote them (`shown`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certprep.feasibility.choices import BenefitKey, Lens


@dataclass(frozen=True)
class UsualBenefit:
    code: str
    effect: Promise
    kpi: Promise
    baseline: Promise
    target: Promise
    lenses: tuple[str, ...]

    @property
    def title(self) -> Promise:
        return BenefitKey(self.code).label


@dataclass(frozen=True)
class UsualRisk:
    code: str
    title: Promise
    description: Promise
    countermeasure: Promise
    likelihood: int
    impact: int


USUAL_BENEFITS = (
    UsualBenefit(
        BenefitKey.CONTINUAL_IMPROVEMENT,
        _("Service problems are found, reviewed and removed in a regular cycle instead of case by case."),
        _("Improvements closed per quarter"),
        _("none tracked"),
        _("at least 6 per quarter"),
        (Lens.DEVELOPMENT_GOALS, Lens.EFFICIENCY),
    ),
    UsualBenefit(
        BenefitKey.STABLE_SERVICE,
        _("Key business services run with fewer outages and at a cost that is known and planned."),
        _("Availability of the key services"),
        _("99.0 %"),
        _("99.7 %"),
        (Lens.ENVIRONMENT, Lens.PROFITABILITY),
    ),
    UsualBenefit(
        BenefitKey.COMMON_LANGUAGE,
        _("IT, the business and suppliers describe services, levels and changes in the same terms."),
        _("Services with an agreed service level"),
        _("20 %"),
        _("90 %"),
        (Lens.DEVELOPMENT_GOALS, Lens.ENVIRONMENT),
    ),
    UsualBenefit(
        BenefitKey.COMMUNICATION,
        _("Teams hand work over through defined processes and records, not through personal contacts."),
        _("Incidents reassigned more than twice"),
        _("15 %"),
        _("5 %"),
        (Lens.EFFICIENCY, Lens.WORKLOAD),
    ),
    UsualBenefit(
        BenefitKey.BEST_PRACTICE,
        _("Proven practice raises the internal service level and keeps it there."),
        _("Customer satisfaction score"),
        _("3.4 of 5"),
        _("4.2 of 5"),
        (Lens.DEVELOPMENT_GOALS, Lens.ENVIRONMENT),
    ),
    UsualBenefit(
        BenefitKey.DELIVERY_TIME,
        _("Requests and changes are delivered faster because the steps and approvals are clear."),
        _("Average time to fulfil a standard request"),
        _("5 days"),
        _("2 days"),
        (Lens.EFFICIENCY, Lens.PROFITABILITY),
    ),
    UsualBenefit(
        BenefitKey.SUPPLIER_MANAGEMENT,
        _("Suppliers are chosen, measured and reviewed against agreed targets."),
        _("Suppliers reviewed against their contract each year"),
        _("0 %"),
        _("100 %"),
        (Lens.IT_RESOURCES, Lens.PROFITABILITY),
    ),
    UsualBenefit(
        BenefitKey.STAFF,
        _("People spend less time on rework and firefighting, know their roles, and are more likely to stay."),
        _("Staff turnover in IT per year"),
        _("18 %"),
        _("10 %"),
        (Lens.WORKLOAD, Lens.IT_RESOURCES),
    ),
    UsualBenefit(
        BenefitKey.MANAGEMENT_DATA,
        _("Management decides on measured service figures instead of impressions."),
        _("Monthly service report delivered to management"),
        _("not delivered"),
        _("yes, every month"),
        (Lens.DEVELOPMENT_GOALS, Lens.IT_RESOURCES),
    ),
)

USUAL_RISKS = (
    UsualRisk(
        "weak_commitment",
        _("Top management's commitment is weak"),
        _("Leaders approve the project but do not attend reviews, decide slowly or withdraw people when it hurts."),
        _("Agree a sponsor in the steering committee, put the project on management's monthly agenda."),
        3,
        5,
    ),
    UsualRisk(
        "key_person",
        _("The project depends on one or two key people"),
        _("If the process owner or the project lead leaves or falls ill, knowledge and momentum go with them."),
        _("Name a deputy for each key role and keep decisions and working papers in shared records."),
        3,
        4,
    ),
    UsualRisk(
        "trial_workload",
        _("Staff are overloaded during trial operation"),
        _("Running the new processes and their records next to daily operations doubles the work for some weeks."),
        _("Plan trial operation outside peak periods, free time in the schedule and start with the core processes."),
        4,
        3,
    ),
    UsualRisk(
        "audit_slot",
        _("The audit slot is not booked in time"),
        _("Certification bodies book auditors months ahead; a late reservation moves the certificate back."),
        _("Reserve stage 1 and stage 2 with the certification body as soon as the plan's dates are firm."),
        3,
        4,
    ),
    UsualRisk(
        "scope_creep",
        _("The scope grows during the project"),
        _("More services, sites or departments are added after the plan was made, without more time or people."),
        _("Fix the scope statement with the sponsor; every change goes through the steering committee."),
        3,
        3,
    ),
    UsualRisk(
        "paper_system",
        _("Documents are written but not lived"),
        _("Procedures exist on paper while people keep working as before; the auditor finds no records."),
        _("Write procedures with the people who use them, check records monthly in internal audits."),
        4,
        4,
    ),
    UsualRisk(
        "consultant_dependency",
        _("The organization depends on the consultant"),
        _("The consultant writes and runs everything; after certification nobody inside can keep the system."),
        _("Pair every consultant task with an internal owner and hand over each process before stage 1."),
        3,
        3,
    ),
    UsualRisk(
        "budget_cut",
        _("The budget is cut in the middle of the project"),
        _("Training, tools or the certification fee are cut after work has begun, leaving the project half done."),
        _("Have the 3-year budget approved up front and report spending against it to the steering committee."),
        2,
        4,
    ),
)

USUAL_RISK_CODES = frozenset(risk.code for risk in USUAL_RISKS)
AUDIT_SLOT = "audit_slot"
BENEFIT_TEXTS = ("title", "effect", "kpi", "baseline", "target")
RISK_TEXTS = ("title", "description", "countermeasure")
_BENEFITS = {b.code: b for b in USUAL_BENEFITS}
_RISKS = {r.code: r for r in USUAL_RISKS}


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


@cache
def _shipped(kind: str, code: str, name: str) -> frozenset[str]:
    """A shipped text in every language certprep ships (cached: the catalogues do not change while it runs)."""
    usual: Mapping[str, UsualBenefit | UsualRisk] = _BENEFITS if kind == "benefit" else _RISKS
    item = usual.get(code)
    if item is None:
        return frozenset()
    texts = set()
    for language in _languages():
        with translation.override(language):
            texts.add(str(getattr(item, name)))
    return frozenset(texts)


def shown(kind: str, code: str, name: str, stored: str) -> str:
    """The text to show: the shipped one in the reader's language while `stored` is still a shipped text."""
    if code and stored and stored in _shipped(kind, code, name):
        usual: Mapping[str, UsualBenefit | UsualRisk] = _BENEFITS if kind == "benefit" else _RISKS
        return str(getattr(usual[code], name))
    return stored
