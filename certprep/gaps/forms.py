"""Forms of the gap-analysis pages. The services validate the domain rules; forms parse input and show help."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.catalogue.models import Framework
from certprep.core.text import SingleLineField
from certprep.engagements.forms import VersionedForm
from certprep.gaps.choices import (
    Compliance,
    Documentation,
    DocumentKind,
    DocumentStatus,
    Scale,
    TopicGrouping,
    TopicStatus,
)
from certprep.gaps.models import Assessment, GapSettings
from certprep.gaps.rules import ATTRIBUTES, scale_max

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
EMPTY = [("", "—")]


class GapSettingsForm(VersionedForm):
    class Meta:
        model = GapSettings
        fields = ["scale", "default_target", "sms_operating_since"]
        widgets = {"sms_operating_since": DATE}


class AssessmentCreateForm(forms.Form):
    name = SingleLineField(
        label=_("Name"), max_length=200, help_text=_('E.g. "Baseline, March 2027" or "Reassessment after the pilot".')
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"), widget=DATE, help_text=_("The reference date of the assessment.")
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.all(),
        required=False,
        help_text=_("ISO/IEC 20000-1:2018 unless you imported another framework to assess against."),
    )
    based_on = forms.ModelChoiceField(
        label=_("Start from"),
        queryset=Assessment.objects.none(),
        required=False,
        empty_label=_("Nothing: every requirement unrated"),
        help_text=_("A reassessment can start from an earlier assessment's ratings, notes and targets (copied)."),
    )

    def __init__(self, *args: Any, engagement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["based_on"]
        field.queryset = Assessment.objects.filter(engagement=engagement).order_by("-assessed_on", "-pk")


class AssessmentEditForm(VersionedForm):
    class Meta:
        model = Assessment
        fields = ["name", "assessed_on", "default_target"]
        field_classes = {"name": SingleLineField}
        widgets = {"assessed_on": DATE}


class RatingForm(forms.Form):
    """Every field of one rating, for the requirement page (it also serves browsers without JavaScript)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    documentation = forms.ChoiceField(
        label=_("Documented information"),
        choices=Documentation.choices,
        required=False,
        help_text=_("Does the documented information this requirement needs exist, and is it approved and controlled?"),
    )
    target = forms.TypedChoiceField(label=_("Target"), coerce=int, empty_value=None, required=False)
    owner = forms.TypedChoiceField(label=_("Assessor"), coerce=int, empty_value=None, required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you saw, who you spoke to, what is missing."),
    )

    def __init__(
        self, *args: Any, assessment: Assessment, members: list[Any], scale: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale or assessment.scale
        top = scale_max(self.scale)
        target: Any = self.fields["target"]
        target.choices = [
            ("", _("Default (%(n)s)") % {"n": min(assessment.default_target, top)}),
            *[(n, str(n)) for n in range(1, top + 1)],
        ]
        owner: Any = self.fields["owner"]
        owner.choices = [("", _("Nobody")), *[(m.pk, m.get_username()) for m in members]]
        if self.scale == Scale.COMPLIANCE:
            self.fields["level"] = forms.TypedChoiceField(
                label=_("Rating"),
                choices=[("", _("Not rated")), *[(c.value, f"{c.value} {c.label}") for c in Compliance]],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("0 not addressed, 1 initial, 2 defined but inconsistent, 3 conforming."),
            )
        else:
            for key, level, name in ATTRIBUTES:
                self.fields[f"pa_{key}"] = forms.ChoiceField(
                    label=f"PA {key} {name}",
                    choices=[("", "—"), ("N", "N"), ("P", "P"), ("L", "L"), ("F", "F")],
                    required=False,
                    help_text=_("Level %(level)s") % {"level": level}
                    if key in ("1.1", "2.1", "3.1", "4.1", "5.1")
                    else "",
                )
        self.order_fields(
            ["level", *[f"pa_{k}" for k, _l, _n in ATTRIBUTES], "target", "documentation", "owner", "notes"]
        )

    def attributes(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"pa_{key}") or "" for key, _l, _n in ATTRIBUTES}


