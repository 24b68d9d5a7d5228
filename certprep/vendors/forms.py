"""Forms of the vendor pages: they parse what a person typed (fields and validators taken from the models);
the services check the rules. The quote check is asked as four explicit questions, each with why it matters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from certprep.vendors.choices import Answer
from certprep.vendors.models import ZERO, Auditor, AvailabilityWindow, Criterion, Quote, Vendor
from certprep.vendors.services.register import AUDITOR_FIELDS, QUOTE_FIELDS, VENDOR_FIELDS, WINDOW_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_ROWS = {"rows": 3}

# The quote check: the seeds warn that a certification body's quote may leave out next year's surveillance,
# the re-evaluation (recertification) and the certificate fee; travel is the fourth part a quote often omits.
CHECK_QUESTIONS = {
    "includes_surveillance": (
        _("Does the quote include next year's surveillance audit?"),
        _("A quote may price the initial certification only and leave out next year's surveillance audit."),
    ),
    "includes_recertification": (
        _("Does the quote include the recertification (re-evaluation) in year 3?"),
        _("The re-evaluation before the certificate expires is a full audit that a quote may leave out."),
    ),
    "includes_certificate_fee": (
        _("Does the quote include the certificate management fee?"),
        _("The yearly fee for issuing and keeping the certificate may be charged apart from the audit days."),
    ),
    "includes_travel": (
        _("Does the quote include the auditors' travel and expenses?"),
        _("If not, enter your own estimate as the travel per audit: it is counted as an estimate."),
    ),
}


def _dates(fields: dict[str, Any]) -> dict[str, Any]:
    for field in fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DATE
        elif isinstance(field.widget, forms.Textarea):
            field.widget.attrs.update(TEXT_ROWS)
    return fields


class VendorForm(forms.Form):
    """A vendor as a person adds it, or changes it (with `expected_version`)."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_dates(fields_for_model(Vendor, fields=VENDOR_FIELDS)))
        self.fields["scope_covers_20000"].widget = forms.RadioSelect(choices=Answer.choices)
        if editing:
            self.fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class QuoteForm(forms.Form):
    """A quote in its own currency, and the quote check as four yes / no / unknown questions."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = _dates(fields_for_model(Quote, fields=QUOTE_FIELDS))
        fields["currency"].widget.attrs.update({"size": 3, "autocapitalize": "characters", "maxlength": 3})
        for name, (question, why) in CHECK_QUESTIONS.items():
            fields[name] = forms.ChoiceField(
                label=question,
                help_text=why,
                choices=Answer.choices,
                widget=forms.RadioSelect,
                initial=Answer.UNKNOWN,
                required=False,
            )
        for field in fields.values():
            if isinstance(field, forms.DecimalField):
                field.required = False  # an amount or a number of days left blank is zero
        self.fields.update(fields)
        if editing:
            self.fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and data.get(name, ZERO) is None:
                data[name] = ZERO
            elif name in CHECK_QUESTIONS and not data.get(name):
                data[name] = Answer.UNKNOWN
        return data

    def figures(self) -> list[Any]:
        return [self[name] for name in QUOTE_FIELDS if name not in CHECK_QUESTIONS]

    def check_fields(self) -> list[Any]:
        return [self[name] for name in CHECK_QUESTIONS]


class AuditorForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_dates(fields_for_model(Auditor, fields=AUDITOR_FIELDS)))


class WindowForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(_dates(fields_for_model(AvailabilityWindow, fields=WINDOW_FIELDS)))


class CriterionForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Criterion, fields=("name", "weight", "is_price")))


class WeightsForm(forms.Form):
    """Every criterion's weight, each with the version read."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"weight_{criterion.pk}"] = forms.IntegerField(
                label=criterion.shown_name, min_value=0, max_value=100, initial=criterion.weight
            )
            self.fields[f"version_{criterion.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=1, initial=criterion.version
            )

    def weights(self) -> list[tuple[Criterion, int, int]]:
        data = self.cleaned_data
        return [(c, data[f"weight_{c.pk}"], data[f"version_{c.pk}"]) for c in self.criteria]


SCORE_CHOICES = [("", "—"), *((str(n), str(n)) for n in range(1, 6))]


class ScoresForm(forms.Form):
    """A vendor's score (1-5) and rationale on every criterion but the price, each with the version read."""

    def __init__(self, *args: Any, criteria: list[Criterion], scores: dict[int, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if not c.is_price]
        for criterion in self.criteria:
            current = scores.get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.shown_name,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=current.score if current else "",
                help_text=_("1: poorly, 5: very well."),
            )
            self.fields[f"rationale_{criterion.pk}"] = forms.CharField(
                label=_("Why"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.rationale if current else "",
            )
            self.fields[f"version_{criterion.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=current.version if current else None
            )

    def rows(self) -> list[tuple[Criterion, Any, Any, Any]]:
        return [(c, self[f"score_{c.pk}"], self[f"rationale_{c.pk}"], self[f"version_{c.pk}"]) for c in self.criteria]

    def scores(self) -> list[tuple[Criterion, int, str, int | None]]:
        data = self.cleaned_data
        return [
            (c, data[f"score_{c.pk}"], data[f"rationale_{c.pk}"], data[f"version_{c.pk}"])
            for c in self.criteria
            if data[f"score_{c.pk}"] is not None
        ]


class DecisionForm(forms.Form):
    vendor = forms.TypedChoiceField(label=_("Vendor chosen"), coerce=int)
    rationale = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What decided it: top management reads this with the ranking."),
    )

    def __init__(self, *args: Any, vendors: list[Vendor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice = self.fields["vendor"]
        if isinstance(choice, forms.ChoiceField):
            choice.choices = [(v.pk, v.name) for v in vendors]
