"""The form that saves a baseline: which of the eleven numbers, an optional name, and the confirmation that
replaces a baseline already saved under that number."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField


class BaselineForm(forms.Form):
    number = forms.TypedChoiceField(
        label=_("Baseline number"),
        coerce=int,
        choices=[(n, str(n)) for n in range(11)],
        help_text=_("As in MS Project: 0 is the baseline, 1 to 10 are further ones (say, one per replanning)."),
    )
    name = SingleLineField(
        label=_("Baseline name"),
        max_length=120,
        required=False,
        help_text=_('Optional, e.g. "Approved by the steering committee".'),
    )
    overwrite = forms.BooleanField(label=_("Replace the baseline saved under this number"), required=False)
