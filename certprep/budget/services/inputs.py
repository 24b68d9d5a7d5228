"""Writing what the budget rests on: its settings (reporting currency and the derived lines' inputs), the
exchange rates people enter and the tool options. Versioned, audited, validated before anything is written."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.budget.audit_time import Factor, table_from
from certprep.budget.choices import ToolKind
from certprep.budget.models import BudgetSettings, ExchangeRate, ToolOption
from certprep.budget.money import MAX_RATE, MAX_UNIT_PRICE, MoneyError, Rate, check_currency, decimal_in
from certprep.budget.services.audited import audited_delete, audited_update
from certprep.budget.wording import money_refusal
from certprep.core.actors import Actor, AuditActor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement
from certprep.people.choices import SmsRole
from certprep.people.models import Person

SETTINGS_FIELDS = [
    "reporting_currency",
    "training_hours",
    "training_rate",
    "internal_day_rate",
    "role_day_rates",
    "person_day_rates",
    "audit_table",
    "factors",
    "surveillance_share",
    "recertification_share",
    "audit_day_rate",
    "chosen_tool",
]
MONEY_SETTINGS = ("training_rate", "internal_day_rate", "audit_day_rate")
MAX_FACTORS = 20


def settings_in(engagement: Engagement) -> BudgetSettings:
    """The engagement's budget settings; the defaults (unsaved) while it has none."""
    found = BudgetSettings.objects.filter(engagement=engagement).select_related("chosen_tool").first()
    found = found or BudgetSettings(engagement=engagement)
    found.engagement = engagement
    return found


def _money(value: object, field: str, *, limit: Decimal = MAX_UNIT_PRICE) -> Decimal:
    try:
        return decimal_in(value, limit=limit, places=4)
    except MoneyError as error:
        raise money_refusal(error, field=field) from None


def _currency(value: str, field: str) -> str:
    try:
        return check_currency((value or "").strip().upper())
    except MoneyError as error:
        raise money_refusal(error, field=field) from None


def _rates(value: Any, field: str, allowed: set[str]) -> dict[str, str]:
    """A mapping of roles or person ids to day rates: each key one the engagement has, each rate a non-negative
    amount within money's bounds with at most four decimals, kept as its decimal text."""
    if not isinstance(value, dict) or len(value) > 1000:
        raise ServiceError(_("Day rates are a mapping of names to amounts."), field=field)
    unknown = sorted(str(k) for k in value if str(k) not in allowed)
    if unknown:
        raise ServiceError(_("No role or person %(key)s in this engagement.") % {"key": unknown[0][:60]}, field=field)
    return {str(k): str(_money(v, field)) for k, v in value.items()}


def _rate_keys(budget: BudgetSettings, field: str) -> set[str]:
    if field == "role_day_rates":
        return set(SmsRole.values)
    return {str(pk) for pk in Person.objects.filter(engagement_id=budget.engagement_id).values_list("pk", flat=True)}


