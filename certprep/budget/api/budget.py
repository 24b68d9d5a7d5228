"""The budget's settings, its exchange rates and its roll-up by category and year."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.budget.api.common import BASE, VERSION_HELP, Amount, Currency, sent
from certprep.budget.models import BudgetSettings, ExchangeRate
from certprep.budget.selectors.budget import budget_view, rates_of, scenario_table
from certprep.budget.services.inputs import rate_add, settings_in, settings_update
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role

router = Router()


class FactorIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    percent: str = Field(
        pattern=r"^-?\d{1,3}(\.\d{1,2})?$", description="Negative takes time off (reductions capped at 30 % together)."
    )
    justification: str = Field(min_length=1, max_length=1000)


class BudgetSettingsOut(Schema):
    reporting_currency: str
    training_hours: str
    training_rate: str
    internal_day_rate: str
    audit_day_rate: str
    role_day_rates: dict[str, str]
    person_day_rates: dict[str, str]
    factors: list[dict[str, str]]
    surveillance_share: str | None
    recertification_share: str | None
    version: int


class BudgetSettingsPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    reporting_currency: Currency | None = None
    training_hours: Amount | None = None
    training_rate: Amount | None = None
    internal_day_rate: Amount | None = None
    audit_day_rate: Amount | None = None
    role_day_rates: dict[str, Amount] | None = Field(None, max_length=200)
    person_day_rates: dict[str, Amount] | None = Field(None, max_length=1000)
    factors: list[FactorIn] | None = Field(None, max_length=20)
    surveillance_share: Amount | None = None
    recertification_share: Amount | None = None


class DayRatesOut(Schema):
    role_day_rates: dict[str, str] = Field(description="SMS role (top_management, sms_manager, ...) -> day rate.")
    person_day_rates: dict[str, str] = Field(description="Person id -> the person's own day rate.")
    currency: str = Field(description="The reporting currency the rates are in.")
    default_day_rate: str = Field(description="The internal day rate, for anyone without a rate of their own.")
    version: int


class DayRatesIn(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    role_day_rates: dict[str, Amount] = Field(max_length=50, description="Every role's rate; a role left out has none.")
    person_day_rates: dict[str, Amount] = Field(
        max_length=1000, description="Every person's own rate, by person id; a person left out has none."
    )


class ExchangeRateOut(Schema):
    id: int
    source: str
    target: str
    rate: str
    as_of: str


class RateIn(InputSchema):
    source: Currency
    target: Currency
    rate: Amount
    as_of: IsoDate


class SummaryOut(Schema):
    currency: str
    cash_by_year: list[str] = Field(description="Cash out in the initial year, surveillance 1 and 2, recertification.")
    internal_by_year: list[str]
    cash_total: str
    internal_total: str
    complete: bool = Field(description="False while a line's currency has no rate to the reporting currency.")
    missing_rates: list[str]
    no_training_line: bool


def settings_out(budget: BudgetSettings) -> dict[str, Any]:
    out: dict[str, Any] = {"reporting_currency": budget.reporting_currency, "version": budget.version}
    for name in ("training_hours", "training_rate", "internal_day_rate", "audit_day_rate"):
        out[name] = str(getattr(budget, name))
    for name in ("surveillance_share", "recertification_share"):
        value = getattr(budget, name)
        out[name] = None if value is None else str(value)
    out |= {"role_day_rates": budget.role_day_rates, "person_day_rates": budget.person_day_rates}
    out["factors"] = budget.factors
    return out


def rate_out(rate: ExchangeRate) -> dict[str, Any]:
    return {
        "id": rate.pk,
        "source": rate.source,
        "target": rate.target,
        "rate": str(rate.rate.normalize()),
        "as_of": rate.as_of.isoformat(),
    }


@router.get(BASE + "/settings", response={200: BudgetSettingsOut, **READ}, summary="The budget's settings")
def settings_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return settings_out(settings_in(engagement))


@router.patch(
    BASE + "/settings", response={200: BudgetSettingsOut, **VERSIONED}, summary="Change the budget's settings (editors)"
)
def settings_patch(request: SignedInRequest, engagement_id: int, payload: BudgetSettingsPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    changes = sent(payload)
    budget = settings_update(
        budget=settings_in(engagement), actor=request.user, expected_version=payload.version, **changes
    )
    return settings_out(budget)


def day_rates_out(budget: BudgetSettings) -> dict[str, Any]:
    return {
        "role_day_rates": budget.role_day_rates,
        "person_day_rates": budget.person_day_rates,
        "currency": budget.reporting_currency,
        "default_day_rate": str(budget.internal_day_rate),
        "version": budget.version,
    }


@router.get(BASE + "/day-rates", response={200: DayRatesOut, **READ}, summary="The day rates per role and person")
def day_rates_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return day_rates_out(settings_in(engagement))


@router.put(
    BASE + "/day-rates",
    response={200: DayRatesOut, **VERSIONED},
    summary="Replace the day rates per role and person (editors)",
    description="A person's own rate beats the highest rate of their roles, which beats the internal day rate. "
    "Amounts are in the reporting currency, between 0 and 10^12 with at most 4 decimals.",
)
def day_rates_put(request: SignedInRequest, engagement_id: int, payload: DayRatesIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    budget = settings_update(
        budget=settings_in(engagement),
        actor=request.user,
        expected_version=payload.version,
        role_day_rates=payload.role_day_rates,
        person_day_rates=payload.person_day_rates,
    )
    return day_rates_out(budget)


@router.get(BASE + "/rates", response={200: list[ExchangeRateOut], **READ}, summary="The exchange rates entered")
def rate_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [rate_out(rate) for rate in rates_of(engagement)]


@router.post(BASE + "/rates", response={201: ExchangeRateOut, **WRITE}, summary="Enter an exchange rate (editors)")
def rate_create(request: SignedInRequest, engagement_id: int, payload: RateIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rate = rate_add(
        engagement=engagement,
        actor=request.user,
        source=payload.source,
        target=payload.target,
        rate=payload.rate,
        as_of=payload.as_of,
    )
    return Status(201, rate_out(rate))


@router.get(BASE + "/summary", response={200: SummaryOut, **READ}, summary="The budget by year, with its warnings")
def summary(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    view = budget_view(engagement, settings_in(engagement))
    rollup = view.rollup
    return {
        "currency": rollup.currency,
        "cash_by_year": [str(rollup.cash_by_year[y]) for y in range(4)],
        "internal_by_year": [str(rollup.internal_by_year[y]) for y in range(4)],
        "cash_total": str(rollup.cash_total),
        "internal_total": str(rollup.internal_total),
        "complete": rollup.complete,
        "missing_rates": [f"{s}->{t}" for s, t in rollup.missing_pairs],
        "no_training_line": view.no_training,
    }


class ScenarioOut(Schema):
    key: str = Field(description='"budgeted", "without_consultancy", "consulting:{vendor id}", "certification:{id}".')
    vendor: str
    cash_by_year: list[str]
    cash_total: str
    complete: bool


@router.get(
    BASE + "/scenarios",
    response={200: list[ScenarioOut], **READ},
    summary="The budget with and without the consultancy and with each vendor's quote",
)
def scenario_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [
        {
            "key": s.key,
            "vendor": s.vendor,
            "cash_by_year": [str(s.rollup.cash_by_year[y]) for y in range(4)],
            "cash_total": str(s.rollup.cash_total),
            "complete": s.rollup.complete,
        }
        for s in scenario_table(engagement, settings_in(engagement))
    ]
