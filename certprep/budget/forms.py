"""The budget's forms: a typed line, an exchange rate, the budget's settings. Values are checked again by the
services (money bounds, currencies), which name the field they refuse."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.budget.choices import Category, CycleYear
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


class DeleteForm(forms.Form):
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
    training_hours = forms.DecimalField(label=_("Training hours per person"), min_value=0, max_value=1000)
    training_rate = forms.DecimalField(label=_("Training cost per hour and person"), min_value=0, max_digits=18)
    internal_day_rate = forms.DecimalField(label=_("Internal day rate"), min_value=0, max_digits=18)
    audit_day_rate = forms.DecimalField(
        label=_("Certification audit day rate"),
        min_value=0,
        max_digits=18,
        help_text=_("Prices the estimated audit days until a certification body is decided."),
    )
