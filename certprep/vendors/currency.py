"""ISO 4217 currency codes as CLDR knows them (through Babel). The vendors app only stores amounts with their
currency; converting between currencies belongs to the budget app, which sits above this one."""

from __future__ import annotations

from functools import cache

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def validate_currency(value: str) -> None:
    if value not in currency_codes():
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."), params={"code": value}, code="currency")
