"""The budget's words for people: money errors as messages naming the field, and derived lines' descriptions in
the reader's language (a derived line stores what it was computed from, so every language can word it)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from certprep.budget.money import MoneyError, MoneyProblem
from certprep.core.errors import ServiceError
from certprep.vendors.rules import CheckQuestion, ItemPart
from certprep.vendors.words import CHECK, PARTS


def money_refusal(error: MoneyError, *, field: str) -> ServiceError:
    messages = {
        MoneyProblem.UNKNOWN_CURRENCY: _("%(value)s is not an ISO 4217 currency code (CNY, EUR, USD)."),
        MoneyProblem.NOT_A_NUMBER: _("%(value)s is not a number."),
        MoneyProblem.NEGATIVE: _("Enter zero or more, not %(value)s."),
        MoneyProblem.TOO_LARGE: _("%(value)s is more than any budget line can hold."),
        MoneyProblem.TOO_PRECISE: _("%(value)s has more than four decimals."),
        MoneyProblem.MISSING_RATE: _("No exchange rate for %(value)s: enter one on the exchange rates page."),
        MoneyProblem.RATE_NOT_POSITIVE: _("An exchange rate is more than zero, not %(value)s."),
    }
    return ServiceError(messages[error.problem] % {"value": error.value}, field=field)


def missing_rate(source: str, target: str) -> str:
    return _("No exchange rate from %(source)s to %(target)s: lines in %(source)s are left out of the totals.") % {
        "source": source,
        "target": target,
    }


def _quote_part(params: Mapping[str, Any]) -> str:
    part = str(PARTS.get(ItemPart(params["part"]), params["part"])) if params.get("part") in ItemPart else ""
    values = {"vendor": params.get("vendor", ""), "part": part, "days": params.get("days")}
    if params.get("days") and params.get("unpriced"):
        text = _(
            "%(vendor)s's quote: %(part)s (%(days)s days) - left out of the quote and not priced yet: "
            "enter an estimate on the quote"
        )
    elif params.get("days"):
        text = _("%(vendor)s's quote: %(part)s (%(days)s days)")
    elif params.get("unpriced"):
        text = _(
            "%(vendor)s's quote: %(part)s - left out of the quote and not priced yet: enter an estimate on the quote"
        )
    else:
        text = _("%(vendor)s's quote: %(part)s")
    return text % values


def derived_description(what: str, params: Mapping[str, Any]) -> str:
    """A derived line's description in the active language."""
    if what == "quote_part":
        return _quote_part(params)
    words = {
        "internal": _("Internal effort of %(person)s on the plan (%(hours)s h)"),
        "training": _("Training of all %(people)s people in scope, %(hours)s h each"),
        "estimate_initial": _("Initial certification audit (stage 1 + stage 2), estimated from the audit-time table"),
        "estimate_surveillance": _("Surveillance audit, estimated from the audit-time table"),
        "estimate_recertification": _("Recertification audit, estimated from the audit-time table"),
        "tool_initial": _("Tools: %(name)s, initial cost"),
        "tool_yearly": _("Tools: %(name)s, yearly cost"),
    }
    text = words.get(what)
    values = {k: _plain_number(v) for k, v in params.items()}
    return text % values if text else what


def plain_decimal(number: Decimal) -> str:
    """A quantity or a unit price as people write it: 10 (never 1E+1), 12.5, 0.25."""
    return format(number.normalize(), "f")


def _plain_number(value: Any) -> Any:
    """4.00 hours read as 4: trailing zeros of a decimal figure in a description say nothing."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return value
    return plain_decimal(number) if number.is_finite() and "." in str(value) else value


def unknown_answer(vendor: str, question: str) -> str:
    what = CHECK.get(CheckQuestion(question), question) if question in CheckQuestion else question
    return _("%(vendor)s's quote does not say whether it includes %(what)s: ask them, then answer the quote check.") % {
        "vendor": vendor,
        "what": what,
    }


def unit_words(unit: str) -> str:
    """A derived line's unit (stored in English) in the active language; a typed unit as the person typed it."""
    words = {"days": _("days"), "audit days": _("audit days"), "person-hours": _("person-hours")}
    return words.get(unit, unit)
