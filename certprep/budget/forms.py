"""The budget's forms: a typed line, an exchange rate, the budget's settings. Values are checked again by the
services (money bounds, currencies), which name the field they refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.budget.choices import Category, CycleYear, ToolKind
from certprep.budget.money import MAX_QUANTITY, MAX_UNIT_PRICE

if TYPE_CHECKING:  # the stubs' helper type is a test dependency, not a runtime one
    from django_stubs_ext import StrOrPromise


def _currency_field(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.CharField:
    return forms.CharField(label=label, max_length=3, min_length=3, help_text=help_text)


class LineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0, max_value=MAX_QUANTITY, decimal_places=4, initial=Decimal(1)
    )
    unit = forms.CharField(
        label=_("Unit"), max_length=40, required=False, help_text=_("Days, hours, persons, licences.")
    )
    unit_price = forms.DecimalField(
        label=_("Unit price"), min_value=0, max_value=MAX_UNIT_PRICE, decimal_places=4, max_digits=18
    )
    currency = _currency_field(_("Currency"), _("ISO 4217 code of the unit price (CNY, EUR, USD)."))
    cycle_year = forms.TypedChoiceField(
        label=_("Year of the cycle"),
        choices=CycleYear.choices,
        coerce=int,
        help_text=_("Surveillance audits fall in years 1 and 2, the recertification audit in year 3."),
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class LineEditForm(LineForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RateForm(forms.Form):
    source = _currency_field(_("From currency"))
    target = _currency_field(_("To currency"))
    rate = forms.DecimalField(
        label=_("Rate"),
        min_value=0,
        decimal_places=4,
        max_digits=18,
        help_text=_("What 1 unit of the first currency is worth in the second, as you agreed it."),
    )
    as_of = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class SettingsForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reporting_currency = _currency_field(_("Reporting currency"), _("Every total is shown in it."))
    # The models' help texts, word for word (already translated): what each input of the derived lines means.
    training_hours = forms.DecimalField(
        label=_("Training hours per person"),
        min_value=0,
        max_value=1000,
        help_text=_("Awareness training every person in scope needs for the management system."),
    )
    training_rate = forms.DecimalField(
        label=_("Training cost per hour and person"),
        min_value=0,
        max_digits=18,
        help_text=_("In the reporting currency: trainer, room and the hour of work missed."),
    )
    internal_day_rate = forms.DecimalField(
        label=_("Internal day rate"),
        min_value=0,
        max_digits=18,
        help_text=_("What a day of a person's work costs the organization, in the reporting currency."),
    )
    audit_day_rate = forms.DecimalField(
        label=_("Certification audit day rate"),
        min_value=0,
        max_digits=18,
        help_text=_("Prices the estimated audit days until a certification body is decided."),
    )
    surveillance_share = forms.DecimalField(
        label=_("Surveillance share"),
        required=False,
        min_value=Decimal("0.001"),
        max_value=1,
        decimal_places=3,
        help_text=_(
            "Each surveillance audit's days as a share of the initial audit's (about 0.333); empty: the table's."
        ),
    )
    recertification_share = forms.DecimalField(
        label=_("Recertification share"),
        required=False,
        min_value=Decimal("0.001"),
        max_value=1,
        decimal_places=3,
        help_text=_(
            "The recertification audit's days as a share of the initial audit's (about 0.667); empty: the table's."
        ),
    )
    factors_text = forms.CharField(
        label=_("Adjustment factors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            'One per line: per cent | name | justification, e.g. "-10 | one site | all staff work in one building". '
            "Reductions together take off at most 30 %."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        factors = []
        for number, line in enumerate((data.pop("factors_text", "") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3:
                self.add_error("factors_text", _("Line %(n)s: per cent | name | justification.") % {"n": number})
                continue
            factors.append({"percent": parts[0], "name": parts[1], "justification": parts[2]})
        data["factors"] = factors
        return data


def factors_text(factors: list[dict[str, str]]) -> str:
    return "\n".join(f"{f['percent']} | {f['name']} | {f['justification']}" for f in factors)


class DayRatesForm(forms.Form):
    """A day rate for each person and each role listed (blank: none of its own). The fields are named person_<id>
    and role_<role>; clean() gives the two mappings the settings store."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, people: list[tuple[int, str]], roles: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        for key, label in [(f"person_{pk}", name) for pk, name in people] + [(f"role_{r}", lab) for r, lab in roles]:
            self.fields[key] = forms.DecimalField(
                label=label, required=False, min_value=0, max_value=MAX_UNIT_PRICE, max_digits=18, decimal_places=4
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        people: dict[str, str] = {}
        roles: dict[str, str] = {}
        for key in [k for k in data if k.startswith(("person_", "role_"))]:
            value = data.pop(key)
            kind, name = key.split("_", 1)
            if value is not None:
                (people if kind == "person" else roles)[name] = str(value)
        return data | {"person_day_rates": people, "role_day_rates": roles}


def day_rates_initial(budget_version: int, people: dict[str, str], roles: dict[str, str]) -> dict[str, Any]:
    initial: dict[str, Any] = {"expected_version": budget_version}
    initial |= {f"person_{pk}": rate for pk, rate in people.items()}
    return initial | {f"role_{role}": rate for role, rate in roles.items()}


class ToolForm(forms.Form):
    kind = forms.ChoiceField(label=_("Option"), choices=ToolKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("The platform to adapt, or the tool to buy."))
    initial_cost = forms.DecimalField(
        label=_("Initial cost"), min_value=0, max_value=MAX_UNIT_PRICE, decimal_places=4, max_digits=18
    )
    yearly_cost = forms.DecimalField(
        label=_("Yearly cost"),
        min_value=0,
        max_value=MAX_UNIT_PRICE,
        decimal_places=4,
        max_digits=18,
        help_text=_("Licences and upkeep in each of the three later years."),
    )
    currency = _currency_field(_("Currency"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)


class ChooseForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
