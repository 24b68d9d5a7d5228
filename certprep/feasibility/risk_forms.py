"""The form of the risk register: a risk as a person adds or changes it (the owner chosen among the
engagement's people)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from certprep.engagements.models import Engagement
from certprep.feasibility.models import Risk
from certprep.feasibility.services.risks import RISK_FIELDS
from certprep.people.models import Person

SCALE = [
    (1, _("1 - rare")),
    (2, _("2 - unlikely")),
    (3, _("3 - possible")),
    (4, _("4 - likely")),
    (5, _("5 - almost certain")),
]
IMPACTS = [
    (1, _("1 - negligible")),
    (2, _("2 - minor")),
    (3, _("3 - moderate")),
    (4, _("4 - major")),
    (5, _("5 - severe")),
]


class RiskForm(forms.Form):
    def __init__(self, *args: Any, engagement: Engagement, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Risk, fields=[name for name in RISK_FIELDS if name != "owner"])
        fields["description"].widget = forms.Textarea(attrs={"rows": 3})
        fields["countermeasure"].widget = forms.Textarea(attrs={"rows": 3})
        fields["due"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        fields["due"].help_text = _("When the countermeasure should be in place; past it, the register flags it.")
        fields["likelihood"] = forms.TypedChoiceField(
            label=_("Likelihood"), choices=SCALE, coerce=int, initial=3, help_text=_("How likely it is to happen.")
        )
        fields["impact"] = forms.TypedChoiceField(
            label=_("Impact"),
            choices=IMPACTS,
            coerce=int,
            initial=3,
            help_text=_("How badly it would hurt the certification if it happened."),
        )
        fields["owner"] = forms.ModelChoiceField(
            label=_("Owner"),
            queryset=Person.objects.filter(engagement=engagement).order_by("name", "pk"),
            required=False,
            help_text=_("Who watches the risk and sees the countermeasure through."),
        )
        self.fields.update({name: fields[name] for name in RISK_FIELDS})
        if editing:
            self.fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
