"""Forms for scheduling and recording interviews and their follow-ups. The rules live in the services; these
forms only read what was typed (and keep it when the service refuses it)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField
from certprep.core.timezones import zone
from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.people.selectors import people_in
from certprep.survey.changes import interview_changes
from certprep.survey.choices import InterviewStatus
from certprep.survey.models import Interview
from certprep.survey.selectors.state import lens_process_names

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        parts = [p for p in (obj.job_title, obj.department) if p]
        return f"{obj.name} ({', '.join(parts)})" if parts else obj.name


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class InterviewForm(forms.Form):
    """Schedule (no `instance`) or edit (with `instance`: status, minutes and the version check) an interview."""

    title = SingleLineField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_('Leave empty to call it after the process, e.g. "Interview: Incident management".'),
    )
    process_code = forms.ChoiceField(
        label=_("Process"),
        required=False,
        help_text=_(
            "The guide is generated from this process's questionnaire; choose the management system for top management."
        ),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=60, help_text=_("Between 5 and 600 minutes.")
    )
    location = SingleLineField(
        label=_("Place"), max_length=200, required=False, help_text=_("Meeting room or address.")
    )
    call_link = forms.URLField(
        label=_("Call link"),
        max_length=200,
        required=False,
        assume_scheme="https",
        help_text=_("Video call address (https://...), if the interview is held online."),
    )
    attendees = PersonChoices(
        label=_("Attendees"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The people interviewed. The guide uses their answers; those with an e-mail get the invitation."),
    )
    interviewer = UserChoice(
        label=_("Interviewer"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("The member who leads the interview; the organizer of the calendar invitation."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=InterviewStatus.choices, initial=InterviewStatus.PLANNED)
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was said and agreed. Record actions as follow-ups below so they can be tracked."),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self,
        data: Any = None,
        *,
        engagement: Engagement,
        instance: Interview | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        self.instance = instance
        self.zone = zone(engagement.time_zone)
        values = dict(initial or {})
        if instance is not None:
            values = {
                "title": instance.title,
                "process_code": instance.process_code,
                "starts_at": timezone.localtime(instance.starts_at, self.zone).replace(tzinfo=None),
                "duration_minutes": instance.duration_minutes,
                "location": instance.location,
                "call_link": instance.call_link,
                "attendees": [p.pk for p in instance.attendees.all()],
                "interviewer": instance.interviewer_id,
                "status": instance.status,
                "minutes": instance.minutes,
                "expected_version": instance.version,
            }
        super().__init__(data, initial=values)
        self.fields["process_code"].choices = [("", _("Management system")), *lens_process_names().items()]  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = people_in(engagement)  # type: ignore[attr-defined]
        self.fields["interviewer"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(memberships__engagement=engagement).order_by("username")
        )
        self.fields["starts_at"].help_text = _("Date and time in %(zone)s, the engagement's time zone.") % {
            "zone": engagement.time_zone
        }
        if instance is None:
            for name in ("status", "minutes", "expected_version"):
                del self.fields[name]

    def clean_starts_at(self) -> datetime.datetime:
        """The wall-clock time as typed: the service places it in the engagement's zone."""
        value: datetime.datetime = self.cleaned_data["starts_at"]
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value

    def service_data(self) -> dict[str, Any]:
        """The cleaned values as the interview services take them (changes.interview_changes, as for the API)."""
        return interview_changes({**self.cleaned_data, "attendees": list(self.cleaned_data.get("attendees") or [])})


class FollowUpForm(forms.Form):
    text = SingleLineField(
        label=_("Action"), max_length=500, help_text=_('What was agreed, e.g. "Send the escalation matrix".')
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Person.objects.none(), required=False, help_text=_("Who does it.")
    )
    due_date = forms.DateField(
        label=_("Due"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("By when.")
    )

    def __init__(self, data: Any = None, *, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["owner"].queryset = people_in(engagement)  # type: ignore[attr-defined]
