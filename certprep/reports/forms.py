"""The reports page's forms: which documents to build and in which languages, and deleting a build."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.reports.gather import documents_by_key

LANGUAGE_CHOICES = (
    ("both", _("English and Chinese")),
    ("en", _("English")),
    ("zh-hans", _("Chinese")),
)
LANGUAGES_OF = {"both": ["en", "zh-hans"], "en": ["en"], "zh-hans": ["zh-hans"]}


class BuildForm(forms.Form):
    """What to build: the documents (all of them by default: the whole pack) and the languages."""

    documents = forms.MultipleChoiceField(
        label=_("Reports"), widget=forms.CheckboxSelectMultiple, error_messages={"required": _("Choose a report.")}
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        declared = documents_by_key()
        kwargs.setdefault("initial", {"documents": list(declared), "language": "both"})
        super().__init__(*args, **kwargs)
        field: Any = self.fields["documents"]
        field.choices = [(key, document.title) for key, document in declared.items()]

    def service_kwargs(self) -> dict[str, Any]:
        return {"documents": self.cleaned_data["documents"], "languages": LANGUAGES_OF[self.cleaned_data["language"]]}
