"""Scenarios as a pure module (no database): the same budget with and without the consultancy and with each
certification body's quote, side by side over the three years, each rolled up like the budget itself.

A scenario with a vendor's quote replaces the whole category (consulting or certification) by that quote's 3-year
schedule (certprep.vendors.rules, with the parts its check leaves out estimated); "without the consultancy" drops
the consulting category. Everything else stays as budgeted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from certprep.budget.money import Rate
from certprep.budget.rollup import LineFact, Rollup, roll_up
from certprep.vendors.rules import ScheduleItem


@dataclass(frozen=True)
class Alternative:
    """A vendor's quote that may take a category's place."""

    key: str  # "consulting:12", "certification:7"
    vendor: str
    category: str
    currency: str
    items: Sequence[ScheduleItem]


@dataclass(frozen=True)
class Scenario:
    key: str  # "budgeted", "without_consultancy", or the alternative's key
    vendor: str  # the alternative's vendor, "" for the budget's own scenarios
    rollup: Rollup


def _swap(facts: Sequence[LineFact], category: str, items: Sequence[ScheduleItem], currency: str) -> list[LineFact]:
    kept = [fact for fact in facts if fact.category != category]
    added = [
        LineFact(-n, category, int(item.year), Decimal(1), item.amount, currency, derived=False)
        for n, item in enumerate(items, 1)
    ]
    return kept + added


def scenarios(
    facts: Sequence[LineFact], alternatives: Sequence[Alternative], *, currency: str, rates: Sequence[Rate]
) -> list[Scenario]:
    out = [
        Scenario("budgeted", "", roll_up(facts, currency=currency, rates=rates)),
        Scenario(
            "without_consultancy",
            "",
            roll_up([f for f in facts if f.category != "consulting"], currency=currency, rates=rates),
        ),
    ]
    for alternative in alternatives:
        swapped = _swap(facts, alternative.category, alternative.items, alternative.currency)
        out.append(Scenario(alternative.key, alternative.vendor, roll_up(swapped, currency=currency, rates=rates)))
    return out
