"""Forms of the audit bookings' pages: a booking, the certification body and findings window, and the proposed
cycle to confirm. They parse what a person typed; certprep.planning.services.audits checks the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from certprep.core.text import SingleLineField
from certprep.planning.choices import AuditKind
from certprep.planning.models import AuditBooking, Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _label(model: Any, name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


def _help(model: Any, name: str) -> Any:
    return model._meta.get_field(name).help_text


class BookingForm(forms.Form):
    """A booking as a person adds or changes it (`expected_version` only when changing one)."""

    kind = forms.ChoiceField(label=_label(AuditBooking, "kind"), choices=AuditKind.choices)
    batch = forms.IntegerField(
        label=_label(AuditBooking, "batch"),
        min_value=1,
        max_value=20,
        initial=1,
        help_text=_help(AuditBooking, "batch"),
    )
    date = forms.DateField(
        label=_label(AuditBooking, "date"),
        widget=DATE,
        help_text=gettext_lazy("The audit's first day; the plan gets a milestone that must start on it."),
    )
    audit_days = forms.IntegerField(
        label=_label(AuditBooking, "audit_days"),
        min_value=1,
        max_value=60,
        initial=1,
        help_text=gettext_lazy("Days on site as the certification body quoted them."),
    )
    reservation_lead_days = forms.IntegerField(
        label=_label(AuditBooking, "reservation_lead_days"),
        min_value=0,
        max_value=730,
        initial=60,
        help_text=_help(AuditBooking, "reservation_lead_days"),
    )
    reserved_on = forms.DateField(
        label=_label(AuditBooking, "reserved_on"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("The day the certification body confirmed the reservation; empty while it is not."),
    )
    scope = SingleLineField(
        label=_label(AuditBooking, "scope"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("For a stage 2 batch: the services, processes or sites it covers."),
    )
    notes = forms.CharField(
        label=_label(AuditBooking, "notes"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BookingEditForm(BookingForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CycleForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    certification_body = SingleLineField(
        label=_label(Plan, "certification_body"),
        max_length=200,
        required=False,
        help_text=_help(Plan, "certification_body"),
    )
    findings_window_days = forms.IntegerField(
        label=_label(Plan, "findings_window_days"),
        min_value=1,
        max_value=365,
        help_text=_help(Plan, "findings_window_days"),
    )


class ProposalForm(forms.Form):
    """The proposed audits, each with its date as proposed and editable, ticked to book."""

    def __init__(self, *args: Any, proposals: list[tuple[str, str, Any]], **kwargs: Any) -> None:
        """`proposals`: (field key, the audit's name, proposed date)."""
        super().__init__(*args, **kwargs)
        for key, name, day in proposals:
            self.fields[f"book_{key}"] = forms.BooleanField(label=name, required=False, initial=True)
            self.fields[f"date_{key}"] = forms.DateField(label=name, initial=day, widget=DATE)
