"""Forms of the organization pages: they parse what a person typed; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from certprep.core.parts import approvables
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.organization.choices import Concerns
from certprep.organization.models import Decision, MeetingSeries, ProjectMember
from certprep.organization.services.team import MEETING_FIELDS, MEMBER_FIELDS
from certprep.people.models import Person
from certprep.planning.models import Task

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _versioned(form: forms.Form, editing: bool) -> None:
    if editing:
        form.fields["expected_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MemberForm(forms.Form):
    """A person in a project role; the person is chosen when adding only."""

    def __init__(self, *args: Any, engagement: Engagement, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not editing:
            self.fields["person"] = forms.ModelChoiceField(
                Person.objects.filter(engagement=engagement).order_by("name", "pk"), label=_("person")
            )
        self.fields.update(fields_for_model(ProjectMember, fields=MEMBER_FIELDS))
        self.fields["responsibilities"].widget.attrs.update({"rows": 3})
        _versioned(self, editing)


class MeetingForm(forms.Form):
    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(MeetingSeries, fields=("title", *MEETING_FIELDS)))
        for name in ("from_date", "until_date"):
            self.fields[name].widget = DATE
        self.fields["start_time"].widget = TIME
        _versioned(self, editing)


class DecisionForm(forms.Form):
    """A decision with who decided and what it concerns (the links offered are the engagement's own)."""

    def __init__(self, *args: Any, engagement: Engagement, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Decision, fields=("decided_on", "title", "rationale"))
        fields["decided_on"].widget = DATE
        fields["rationale"].widget.attrs.update({"rows": 3})
        self.fields.update(fields)
        self.fields["decided_by"] = forms.ModelMultipleChoiceField(
            Person.objects.filter(engagement=engagement).order_by("name", "pk"),
            label=_("decided by"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["by_me"] = forms.BooleanField(label=_("I decided this (or took part)"), required=False)
        self.fields["concerns"] = forms.ChoiceField(label=_("concerns"), choices=Concerns.choices, required=False)
        self.fields["document"] = forms.ChoiceField(
            label=_("document"), required=False, choices=[("", "—"), *[(a.key, a.label) for a in approvables()]]
        )
        self.fields["task"] = forms.ModelChoiceField(
            Task.objects.filter(plan__engagement=engagement).order_by("order", "pk"),
            label=_("plan task"),
            required=False,
            empty_label="—",
        )
        self.fields["topic"] = forms.ModelChoiceField(
            ImprovementTopic.objects.filter(engagement=engagement).order_by("pk"),
            label=_("improvement topic"),
            required=False,
            empty_label="—",
        )
        _versioned(self, editing)


class ApproveForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    approver_title = forms.CharField(
        label=_("approved as"), max_length=150, help_text=_("Your name or title as it should appear, e.g. CEO.")
    )
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
