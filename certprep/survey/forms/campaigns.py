from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField
from certprep.people.choices import SmsRole


class CampaignForm(forms.Form):
    name = SingleLineField(label=_("Campaign name"), max_length=200, help_text=_('e.g. "Preliminary survey, spring".'))
    questionnaires = forms.MultipleChoiceField(
        label=_("Questionnaires"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each person receives those whose audience matches their roles "
            "(and, for process questionnaires, their processes)."
        ),
    )
    roles = forms.MultipleChoiceField(
        label=_("Only people with these roles"),
        choices=SmsRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty to include every matching person."),
    )
    departments = forms.MultipleChoiceField(
        label=_("Only these departments"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave empty for all departments."),
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day to submit. Leave people time to gather documents."),
    )
    grace_days = forms.IntegerField(
        label=_("Grace days"), min_value=0, max_value=60, initial=7,
        help_text=_("Links keep working this many days after the deadline, for latecomers."),
    )  # fmt: skip
    reminder_days = forms.IntegerField(
        label=_("Remind this many days before the deadline"), min_value=0, max_value=30, initial=2,
        help_text=_("Those who have not submitted get a reminder e-mail then (and whenever you send reminders)."),
    )  # fmt: skip
    message = forms.CharField(
        label=_("Message to respondents"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A personal note added to the invitation e-mail."),
    )  # fmt: skip
    accept_short_deadline = forms.BooleanField(
        label=_("Keep this deadline although it is short"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, questionnaires: Any = (), departments: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["questionnaires"].choices = [(str(q.pk), str(q)) for q in questionnaires]  # type: ignore[attr-defined]
        self.fields["departments"].choices = [(d, d) for d in departments]  # type: ignore[attr-defined]
