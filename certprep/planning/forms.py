"""Forms of the plan's pages. They parse what a person typed; the services check the domain's rules."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.core.text import SingleLineField
from certprep.planning.choices import ConstraintType, Weekday
from certprep.planning.models import Calendar, Plan, Task
from certprep.planning.notation import LinkSpec, NotationError, parse_links


def _label(model: Any, name: str) -> Any:
    """The model field's own (translated) name as a form label."""
    return capfirst(model._meta.get_field(name).verbose_name)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ESTIMATE_HELP = gettext_lazy(
    "Optional. With the duration as the most likely figure, the schedule risk analysis draws this task's duration "
    "between the optimistic and the pessimistic one; leave both empty to keep the duration fixed there."
)


class TaskForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    name = SingleLineField(label=gettext_lazy("Task name"), max_length=300)
    name_zh = SingleLineField(label=gettext_lazy("Name in Chinese"), max_length=300, required=False)
    duration_days = forms.IntegerField(label=_label(Task, "duration_days"), min_value=0, max_value=5000)
    optimistic_days = forms.IntegerField(
        label=gettext_lazy("Optimistic estimate (working days)"),
        min_value=0,
        max_value=5000,
        required=False,
        help_text=ESTIMATE_HELP,
    )
    pessimistic_days = forms.IntegerField(
        label=gettext_lazy("Pessimistic estimate (working days)"),
        min_value=0,
        max_value=5000,
        required=False,
        help_text=Task._meta.get_field("pessimistic_days").help_text,
    )
    milestone = forms.BooleanField(label=_label(Task, "milestone"), required=False)
    predecessors = forms.CharField(
        label=gettext_lazy("Predecessors"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy(
            'Row numbers from the plan, as in MS Project: "3" finish-to-start, "5SS" start-to-start, '
            '"7FS+2d" two working days later, "4FF-50%" overlapping half; separated by ";".'
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    percent_complete = forms.IntegerField(label=_label(Task, "percent_complete"), min_value=0, max_value=100)
    actual_start = forms.DateField(label=_label(Task, "actual_start"), required=False, widget=DATE)
    actual_finish = forms.DateField(label=_label(Task, "actual_finish"), required=False, widget=DATE)
    constraint_type = forms.ChoiceField(label=_label(Task, "constraint_type"), choices=ConstraintType.choices)
    constraint_date = forms.DateField(label=_label(Task, "constraint_date"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_label(Task, "notes"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_predecessors(self) -> list[LinkSpec]:
        return _links(self.cleaned_data.get("predecessors", ""))


def _links(text: str) -> list[LinkSpec]:
    try:
        return parse_links(text)
    except NotationError as exc:
        raise forms.ValidationError(exc.message) from exc


class PlanForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    start_date = forms.DateField(label=_label(Plan, "start_date"), widget=DATE)
    minimum_operating_months = forms.IntegerField(
        label=_label(Plan, "minimum_operating_months"),
        min_value=1,
        max_value=24,
        help_text=gettext_lazy("Regenerate the plan to resize the trial operation."),
    )


def _dates(text: str) -> list[datetime.date]:
    days = []
    for part in re.split(r"[\s,;，；]+", text or ""):
        if not part:
            continue
        try:
            days.append(datetime.date.fromisoformat(part))
        except ValueError as exc:
            raise forms.ValidationError(
                _('"%(part)s" is not a date: write dates as 2027-05-01, one per line.') % {"part": part[:40]}
            ) from exc
    if len(days) > 1000:
        raise forms.ValidationError(_("At most 1,000 dates."))
    return days


class CalendarForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    country = forms.ChoiceField(
        label=_label(Calendar, "country"),
        required=False,
        help_text=gettext_lazy("Its public holidays and make-up working days are taken into account."),
    )
    region = SingleLineField(
        label=_label(Calendar, "region"),
        max_length=10,
        required=False,
        help_text=gettext_lazy("A region code of the country, when its holidays differ (e.g. HK, CA)."),
    )
    workweek = forms.TypedMultipleChoiceField(
        label=_label(Calendar, "workweek"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    days_off = forms.CharField(
        label=_label(Calendar, "days_off"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Dates such as 2027-05-01, one per line: company holidays, closures."),
    )
    extra_working_days = forms.CharField(
        label=_label(Calendar, "extra_working_days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Dates such as 2027-05-08, one per line: days worked that are usually free."),
    )

    def __init__(self, *args: Any, countries: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["country"]
        field.choices = [("", _("None: weekdays only")), *countries]

    def clean_days_off(self) -> list[datetime.date]:
        return _dates(self.cleaned_data.get("days_off", ""))

    def clean_extra_working_days(self) -> list[datetime.date]:
        return _dates(self.cleaned_data.get("extra_working_days", ""))


class RegenerateForm(forms.Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    accept = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, changes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["accept"]
        field.choices = [(change, change) for change in changes]


class TaskAddForm(forms.Form):
    """A task added by hand: where it goes in the outline (under which summary task, after which of its tasks),
    how long it lasts and what it waits for."""

    name = SingleLineField(label=gettext_lazy("Task name"), max_length=300)
    name_zh = SingleLineField(label=gettext_lazy("Name in Chinese"), max_length=300, required=False)
    parent_id = forms.TypedChoiceField(
        label=_label(Task, "parent"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("The new task goes below this one, which becomes (or stays) a summary task."),
    )
    after_id = forms.TypedChoiceField(
        label=gettext_lazy("Place after"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("A task under the same summary task; empty: at the end."),
    )
    duration_days = forms.IntegerField(label=_label(Task, "duration_days"), min_value=0, max_value=5000, initial=5)
    milestone = forms.BooleanField(label=_label(Task, "milestone"), required=False)
    predecessors = TaskForm.base_fields["predecessors"]

    def __init__(self, *args: Any, rows: list[tuple[Task, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(task.pk, f"{code} {task.tr.name}") for task, code in rows]
        parent: Any = self.fields["parent_id"]
        parent.choices = [("", _("None: a top-level task")), *choices]
        after: Any = self.fields["after_id"]
        after.choices = [("", _("At the end")), *choices]

    def clean_predecessors(self) -> list[LinkSpec]:
        return _links(self.cleaned_data.get("predecessors", ""))
