"""The Gantt chart's forms: a bar moved or stretched (what the page's script posts), and the side form of the task
selected on the chart. They parse; services.gantt and services.tasks check the domain's rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from certprep.core.text import SingleLineField
from certprep.planning.choices import ConstraintType
from certprep.planning.forms import DATE, _label
from certprep.planning.models import Task
from certprep.planning.services.gantt import MAX_SHIFT_DAYS


class BarChangeForm(forms.Form):
    """A bar dragged to a day (`start`, or `finish` for its right end) or moved by `days` working days."""

    expected_version = forms.IntegerField(min_value=1)
    action = forms.ChoiceField(choices=[("move", "move"), ("stretch", "stretch")])
    start = forms.DateField(required=False)
    finish = forms.DateField(required=False)
    days = forms.IntegerField(required=False, min_value=-MAX_SHIFT_DAYS, max_value=MAX_SHIFT_DAYS)


class GanttTaskForm(forms.Form):
    """The side form: the selected task's name, start constraint, duration and progress."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = SingleLineField(label=gettext_lazy("Task name"), max_length=300)
    constraint_type = forms.ChoiceField(label=_label(Task, "constraint_type"), choices=ConstraintType.choices)
    constraint_date = forms.DateField(label=_label(Task, "constraint_date"), required=False, widget=DATE)
    duration_days = forms.IntegerField(label=_label(Task, "duration_days"), min_value=0, max_value=5000)
    percent_complete = forms.IntegerField(label=_label(Task, "percent_complete"), min_value=0, max_value=100)
