"""The scheme's forms: one rating (score, rationale, evidence, weight) and the decision on the proposal."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from certprep.feasibility.choices import Outcome, Score


class RatingForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    score = forms.TypedChoiceField(
        label=capfirst(_("rating")),
        choices=[("", _("not rated")), *Score.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=capfirst(_("rationale")),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why this rating: what you saw and weighed."),
    )
    evidence = forms.CharField(
        label=capfirst(_("evidence")),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Documents, figures or findings the rating rests on."),
    )
    weight = forms.DecimalField(
        label=capfirst(_("weight")),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        max_digits=5,
        help_text=_("How much this rating counts in the overall feasibility score, against the others."),
    )


class DecisionForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    outcome = forms.ChoiceField(label=capfirst(_("recommendation")), choices=Outcome.choices, widget=forms.RadioSelect)
    conditions = forms.CharField(
        label=capfirst(_("conditions")),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What must hold for the project to go on; one per line."),
    )
    rationale = forms.CharField(
        label=capfirst(_("rationale")),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you confirm or override the proposal. An override needs one."),
    )
