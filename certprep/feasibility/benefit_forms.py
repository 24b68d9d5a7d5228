"""Forms of the benefits page: a benefit as a person adds or changes it, and the small forms that remove or
move one (each carrying the version read). They parse what was typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from certprep.core.forms import VersionForm
from certprep.feasibility.choices import Lens
from certprep.feasibility.models import Benefit
from certprep.feasibility.services.benefits import BENEFIT_FIELDS

FIRST_YEARS = [(1, _("Year 1 (surveillance year 1)")), (2, _("Year 2 (surveillance year 2)")), (3, _("Year 3"))]


class MoveForm(VersionForm):
    """Moving a row up or down the list: the version the person read and the direction."""

    step = forms.TypedChoiceField(choices=[(-1, "up"), (1, "down")], coerce=int)


class BenefitForm(forms.Form):
    """A benefit with its effect, its KPI from baseline to target, its lenses and its optional money value."""

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Benefit, fields=[name for name in BENEFIT_FIELDS if name != "lenses"])
        fields["effect"].widget = forms.Textarea(attrs={"rows": 3})
        fields["value_per_year"].localize = False
        fields["value_per_year"].widget.attrs.update({"inputmode": "decimal"})
        fields["first_year"] = forms.TypedChoiceField(
            label=fields["first_year"].label,
            help_text=fields["first_year"].help_text,
            choices=FIRST_YEARS,
            coerce=int,
            initial=1,
        )
        fields["lenses"] = forms.MultipleChoiceField(
            label=_("Judged against"),
            help_text=_("The lenses of the benefit analysis this benefit serves."),
            choices=Lens.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        self.fields.update({name: fields[name] for name in BENEFIT_FIELDS})
        if editing:
            self.fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
