"""Forms to adapt a questionnaire and its questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from certprep.core.text import SingleLineField
from certprep.people.choices import SmsRole
from certprep.survey.choices import QuestionKind, Topic


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class QuestionnaireForm(forms.Form):
    expected_version = VersionField()
    title = SingleLineField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to respondents above the questions: why you ask and how to answer."),
    )
    audience = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=SmsRole.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("People holding one of these roles receive the questionnaire in a campaign."),
    )

    @staticmethod
    def initial_for(questionnaire: Any) -> dict[str, Any]:
        return {
            "expected_version": questionnaire.version,
            "title": questionnaire.title,
            "intro": questionnaire.intro,
            "audience": questionnaire.audience,
        }


class QuestionForm(forms.Form):
    expected_version = VersionField(required=False)
    section = SingleLineField(
        label=_("Section"),
        max_length=200,
        required=False,
        help_text=_("Questions with the same section are grouped under one heading."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    guidance = forms.CharField(
        label=_("What a good answer contains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('Shown under the question, e.g. "Names the documents, where they are kept and who approves them."'),
    )
    required = forms.BooleanField(label=_("Required before submitting"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=Topic.choices,
        initial=Topic.OTHER,
        help_text=_("Where the answer goes in the current-state summary of the process."),
    )
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For choice questions: one option per line."),
    )
    columns = forms.CharField(
        label=_("Table columns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_('For table questions: one column per line, e.g. "Input" and "Comes from".'),
    )

    @staticmethod
    def initial_for(question: Any) -> dict[str, Any]:
        return {
            "expected_version": question.version,
            "section": question.section,
            "kind": question.kind,
            "text": question.text,
            "guidance": question.guidance,
            "required": question.required,
            "topic": question.topic,
            "options": "\n".join(f"{o['value']}: {o['label']}" for o in question.options),
            "columns": "\n".join(f"{c['key']}: {c['label']}" for c in question.columns),
        }
