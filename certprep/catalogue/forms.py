"""The catalogue's one form: a framework or lens file for staff to import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Framework file (YAML)"),
        help_text=gettext_lazy(
            "A certprep framework or lens file, or a CISO Assistant framework library. A newer version of a "
            "loaded framework updates it without losing assessments."
        ),
    )
