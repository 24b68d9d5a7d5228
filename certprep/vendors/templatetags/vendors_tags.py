"""Money in its own currency (CLDR through Babel, in the page's language) and scores for display."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from babel import Locale
from babel.numbers import format_currency
from django import template
from django.utils.translation import get_language

from certprep.vendors.rules import round_amount
from certprep.vendors.selection import as_decimal

register = template.Library()

LOCALES = {"en": "en_US", "zh-hans": "zh_Hans_CN"}


@cache
def _locale(language: str) -> Locale:
    """Parsed once per language: parsing a locale costs more than formatting an amount."""
    return Locale.parse(LOCALES.get(language, "en_US"))


@register.simple_tag
def money(amount: Decimal | None, currency: str) -> str:
    """An amount in its own currency as the page's language writes it: CN¥48,000.00 / ¥48,000.00. Rounded half-up
    to the currency's minor unit first, as the schedule's items are (Babel on its own rounds half to even: a day
    rate of 1,234.505 would read 1,234.50 here and 1,234.51 in the budget)."""
    if amount is None:
        return "—"
    return format_currency(round_amount(amount, currency), currency, locale=_locale(get_language() or "en"))


@register.filter
def points(value: Fraction | int | None) -> str:
    return "—" if value is None else str(as_decimal(Fraction(value)))


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def percent(share: Fraction) -> str:
    return f"{as_decimal(share * 100, 1)} %"
