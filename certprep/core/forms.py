"""Forms every app shares."""

from __future__ import annotations

from django import forms


class VersionForm(forms.Form):
    """The version of the row the page showed, for removing it: the service refuses when the row changed since."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