def _factors(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or len(value) > MAX_FACTORS:
        raise ServiceError(_("At most 20 adjustment factors."), field="factors")
    factors = []
    for item in value:
        name = str(item.get("name", "")).strip() if isinstance(item, dict) else ""
        justification = str(item.get("justification", "")).strip() if isinstance(item, dict) else ""
        try:
            percent = Decimal(str(item.get("percent"))) if isinstance(item, dict) else Decimal("nan")
        except ArithmeticError:
            percent = Decimal("nan")
        if not name or not percent.is_finite() or not -100 < percent <= 100:
            raise ServiceError(_("Each factor has a name and a per cent between -100 and 100."), field="factors")
        if not justification:
            raise ServiceError(_("Each factor needs its justification: %(name)s.") % {"name": name}, field="factors")
        factors.append({"name": name[:200], "percent": str(percent), "justification": justification[:1000]})
    return factors


def factors_of(budget: BudgetSettings) -> list[Factor]:
    return [Factor(f["name"], Decimal(f["percent"])) for f in budget.factors]


def settings_checked(budget: BudgetSettings, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes as the settings store them; ServiceError naming the first refused field."""
    cleaned: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "reporting_currency":
            cleaned[name] = _currency(value, name)
        elif name in MONEY_SETTINGS:
            cleaned[name] = _money(value, name)
        elif name == "training_hours":
            cleaned[name] = _money(value, name, limit=Decimal(1000))
        elif name in ("role_day_rates", "person_day_rates"):
            cleaned[name] = _rates(value, name, _rate_keys(budget, name))
        elif name == "factors":
            cleaned[name] = _factors(value)
        elif name in ("surveillance_share", "recertification_share"):
            share = None if value is None else _money(value, name, limit=Decimal(1))
            if share is not None and share <= 0:
                raise ServiceError(_("A share is more than 0 and at most 1."), field=name)
            cleaned[name] = share
        elif name == "audit_table":
            if value:
                try:
                    table_from(value)
                except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
                    raise ServiceError(_("This audit-time table is not usable: %(why)s") % {"why": exc}) from None
            cleaned[name] = value or {}
        elif name == "chosen_tool":
            if value is not None and value.engagement_id != budget.engagement_id:
                raise ServiceError(_("No tool option with this id in this engagement."), field="chosen_tool")
            cleaned[name] = value
    return cleaned


@transaction.atomic
def settings_update(
    *, budget: BudgetSettings, actor: AuditActor, expected_version: int, **changes: Any
) -> BudgetSettings:
    cleaned = settings_checked(budget, changes)
    if budget.pk is None:
        if expected_version != 1:
            raise ServiceError(_("These settings were not saved yet: open the page again."))
        budget.save()
    return audited_update(
        budget,
        engagement=budget.engagement,
        actor=actor,
        expected_version=expected_version,
        values=cleaned,
        fields=SETTINGS_FIELDS,
    )


@transaction.atomic
def rate_add(
    *, engagement: Engagement, actor: AuditActor, source: str, target: str, rate: object, as_of: datetime.date
) -> ExchangeRate:
    source, target = _currency(source, "source"), _currency(target, "target")
    if source == target:
        raise ServiceError(_("A rate is between two different currencies."), field="target")
    value = _money(rate, "rate", limit=MAX_RATE)
    try:
        Rate(source, target, value, as_of)
    except MoneyError as error:
        raise money_refusal(error, field="rate") from None
    entry = ExchangeRate.objects.create(engagement=engagement, source=source, target=target, rate=value, as_of=as_of)
    facts = {"source": source, "target": target, "rate": value, "as_of": as_of}
    audit_record(engagement=engagement, actor=actor, action=AuditEntry.Action.CREATE, obj=entry, values=facts)
    return entry


@transaction.atomic
def rate_delete(*, rate: ExchangeRate, actor: Actor) -> None:
    facts = {"source": rate.source, "target": rate.target, "rate": rate.rate, "as_of": rate.as_of}
    audit_record(engagement=rate.engagement, actor=actor, action=AuditEntry.Action.DELETE, obj=rate, values=facts)
    rate.delete()


TOOL_FIELDS = ["kind", "name", "initial_cost", "yearly_cost", "currency", "note"]


def _tool_values(
    *, kind: str, name: str, initial_cost: object, yearly_cost: object, currency: str, note: str
) -> dict[str, Any]:
    if kind not in ToolKind.values:
        raise ServiceError(_("Choose adapting the existing platform or buying a new tool."), field="kind")
    if not (name or "").strip():
        raise ServiceError(_("Name the option."), field="name")
    return {
        "kind": kind,
        "name": name.strip()[:200],
        "initial_cost": _money(initial_cost, "initial_cost"),
        "yearly_cost": _money(yearly_cost, "yearly_cost"),
        "currency": _currency(currency, "currency"),
        "note": note or "",
    }


@transaction.atomic
def tool_add(*, engagement: Engagement, actor: AuditActor, **fields: Any) -> ToolOption:
    option = ToolOption.objects.create(engagement=engagement, **_tool_values(**fields))
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=option,
        values=snapshot(option, TOOL_FIELDS),
    )
    return option


@transaction.atomic
def tool_update(*, option: ToolOption, actor: Actor, expected_version: int, **fields: Any) -> ToolOption:
    return audited_update(
        option,
        engagement=option.engagement,
        actor=actor,
        expected_version=expected_version,
        values=_tool_values(**fields),
        fields=TOOL_FIELDS,
    )


@transaction.atomic
def tool_delete(*, option: ToolOption, actor: Actor, expected_version: int | None) -> bool:
    return audited_delete(
        option,
        engagement=option.engagement,
        actor=actor,
        expected_version=expected_version,
        fields=TOOL_FIELDS,
        conflict=_("Someone changed this option since you opened it; it was not deleted."),
    )