class EvidenceLinkForm(forms.Form):
    url = forms.URLField(
        label=_("Link"),
        max_length=1000,
        assume_scheme="https",
        help_text=_("A page in the intranet, wiki, document system or ticket tool."),
    )
    title = SingleLineField(
        label=_("Title"), max_length=300, required=False, help_text=_("What it shows; the link itself if empty.")
    )


class EvidenceFileForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("PDF, Office, picture or text file, up to 10 MB."))
    title = SingleLineField(label=_("Title"), max_length=300, required=False)


class EvidenceAnswerForm(forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Survey answer"),
        coerce=int,
        help_text=_("Answers from the questionnaires about this requirement's processes and the management system."),
    )

    def __init__(self, *args: Any, answers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["answer"]
        field.choices = answers


class GenerateTopicsForm(forms.Form):
    grouping = forms.ChoiceField(
        label=_("Group"),
        choices=[
            (TopicGrouping.PROCESS, TopicGrouping.PROCESS.label),
            (TopicGrouping.CLAUSE, TopicGrouping.CLAUSE.label),
        ],
        help_text=_("One topic per process of the 13-process view, or per clause of the standard."),
    )


class TopicForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    title = SingleLineField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("What to do"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    owner = forms.TypedChoiceField(
        label=_("Owner"), coerce=int, empty_value=None, required=False, help_text=_("From the engagement's people.")
    )
    due_date = forms.DateField(label=_("Due"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=TopicStatus.choices, initial=TopicStatus.OPEN)
    # Chosen with the requirement picker (a search and check boxes, see topic_edit.html), not a long
    # multiple-choice list where one click without Ctrl drops every other choice.
    ratings = forms.TypedMultipleChoiceField(
        label=_("Requirements"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The requirements whose gaps this topic closes."),
    )

    def __init__(self, *args: Any, people: list[Any], ratings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.choices = [("", _("Nobody yet")), *[(p.pk, p.name) for p in people]]
        field: Any = self.fields["ratings"]
        field.choices = ratings

    def other_fields(self) -> list[Any]:
        """The visible fields the generic form markup shows (the picker shows the requirements)."""
        return [field for field in self.visible_fields() if field.name != "ratings"]


class SplitForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = SingleLineField(label=_("Title of the new topic"), max_length=300)
    ratings = forms.TypedMultipleChoiceField(
        label=_("Requirements to move"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, ratings: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["ratings"]
        field.choices = ratings


class DocumentForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("Status"), choices=DocumentStatus.choices, required=False)
    requirements = SingleLineField(
        label=_("Evidences requirements"),
        max_length=1000,
        required=False,
        help_text=_("The references of the requirements it evidences, separated by commas, e.g. 5.2.1, 6.2."),
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, empty_value=None, required=False)
    location = SingleLineField(label=_("Location"), max_length=500, required=False)
    review_date = forms.DateField(label=_("Next review"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, people: list[Any], form_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner: Any = self.fields["owner"]
        owner.choices = [("", _("Nobody yet")), *[(p.pk, p.name) for p in people]]
        if form_id:  # the checklist shows one row per item, each field tied to its row's form
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id


class DocumentCreateForm(forms.Form):
    name = SingleLineField(
        label=_("Name"),
        max_length=300,
        help_text=_('A document or record your organization keeps, e.g. "Major incident procedure".'),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    clause = SingleLineField(
        label=_("Clause"), max_length=20, required=False, help_text=_("The clause it supports, e.g. 8.6.1.")
    )
    requirements = SingleLineField(
        label=_("Evidences requirements"),
        max_length=1000,
        required=False,
        help_text=_(
            "The references of the requirements it evidences, separated by commas, e.g. 8.6.1. Their "
            "documentation status on the assessment screen is this item's status."
        ),
    )
