"""Writing budget lines by hand: adding, changing and deleting a typed line. Each write validates the money
(certprep.budget.money's bounds), checks the version the person read and is recorded in the audit trail.

Derived lines are the recompute service's (services/derived.py): a person changes their inputs, not them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.budget.choices import Category, CycleYear, LineSource
from certprep.budget.models import BudgetLine
from certprep.budget.money import MAX_QUANTITY, MAX_UNIT_PRICE, MoneyError, check_currency, decimal_in, line_amount
from certprep.budget.services.audited import audited_delete, audited_update
from certprep.budget.wording import money_refusal
from certprep.core.actors import Actor
from certprep.core.audit import audit_record, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.engagements.models import Engagement

LINE_FIELDS = ["category", "description", "quantity", "unit", "unit_price", "currency", "cycle_year", "note"]


def checked_values(
    *,
    category: str,
    description: str,
    quantity: object,
    unit: str,
    unit_price: object,
    currency: str,
    cycle_year: int,
    note: str,
) -> dict[str, Any]:
    """A line's values, refused with the field named (nothing is written before every value passed)."""
    if category not in Category.values:
        raise ServiceError(_("Choose one of the budget's categories."), field="category")
    if cycle_year not in CycleYear.values:
        raise ServiceError(_("Choose a year of the certificate cycle."), field="cycle_year")
    description = (description or "").strip()
    if not description:
        raise ServiceError(_("Describe what the line pays for."), field="description")
    if len(description) > 300 or len(unit or "") > 40 or len(note or "") > 5000:
        raise ServiceError(_("This text is too long."), field="description")
    values: dict[str, Any] = {"category": category, "description": description, "unit": (unit or "").strip()}
    values |= {"cycle_year": cycle_year, "note": note or ""}
    for field, run in (
        ("currency", lambda: check_currency((currency or "").strip().upper())),
        ("quantity", lambda: decimal_in(quantity, limit=MAX_QUANTITY, places=4)),
        ("unit_price", lambda: decimal_in(unit_price, limit=MAX_UNIT_PRICE, places=4)),
    ):
        try:
            values[field] = run()
        except MoneyError as error:
            raise money_refusal(error, field=field) from None
    line_amount(values["quantity"], values["unit_price"], values["currency"])
    return values


@transaction.atomic
def line_add(*, engagement: Engagement, actor: Actor, **fields: Any) -> BudgetLine:
    values = checked_values(**fields)
    line = BudgetLine.objects.create(engagement=engagement, source=LineSource.TYPED, **values)
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=line,
        values=snapshot(line, LINE_FIELDS),
    )
    return line


def _typed(line: BudgetLine) -> None:
    if line.source != LineSource.TYPED:
        raise ServiceError(
            _("This line is derived from its inputs: change them (or type a line of your own, which takes its place).")
        )


@transaction.atomic
def line_update(*, line: BudgetLine, actor: Actor, expected_version: int, **fields: Any) -> BudgetLine:
    _typed(line)
    values = checked_values(**fields)
    return audited_update(
        line,
        engagement=line.engagement,
        actor=actor,
        expected_version=expected_version,
        values=values,
        fields=LINE_FIELDS,
    )


@transaction.atomic
def line_delete(*, line: BudgetLine, actor: Actor, expected_version: int | None) -> bool:
    _typed(line)
    return audited_delete(
        line,
        engagement=line.engagement,
        actor=actor,
        expected_version=expected_version,
        fields=LINE_FIELDS,
        conflict=_("Someone changed this line since you opened it; it was not deleted. Open it again to see why."),
    )


def line_total(line: BudgetLine) -> Decimal:
    return line_amount(line.quantity, line.unit_price, line.currency)
