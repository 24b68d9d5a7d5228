"""Recomputing the derived lines from their inputs: the plan's assignments x day rates (internal effort), the
people in scope x training hours x rate, the certification fees (the decided body's quote, else the size-driven
estimate x the audit day rate) and the chosen tool option.

`budget_recompute` is called by the budget page on every load and by the API: it reads the inputs in a fixed
number of queries, computes the lines (certprep.budget.derive) and writes only what changed, so a page load
with nothing new writes nothing. Lines from the decided vendors' quotes (source "quote") are managed the same
way. It never touches a typed line: a typed line of the same category and year supersedes a derived one in the
roll-up instead (certprep.budget.rollup)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certprep.budget import derive
from certprep.budget.audit_time import AuditDays, estimate, shipped_table, table_from
from certprep.budget.choices import Category, LineSource
from certprep.budget.models import BudgetLine, BudgetSettings
from certprep.budget.services.inputs import factors_of, settings_in
from certprep.budget.wording import derived_description
from certprep.engagements.models import Engagement
from certprep.people.models import RoleAssignment
from certprep.planning.models import Assignment
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Decision, Quote, Vendor
from certprep.vendors.selectors.comparison import latest_decisions, schedule_of

COMPARED = (
    "category",
    "cycle_year",
    "quantity",
    "unit",
    "unit_price",
    "currency",
    "estimate",
    "derived_from",
    "source",
    "quote_id",
)
MANAGED = (LineSource.DERIVED, LineSource.QUOTE)


@dataclass(frozen=True)
class Recomputed:
    created: int
    changed: int
    removed: int


def audit_days(engagement: Engagement, budget: BudgetSettings) -> AuditDays | None:
    """The size-driven estimate for the engagement's people in scope (None without any)."""
    people = engagement.profile.people_in_scope if hasattr(engagement, "profile") else 0
    if not people:
        return None
    table = table_from(budget.audit_table) if budget.audit_table else shipped_table()
    return estimate(
        table,
        people,
        factors_of(budget),
        surveillance_share=budget.surveillance_share,
        recertification_share=budget.recertification_share,
    )


def table_source(budget: BudgetSettings) -> str:
    """Where the audit-time table comes from, in the active language (the engagement's own bands say so)."""
    if budget.audit_table:
        return _("Your own audit-time table.")
    source = shipped_table().source
    return source.get(get_language() or "en", source.get("en", ""))


def _internal(engagement: Engagement, budget: BudgetSettings) -> list[derive.Derived]:
    rows = Assignment.objects.filter(task__plan__engagement=engagement).values_list(
        "task_id", "person_id", "person__name", "share", "task__duration_days", "task__effort_hours"
    )
    facts = [derive.AssignmentFact(*row) for row in rows]
    roles: dict[int, list[str]] = defaultdict(list)
    for person_id, role in RoleAssignment.objects.filter(person__engagement=engagement).values_list("person", "role"):
        roles[person_id].append(role)
    rates = {
        fact.person_id: derive.day_rate(
            fact.person_id,
            roles[fact.person_id],
            person_rates=budget.person_day_rates,
            role_rates=budget.role_day_rates,
            default=budget.internal_day_rate,
        )
        for fact in facts
    }
    return derive.internal_effort(facts, rates=rates, currency=budget.reporting_currency)


def desired_lines(engagement: Engagement, budget: BudgetSettings) -> list[derive.Derived]:
    """Every derived line the inputs give today."""
    lines = _internal(engagement, budget)
    people = engagement.profile.people_in_scope if hasattr(engagement, "profile") else 0
    lines += derive.training(
        people=people or 0,
        hours=budget.training_hours,
        rate=budget.training_rate,
        currency=budget.reporting_currency,
    )
    decisions = latest_decisions(engagement)
    body = decisions.get(VendorKind.CERTIFICATION_BODY)
    consultancy = decisions.get(VendorKind.CONSULTANCY)
    chosen = _decided(engagement, consultancy)
    if chosen is not None:
        lines += _quoted(*chosen, Category.CONSULTING)
    days = audit_days(engagement, budget)
    chosen = _decided(engagement, body)
    if chosen is not None:  # a real quote replaces the size-driven estimate
        lines += _quoted(*chosen, Category.CERTIFICATION)
    elif days is not None:
        table = table_from(budget.audit_table) if budget.audit_table else shipped_table()
        source = table.source.get("en", "")
        lines += derive.certification_estimate(
            days, rate=budget.audit_day_rate, currency=budget.reporting_currency, source=source
        )
    tool = budget.chosen_tool
    if tool is not None:
        lines += derive.tools(
            name=tool.name, initial=tool.initial_cost, yearly=tool.yearly_cost, currency=tool.currency
        )
    return lines


def _decided(engagement: Engagement, decision: Decision | None) -> tuple[Vendor, Quote] | None:
    """The decided vendor and its quote, when the quote is this engagement's and the vendor's own: a quote of
    another engagement never prices this budget, whatever a row says (the vendors' services refuse one; this is
    the budget's own guard)."""
    if decision is None or decision.quote is None:
        return None
    quote = decision.quote
    if quote.engagement_id != engagement.pk or quote.vendor_id != decision.vendor_id:
        return None
    return decision.vendor, quote


def _quoted(vendor: Vendor, quote: Quote, category: str) -> list[derive.Derived]:
    items = schedule_of(vendor, quote)
    return derive.from_quote(items, quote_id=quote.pk, vendor=vendor.name, category=category, currency=quote.currency)


def _as_line(engagement: Engagement, wanted: derive.Derived) -> BudgetLine:
    params = {k: str(v) for k, v in wanted.params.items()}
    return BudgetLine(
        engagement=engagement,
        category=wanted.category,
        cycle_year=wanted.cycle_year,
        description=derived_description(wanted.what, params)[:300],
        quantity=wanted.quantity,
        unit=wanted.unit,
        unit_price=wanted.unit_price,
        currency=wanted.currency,
        source=LineSource.DERIVED if wanted.quote_id is None else LineSource.QUOTE,
        quote_id=wanted.quote_id,
        derived_key=wanted.key,
        derived_from={"what": wanted.what, **params},
        estimate=wanted.estimate,
    )


def _differs(stored: BudgetLine, fresh: BudgetLine) -> bool:
    return any(getattr(stored, name) != getattr(fresh, name) for name in COMPARED)


@transaction.atomic
def budget_recompute(*, engagement: Engagement) -> Recomputed:
    budget = settings_in(engagement)
    wanted = {d.key: _as_line(engagement, d) for d in desired_lines(engagement, budget)}
    stored = {
        line.derived_key: line
        for line in BudgetLine.objects.filter(engagement=engagement, source__in=MANAGED).select_for_update()
    }
    new = [line for key, line in wanted.items() if key not in stored]
    changed = []
    for key, line in wanted.items():
        old = stored.get(key)
        if old is not None and _differs(old, line):
            for name in (*COMPARED, "description"):
                setattr(old, name, getattr(line, name))
            old.version += 1
            changed.append(old)
    gone = [line.pk for key, line in stored.items() if key not in wanted]
    BudgetLine.objects.bulk_create(new)
    if changed:
        BudgetLine.objects.bulk_update(changed, [*COMPARED, "description", "version"])
    if gone:
        BudgetLine.objects.filter(pk__in=gone).delete()
    return Recomputed(created=len(new), changed=len(changed), removed=len(gone))
