from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField
from certprep.survey.choices import SmsRole
from certprep.survey.models import Person
from certprep.survey.services.people import ProcessOption


class PersonForm(forms.Form):
    """A person of the organization. The service checks the values (e-mail, uniqueness, vocabularies) so the
    page and the API say the same thing; the form only carries them."""

    name = SingleLineField(label=_("Name"), max_length=200, help_text=_("The person's full name, as colleagues know it."))
    department = SingleLineField(label=_("Department"), max_length=200, required=False)
    job_title = SingleLineField(label=_("Job title"), max_length=200, required=False)
    email = SingleLineField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
        help_text=_(
            "Where the personal survey link is sent; each address once in the engagement. Without one, copy the "
            "link by hand."
        ),
    )
    sms_roles = forms.MultipleChoiceField(
        label=_("Roles in the SMS"),
        choices=SmsRole.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Decides which questionnaires the person receives: top management and the SMS and quality managers "
            "get the management-system questionnaire; process owners, managers, coordinators and executors get "
            "the questionnaires of their processes."
        ),
    )
    processes = forms.MultipleChoiceField(
        label=_("Processes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The processes the person works in. Needed for a process role: without a process they receive no "
            "process questionnaire."
        ),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self, data: Any = None, *, options: Sequence[ProcessOption], person: Person | None = None, **kwargs: Any
    ) -> None:
        if person is not None and data is None:
            kwargs["initial"] = {
                "name": person.name,
                "department": person.department,
                "job_title": person.job_title,
                "email": person.email,
                "sms_roles": list(person.sms_roles),
                "processes": list(person.processes),
                "expected_version": person.version,
            }
        super().__init__(data, **kwargs)
        processes: Any = self.fields["processes"]
        processes.choices = [(option.code, option.label) for option in options]
        self.fields["expected_version"].required = person is not None

    def service_data(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "expected_version"}


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("People list (.xlsx or .csv)"),
        help_text=_(
            "One person per row under a header row with the columns Name (required), Department, Job title, E-mail, "
            "SMS roles and Processes, in any order; Chinese headers (姓名, 部门, 职务, 电子邮件, 体系角色, 过程) work too. "
            "Separate several roles or processes with commas, semicolons, 、 or line breaks. A row whose e-mail "
            "belongs to someone in the list updates that person; a row without a known e-mail updates the person "
            "of the same name who has no e-mail yet; other rows add people. Nothing is imported unless every row "
            "is valid. CSV files must be saved as UTF-8."
        ),
    )
