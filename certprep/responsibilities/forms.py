from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField
from certprep.engagements.forms import VersionedForm
from certprep.people.models import Person
from certprep.responsibilities.models import Activity, Matrix, MatrixRole

KEY_HELP = _(
    'A short identifier used in the Excel export, e.g. "process-manager". Leave it empty to make one from the name.'
)


class MatrixSettingsForm(VersionedForm):
    class Meta:
        model = Matrix
        fields = ["rasci", "max_roles_per_person"]
        labels = {"max_roles_per_person": _("At most this many roles per person")}
        help_texts = {
            "max_roles_per_person": _(
                "Each role counts once per process it is held for (the owner and the manager of change management "
                "are 2 roles; the owner of change and of release management are 2 more), and so does every other "
                "matrix role and SMS-wide role. A person holding exactly this many is fine; one more is flagged: "
                "too many hats on one head make the segregation of duties and the workload questionable to "
                "an auditor."
            )
        }


class RoleCreateForm(forms.Form):
    name = SingleLineField(
        label=_("Role name"),
        max_length=200,
        help_text=_('A role as the organization names it, e.g. "Change manager" or "Service desk agent".'),
    )
    key = forms.SlugField(label=_("Key"), max_length=80, required=False, help_text=KEY_HELP)


class RoleRenameForm(VersionedForm):
    class Meta:
        model = MatrixRole
        fields = ["name"]
        field_classes = {"name": SingleLineField}
        help_texts = {"name": _("Renaming drops the shipped translations of the name.")}


class ActivityCreateForm(forms.Form):
    process_code = forms.ChoiceField(label=_("Process"), help_text=_("The management process the activity belongs to."))
    name = SingleLineField(
        label=_("Activity"),
        max_length=300,
        help_text=_('What is done, starting with a verb, e.g. "Approve emergency changes".'),
    )
    key = forms.SlugField(label=_("Key"), max_length=80, required=False, help_text=KEY_HELP)

    def __init__(self, *args: Any, processes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["process_code"].choices = processes  # type: ignore[attr-defined]


class ActivityRenameForm(VersionedForm):
    class Meta:
        model = Activity
        fields = ["name"]
        field_classes = {"name": SingleLineField}
        help_texts = {"name": _("Renaming drops the shipped translations of the name.")}


class HolderForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a person"),
        help_text=_("People come from the survey's people list."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Matrix workbook (.xlsx)"),
        help_text=_(
            "A workbook exported from this page, edited in Excel. It replaces the whole matrix: roles, holders, "
            "activities, letters and settings. Nothing changes if the file has an error."
        ),
    )
