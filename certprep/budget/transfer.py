"""The budget's section of the engagement file: its settings, exchange rates, tool options (the chosen one by
position) and typed lines, exported through the same part models the import validates (certprep.core.parts).

Derived lines and lines from a quote are not carried: they are recomputed from their inputs (the plan, the
profile, the vendors' decided quotes and these settings) when the budget is opened, so no quote needs a
reference here. A person's own day rate names the person by position in the file's people
(certprep.people.handovers). Every value passes the services' own checks before anything is written."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.budget.choices import LineSource, ToolKind
from certprep.budget.models import BudgetLine, BudgetSettings, ExchangeRate, ToolOption
from certprep.budget.money import MAX_RATE, MoneyError, MoneyProblem, Rate
from certprep.budget.services.inputs import settings_checked, settings_update
from certprep.budget.services.lines import checked_values
from certprep.budget.wording import money_refusal, plain_decimal
from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.engagements.models import Engagement
from certprep.people.models import Person

AMOUNT = r"^\d{1,13}(\.\d{1,4})?$"


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FactorPart(_Part):
    name: str = Field(min_length=1, max_length=200)
    percent: str = Field(pattern=r"^-?\d{1,3}(\.\d{1,2})?$")
    justification: str = Field(min_length=1, max_length=1000)


class SettingsPart(_Part):
    reporting_currency: str = Field("CNY", min_length=3, max_length=3)
    training_hours: str = Field("4", pattern=AMOUNT)
    training_rate: str = Field("0", pattern=AMOUNT)
    internal_day_rate: str = Field("0", pattern=AMOUNT)
    audit_day_rate: str = Field("0", pattern=AMOUNT)
    role_day_rates: dict[str, str] = Field(default_factory=dict, max_length=50)
    person_day_rates: dict[int, str] = Field(
        default_factory=dict, max_length=5000, description="Position in the file's people -> day rate."
    )
    audit_table: dict[str, Any] = Field(default_factory=dict)
    factors: list[FactorPart] = Field(default_factory=list, max_length=20)
    surveillance_share: str | None = Field(None, pattern=AMOUNT)
    recertification_share: str | None = Field(None, pattern=AMOUNT)
    chosen_tool: int | None = Field(None, ge=0, description="Position among this section's tool options.")


class RatePart(_Part):
    source: str = Field(min_length=3, max_length=3)
    target: str = Field(min_length=3, max_length=3)
    rate: str = Field(pattern=r"^\d{1,10}(\.\d{1,10})?$")
    as_of: datetime.date


class ToolPart(_Part):
    kind: Choice[ToolKind]
    name: str = Field(min_length=1, max_length=200)
    initial_cost: str = Field("0", pattern=AMOUNT)
    yearly_cost: str = Field("0", pattern=AMOUNT)
    currency: str = Field(min_length=3, max_length=3)
    note: str = Field("", max_length=5000)


class LinePart(_Part):
    category: str = Field(max_length=20)
    description: str = Field(min_length=1, max_length=300)
    quantity: str = Field(pattern=AMOUNT)
    unit: str = Field("", max_length=40)
    unit_price: str = Field(pattern=AMOUNT)
    currency: str = Field(min_length=3, max_length=3)
    cycle_year: int = Field(ge=0, le=3)
    note: str = Field("", max_length=5000)


class BudgetPart(_Part):
    settings: SettingsPart | None = None
    rates: list[RatePart] = Field(default_factory=list, max_length=1000)
    tools: list[ToolPart] = Field(default_factory=list, max_length=100)
    lines: list[LinePart] = Field(default_factory=list, max_length=20_000)


def budget_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    position = {pk: n for n, pk in enumerate(people)}
    tools = list(ToolOption.objects.filter(engagement=engagement).order_by("pk"))
    stored = BudgetSettings.objects.filter(engagement=engagement).first()
    settings = None
    if stored is not None:
        tool_position = {t.pk: n for n, t in enumerate(tools)}
        settings = SettingsPart(
            reporting_currency=stored.reporting_currency,
            training_hours=plain_decimal(stored.training_hours),
            **{k: str(getattr(stored, k)) for k in ("training_rate", "internal_day_rate", "audit_day_rate")},
            role_day_rates=stored.role_day_rates,
            person_day_rates={
                position[int(pk)]: rate for pk, rate in stored.person_day_rates.items() if int(pk) in position
            },
            audit_table=stored.audit_table,
            factors=[FactorPart(**f) for f in stored.factors],
            surveillance_share=None if stored.surveillance_share is None else str(stored.surveillance_share),
            recertification_share=None if stored.recertification_share is None else str(stored.recertification_share),
            chosen_tool=tool_position.get(stored.chosen_tool_id) if stored.chosen_tool_id else None,
        )
    part = BudgetPart(
        settings=settings,
        rates=[
            RatePart(source=r.source, target=r.target, rate=plain_decimal(r.rate), as_of=r.as_of)
            for r in ExchangeRate.objects.filter(engagement=engagement).order_by("pk")
        ],
        tools=[
            ToolPart(
                kind=ToolKind(t.kind),
                name=t.name,
                initial_cost=str(t.initial_cost),
                yearly_cost=str(t.yearly_cost),
                currency=t.currency,
                note=t.note,
            )
            for t in tools
        ],
        lines=[
            LinePart(
                category=line.category,
                description=line.description,
                quantity=str(line.quantity),
                unit=line.unit,
                unit_price=str(line.unit_price),
                currency=line.currency,
                cycle_year=line.cycle_year,
                note=line.note,
            )
            for line in BudgetLine.objects.filter(engagement=engagement, source=LineSource.TYPED).order_by("pk")
        ],
    )
    return part.model_dump(mode="json")


def _refuse(where: str, exc: ServiceError) -> ServiceError:
    return ServiceError(_("Budget section, %(where)s: %(problem)s") % {"where": where, "problem": exc.message})


def budget_check(part: BudgetPart, *, people: int | None) -> None:
    """Refuse the section before anything is written: every line, rate and reference checked."""
    for n, line in enumerate(part.lines, 1):
        try:
            checked_values(**line.model_dump())
        except ServiceError as exc:
            raise _refuse(_("line %(n)s") % {"n": n}, exc) from None
    for n, rate in enumerate(part.rates, 1):
        try:
            Rate(rate.source, rate.target, Decimal(rate.rate), rate.as_of)
            if Decimal(rate.rate) > MAX_RATE:
                raise MoneyError(MoneyProblem.TOO_LARGE, value=rate.rate)
        except MoneyError as error:
            raise _refuse(_("rate %(n)s") % {"n": n}, money_refusal(error, field="rate")) from None
    if part.settings is not None:
        chosen = part.settings.chosen_tool
        if chosen is not None and chosen >= len(part.tools):
            raise ServiceError(_("Budget section: the chosen tool option is not in the section."))
        if any(p >= (people or 0) for p in part.settings.person_day_rates):
            raise ServiceError(_("Budget section: a day rate names a person the file does not list."))
        data = part.settings.model_dump(exclude={"chosen_tool", "person_day_rates"})
        try:
            settings_checked(BudgetSettings(), data)
        except ServiceError as exc:
            raise _refuse(_("settings"), exc) from None


def budget_import(*, engagement: Engagement, part: BudgetPart, people: Sequence[Person]) -> None:
    """Write a checked section into the new engagement (inside the engagement import's transaction)."""
    tools = [ToolOption.objects.create(engagement=engagement, **tool.model_dump()) for tool in part.tools]
    ExchangeRate.objects.bulk_create(
        ExchangeRate(engagement=engagement, source=r.source, target=r.target, rate=Decimal(r.rate), as_of=r.as_of)
        for r in part.rates
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(engagement=engagement, source=LineSource.TYPED, **checked_values(**line.model_dump()))
        for line in part.lines
    )
    if part.settings is not None:
        data = part.settings.model_dump()
        chosen = data.pop("chosen_tool")
        data["person_day_rates"] = {str(people[p].pk): rate for p, rate in data["person_day_rates"].items()}
        data["chosen_tool"] = tools[chosen] if chosen is not None else None
        budget = BudgetSettings(engagement=engagement)
        settings_update(budget=budget, actor=None, expected_version=1, **data)
